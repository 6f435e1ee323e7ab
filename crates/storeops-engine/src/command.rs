//! Commands: what the state machine asks the shell (the worker) to do.

use serde_json::Value;

/// What the shell must do next.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Execute attempt `attempt` of step `step` with this idempotency key
    /// (append `StepScheduled` first, then the result).
    ScheduleStep {
        /// Step id.
        step: String,
        /// Index in the plan.
        index: usize,
        /// Attempt, from 1.
        attempt: u32,
        /// Stable across attempts and restarts.
        idempotency_key: String,
        /// The input an operator gave with `retry_with`: use it instead of
        /// evaluating the step's `with:` (also in `RunState::overrides`).
        input_override: Option<Value>,
    },
    /// Index the run as waiting for an event on `topic` satisfying
    /// `predicate` (keyed; test incoming events with
    /// [`crate::eval::event_matches`] and append `EventMatched` for the
    /// first that holds). A `SetTimer` for `timer` follows; when it fires
    /// first the step times out.
    AwaitEvent {
        /// Step id.
        step: String,
        /// Event topic.
        topic: String,
        /// CEL over `event`.
        predicate: String,
        /// The timeout timer (`event/<step>`).
        timer: String,
        /// When it fires.
        fire_at: chrono::DateTime<chrono::Utc>,
        /// The wait's key.
        idempotency_key: String,
    },
    /// Set a durable timer (append `TimerSet`, later `TimerFired`).
    SetTimer {
        /// Timer id.
        timer: String,
        /// When it fires.
        fire_at: chrono::DateTime<chrono::Utc>,
    },
    /// Create the review item of an approval (keyed by `idempotency_key`,
    /// so reissuing it after a restart creates nothing new) and append
    /// `ApprovalRequested`.
    RequestApproval {
        /// Step id.
        step: String,
        /// Least role that may decide.
        role: String,
        /// Allowed decisions.
        options: Vec<String>,
        /// The review item's key.
        idempotency_key: String,
        /// When its SLA passes (the review item's countdown), if it has one
        /// still running.
        due_at: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// The approval's SLA passed: raise it as an exception item for `role`.
    Escalate {
        /// Step id.
        step: String,
        /// Role of the approval.
        role: String,
        /// The exception item's key.
        idempotency_key: String,
    },
    /// Create the exception item of a step that failed for good (keyed, so
    /// reissuing creates nothing new); an operator resolves it with
    /// `ExceptionResolved`.
    RaiseException {
        /// Step id.
        step: String,
        /// Role the item is assigned to.
        role: String,
        /// The failure.
        error: String,
        /// The item's key.
        idempotency_key: String,
    },
    /// Start a child run of `workflow` with `input` (idempotent by
    /// `child_id`: reissuing it starts nothing new) and append
    /// `ChildFinished` for `step` when the child ends.
    StartChild {
        /// Step id (with `[i]` inside a loop).
        step: String,
        /// The called workflow.
        workflow: String,
        /// The evaluated `with:`.
        input: Value,
        /// `<run id>/<step id>/<loop index>`, with `#<attempt>` appended
        /// when an operator retried the call.
        child_id: String,
    },
    /// Append `RunCancelled` with this reason.
    CancelRun {
        /// Why.
        reason: String,
    },
    /// Append `RunCompleted` with this output.
    CompleteRun {
        /// Final output.
        output: Value,
    },
    /// Append `RunFailed` with this error.
    FailRun {
        /// Why.
        error: String,
    },
}
