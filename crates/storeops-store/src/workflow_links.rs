//! What connects runs to the world outside their own history (migrations
//! 0005 and 0008): the events a waiting run awaits (one per wait step), events offered to triggers and
//! waits, child runs a commit starts, and messages one run's commit leaves in
//! another run's inbox (a child's end for its parent). Like the rest of the
//! workflow storage, predicates, contexts and events are opaque text here.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// What a commit does to the run's event waits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum WaitChange {
    /// Leave them as they are.
    #[default]
    Unchanged,
    /// The run now waits for exactly these events (none: it no longer
    /// waits for any), replacing what was stored.
    Replace(Vec<NewWait>),
}

/// The event a run waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWait {
    /// The wait step (with `[i]` inside a loop).
    pub step: String,
    /// Event topic.
    pub topic: String,
    /// CEL over `event` and the run's variables.
    pub predicate: String,
    /// The run's variables the predicate may read, JSON text.
    pub context: String,
}

/// A stored wait.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct WaitRow {
    /// The waiting run.
    pub run_id: String,
    /// Its wait step.
    pub step: String,
    /// Event topic.
    pub topic: String,
    /// CEL predicate.
    pub predicate: String,
    /// Variables, JSON text.
    pub context: String,
}

/// An event not yet offered to triggers and waits.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingEvent {
    /// Event id (ascending in arrival order per writer).
    pub id: i64,
    /// Where it came from (`shopify`, `woocommerce`, `generic:<name>`, …).
    pub source: String,
    /// The source's topic.
    pub topic: String,
    /// The source's id of the delivery.
    pub external_id: String,
    /// Payload.
    pub payload: serde_json::Value,
    /// When it was received.
    pub received_at: DateTime<Utc>,
    /// The records it mapped to as ingest stored them, by name (`order`,
    /// `product`, …); empty when it mapped to none.
    pub records: serde_json::Map<String, serde_json::Value>,
}

/// A message for another run's inbox, sent with the sender's commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxMessage {
    /// Receiving run.
    pub run_id: String,
    /// History event, JSON text.
    pub event: String,
    /// When the receiver becomes due (the sender's clock).
    pub due_at: DateTime<Utc>,
}

/// What offering one event came to: the runs its triggers start, the waits
/// it satisfies, and a count per workflow and outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDispatch {
    /// The event.
    pub event_id: i64,
    /// Runs to start (ids make this idempotent).
    pub starts: Vec<crate::workflow::NewRun>,
    /// Waits satisfied: the run's wait is removed and the message (an
    /// `EventMatched`) put in its inbox, if the wait is still stored.
    pub matches: Vec<(WaitRow, String)>,
    /// `(workflow, outcome)` to count once each.
    pub counts: Vec<(String, String)>,
    /// When matched runs become due (the dispatcher's clock).
    pub due_at: DateTime<Utc>,
}

/// Trigger counts grouped by workflow, then outcome.
pub type TriggerCounts =
    std::collections::BTreeMap<String, std::collections::BTreeMap<String, i64>>;

/// Trigger counts of one workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TriggerCount {
    /// Workflow name.
    pub workflow: String,
    /// `started`, `filtered`, `out_of_scope` or `error`.
    pub outcome: String,
    /// How many.
    pub count: i64,
}
