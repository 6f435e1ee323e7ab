//! Step nodes of the workflow AST: bodies, retry, error routing, waits, approvals.

use crate::definition::{DurationSpec, Expr, Param, Value};
use crate::error::Span;
use serde::Serialize;

/// One step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// Where the step starts.
    #[serde(skip)]
    pub span: Span,
    /// Where the id was written.
    #[serde(skip)]
    pub id_span: Span,
    /// Unique id within the workflow (`[a-z0-9_-]+`).
    pub id: String,
    /// Run the step only when this holds.
    pub condition: Option<Expr>,
    /// Per-attempt time limit.
    pub timeout: Option<DurationSpec>,
    /// Retry policy.
    pub retry: Option<Retry>,
    /// What happens when the step finally fails.
    pub on_error: Option<OnError>,
    /// What the step does.
    pub body: StepBody,
}

/// Retry policy of a step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retry {
    /// Where `retry:` was written.
    #[serde(skip)]
    pub span: Span,
    /// Total attempts including the first (≥ 1).
    pub attempts: u32,
    /// Exponential back-off.
    pub backoff: Backoff,
    /// Error kinds that retry; empty = every retryable error.
    pub retry_on: Vec<String>,
}

/// Exponential back-off between attempts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backoff {
    /// First delay (default 1s).
    pub initial: DurationSpec,
    /// Factor per attempt (default 2).
    pub multiplier: f64,
    /// Upper bound of a delay (default 5m).
    pub max_delay: DurationSpec,
    /// Randomise delays (default true).
    pub jitter: bool,
}

/// What to do after the last failed attempt.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnError {
    /// Route to the exception queue for this role.
    Exception {
        /// Where it was written.
        #[serde(skip)]
        span: Span,
        /// Role `admin|operator|reviewer|viewer`.
        assignee_role: String,
    },
    /// Run the named compensation step.
    Compensate {
        /// Where it was written.
        #[serde(skip)]
        span: Span,
        /// Step id.
        step: String,
    },
}

/// The one body of a step.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepBody {
    /// `uses: <action>` + `with:`.
    Uses {
        /// Where the action name was written.
        #[serde(skip)]
        span: Span,
        /// Action name.
        action: String,
        /// Inputs.
        with: Vec<Param>,
    },
    /// `switch:` first matching case, else `default`.
    Switch {
        /// Cases in order.
        cases: Vec<Case>,
        /// Steps when no case matches.
        default: Vec<Step>,
    },
    /// `parallel:` all branches.
    Parallel {
        /// Each branch is a list of steps.
        branches: Vec<Vec<Step>>,
    },
    /// `foreach:` bounded loop.
    Foreach {
        /// CEL list to iterate.
        items: Expr,
        /// Most items processed.
        max: u32,
        /// Steps per item (`item`, `index` in scope).
        steps: Vec<Step>,
    },
    /// `call:` another workflow.
    Call {
        /// Where the workflow name was written.
        #[serde(skip)]
        span: Span,
        /// Workflow name.
        workflow: String,
        /// Inputs.
        with: Vec<Param>,
    },
    /// `wait:` for a duration or an event.
    Wait(Wait),
    /// `approval:` a human decision.
    Approval(Approval),
}

/// One `switch` case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// Condition.
    pub when: Expr,
    /// Steps when it holds.
    pub steps: Vec<Step>,
}

/// What a `wait:` step waits for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Wait {
    /// A fixed time.
    Duration(DurationSpec),
    /// An event on `topic` matching `match`, at most `timeout`.
    Event {
        /// Event topic.
        topic: String,
        /// CEL predicate over `event` (and the run's variables).
        matches: Expr,
        /// Give up after this long.
        timeout: DurationSpec,
    },
}

/// An approval request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Approval {
    /// Where `approval:` was written.
    #[serde(skip)]
    pub span: Span,
    /// Role that decides.
    pub role: String,
    /// What the reviewer is asked (may interpolate `${{ }}`).
    pub prompt: Option<Value>,
    /// Decisions offered (default `approve`, `reject`).
    pub options: Vec<String>,
    /// Time to decide.
    pub sla: Option<DurationSpec>,
    /// What happens when the SLA passes.
    pub on_timeout: OnTimeout,
    /// Decisions that need a reason (default `reject`).
    pub reason_required_on: Vec<String>,
}

/// What an approval does at its SLA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OnTimeout {
    /// Raise an exception item (the default).
    #[default]
    Escalate,
    /// Decide `approve`.
    Approve,
    /// Decide `reject`.
    Reject,
    /// Fail the step.
    Fail,
}
