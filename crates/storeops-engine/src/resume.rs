//! The commands outstanding in a state: what a worker (re)issues after
//! every event and after a restart.

use crate::command::Command;
use crate::machine::idempotency_key;
use crate::plan::{Plan, StepKind};
use crate::state::{Awaiting, RunState, RunStatus};

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
                input_override: state.overrides.get(&step.id).cloned(),
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
                    step: step.id.clone(),
                    topic: topic.clone(),
                    predicate: predicate.clone(),
                    timer: timer.clone(),
                    fire_at: *fire_at,
                    idempotency_key: idempotency_key(&state.run_id, &step.id),
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
