//! The demo store's calendar: the two-year window of history ending yesterday,
//! and helpers that turn days and seconds into UTC timestamps.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Utc};

/// Days of order history.
pub(crate) const HISTORY_DAYS: i64 = 730;

/// The window of generated history.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    /// The day the store is generated for (no activity on or after it).
    pub today: NaiveDate,
    /// First day of history (`today − 730`).
    pub start: NaiveDate,
}

impl Span {
    /// The window ending the day before `today`.
    pub(crate) fn new(today: NaiveDate) -> Span {
        Span {
            today,
            start: today - TimeDelta::days(HISTORY_DAYS),
        }
    }

    /// The `offset`-th day of history.
    pub(crate) fn day(&self, offset: i64) -> NaiveDate {
        self.start + TimeDelta::days(offset)
    }

    /// Midnight at the start of `today`: everything generated happens before it.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        at(self.today, 0)
    }

    /// Month index of a date, counted from the month of `start`.
    pub(crate) fn month_index(&self, date: NaiveDate) -> usize {
        let months = month_number(date) - month_number(self.start);
        usize::try_from(months).unwrap_or(0)
    }

    /// Number of calendar months the window touches.
    pub(crate) fn months(&self) -> usize {
        self.month_index(self.today - TimeDelta::days(1)) + 1
    }

    /// First day of the `index`-th month of the window.
    pub(crate) fn month_start(&self, index: usize) -> NaiveDate {
        let n = month_number(self.start) + index as i64;
        let year = i32::try_from(n.div_euclid(12)).unwrap_or(i32::MAX);
        let month = u32::try_from(n.rem_euclid(12) + 1).unwrap_or(1);
        NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(self.start)
    }

    /// Last day of the `index`-th month that lies before `today`.
    pub(crate) fn month_last_day(&self, index: usize) -> NaiveDate {
        let next = self.month_start(index + 1);
        (next - TimeDelta::days(1)).min(self.today - TimeDelta::days(1))
    }
}

/// `date` at `seconds` past midnight, UTC.
pub(crate) fn at(date: NaiveDate, seconds: i64) -> DateTime<Utc> {
    (date.and_time(NaiveTime::MIN) + TimeDelta::seconds(seconds)).and_utc()
}

/// Hours as seconds, for readability at call sites.
pub(crate) fn hours(h: f64) -> TimeDelta {
    TimeDelta::seconds((h * 3600.0).round() as i64)
}

fn month_number(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn window_is_730_days_ending_yesterday() {
        let span = Span::new(day(2026, 11, 25));
        assert_eq!(span.start, day(2024, 11, 25));
        assert_eq!(span.day(729), day(2026, 11, 24));
        assert_eq!(span.months(), 25);
        assert_eq!(span.month_start(1), day(2024, 12, 1));
        assert_eq!(span.month_last_day(0), day(2024, 11, 30));
        assert_eq!(span.month_last_day(24), day(2026, 11, 24));
        assert_eq!(span.month_index(day(2025, 1, 15)), 2);
    }

    #[test]
    fn timestamps_are_seconds_past_midnight() {
        let t = at(day(2026, 1, 2), 3661);
        assert_eq!(t.to_rfc3339(), "2026-01-02T01:01:01+00:00");
        assert_eq!(hours(1.5), TimeDelta::seconds(5400));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn every_day_falls_in_its_month(days in 0i64..40_000, offset in 0i64..HISTORY_DAYS) {
            let today = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + TimeDelta::days(days);
            let span = Span::new(today);
            let day = span.day(offset);
            let m = span.month_index(day);
            prop_assert!(m < span.months());
            prop_assert!(span.month_start(m) <= day && day <= span.month_last_day(m));
            prop_assert!(span.month_last_day(m) < today);
        }
    }
}
