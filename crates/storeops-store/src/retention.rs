//! Types of run retention and version migration (issue 5): what pruning
//! finished runs removed ([`crate::Store::prune_runs`]; the runs are counted
//! in `wf_run_counts` first, migration 0006) and one run moved to another
//! definition version ([`crate::Store::migrate_run`], audited).

use chrono::{DateTime, Utc};
use serde::Serialize;
use storeops_domain::audit_chain::AuditEntry;

/// What [`crate::Store::prune_runs`] removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Pruned {
    /// Runs removed with their history, inbox and review items.
    pub runs: u64,
    /// How many per workflow and status, by workflow then status.
    pub groups: Vec<PrunedGroup>,
}

/// Pruned runs of one workflow with one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrunedGroup {
    /// Workflow name.
    pub workflow: String,
    /// `completed`, `failed` or `cancelled`.
    pub status: String,
    /// How many.
    pub runs: u64,
}

/// One run to move to another version, with the history chunk recording it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunMigration {
    /// Run id.
    pub run_id: String,
    /// The version the run must be on.
    pub from: String,
    /// The version it moves to.
    pub to: String,
    /// The run's `next_seq` when its history was checked: the chunk's seq.
    pub seq: i64,
    /// The chunk, a JSON array of events.
    pub events: String,
    /// Now: a lease until before this is expired.
    pub at: DateTime<Utc>,
    /// Appended to its chain in the same transaction when the run moves.
    pub audit: Option<AuditEntry>,
}
