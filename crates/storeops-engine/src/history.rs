//! The append-only history of one run: everything that happened to it, in
//! order. The run's state is the fold of these events ([`crate::fold`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why a step attempt failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepError {
    /// Error kind (`timeout`, `http_5xx`, `invalid_input`, …), matched by retry rules.
    pub kind: String,
    /// What happened.
    pub message: String,
    /// Whether another attempt may succeed.
    pub retryable: bool,
}

/// What an operator did with an exception item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Run the step again (one more attempt).
    Retry,
    /// Run the step again (one more attempt) with `input` instead of its
    /// evaluated `with:` — and so every later attempt of it.
    RetryWith {
        /// The edited input.
        input: Value,
    },
    /// Mark the step done without output and go on.
    Skip,
    /// Cancel the run.
    Cancel,
}

/// The run and call step a child run reports its end to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentRef {
    /// The parent run's id.
    pub run_id: String,
    /// Its call step (with `[i]` inside a loop).
    pub step: String,
}

/// One entry of a run's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HistoryEvent {
    /// The run began on a pinned plan version.
    RunStarted {
        /// Run id.
        run_id: String,
        /// Workflow name.
        workflow: String,
        /// Content hash of the definition version.
        version: String,
        /// Trigger input.
        input: Value,
        /// When.
        at: DateTime<Utc>,
        /// The A/B variant assigned (plans with `variants:`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        variant: Option<crate::launch::Assignment>,
        /// The parent run and its call step, for a child run (`call:`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parent: Option<ParentRef>,
    },
    /// The worker committed its intent to execute a step attempt.
    StepScheduled {
        /// Step id.
        step: String,
        /// Attempt, from 1.
        attempt: u32,
        /// When.
        at: DateTime<Utc>,
    },
    /// A step attempt succeeded; its output is durable from here on.
    StepCompleted {
        /// Step id.
        step: String,
        /// Attempt.
        attempt: u32,
        /// The action's output.
        output: Value,
        /// When.
        at: DateTime<Utc>,
    },
    /// A step attempt failed.
    StepFailed {
        /// Step id.
        step: String,
        /// Attempt.
        attempt: u32,
        /// Why.
        error: StepError,
        /// When.
        at: DateTime<Utc>,
    },
    /// The worker created the review item of an approval step.
    ApprovalRequested {
        /// Step id.
        step: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A person (or the SLA rule) decided an approval.
    ApprovalDecided {
        /// Step id.
        step: String,
        /// One of the step's options.
        decision: String,
        /// Who decided (`user:<name>`, `sla`).
        actor: String,
        /// Why (required on reject by the API).
        reason: Option<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// An operator resolved the exception item of a failed step.
    ExceptionResolved {
        /// Step id.
        step: String,
        /// What they did.
        resolution: Resolution,
        /// Who (`user:<name>`).
        actor: String,
        /// Why.
        reason: Option<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// An incoming event satisfied the predicate of the `wait: { event }`
    /// step the run awaits (the shell checks with
    /// [`crate::eval::event_matches`]).
    EventMatched {
        /// Step id.
        step: String,
        /// The event.
        event: Value,
        /// When.
        at: DateTime<Utc>,
    },
    /// The child run of a `call` step ended.
    ChildFinished {
        /// Step id (as in `StartChild`).
        step: String,
        /// How the child ended (`completed`, `failed` or `cancelled`).
        status: crate::state::RunStatus,
        /// The child's output (when completed).
        #[serde(default)]
        output: Value,
        /// The child's error (when failed or cancelled).
        #[serde(default)]
        error: Option<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A durable timer was set.
    TimerSet {
        /// Timer id (`retry/<step>/<attempt>`).
        timer: String,
        /// When it fires.
        fire_at: DateTime<Utc>,
    },
    /// A timer fired.
    TimerFired {
        /// Timer id.
        timer: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// The run finished successfully.
    RunCompleted {
        /// Final output (the last step's).
        output: Value,
        /// When.
        at: DateTime<Utc>,
    },
    /// The run failed for good.
    RunFailed {
        /// Why.
        error: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// An operator cancelled the run.
    RunCancelled {
        /// Why.
        reason: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// An operator moved the run to another definition version
    /// (`workflow migrate`); the history is folded with that version's plan
    /// from then on. A marker: it changes nothing the machine decides on.
    RunMigrated {
        /// Content hash of the version the run was on.
        from: String,
        /// Content hash of the version it is on now.
        to: String,
        /// When.
        at: DateTime<Utc>,
    },
}

impl HistoryEvent {
    /// When it happened (`None` for `TimerSet`, which records a plan).
    pub fn at(&self) -> Option<DateTime<Utc>> {
        match self {
            HistoryEvent::RunStarted { at, .. }
            | HistoryEvent::StepScheduled { at, .. }
            | HistoryEvent::StepCompleted { at, .. }
            | HistoryEvent::StepFailed { at, .. }
            | HistoryEvent::ApprovalRequested { at, .. }
            | HistoryEvent::ApprovalDecided { at, .. }
            | HistoryEvent::ExceptionResolved { at, .. }
            | HistoryEvent::EventMatched { at, .. }
            | HistoryEvent::ChildFinished { at, .. }
            | HistoryEvent::TimerFired { at, .. }
            | HistoryEvent::RunCompleted { at, .. }
            | HistoryEvent::RunFailed { at, .. }
            | HistoryEvent::RunCancelled { at, .. }
            | HistoryEvent::RunMigrated { at, .. } => Some(*at),
            HistoryEvent::TimerSet { .. } => None,
        }
    }
}
