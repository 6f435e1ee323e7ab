//! The commands outstanding in a state: what a worker (re)issues after
//! every event and after a restart — those of the top-level walk, then
//! those of each `parallel` branch in progress, in plan order.

use crate::command::Command;
use crate::frames::{loop_index_in, path_in};
use crate::machine::idempotency_key_at;
use crate::plan::{Plan, StepKind};
use crate::state::{Awaiting, Frame, RunState, RunStatus};
use crate::strands::in_plan_order;

/// One walk of a run: its frames and what it awaits.
struct Cursor<'s> {
    state: &'s RunState,
    frames: &'s [Frame],
}

impl Cursor<'_> {
    /// The history id of step `id` on this walk.
    fn path(&self, id: &str) -> String {
        path_in(self.frames, id)
    }

    /// The key of step `id` on this walk.
    fn key(&self, id: &str) -> String {
        idempotency_key_at(&self.state.run_id, id, &loop_index_in(self.frames))
    }
}

/// The commands outstanding in `state`: what a worker (re)issues. Every
/// command is idempotent for the shell (keyed), so reissuing is safe.
pub fn resume(plan: &Plan, state: &RunState) -> Vec<Command> {
    if state.status != RunStatus::Running {
        return Vec::new();
    }
    let top = Cursor {
        state,
        frames: &state.frames,
    };
    let mut commands = outstanding(plan, &top, state.awaiting.as_ref());
    for strand in in_plan_order(state) {
        let cursor = Cursor {
            state,
            frames: &strand.frames,
        };
        commands.extend(outstanding(plan, &cursor, strand.awaiting.as_ref()));
    }
    commands
}

/// The commands outstanding on one walk awaiting `awaiting`.
fn outstanding(plan: &Plan, cursor: &Cursor<'_>, awaiting: Option<&Awaiting>) -> Vec<Command> {
    let state = cursor.state;
    let step_of = |index: usize| plan.step(index);
    match awaiting {
        Some(Awaiting::Step { index, attempt }) => step_of(*index)
            .map(|step| {
                let path = cursor.path(&step.id);
                Command::ScheduleStep {
                    input_override: state.overrides.get(&path).cloned(),
                    step: path,
                    index: *index,
                    attempt: *attempt,
                    idempotency_key: cursor.key(&step.id),
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
                    step: cursor.path(&step.id),
                    topic: topic.clone(),
                    predicate: predicate.clone(),
                    timer: timer.clone(),
                    fire_at: *fire_at,
                    idempotency_key: cursor.key(&step.id),
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
                step: cursor.path(&step.id),
                role: role.clone(),
                options: options.clone(),
                idempotency_key: cursor.key(&step.id),
                due_at: sla.as_ref().map(|(_, at)| *at),
            }];
            if *escalated {
                commands.push(Command::Escalate {
                    step: cursor.path(&step.id),
                    role: role.clone(),
                    idempotency_key: cursor.key(&step.id),
                });
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
                        step: cursor.path(&step.id),
                        role: role.clone(),
                        error: error.clone(),
                        idempotency_key: cursor.key(&step.id),
                    })
            })
            .into_iter()
            .collect(),
        Some(Awaiting::Compensate { index, step, .. }) => vec![Command::ScheduleStep {
            step: step.clone(),
            index: *index,
            attempt: 1,
            idempotency_key: cursor.key(step),
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
            let mut child_id = cursor.key(&step.id);
            if *attempt > 1 {
                child_id.push_str(&format!("#{attempt}"));
            }
            vec![Command::StartChild {
                step: cursor.path(&step.id),
                workflow: workflow.clone(),
                input: input.clone(),
                child_id,
            }]
        }
        Some(Awaiting::Join { .. } | Awaiting::Merge { .. }) | None => Vec::new(),
    }
}
