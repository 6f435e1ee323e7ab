//! Runs the data-readiness audit over what the store holds.

use chrono::{DateTime, Utc};
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
