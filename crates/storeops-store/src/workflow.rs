//! Workflow storage types (issue 5): deployed definitions, runs with their
//! append-only history, the inbox of outside events, approval/exception
//! items and `store.update` outcomes.
//!
//! The store does not interpret workflows: plans, history events, inputs,
//! outputs, item options and contexts are opaque JSON text (`String`) written
//! and read by the engine. A run's history is a list of chunks (one JSON
//! array of events per commit, numbered from 0); a worker claims due runs
//! under a lease ([`crate::Store::claim_runs`]), folds their history and
//! inbox, and writes the next chunk with [`crate::Store::commit_runs`], which
//! applies only while the worker still holds the lease.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::StoreError;

/// Modes a workflow or run can have.
pub const MODES: [&str; 3] = ["off", "shadow", "live"];

/// Statuses a run can have.
pub const RUN_STATUSES: [&str; 5] = ["running", "waiting", "completed", "failed", "cancelled"];

/// Run statuses after which nothing happens to a run any more.
pub const TERMINAL_STATUSES: [&str; 3] = ["completed", "failed", "cancelled"];

/// Kinds of work items.
pub const ITEM_KINDS: [&str; 2] = ["approval", "exception"];

/// One deployed version of a workflow definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkflowVersion {
    /// Workflow name.
    pub workflow: String,
    /// Content hash of the definition.
    pub version: String,
    /// The YAML text.
    pub source: String,
    /// The compiled plan, JSON text.
    pub plan: String,
}

/// A workflow: its active version, mode and whether it is paused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct WorkflowRow {
    /// Workflow name.
    pub name: String,
    /// Version new runs use.
    pub active_version: String,
    /// `off`, `shadow` or `live`.
    pub mode: String,
    /// Paused workflows' runs are not claimed (when the claimer asks so).
    pub paused: bool,
    /// Last change of version, mode or pause.
    pub updated_at: DateTime<Utc>,
}

/// A change of a workflow's controls, from the value it was read with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ControlChange {
    /// The mode new runs start in.
    Mode {
        /// The mode it had.
        from: String,
        /// The new mode.
        to: String,
    },
    /// The kill switch.
    Paused {
        /// Whether it was paused.
        from: bool,
        /// Whether it is paused now.
        to: bool,
    },
}

/// A run to start, with its first history chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRun {
    /// Run id (idempotency key: a second submission is ignored).
    pub id: String,
    /// Workflow name.
    pub workflow: String,
    /// Workflow version.
    pub version: String,
    /// `off`, `shadow` or `live`.
    pub mode: String,
    /// Input, JSON text.
    pub input: String,
    /// History chunk 0, a JSON array of events.
    pub events: String,
    /// Creation time; the run is due at once.
    pub at: DateTime<Utc>,
}

/// A run claimed by a worker, with everything needed to resume it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedRun {
    /// Run id.
    pub id: String,
    /// Workflow name.
    pub workflow: String,
    /// Workflow version.
    pub version: String,
    /// Run mode.
    pub mode: String,
    /// Input, JSON text.
    pub input: String,
    /// History chunks in sequence order (chunk `i` has seq `i`).
    pub history: Vec<String>,
    /// Sequence number the next chunk must have.
    pub next_seq: i64,
    /// Inbox entries (id, event JSON), oldest first.
    pub inbox: Vec<(i64, String)>,
}

/// What a worker commits for one claimed run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunUpdate {
    /// Run id.
    pub run_id: String,
    /// Sequence number of `events` (the claimed `next_seq`).
    pub seq: i64,
    /// The new history chunk, a JSON array of events.
    pub events: String,
    /// New status.
    pub status: String,
    /// When a worker should look at the run again; `None` = not until an
    /// inbox event arrives.
    pub due_at: Option<DateTime<Utc>>,
    /// Keep holding the lease (otherwise it is released).
    pub keep_lease: bool,
    /// Output, JSON text.
    pub output: Option<String>,
    /// Error message.
    pub error: Option<String>,
    /// Inbox entries folded into `events`, deleted with the commit.
    pub consumed_inbox: Vec<i64>,
    /// What happens to the run's event wait.
    pub wait: crate::workflow_links::WaitChange,
    /// Child runs to start (idempotent by id).
    pub starts: Vec<NewRun>,
    /// Messages for other runs' inboxes (a child's end for its parent).
    pub messages: Vec<crate::workflow_links::InboxMessage>,
}

/// A row written by the `store.update` action (`op: insert`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Entity name.
    pub entity: String,
    /// Key within the entity.
    pub key: String,
    /// Fields, JSON text.
    pub fields: String,
    /// Run that wrote it.
    pub run_id: String,
    /// Step that wrote it.
    pub step: String,
}

/// A store write of the `store.update` action, applied in the same
/// transaction as the step's result (`commit_runs`), so it happens exactly
/// once. Effects of a run whose update does not apply (lease lost) are not
/// written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreEffect {
    /// `op: insert`: one `wf_outcomes` row; the first row of a key stays.
    Insert(Outcome),
    /// `op: set_status` on a return: its `status` column and the `status`
    /// of its stored record.
    SetReturnStatus {
        /// Return id.
        return_id: String,
        /// New status.
        status: storeops_domain::ReturnStatus,
        /// Run that wrote it.
        run_id: String,
    },
    /// `op: tag` on an order: the tag is added to the stored record's
    /// `tags` unless it is there already.
    TagOrder {
        /// Order name.
        order: String,
        /// Tag to add.
        tag: String,
        /// Run that wrote it.
        run_id: String,
    },
}

impl StoreEffect {
    /// The run whose step produced the effect.
    pub fn run_id(&self) -> &str {
        match self {
            StoreEffect::Insert(outcome) => &outcome.run_id,
            StoreEffect::SetReturnStatus { run_id, .. } | StoreEffect::TagOrder { run_id, .. } => {
                run_id
            }
        }
    }
}

/// An approval or exception item to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    /// Unique key (idempotency: an existing key is left alone).
    pub key: String,
    /// `approval` or `exception`.
    pub kind: String,
    /// Run waiting for it.
    pub run_id: String,
    /// Workflow name.
    pub workflow: String,
    /// Step waiting for it.
    pub step: String,
    /// Role allowed to decide.
    pub role: String,
    /// Title shown to people.
    pub title: String,
    /// Options to choose from, JSON text.
    pub options: String,
    /// Context shown with it, JSON text.
    pub context: String,
    /// SLA deadline.
    pub due_at: Option<DateTime<Utc>>,
}

/// A stored run (without history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RunRow {
    /// Run id.
    pub id: String,
    /// Workflow name.
    pub workflow: String,
    /// Workflow version.
    pub version: String,
    /// Run mode.
    pub mode: String,
    /// `running`, `waiting`, `completed`, `failed` or `cancelled`.
    pub status: String,
    /// Input, JSON text.
    pub input: String,
    /// Output, JSON text.
    pub output: Option<String>,
    /// Error message.
    pub error: Option<String>,
    /// When the run started.
    pub created_at: DateTime<Utc>,
    /// Last commit.
    pub updated_at: DateTime<Utc>,
    /// When a worker should look at it; `None` = nothing to do.
    pub due_at: Option<DateTime<Utc>>,
}

/// A stored approval or exception item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ItemRow {
    /// Unique key.
    pub key: String,
    /// `approval` or `exception`.
    pub kind: String,
    /// Run waiting for it.
    pub run_id: String,
    /// Workflow name.
    pub workflow: String,
    /// Step waiting for it.
    pub step: String,
    /// Role allowed to decide.
    pub role: String,
    /// Title.
    pub title: String,
    /// Options, JSON text.
    pub options: String,
    /// Context, JSON text.
    pub context: String,
    /// `open` or `closed`.
    pub status: String,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
    /// SLA deadline.
    pub due_at: Option<DateTime<Utc>>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// The decision taken.
    pub decision: Option<String>,
    /// Who decided.
    pub actor: Option<String>,
    /// Why.
    pub reason: Option<String>,
}

/// Where a page of [`RunRow`]s continues: the `(created_at, id)` of the
/// last row of the previous page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunCursor {
    /// `created_at` of the last row seen.
    pub created_at: DateTime<Utc>,
    /// `id` of the last row seen.
    pub id: String,
}

/// Which runs [`crate::Store::list_runs`] returns (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunFilter {
    /// Only this workflow's runs.
    pub workflow: Option<String>,
    /// Only runs with this status.
    pub status: Option<String>,
    /// At most this many (1–1000).
    pub limit: u32,
    /// Only runs after this cursor in newest-first order.
    pub before: Option<RunCursor>,
}

/// Which items [`crate::Store::list_items`] returns (oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemFilter {
    /// Only `approval` or `exception` items.
    pub kind: Option<String>,
    /// Only items for this role.
    pub role: Option<String>,
    /// Only this workflow's items.
    pub workflow: Option<String>,
    /// Only `open` or `closed` items.
    pub status: Option<String>,
}

/// `InvalidQuery { field }` unless `value` is one of `allowed`.
pub(crate) fn check_one_of(field: &str, value: &str, allowed: &[&str]) -> Result<(), StoreError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(StoreError::invalid(
            field,
            format!("`{value}` is not one of {}", allowed.join(", ")),
        ))
    }
}

/// Whether a run status is terminal.
pub(crate) fn is_terminal(status: &str) -> bool {
    TERMINAL_STATUSES.contains(&status)
}
