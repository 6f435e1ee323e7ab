//! The executable form of a workflow definition: what the state machine
//! walks. Compiled from the YAML definition; pinned by its content hash.

use serde::{Deserialize, Serialize};

/// Retry policy of a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// Attempts in all (1 = no retry).
    pub attempts: u32,
    /// Delay before the second attempt, in milliseconds.
    pub initial_ms: u64,
    /// Factor applied to the delay per further attempt.
    pub multiplier: f64,
    /// Upper bound of a delay, in milliseconds.
    pub max_delay_ms: u64,
    /// Whether delays get up to ±20 % deterministic jitter.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            attempts: 3,
            initial_ms: 1_000,
            multiplier: 2.0,
            max_delay_ms: 60_000,
            jitter: true,
        }
    }
}

/// What an approval does when its SLA passes without a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnTimeout {
    /// Raise it to the next level (an exception item); keep waiting.
    Escalate,
    /// Decide `approve` automatically.
    Approve,
    /// Decide `reject` automatically.
    Reject,
    /// Fail the run.
    Fail,
}

/// What a step does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepKind {
    /// Run an action.
    Action {
        /// Action name (`core.set`, `http.request`, …).
        action: String,
        /// Whether the action changes the outside world (shadow mode records
        /// instead of executing).
        side_effects: bool,
        /// Retry policy.
        retry: RetryPolicy,
        /// Longest an attempt may take, enforced by the shell (a timeout is a
        /// retryable `timeout` failure).
        #[serde(default)]
        timeout_ms: Option<u64>,
        /// The `with:` inputs as written (literals and `${{ }}` expressions),
        /// evaluated by the shell when the step runs.
        #[serde(default)]
        with: serde_json::Value,
    },
    /// Wait for a duration (a durable timer; the run holds no thread).
    Wait {
        /// How long, in milliseconds.
        duration_ms: u64,
    },
    /// Ask a person with `role` to decide.
    Approval {
        /// Least role that may decide.
        role: String,
        /// Allowed decisions (`approve`, `reject`, …).
        options: Vec<String>,
        /// Time to decide, in milliseconds.
        sla_ms: Option<u64>,
        /// What happens when the SLA passes.
        on_timeout: OnTimeout,
    },
    /// `switch:` — evaluated by the machine when reached (pure, like `if:`):
    /// completes at once with `{"case": <index>}` for the first case whose
    /// `when` holds, `{"case": "default"}`, or `{"case": null}` when none
    /// holds and there is no default. The case steps follow it in the plan,
    /// each with a [`Guard`] naming this step and its case.
    Switch {
        /// The cases' `when` (CEL), in order.
        cases: Vec<String>,
        /// Whether there is a `default:` branch.
        #[serde(default)]
        default: bool,
    },
    /// `wait: { event }` — waits until the shell appends `EventMatched` (an
    /// event on `topic` satisfying `predicate`, see
    /// [`crate::eval::event_matches`]) or the timeout timer fires (then it
    /// completes with `{"timed_out": true}`).
    WaitEvent {
        /// Event topic.
        topic: String,
        /// CEL over `event` (the incoming event) and the run's variables.
        predicate: String,
        /// Longest wait, in milliseconds.
        timeout_ms: u64,
    },
    /// `foreach:` — `items` (CEL, a list) is evaluated when the step is
    /// reached; the `body` plan steps that follow it run once per item, in
    /// order (sequentially), with `item` and `index` in scope. Completes
    /// with the list of each iteration's last output.
    Foreach {
        /// The list to iterate (CEL).
        items: String,
        /// Most items allowed; more fail the run.
        max: usize,
        /// How many plan steps after this one form the body.
        body: usize,
    },
    /// `parallel:` — the branches (consecutive runs of plan steps after
    /// this one, of these lengths) run one after the other, each to its
    /// end; completes with the list of each branch's last output.
    Parallel {
        /// The number of plan steps of each branch, in order.
        branches: Vec<usize>,
    },
    /// `call:` — starts a child run of `workflow` with `with:` evaluated
    /// (see [`crate::Command::StartChild`]) and completes with its output.
    Call {
        /// The called workflow.
        workflow: String,
        /// The `with:` inputs as written.
        #[serde(default)]
        with: serde_json::Value,
    },
}

/// Which branch of a `switch` a step belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guard {
    /// Id of the switch step.
    pub switch: String,
    /// Index of the case, or `None` for the `default` branch.
    pub case: Option<usize>,
}

impl Guard {
    /// Whether the step runs given the switch's output (`None` when the
    /// switch itself did not run).
    pub fn holds(&self, switch_output: Option<&serde_json::Value>) -> bool {
        let chosen = switch_output.and_then(|o| o.get("case"));
        match (self.case, chosen) {
            (Some(case), Some(chosen)) => chosen.as_u64() == u64::try_from(case).ok(),
            (None, Some(chosen)) => chosen.as_str() == Some("default"),
            (_, None) => false,
        }
    }
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanStep {
    /// Step id, unique in the plan.
    pub id: String,
    /// What it does.
    #[serde(flatten)]
    pub kind: StepKind,
    /// Where a step that failed for good goes: `Some(role)` routes it to the
    /// exception queue for that role (the run waits for an operator);
    /// `None` fails the run.
    #[serde(default)]
    pub exception_role: Option<String>,
    /// `if:` — CEL that must hold for the step to run; when it does not,
    /// the step is skipped (see [`crate::eval`]).
    #[serde(default)]
    pub condition: Option<String>,
    /// The `switch` branch the step is in (checked before `condition`): a
    /// step outside the chosen branch is skipped.
    #[serde(default)]
    pub guard: Option<Guard>,
    /// `on_error: { compensate }` — the action step run (once) when this
    /// step fails for good, before the run fails.
    #[serde(default)]
    pub compensate: Option<String>,
}

impl PlanStep {
    /// The retry policy (actions only; other steps are not retried).
    pub fn retry(&self) -> RetryPolicy {
        match &self.kind {
            StepKind::Action { retry, .. } => retry.clone(),
            _ => RetryPolicy {
                attempts: 1,
                ..RetryPolicy::default()
            },
        }
    }
}

/// A workflow version, ready to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Workflow name.
    pub workflow: String,
    /// Content hash of the definition this plan was compiled from.
    pub version: String,
    /// Steps, executed in order.
    pub steps: Vec<PlanStep>,
    /// Trigger, scope and variants.
    #[serde(default)]
    pub launch: crate::launch::Launch,
}

impl Plan {
    /// The step at `index`, if any.
    pub fn step(&self, index: usize) -> Option<&PlanStep> {
        self.steps.get(index)
    }

    /// How many plan steps after step `index` belong to it (a `foreach`
    /// body or `parallel` branches; 0 for every other step).
    pub fn nested(&self, index: usize) -> usize {
        match self.step(index).map(|s| &s.kind) {
            Some(StepKind::Foreach { body, .. }) => *body,
            Some(StepKind::Parallel { branches }) => branches.iter().sum(),
            _ => 0,
        }
    }

    /// Index of the step with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.id == id)
    }
}
