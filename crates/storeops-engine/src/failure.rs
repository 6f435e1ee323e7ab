//! Failures: what follows a failed step attempt (a retry timer, the
//! exception queue, a compensation step, or the run's failure), what a
//! compensation's result does, and how a step is (re)started by an
//! operator's retry.

use crate::backoff::delay_ms;
use crate::frames::{loop_index, path};
use crate::history::StepError;
use crate::inputs::resolve_inputs;
use crate::machine::idempotency_key_at;
use crate::plan::{Plan, PlanStep, StepKind};
use crate::state::{Awaiting, RunState};
use crate::walk::{fail, millis};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Attempt `attempt` of step `index` failed with `error` at `at`.
pub(crate) fn step_failed(
    plan: &Plan,
    state: &mut RunState,
    index: usize,
    attempt: u32,
    error: &StepError,
    at: DateTime<Utc>,
) -> Awaiting {
    let id = plan.step(index).map(|s| s.id.clone()).unwrap_or_default();
    let step = path(state, &id);
    *state.failures.entry(step.clone()).or_default() += 1;
    let policy = plan.step(index).map(PlanStep::retry).unwrap_or_default();
    if error.retryable && attempt < policy.attempts {
        let next = attempt + 1;
        let key = idempotency_key_at(&state.run_id, &id, &loop_index(state));
        Awaiting::Retry {
            index,
            attempt: next,
            timer: format!("retry/{step}/{next}"),
            fire_at: at + millis(delay_ms(&policy, &key, next)),
        }
    } else {
        let message = format!(
            "step `{step}` failed after {attempt} attempt(s): {}: {}",
            error.kind, error.message
        );
        failed_for_good(plan, state, index, attempt, message)
    }
}

/// Step `index` failed for good: to the exception queue (with a role), to
/// its compensation step (with `on_error: compensate`), or the run fails.
pub(crate) fn failed_for_good(
    plan: &Plan,
    state: &RunState,
    index: usize,
    attempt: u32,
    message: String,
) -> Awaiting {
    let Some(step) = plan.step(index) else {
        return fail(message);
    };
    if step.exception_role.is_some() {
        return Awaiting::Exception {
            index,
            attempt,
            error: message,
        };
    }
    match step.compensate.as_ref().and_then(|c| plan.index_of(c)) {
        Some(compensation) => Awaiting::Compensate {
            index: compensation,
            step: format!("{}@{}", plan.steps[compensation].id, path(state, &step.id)),
            error: message,
        },
        None => fail(message),
    }
}

/// The compensation the run awaits, when `step` is it: its plan step id
/// and the original failure.
pub(crate) fn awaited_compensation(
    plan: &Plan,
    state: &RunState,
    step: &str,
    attempt: u32,
) -> Option<(String, String)> {
    match &state.awaiting {
        Some(Awaiting::Compensate {
            index,
            step: awaited,
            error,
        }) if awaited == step && attempt == 1 => {
            Some((plan.step(*index)?.id.clone(), error.clone()))
        }
        _ => None,
    }
}

/// The run's failure after compensation `id` ran (`Err`: and failed).
pub(crate) fn compensated(id: &str, error: &str, outcome: Result<(), &StepError>) -> Awaiting {
    fail(match outcome {
        Ok(()) => format!("{error}; compensated by `{id}`"),
        Err(e) => format!(
            "{error}; compensation `{id}` failed too: {}: {}",
            e.kind, e.message
        ),
    })
}

/// Attempt `attempt` of step `index` again (an operator's retry): a call
/// starts a new child with `input` (or its `with:` evaluated again).
pub(crate) fn restart(
    plan: &Plan,
    state: &RunState,
    index: usize,
    attempt: u32,
    input: Option<Value>,
) -> Awaiting {
    match plan.step(index).map(|s| &s.kind) {
        Some(StepKind::Call { with, .. }) => {
            match input.map_or_else(|| resolve_inputs(with, state), Ok) {
                Ok(input) => Awaiting::Child {
                    index,
                    attempt,
                    input,
                },
                Err(e) => fail(format!(
                    "the inputs of call step `{}`: {e}",
                    plan.steps[index].id
                )),
            }
        }
        _ => Awaiting::Step { index, attempt },
    }
}
