//! The commands outstanding in a state: what a worker (re)issues after
//! every event and after a restart.

use crate::command::Command;
use crate::frames::{loop_index, path};
use crate::machine::idempotency_key_at;
use crate::plan::{Plan, StepKind};
use crate::state::{Awaiting, RunState, RunStatus};

/// The key of step `id` at the run's position.
fn key(state: &RunState, id: &str) -> String {
    idempotency_key_at(&state.run_id, id, &loop_index(state))
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
        step: path(state, &step.id),
        role: role.clone(),
        idempotency_key: key(state, &step.id),
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
            .map(|step| {
                let path = path(state, &step.id);
                Command::ScheduleStep {
                    input_override: state.overrides.get(&path).cloned(),
                    step: path,
                    index: *index,
                    attempt: *attempt,
                    idempotency_key: key(state, &step.id),
                }
            })
            .into_iter()
            .collect(),
        Some(Awaiting::Retry { timer, fire_at, .. } | Awaiting::Timer { timer, fire_at, .. }) => {
            vec![Command::SetTimer {
                timer: timer.clone(),
                fire_at: *fire_at,
            }]
        }
        Some(Awaiting::Event {
            index,
            timer,
            fire_at,
        }) => {
            let Some(step) = step_of(*index) else {
                return Vec::new();
            };
            let StepKind::WaitEvent {
                topic, predicate, ..
            } = &step.kind
            else {
                return Vec::new();
            };
            vec![
                Command::AwaitEvent {
                    step: path(state, &step.id),
                    topic: topic.clone(),
                    predicate: predicate.clone(),
                    timer: timer.clone(),
                    fire_at: *fire_at,
                    idempotency_key: key(state, &step.id),
                },
                Command::SetTimer {
                    timer: timer.clone(),
                    fire_at: *fire_at,
                },
            ]
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
                step: path(state, &step.id),
                role: role.clone(),
                options: options.clone(),
                idempotency_key: key(state, &step.id),
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
                        step: path(state, &step.id),
                        role: role.clone(),
                        error: error.clone(),
                        idempotency_key: key(state, &step.id),
                    })
            })
            .into_iter()
            .collect(),
        Some(Awaiting::Compensate { index, step, .. }) => vec![Command::ScheduleStep {
            step: step.clone(),
            index: *index,
            attempt: 1,
            idempotency_key: key(state, step),
            input_override: None,
        }],
        Some(Awaiting::Child {
            index,
            attempt,
            input,
        }) => {
            let Some(step) = step_of(*index) else {
                return Vec::new();
            };
            let StepKind::Call { workflow, .. } = &step.kind else {
                return Vec::new();
            };
            let mut child_id = key(state, &step.id);
            if *attempt > 1 {
                child_id.push_str(&format!("#{attempt}"));
            }
            vec![Command::StartChild {
                step: path(state, &step.id),
                workflow: workflow.clone(),
                input: input.clone(),
                child_id,
            }]
        }
        None => Vec::new(),
    }
}
