//! Display text of the workflow pages: SLA countdowns ("due in 3h 12m",
//! "overdue by 5m"; `storeops.js` recomputes the same text every second),
//! short version hashes, second-precision times, and the timeline rows of
//! a run (the engine's typed timeline entries, with times as text).

use chrono::{DateTime, Utc};
use serde::Serialize;
use storeops_engine::timeline::{entry, Tone};
use storeops_engine::HistoryEvent;

pub use storeops_engine::timeline::short_version;

/// `due in 3h 12m` before `due`, `overdue by 5m` after it.
pub fn due_text(due: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (due - now).num_seconds();
    if seconds >= 0 {
        format!("due in {}", span(seconds))
    } else {
        format!("overdue by {}", span(-seconds))
    }
}

/// A length of time in its two largest units (`2d 3h`, `3h 12m`, `5m`, `40s`).
fn span(seconds: i64) -> String {
    let (d, h, m, s) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
        seconds % 60,
    );
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else if m > 0 {
        format!("{m}m")
    } else {
        format!("{s}s")
    }
}

/// `YYYY-MM-DD HH:MM:SS` (UTC).
pub fn when(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// One row of a run's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineRow {
    /// When it happened (`—` for a timer being set).
    pub at: String,
    /// Event type (`step_completed`, …).
    pub kind: String,
    /// Step or timer id.
    pub subject: String,
    /// Attempt number, when the event has one.
    pub attempt: String,
    /// Output, error, decision or reason.
    pub detail: String,
    /// Badge class for failures and cancellations.
    pub class: &'static str,
}

/// The timeline row of one history event.
pub fn timeline_row(event: &HistoryEvent) -> TimelineRow {
    let e = entry(event);
    let at = e.at.map_or_else(|| "—".to_string(), |at| when(&at));
    let detail = match e.fire_at {
        Some(fire_at) => format!("fires at {}", when(&fire_at)),
        None => e.detail,
    };
    TimelineRow {
        at,
        kind: e.kind.to_string(),
        subject: e.subject,
        attempt: e.attempt.map(|a| a.to_string()).unwrap_or_default(),
        detail,
        class: match e.tone {
            Tone::Plain => "",
            Tone::Ok => "ok",
            Tone::Bad => "bad",
            Tone::Warn => "warn",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use serde_json::json;

    #[test]
    fn due_and_overdue() {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
        let at = |s: i64| now + Duration::seconds(s);
        assert_eq!(due_text(at(3 * 3600 + 12 * 60 + 5), now), "due in 3h 12m");
        assert_eq!(due_text(at(-5 * 60), now), "overdue by 5m");
        assert_eq!(due_text(at(40), now), "due in 40s");
        assert_eq!(due_text(at(0), now), "due in 0s");
        assert_eq!(due_text(at(86_400 + 7_200), now), "due in 1d 2h");
        assert_eq!(due_text(at(-86_400 * 3), now), "overdue by 3d 0h");
    }

    #[test]
    fn versions() {
        assert_eq!(short_version("0123456789abcdef"), "0123456789ab");
        assert_eq!(short_version("abc"), "abc");
    }

    fn row_of(event: serde_json::Value) -> TimelineRow {
        timeline_row(&serde_json::from_value(event).unwrap())
    }

    #[test]
    fn timeline_rows() {
        let row = row_of(json!({"type": "approval_decided", "step": "review",
            "decision": "reject", "actor": "user:rita", "reason": "damaged",
            "at": "2026-11-25T12:00:05Z"}));
        assert_eq!(row.at, "2026-11-25 12:00:05");
        assert_eq!(row.subject, "review");
        assert_eq!(row.detail, "reject by user:rita — reason: damaged");
        let row = row_of(json!({"type": "timer_set", "timer": "sla/review",
            "fire_at": "2026-11-26T12:00:00Z"}));
        assert_eq!(
            (row.at.as_str(), row.subject.as_str(), row.detail.as_str()),
            ("—", "sla/review", "fires at 2026-11-26 12:00:00")
        );
        let row = row_of(json!({"type": "step_failed", "step": "call", "attempt": 2,
            "error": {"kind": "network", "message": "refused", "retryable": true},
            "at": "2026-11-25T12:00:05Z"}));
        assert_eq!(
            (row.attempt.as_str(), row.detail.as_str(), row.class),
            ("2", "network: refused (retryable)", "bad")
        );
        let row = row_of(json!({"type": "exception_resolved", "step": "call",
            "resolution": {"retry_with": {"input": {}}}, "actor": "user:o",
            "at": "2026-11-25T12:00:05Z"}));
        assert_eq!(row.detail, "retry_with by user:o");
        let row = row_of(json!({"type": "run_migrated", "from": "0123456789abcdef",
            "to": "fedcba9876543210", "at": "2026-11-25T12:00:05Z"}));
        assert_eq!(
            row.detail,
            "moved from version 0123456789ab to fedcba987654"
        );
    }
}
