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
//! - A `foreach` evaluates its items when reached (more than `max` fails
//!   the run) and runs its body once per item, sequentially, with `item`
//!   and `index` in scope; body steps appear in the history as
//!   `<step>[<index>]` and their keys carry the index. It completes with
//!   the list of each iteration's last output (`null` when none ran).
//! - A `parallel` runs its branches concurrently: each walks on its own
//!   strand (`strands.rs`), so the first steps of all branches are
//!   outstanding at once, and an event concerns the one walk awaiting it.
//!   It completes, once every branch has ended, with the list of each
//!   branch's last output in branch order (`null` for a branch where no
//!   step ran); a branch step failing for good fails the run and ends the
//!   other branches (or goes to its exception role, while the other
//!   branches go on).
//! - A step with `on_error: compensate` that fails for good runs the
//!   compensation step once (as `<compensation>@<step>`, one attempt) and
//!   the run then fails with the original error (and the compensation's).
//! - A `call` starts a child run (`StartChild`, keyed by child id) and
//!   completes with its output when `ChildFinished` says it completed; a
//!   failed or cancelled child is a non-retryable `child_failed` failure.
//! - Terminal events end the run; nothing is scheduled after them.
//! - [`resume`] re-derives the outstanding command from the state alone, so a
//!   worker restarted at any point reissues exactly what was in flight.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::command::Command;
use crate::failure::{awaited_compensation, compensated, failed_for_good, restart, step_failed};
use crate::frames::path;
use crate::history::{HistoryEvent, Resolution};
use crate::plan::{OnTimeout, Plan, StepKind};
pub use crate::resume::resume;
use crate::state::{Awaiting, RunState, RunStatus};
use crate::strands::{self, with_cursor};
use crate::walk::{fail, next_after};

/// The idempotency key of step `step` of run `run_id` outside loops
/// (loop index 0).
pub fn idempotency_key(run_id: &str, step: &str) -> String {
    idempotency_key_at(run_id, step, "0")
}

/// The idempotency key of step `step` of run `run_id` at `loop_index`
/// (`0` outside loops, the iteration inside a `foreach`, `1.2` nested):
/// `<run id>/<step id>/<loop index>`.
pub fn idempotency_key_at(run_id: &str, step: &str, loop_index: &str) -> String {
    format!("{run_id}/{step}/{loop_index}")
}

/// Applies one history event; returns the new state and the commands it
/// implies. Pure and deterministic. An event concerns at most one cursor
/// (the top level or one `parallel` branch): the one awaiting it.
pub fn apply(plan: &Plan, state: RunState, event: &HistoryEvent) -> (RunState, Vec<Command>) {
    let mut state = state;
    if state.status.is_terminal() {
        return (state, Vec::new());
    }
    let (status, error) = match event {
        HistoryEvent::RunCompleted { output, .. } => {
            state.output = Some(output.clone());
            (RunStatus::Completed, None)
        }
        HistoryEvent::RunFailed { error, .. } => (RunStatus::Failed, Some(error)),
        HistoryEvent::RunCancelled { reason, .. } => (RunStatus::Cancelled, Some(reason)),
        _ => {
            let strands = state.strands.len();
            let moved = std::iter::once(None)
                .chain((0..strands).map(Some))
                .any(|slot| {
                    with_cursor(&mut state, slot, |s| match decide(plan, s, event) {
                        Some(next) => {
                            s.awaiting = Some(next);
                            true
                        }
                        None => false,
                    })
                });
            if !moved {
                return (state, Vec::new());
            }
            if let Some(at) = event.at() {
                strands::settle(plan, &mut state, at);
            }
            let commands = resume(plan, &state);
            return (state, commands);
        }
    };
    state.status = status;
    state.error = error.cloned();
    state.awaiting = None;
    state.strands.clear();
    (state, Vec::new())
}

/// What the cursor in the top-level slot awaits after `event`, when the
/// event is for it (`None`: not for it, or a marker).
fn decide(plan: &Plan, state: &mut RunState, event: &HistoryEvent) -> Option<Awaiting> {
    match event {
        HistoryEvent::RunStarted {
            run_id,
            workflow,
            version,
            input,
            at,
            variant,
            parent,
        } => {
            if state.status != RunStatus::NotStarted {
                return None;
            }
            if let Some(assignment) = variant {
                state.variant = Some(assignment.name.clone());
                state.vars = assignment.vars.clone();
            }
            state.parent = parent.as_ref().map(|p| (p.run_id.clone(), p.step.clone()));
            state.run_id = run_id.clone();
            state.workflow = workflow.clone();
            state.version = version.clone();
            state.input = input.clone();
            state.status = RunStatus::Running;
            Some(next_after(plan, state, None, input.clone(), *at))
        }
        HistoryEvent::StepCompleted {
            step,
            attempt,
            output,
            at,
        } => match awaited_compensation(plan, state, step, *attempt) {
            Some((id, error)) => Some(compensated(&id, &error, Ok(()))),
            None => awaited_step(plan, state, step, *attempt)
                .map(|index| complete(plan, state, index, output.clone(), *at)),
        },
        HistoryEvent::StepFailed {
            step,
            attempt,
            error,
            at,
        } => match awaited_compensation(plan, state, step, *attempt) {
            Some((id, original)) => Some(compensated(&id, &original, Err(error))),
            None => awaited_step(plan, state, step, *attempt)
                .map(|index| step_failed(plan, state, index, *attempt, error, *at)),
        },
        HistoryEvent::ChildFinished {
            step,
            status,
            output,
            error,
            at,
        } => match state.awaiting.clone() {
            Some(Awaiting::Child { index, attempt, .. }) if is_at(plan, state, index, step) => {
                Some(if *status == RunStatus::Completed {
                    complete(plan, state, index, output.clone(), *at)
                } else {
                    *state.failures.entry(step.clone()).or_default() += 1;
                    let ended = if *status == RunStatus::Cancelled {
                        "was cancelled"
                    } else {
                        "failed"
                    };
                    let why = error
                        .as_deref()
                        .map(|e| format!(": {e}"))
                        .unwrap_or_default();
                    let message = format!(
                        "step `{step}` failed after {attempt} attempt(s): child_failed: the child run {ended}{why}"
                    );
                    failed_for_good(plan, state, index, attempt, message)
                })
            }
            _ => None,
        },
        HistoryEvent::ExceptionResolved {
            step,
            resolution,
            actor,
            reason,
            at,
        } => match state.awaiting.clone() {
            Some(Awaiting::Exception { index, attempt, .. }) if is_at(plan, state, index, step) => {
                Some(match resolution {
                    Resolution::Retry => restart(plan, state, index, attempt + 1, None),
                    Resolution::RetryWith { input } => {
                        state.overrides.insert(step.clone(), input.clone());
                        restart(plan, state, index, attempt + 1, Some(input.clone()))
                    }
                    Resolution::Skip => {
                        let output = json!({"skipped": true, "actor": actor, "reason": reason});
                        complete(plan, state, index, output, *at)
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
        HistoryEvent::TimerFired { timer, at } => timer_fired(plan, state, timer, *at),
        HistoryEvent::EventMatched { step, event, at } => match state.awaiting {
            Some(Awaiting::Event { index, .. }) if is_at(plan, state, index, step) => {
                let output = json!({"timed_out": false, "event": event});
                Some(complete(plan, state, index, output, *at))
            }
            _ => None,
        },
        HistoryEvent::ApprovalDecided {
            step,
            decision,
            actor,
            reason,
            at,
        } => match state.awaiting {
            Some(Awaiting::Approval { index, .. })
                if is_at(plan, state, index, step) && allows(plan, index, decision) =>
            {
                let output = json!({"decision": decision, "actor": actor, "reason": reason});
                Some(complete(plan, state, index, output, *at))
            }
            _ => None,
        },
        // Markers: intents, timers being set and migrations change nothing
        // the machine decides on; terminal events are applied by `apply`.
        HistoryEvent::StepScheduled { .. }
        | HistoryEvent::TimerSet { .. }
        | HistoryEvent::ApprovalRequested { .. }
        | HistoryEvent::RunMigrated { .. }
        | HistoryEvent::RunCompleted { .. }
        | HistoryEvent::RunFailed { .. }
        | HistoryEvent::RunCancelled { .. } => None,
    }
}

/// Whether step `index` has the history id `step` at the run's position.
fn is_at(plan: &Plan, state: &RunState, index: usize, step: &str) -> bool {
    plan.step(index).is_some_and(|s| path(state, &s.id) == step)
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
        let path = path(state, &step.id);
        if path != step.id {
            state.outputs.insert(path, output.clone());
        }
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
            let step = plan
                .step(index)
                .map(|s| path(state, &s.id))
                .unwrap_or_default();
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
        }) if awaited == attempt && is_at(plan, state, index, step) => Some(index),
        _ => None,
    }
}

/// The state after `history` (commands ignored): how a run is rebuilt.
pub fn fold<'a>(plan: &Plan, history: impl IntoIterator<Item = &'a HistoryEvent>) -> RunState {
    history
        .into_iter()
        .fold(RunState::new(), |state, event| apply(plan, state, event).0)
}
