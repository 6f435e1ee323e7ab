//! Ingest rates for the overview: events stored per minute over the last
//! hour, and since the process started.

use std::collections::VecDeque;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Minutes of history kept.
const MINUTES: i64 = 60;

/// Stored-event counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct IngestStats {
    /// Stored in the current minute bucket.
    pub last_minute: u64,
    /// Stored in the last 60 minute buckets.
    pub last_hour: u64,
    /// Stored since start.
    pub since_start: u64,
    /// Waiting for the writer.
    pub queued: u64,
}

/// Per-minute counters.
#[derive(Debug, Default)]
pub struct Rates {
    inner: Mutex<(VecDeque<(i64, u64)>, u64)>,
}

impl Rates {
    /// Counts `n` events stored at `now`.
    pub fn record(&self, n: u64, now: DateTime<Utc>) {
        let minute = now.timestamp().div_euclid(60);
        let Ok(mut guard) = self.inner.lock() else {
            return;
        };
        let (buckets, total) = &mut *guard;
        *total += n;
        match buckets.back_mut() {
            Some((m, count)) if *m == minute => *count += n,
            _ => buckets.push_back((minute, n)),
        }
        while buckets.front().is_some_and(|(m, _)| *m <= minute - MINUTES) {
            buckets.pop_front();
        }
    }

    /// Counts as of `now`, with `queued` events waiting.
    pub fn stats(&self, now: DateTime<Utc>, queued: u64) -> IngestStats {
        let minute = now.timestamp().div_euclid(60);
        let Ok(guard) = self.inner.lock() else {
            return IngestStats::default();
        };
        let (buckets, total) = &*guard;
        let sum = |from: i64| {
            buckets
                .iter()
                .filter(|(m, _)| *m > from)
                .map(|(_, c)| c)
                .sum()
        };
        IngestStats {
            last_minute: sum(minute - 1),
            last_hour: sum(minute - MINUTES),
            since_start: *total,
            queued,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn counts_by_minute_and_forgets_after_an_hour() {
        let rates = Rates::default();
        let t0 = Utc
            .with_ymd_and_hms(2026, 1, 1, 12, 0, 30)
            .single()
            .unwrap_or_default();
        rates.record(5, t0);
        rates.record(2, t0 + chrono::Duration::seconds(20));
        rates.record(3, t0 + chrono::Duration::minutes(10));
        let now = t0 + chrono::Duration::minutes(10);
        let s = rates.stats(now, 4);
        assert_eq!(
            (s.last_minute, s.last_hour, s.since_start, s.queued),
            (3, 10, 10, 4)
        );
        let later = t0 + chrono::Duration::minutes(65);
        let s = rates.stats(later, 0);
        assert_eq!((s.last_minute, s.last_hour, s.since_start), (0, 3, 10));
    }
}
