//! Runs the data-readiness audit over what the store holds.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use storeops_insights::{AuditConfig, ReadinessReport};
use storeops_store::Store;

use crate::config::Config;
use crate::error::AppError;

/// Reads the audit facts from `store` and audits them as of `as_of`.
/// The report lists every affected id; callers truncate for display.
pub async fn readiness(
    store: &Store,
    config: &Config,
    as_of: DateTime<Utc>,
) -> Result<ReadinessReport, AppError> {
    let facts = store.audit_facts().await?;
    let mut audit_config = AuditConfig::new(as_of);
    audit_config.stale_count_days = config.stale_count_days;
    audit_config.max_listed_ids = config.max_listed_ids;
    Ok(storeops_insights::audit(&facts, &audit_config))
}

/// Midday UTC of `day`: the audit time for a calendar date, the same day
/// everywhere from UTC−11 to UTC+11.
pub fn midday(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN + chrono::Duration::hours(12))
        .and_utc()
}
