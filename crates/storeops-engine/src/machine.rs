//! The transition function. Rules, each enforced here and tested:
//!
//! - A step is scheduled only after the previous step's output is in the
//!   history; a completed step is never scheduled again (a duplicate or late
//!   `StepCompleted`/`StepFailed` for anything but the awaited attempt is
//!   ignored).
//! - Every execution of a step carries the same idempotency key
//!   (`<run id>/<step id>/<loop index>`) across attempts, so a side effect
//!   retried after a crash is recognised by a target that honours keys.
//! - A retryable failure with attempts left sets a durable timer (exponential
//!   back-off with deterministic jitter). Otherwise the step goes to the
//!   exception queue when it has an exception role — the run waits until an
//!   operator retries it (one more attempt), retries it with an edited input
//!   (recorded in `RunState::overrides` and given to the shell in
//!   `ScheduleStep::input_override` for every later attempt), skips it (it
//!   completes with `{"skipped": true}`) or cancels the run — and the run
//!   fails when not.
//! - A step whose `if:` does not hold is skipped (recorded in the state,
//!   no output); a condition that cannot be evaluated fails the run.
//! - A `switch` step completes as soon as it is reached with the case that
//!   holds (decided in `walk.rs`); steps of the other branches are skipped.
//! - A wait step sets a durable timer and completes when it fires. A wait
//!   for an event completes with the first `EventMatched` for it, or with
//!   `{"timed_out": true}` when its timeout timer fires first.
//! - An approval step asks for a decision among its options (a review item
//!   keyed like a step execution) and sets its SLA timer; the first valid
//!   decision completes it. When the SLA passes first, `on_timeout` decides:
//!   approve or reject automatically, fail the run, or escalate (an
//!   exception item for the role) and keep waiting for a decision.
//! - Terminal events end the run; nothing is scheduled after them.
//! - [`resume`] re-derives the outstanding command from the state alone, so a
//!   worker restarted at any point reissues exactly what was in flight.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::backoff::delay_ms;
use crate::command::Command;
use crate::history::{HistoryEvent, Resolution};
use crate::plan::{OnTimeout, Plan, PlanStep, StepKind};
pub use crate::resume::resume;
use crate::state::{Awaiting, RunState, RunStatus};
use crate::walk::{fail, millis, next_after};

/// The idempotency key of step `step` of run `run_id` (loop index 0 until
/// loops exist).
pub fn idempotency_key(run_id: &str, step: &str) -> String {
    format!("{run_id}/{step}/0")
}

/// Applies one history event; returns the new state and the commands it
/// implies. Pure and deterministic.
pub fn apply(plan: &Plan, state: RunState, event: &HistoryEvent) -> (RunState, Vec<Command>) {
    let mut state = state;
    if state.status.is_terminal() {
        return (state, Vec::new());
    }
    let awaiting = match event {
        HistoryEvent::RunStarted {
            run_id,
            workflow,
            version,
            input,
            at,
        } => {
            if state.status != RunStatus::NotStarted {
                return (state, Vec::new());
            }
            state.run_id = run_id.clone();
            state.workflow = workflow.clone();
            state.version = version.clone();
            state.input = input.clone();
            state.status = RunStatus::Running;
            Some(next_after(plan, &mut state, None, input.clone(), *at))
        }
        HistoryEvent::StepCompleted {
            step,
            attempt,
            output,
            at,
        } => awaited_step(plan, &state, step, *attempt)
            .map(|index| complete(plan, &mut state, index, output.clone(), *at)),
        HistoryEvent::StepFailed {
            step,
            attempt,
            error,
            at,
        } => awaited_step(plan, &state, step, *attempt).map(|index| {
            *state.failures.entry(step.clone()).or_default() += 1;
            let policy = plan.step(index).map(PlanStep::retry).unwrap_or_default();
            if error.retryable && *attempt < policy.attempts {
                let next = attempt + 1;
                let delay = delay_ms(&policy, &idempotency_key(&state.run_id, step), next);
                Awaiting::Retry {
                    index,
                    attempt: next,
                    timer: format!("retry/{step}/{next}"),
                    fire_at: *at + millis(delay),
                }
            } else {
                let message = format!(
                    "step `{step}` failed after {attempt} attempt(s): {}: {}",
                    error.kind, error.message
                );
                match plan.step(index).and_then(|s| s.exception_role.as_ref()) {
                    Some(_) => Awaiting::Exception {
                        index,
                        attempt: *attempt,
                        error: message,
                    },
                    None => fail(message),
                }
            }
        }),
        HistoryEvent::ExceptionResolved {
            step,
            resolution,
            actor,
            reason,
            at,
        } => match state.awaiting.clone() {
            Some(Awaiting::Exception { index, attempt, .. })
                if plan.step(index).is_some_and(|s| s.id == *step) =>
            {
                Some(match resolution {
                    Resolution::Retry => Awaiting::Step {
                        index,
                        attempt: attempt + 1,
                    },
                    Resolution::RetryWith { input } => {
                        state.overrides.insert(step.clone(), input.clone());
                        Awaiting::Step {
                            index,
                            attempt: attempt + 1,
                        }
                    }
                    Resolution::Skip => {
                        let output = json!({"skipped": true, "actor": actor, "reason": reason});
                        complete(plan, &mut state, index, output, *at)
                    }
                    Resolution::Cancel => Awaiting::Finish {
                        output: None,
                        error: Some(format!(
                            "{actor} cancelled the run at step `{step}`{}",
                            reason
                                .as_deref()
                                .map(|r| format!(": {r}"))
                                .unwrap_or_default()
                        )),
                        cancelled: true,
                    },
                })
            }
            _ => None,
        },
        HistoryEvent::TimerFired { timer, at } => timer_fired(plan, &mut state, timer, *at),
        HistoryEvent::EventMatched { step, event, at } => match state.awaiting {
            Some(Awaiting::Event { index, .. })
                if plan.step(index).is_some_and(|s| s.id == *step) =>
            {
                let output = json!({"timed_out": false, "event": event});
                Some(complete(plan, &mut state, index, output, *at))
            }
            _ => None,
        },
        HistoryEvent::ApprovalDecided {
            step,
            decision,
            actor,
            reason,
            at,
        } => match (&state.awaiting, plan_index(plan, step)) {
            (Some(Awaiting::Approval { index, .. }), Some(found))
                if *index == found && allows(plan, found, decision) =>
            {
                let output = json!({"decision": decision, "actor": actor, "reason": reason});
                Some(complete(plan, &mut state, found, output, *at))
            }
            _ => None,
        },
        HistoryEvent::RunCompleted { output, .. } => {
            state.status = RunStatus::Completed;
            state.output = Some(output.clone());
            state.awaiting = None;
            return (state, Vec::new());
        }
        HistoryEvent::RunFailed { error, .. } => {
            state.status = RunStatus::Failed;
            state.error = Some(error.clone());
            state.awaiting = None;
            return (state, Vec::new());
        }
        HistoryEvent::RunCancelled { reason, .. } => {
            state.status = RunStatus::Cancelled;
            state.error = Some(reason.clone());
            state.awaiting = None;
            return (state, Vec::new());
        }
        // Markers: intents and timers being set change nothing the machine
        // decides on.
        HistoryEvent::StepScheduled { .. }
        | HistoryEvent::TimerSet { .. }
        | HistoryEvent::ApprovalRequested { .. } => None,
    };
    match awaiting {
        Some(next) => {
            state.awaiting = Some(next);
            let commands = resume(plan, &state);
            (state, commands)
        }
        None => (state, Vec::new()),
    }
}

fn plan_index(plan: &Plan, step: &str) -> Option<usize> {
    plan.index_of(step)
}

/// Whether `decision` is one of the options of approval step `index`.
fn allows(plan: &Plan, index: usize, decision: &str) -> bool {
    matches!(plan.step(index).map(|s| &s.kind), Some(StepKind::Approval { options, .. }) if options.iter().any(|o| o == decision))
}

/// Records step `index` as completed with `output`; what comes next.
fn complete(
    plan: &Plan,
    state: &mut RunState,
    index: usize,
    output: Value,
    at: DateTime<Utc>,
) -> Awaiting {
    if let Some(step) = plan.step(index) {
        state.outputs.insert(step.id.clone(), output.clone());
    }
    next_after(plan, state, Some(index), output, at)
}

/// A timer fired: a retry starts, a wait ends, an event wait times out, or
/// an approval's SLA passed.
fn timer_fired(
    plan: &Plan,
    state: &mut RunState,
    timer: &str,
    at: DateTime<Utc>,
) -> Option<Awaiting> {
    match state.awaiting.clone()? {
        Awaiting::Retry {
            index,
            attempt,
            timer: awaited,
            ..
        } if awaited == timer => Some(Awaiting::Step { index, attempt }),
        Awaiting::Timer {
            index,
            timer: awaited,
            fire_at,
        } if awaited == timer => Some(complete(
            plan,
            state,
            index,
            json!({"waited_until": fire_at}),
            at,
        )),
        Awaiting::Event {
            index,
            timer: awaited,
            ..
        } if awaited == timer => Some(complete(plan, state, index, json!({"timed_out": true}), at)),
        Awaiting::Approval {
            index,
            sla: Some((awaited, _)),
            ..
        } if awaited == timer => {
            let Some(StepKind::Approval { on_timeout, .. }) = plan.step(index).map(|s| &s.kind)
            else {
                return None;
            };
            let step = plan.step(index).map(|s| s.id.clone()).unwrap_or_default();
            let decided = |decision: &str| json!({"decision": decision, "actor": "sla", "reason": "SLA passed"});
            Some(match on_timeout {
                OnTimeout::Approve => complete(plan, state, index, decided("approve"), at),
                OnTimeout::Reject => complete(plan, state, index, decided("reject"), at),
                OnTimeout::Fail => {
                    fail(format!("approval `{step}` was not decided within its SLA"))
                }
                OnTimeout::Escalate => Awaiting::Approval {
                    index,
                    sla: None,
                    escalated: true,
                },
            })
        }
        _ => None,
    }
}

/// The plan index of `step` when it is the attempt the run awaits.
fn awaited_step(plan: &Plan, state: &RunState, step: &str, attempt: u32) -> Option<usize> {
    match state.awaiting {
        Some(Awaiting::Step {
            index,
            attempt: awaited,
        }) if awaited == attempt && plan.step(index).is_some_and(|s| s.id == step) => Some(index),
        _ => None,
    }
}

/// The state after `history` (commands ignored): how a run is rebuilt.
pub fn fold<'a>(plan: &Plan, history: impl IntoIterator<Item = &'a HistoryEvent>) -> RunState {
    history
        .into_iter()
        .fold(RunState::new(), |state, event| apply(plan, state, event).0)
}
