//! Settings of one audit run.

use chrono::{DateTime, Utc};

/// How an audit is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditConfig {
    /// The moment the audit judges the data at (staleness, effective documents, review dates).
    pub as_of: DateTime<Utc>,
    /// A level whose last physical count is older than this many days before
    /// `as_of` (or that was never counted) is a `inventory.stale_count` finding.
    pub stale_count_days: u32,
    /// How many affected ids a displayed report lists per finding; used by
    /// callers of [`ReadinessReport::truncated`](crate::ReadinessReport::truncated),
    /// not by [`audit`](crate::audit) itself, which always lists every id.
    pub max_listed_ids: usize,
}

impl AuditConfig {
    /// Default for [`AuditConfig::stale_count_days`].
    pub const DEFAULT_STALE_COUNT_DAYS: u32 = 90;
    /// Default for [`AuditConfig::max_listed_ids`].
    pub const DEFAULT_MAX_LISTED_IDS: usize = 20;

    /// An audit as of `as_of` with the default settings.
    pub fn new(as_of: DateTime<Utc>) -> Self {
        AuditConfig {
            as_of,
            stale_count_days: Self::DEFAULT_STALE_COUNT_DAYS,
            max_listed_ids: Self::DEFAULT_MAX_LISTED_IDS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn new_uses_documented_defaults() {
        let as_of = Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap();
        let config = AuditConfig::new(as_of);
        assert_eq!(config.as_of, as_of);
        assert_eq!(config.stale_count_days, 90);
        assert_eq!(config.max_listed_ids, 20);
    }
}
