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
//!   operator retries it (one more attempt), skips it (it completes with
//!   `{"skipped": true}`) or cancels the run — and the run fails when not.
//! - A step whose `if:` does not hold is skipped (recorded in the state,
//!   no output); a condition that cannot be evaluated fails the run.
//! - A wait step sets a durable timer and completes when it fires.
//! - An approval step asks for a decision among its options (a review item
//!   keyed like a step execution) and sets its SLA timer; the first valid
//!   decision completes it. When the SLA passes first, `on_timeout` decides:
//!   approve or reject automatically, fail the run, or escalate (an
//!   exception item for the role) and keep waiting for a decision.
//! - Terminal events end the run; nothing is scheduled after them.
//! - [`resume`] re-derives the outstanding command from the state alone, so a
//!   worker restarted at any point reissues exactly what was in flight.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::backoff::delay_ms;
use crate::command::Command;
use crate::eval::condition;
use crate::history::{HistoryEvent, Resolution};
use crate::plan::{OnTimeout, Plan, PlanStep, StepKind};
use crate::state::{Awaiting, RunState, RunStatus};

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

/// A run failure decided now.
fn fail(error: String) -> Awaiting {
    Awaiting::Finish {
        output: None,
        error: Some(error),
        cancelled: false,
    }
}

fn millis(ms: u64) -> Duration {
    Duration::milliseconds(i64::try_from(ms).unwrap_or(i64::MAX))
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

/// A timer fired: a retry starts, a wait ends, or an approval's SLA passed.
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

/// What comes after step `done` (or the start, for `None`) at time `at`:
/// the next step whose `if:` holds (the others are recorded as skipped), or
/// the end of the run.
fn next_after(
    plan: &Plan,
    state: &mut RunState,
    done: Option<usize>,
    output: Value,
    at: DateTime<Utc>,
) -> Awaiting {
    let mut index = done.map_or(0, |i| i + 1);
    loop {
        let Some(step) = plan
            .step(index)
            .filter(|s| !state.outputs.contains_key(&s.id))
        else {
            return Awaiting::Finish {
                output: Some(output),
                error: None,
                cancelled: false,
            };
        };
        if let Some(source) = &step.condition {
            match condition(source, state) {
                Ok(true) => {}
                Ok(false) => {
                    state.skipped.insert(step.id.clone());
                    index += 1;
                    continue;
                }
                Err(e) => return fail(format!("the `if:` of step `{}` {e}", step.id)),
            }
        }
        return match &step.kind {
            StepKind::Action { .. } => Awaiting::Step { index, attempt: 1 },
            StepKind::Wait { duration_ms } => Awaiting::Timer {
                index,
                timer: format!("wait/{}", step.id),
                fire_at: at + millis(*duration_ms),
            },
            StepKind::Approval { sla_ms, .. } => Awaiting::Approval {
                index,
                sla: sla_ms.map(|ms| (format!("sla/{}", step.id), at + millis(ms))),
                escalated: false,
            },
        };
    }
}

/// The escalation command of an open approval.
fn escalation(plan: &Plan, state: &RunState) -> Option<Command> {
    let Some(Awaiting::Approval { index, .. }) = &state.awaiting else {
        return None;
    };
    let step = plan.step(*index)?;
    let StepKind::Approval { role, .. } = &step.kind else {
        return None;
    };
    Some(Command::Escalate {
        step: step.id.clone(),
        role: role.clone(),
        idempotency_key: idempotency_key(&state.run_id, &step.id),
    })
}

/// The commands outstanding in `state`: what a worker (re)issues. Every
/// command is idempotent for the shell (keyed), so reissuing is safe.
pub fn resume(plan: &Plan, state: &RunState) -> Vec<Command> {
    if state.status != RunStatus::Running {
        return Vec::new();
    }
    let step_of = |index: usize| plan.step(index);
    match &state.awaiting {
        Some(Awaiting::Step { index, attempt }) => step_of(*index)
            .map(|step| Command::ScheduleStep {
                step: step.id.clone(),
                index: *index,
                attempt: *attempt,
                idempotency_key: idempotency_key(&state.run_id, &step.id),
            })
            .into_iter()
            .collect(),
        Some(Awaiting::Retry { timer, fire_at, .. } | Awaiting::Timer { timer, fire_at, .. }) => {
            vec![Command::SetTimer {
                timer: timer.clone(),
                fire_at: *fire_at,
            }]
        }
        Some(Awaiting::Approval {
            index,
            sla,
            escalated,
        }) => {
            let Some(step) = step_of(*index) else {
                return Vec::new();
            };
            let StepKind::Approval { role, options, .. } = &step.kind else {
                return Vec::new();
            };
            let mut commands = vec![Command::RequestApproval {
                step: step.id.clone(),
                role: role.clone(),
                options: options.clone(),
                idempotency_key: idempotency_key(&state.run_id, &step.id),
            }];
            if *escalated {
                commands.extend(escalation(plan, state));
            }
            if let Some((timer, fire_at)) = sla {
                commands.push(Command::SetTimer {
                    timer: timer.clone(),
                    fire_at: *fire_at,
                });
            }
            commands
        }
        Some(Awaiting::Finish {
            output: Some(output),
            ..
        }) => vec![Command::CompleteRun {
            output: output.clone(),
        }],
        Some(Awaiting::Finish {
            error,
            cancelled: true,
            ..
        }) => vec![Command::CancelRun {
            reason: error.clone().unwrap_or_else(|| "cancelled".to_string()),
        }],
        Some(Awaiting::Finish { error, .. }) => vec![Command::FailRun {
            error: error.clone().unwrap_or_else(|| "failed".to_string()),
        }],
        Some(Awaiting::Exception { index, error, .. }) => step_of(*index)
            .and_then(|step| {
                step.exception_role
                    .as_ref()
                    .map(|role| Command::RaiseException {
                        step: step.id.clone(),
                        role: role.clone(),
                        error: error.clone(),
                        idempotency_key: idempotency_key(&state.run_id, &step.id),
                    })
            })
            .into_iter()
            .collect(),
        None => Vec::new(),
    }
}

/// The state after `history` (commands ignored): how a run is rebuilt.
pub fn fold<'a>(plan: &Plan, history: impl IntoIterator<Item = &'a HistoryEvent>) -> RunState {
    history
        .into_iter()
        .fold(RunState::new(), |state, event| apply(plan, state, event).0)
}
