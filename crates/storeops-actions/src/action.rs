//! One executable action: its spec, whether its effect is a store write
//! committed with the step, and `execute(ctx, input)`; the context an
//! attempt runs in; the error helpers actions share.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use serde_json::Value;
use storeops_engine::StepError;
use storeops_store::{Store, StoreEffect};
use storeops_workflow::ActionSpec;

use crate::cpu::CpuPool;

/// The future an action returns.
pub type ActionFuture<'a> =
    Pin<Box<dyn Future<Output = Result<ActionOutput, StepError>> + Send + 'a>>;

/// One executable action.
pub trait Action: Send + Sync {
    /// What it declares: name, schemas, side effects, error kinds, doc.
    fn spec(&self) -> &ActionSpec;

    /// Whether the effect is a store write committed together with the step's
    /// result (exactly once), rather than a call to the outside world.
    fn transactional(&self) -> bool {
        false
    }

    /// Runs one attempt with the input, already checked against the spec's
    /// input schema.
    fn execute<'a>(&'a self, ctx: &'a ActionCtx, input: Value) -> ActionFuture<'a>;
}

/// What an attempt knows about where it runs.
#[derive(Debug, Clone)]
pub struct ActionCtx {
    /// Run id (`action:<key>` for a call outside a run).
    pub run_id: String,
    /// Workflow name (empty outside a run).
    pub workflow: String,
    /// Step id (the action's name outside a run).
    pub step: String,
    /// Attempt, from 1.
    pub attempt: u32,
    /// Stable across attempts and restarts; passed on to targets.
    pub idempotency_key: String,
    /// The registry's HTTP client (rustls; Mozilla roots plus `http.ca_file`).
    pub http: reqwest::Client,
    /// The store (`store.query` reads it, `store.update` checks records).
    pub store: Store,
    /// The clock when the attempt started (demand windows).
    pub now: DateTime<Utc>,
    /// Where CPU-bound work runs ([`CpuPool::run`]).
    pub cpu: CpuPool,
}

/// A successful attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionOutput {
    /// The step's output.
    pub output: Value,
    /// Store writes committed with the result.
    pub effects: Vec<StoreEffect>,
}

impl ActionOutput {
    /// An output without store writes.
    pub fn value(output: Value) -> ActionOutput {
        ActionOutput {
            output,
            effects: Vec::new(),
        }
    }
}

/// A non-retryable failure of kind `kind`.
pub fn fatal(kind: &str, message: impl Into<String>) -> StepError {
    StepError {
        kind: kind.to_string(),
        message: message.into(),
        retryable: false,
    }
}

/// A retryable failure of kind `kind`.
pub fn transient(kind: &str, message: impl Into<String>) -> StepError {
    StepError {
        kind: kind.to_string(),
        message: message.into(),
        retryable: true,
    }
}

/// A store error as a failure of kind `db`: retryable while the database is
/// unreachable, not otherwise.
pub fn db_error(error: &storeops_store::StoreError) -> StepError {
    if error.is_unavailable() {
        transient("db", error.to_string())
    } else {
        fatal("db", error.to_string())
    }
}

/// Reads string input `name` (required).
pub fn str_input<'a>(input: &'a Value, name: &str) -> Result<&'a str, StepError> {
    input
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| fatal("invalid_input", format!("`{name}` must be a string")))
}
