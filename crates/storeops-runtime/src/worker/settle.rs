//! Advancing one held run as far as a round allows: folding in timers that
//! are due, recording approvals and exceptions as review items, ending the
//! run, and picking the step executions this round may perform (one per
//! walk: the run's `parallel` branches execute together). Pure apart from
//! reading the action registry; the worker does the I/O.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use storeops_engine::{Command, HistoryEvent, RunStatus, StepError, StepKind};
use storeops_store::NewItem;

use super::active::{Active, ChildCall};
use crate::actions::Registry;

/// A step attempt to execute this round.
#[derive(Debug)]
pub(crate) struct Job {
    /// Step id.
    pub step: String,
    /// Attempt.
    pub attempt: u32,
    /// Idempotency key.
    pub key: String,
    /// Action name.
    pub action: String,
    /// Resolved input.
    pub input: Value,
    /// Attempt timeout.
    pub timeout_ms: Option<u64>,
    /// No outside effect (pure, or written by the store in the commit): the
    /// run's next step may execute in the same round.
    pub chainable: bool,
}

/// Where a run stands after settling.
#[derive(Debug)]
pub(crate) enum Settled {
    /// Execute these now (one or more: one per walk of the run).
    Execute(Vec<Job>),
    /// A step is ready but must wait for this round's commit (or the
    /// workflow is paused): keep it due.
    Ready,
    /// Waiting for a timer (`Some`) or a person (`None`).
    Waiting(Option<DateTime<Utc>>),
    /// Terminal.
    Done,
}

/// What settling needs besides the run.
pub(crate) struct Env<'a> {
    /// The time.
    pub now: DateTime<Utc>,
    /// Actions.
    pub registry: &'a Registry,
    /// Whether a step may execute in this call.
    pub execute: bool,
    /// Whether the run's workflow is paused (hold at the step boundary).
    pub paused: bool,
}

/// Settles `run`; review items to create are appended to `items`.
pub(crate) fn settle(run: &mut Active, env: &Env<'_>, items: &mut Vec<NewItem>) -> Settled {
    let mut execute = env.execute && !env.paused;
    let mut jobs: Vec<Job> = Vec::new();
    loop {
        if run.state.status.is_terminal() {
            return Settled::Done;
        }
        let commands = storeops_engine::resume(&run.plan, &run.state);
        let mut due: Option<DateTime<Utc>> = None;
        let mut progressed = false;
        let mut ready = false;
        for command in commands {
            match command {
                Command::ScheduleStep {
                    step,
                    index,
                    attempt,
                    idempotency_key,
                    input_override,
                } => {
                    if jobs.iter().any(|j| j.step == step && j.attempt == attempt) {
                        continue;
                    }
                    if !execute {
                        ready = true;
                        continue;
                    }
                    let call = Call {
                        step: &step,
                        index,
                        attempt,
                        key: idempotency_key,
                        input_override,
                    };
                    match schedule(run, env, call) {
                        Scheduled::Job(job) => jobs.push(job),
                        Scheduled::Intent => ready = true,
                        Scheduled::Recorded => {
                            execute = false;
                            progressed = true;
                        }
                    }
                }
                Command::SetTimer { timer, fire_at } => {
                    if !run.timer_set(&timer) {
                        run.push(HistoryEvent::TimerSet {
                            timer: timer.clone(),
                            fire_at,
                        });
                    }
                    if fire_at <= env.now {
                        run.push(HistoryEvent::TimerFired { timer, at: env.now });
                        progressed = true;
                    } else {
                        due = Some(due.map_or(fire_at, |d| d.min(fire_at)));
                    }
                }
                Command::RequestApproval {
                    step,
                    role,
                    options,
                    idempotency_key,
                    due_at,
                } => {
                    if !run.requested(&step) {
                        run.push(HistoryEvent::ApprovalRequested {
                            step: step.clone(),
                            at: env.now,
                        });
                    }
                    if run.shadow {
                        let decision = options.first().cloned().unwrap_or_default();
                        run.push(HistoryEvent::ApprovalDecided {
                            step,
                            decision,
                            actor: "shadow".into(),
                            reason: Some(format!("shadow mode: would have asked a {role}")),
                            at: env.now,
                        });
                        progressed = true;
                    } else {
                        let title = format!("Approve step `{step}` of {}", run.plan.workflow);
                        let mut approval =
                            item(run, "approval", &idempotency_key, &step, &role, title);
                        approval.options = json!(options).to_string();
                        approval.due_at = due_at;
                        items.push(approval);
                    }
                }
                Command::Escalate {
                    step,
                    role,
                    idempotency_key,
                } => {
                    let title =
                        format!("Approval `{step}` of {} passed its SLA", run.plan.workflow);
                    let key = format!("{idempotency_key}#escalated");
                    items.push(item(run, "exception", &key, &step, &role, title));
                }
                Command::RaiseException {
                    step,
                    role,
                    error,
                    idempotency_key,
                } => {
                    let failures = run.state.failures.get(&step).copied().unwrap_or(0);
                    let key = format!("{idempotency_key}#failed{failures}");
                    let mut exception = item(run, "exception", &key, &step, &role, error);
                    exception.options = json!(["retry", "skip", "cancel"]).to_string();
                    items.push(exception);
                }
                // Stored with the commit (`links::wait_change`).
                Command::AwaitEvent { .. } => {}
                Command::StartChild {
                    step,
                    workflow,
                    input,
                    child_id,
                } => {
                    if !run.children.iter().any(|c| c.child_id == child_id) {
                        run.children.push(ChildCall {
                            step,
                            workflow,
                            input,
                            child_id,
                        });
                    }
                }
                Command::CompleteRun { output } => {
                    run.push(HistoryEvent::RunCompleted {
                        output,
                        at: env.now,
                    });
                    return Settled::Done;
                }
                Command::FailRun { error } => {
                    run.push(HistoryEvent::RunFailed { error, at: env.now });
                    return Settled::Done;
                }
                Command::CancelRun { reason } => {
                    run.push(HistoryEvent::RunCancelled {
                        reason,
                        at: env.now,
                    });
                    return Settled::Done;
                }
            }
            if progressed {
                break;
            }
        }
        if !progressed {
            return if !jobs.is_empty() {
                Settled::Execute(jobs)
            } else if ready {
                Settled::Ready
            } else if run.state.status == RunStatus::Running {
                Settled::Waiting(due)
            } else {
                Settled::Done
            };
        }
    }
}

/// What scheduling a step came to.
enum Scheduled {
    /// Execute it.
    Job(Job),
    /// Its intent was appended; it executes after the commit.
    Intent,
    /// Its result was recorded without executing (shadow, bad input,
    /// unknown action).
    Recorded,
}

/// One `ScheduleStep` command.
struct Call<'c> {
    step: &'c str,
    index: usize,
    attempt: u32,
    key: String,
    input_override: Option<Value>,
}

fn schedule(run: &mut Active, env: &Env<'_>, call: Call<'_>) -> Scheduled {
    let Call {
        step,
        index,
        attempt,
        key,
        input_override,
    } = call;
    let plan = std::sync::Arc::clone(&run.plan);
    let Some(StepKind::Action {
        action,
        side_effects,
        timeout_ms,
        with,
        ..
    }) = plan.step(index).map(|s| &s.kind)
    else {
        return fail(
            run,
            env,
            step,
            attempt,
            "invalid_plan",
            "not an action step".into(),
        );
    };
    let resolved = match input_override {
        Some(edited) => Ok(edited),
        None => storeops_engine::resolve_inputs(with, &run.state),
    };
    let input = match resolved {
        Ok(input) => input,
        Err(message) => return fail(run, env, step, attempt, "invalid_input", message),
    };
    let Some(handler) = env.registry.get(action) else {
        let message = format!("action `{action}` is not available in this build");
        return fail(run, env, step, attempt, "unknown_action", message);
    };
    if let Some(message) = input_mismatch(&handler.spec().input, &input) {
        return fail(run, env, step, attempt, "invalid_input", message);
    }
    let side_effects = *side_effects;
    if side_effects && run.shadow {
        run.push(HistoryEvent::StepCompleted {
            step: step.to_string(),
            attempt,
            output: json!({"shadow": true, "action": action, "input": input}),
            at: env.now,
        });
        return Scheduled::Recorded;
    }
    if side_effects && !handler.transactional() {
        // The intent must be committed before the effect: also when another
        // branch of the run settles it again within the round.
        if !run.has_intent(step, attempt) {
            run.push(HistoryEvent::StepScheduled {
                step: step.to_string(),
                attempt,
                at: env.now,
            });
            return Scheduled::Intent;
        }
        if run.intent_uncommitted(step, attempt) {
            return Scheduled::Intent;
        }
    }
    Scheduled::Job(Job {
        step: step.to_string(),
        attempt,
        key,
        action: action.clone(),
        input,
        timeout_ms: *timeout_ms,
        chainable: !side_effects || handler.transactional(),
    })
}

/// What is wrong with an evaluated input, every mismatch in one message.
pub(crate) fn input_mismatch(schema: &storeops_actions::Schema, input: &Value) -> Option<String> {
    let mismatches = schema.check(input);
    if mismatches.is_empty() {
        return None;
    }
    let all: Vec<String> = mismatches.into_iter().map(|m| m.message).collect();
    Some(all.join("; "))
}

fn fail(
    run: &mut Active,
    env: &Env<'_>,
    step: &str,
    attempt: u32,
    kind: &str,
    message: String,
) -> Scheduled {
    run.push(HistoryEvent::StepFailed {
        step: step.to_string(),
        attempt,
        error: StepError {
            kind: kind.to_string(),
            message,
            retryable: false,
        },
        at: env.now,
    });
    Scheduled::Recorded
}

/// A review item for `run`, with the run's context (no options, no due
/// time).
fn item(run: &Active, kind: &str, key: &str, step: &str, role: &str, title: String) -> NewItem {
    let context = json!({
        "input": run.state.input,
        "outputs": run.state.outputs,
        "failures": run.state.failures,
    });
    NewItem {
        key: key.to_string(),
        kind: kind.to_string(),
        run_id: run.id.clone(),
        workflow: run.plan.workflow.clone(),
        step: step.to_string(),
        role: role.to_string(),
        title,
        options: "[]".to_string(),
        context: context.to_string(),
        due_at: None,
    }
}
