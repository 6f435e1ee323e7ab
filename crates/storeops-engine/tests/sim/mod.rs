//! A simulated worker for the machine tests: executes commands with
//! scripted outcomes, appends history, and can crash (drop everything in
//! memory and rebuild from the history) at chosen history lengths.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

mod setup;
mod steps;
pub use setup::*;
#[allow(unused_imports)]
pub use steps::*;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};
use storeops_engine::{
    apply, event_matches, fold, resolve_inputs, resume, Command, HistoryEvent, Plan, Resolution,
    RunState, RunStatus, StepError, StepKind,
};

/// The start of every simulated run.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

/// What a step attempt (or an approval) does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    /// Action succeeds / approver approves in time.
    Ok,
    /// Action fails, may be retried / approver rejects in time.
    Retryable,
    /// Action fails for good / nobody decides before the SLA.
    Fatal,
}

/// Everything a simulated run produced.
pub struct Trace {
    /// The history.
    pub history: Vec<HistoryEvent>,
    /// (step, attempt, idempotency key) of every action execution.
    pub executions: Vec<(String, u32, String)>,
    /// Escalations issued (step ids, one per issue, reissues included).
    pub escalations: Vec<String>,
    /// Exception items raised (step ids, reissues included).
    pub exceptions: Vec<String>,
    /// (step, attempt, input) of every action execution: the evaluated
    /// `with:`, or the operator's edited input.
    pub inputs: Vec<(String, u32, Value)>,
    /// Child ids of the `StartChild` commands executed.
    pub children: Vec<String>,
    /// The final state.
    pub state: RunState,
}

/// Runs `plan` to the end with `outcome`, crashing at `crashes`.
pub fn simulate(
    plan: &Plan,
    outcome: &dyn Fn(&str, u32) -> Outcome,
    crashes: &BTreeSet<usize>,
) -> Trace {
    simulate_setup(plan, &Setup::default(), outcome, crashes)
}

/// [`simulate`] with a [`Setup`].
pub fn simulate_setup(
    plan: &Plan,
    setup: &Setup,
    outcome: &dyn Fn(&str, u32) -> Outcome,
    crashes: &BTreeSet<usize>,
) -> Trace {
    let mut sim = Sim {
        plan,
        setup,
        inputs: Vec::new(),
        outcome,
        history: Vec::new(),
        executions: Vec::new(),
        escalations: Vec::new(),
        exceptions: Vec::new(),
        clock: t0(),
        crashes,
        crashed_at: BTreeSet::new(),
        children: Vec::new(),
        picked: 0,
    };
    let state = sim.run();
    Trace {
        history: sim.history,
        executions: sim.executions,
        escalations: sim.escalations,
        exceptions: sim.exceptions,
        inputs: sim.inputs,
        children: sim.children,
        state,
    }
}

struct Sim<'a> {
    plan: &'a Plan,
    setup: &'a Setup,
    inputs: Vec<(String, u32, Value)>,
    outcome: &'a dyn Fn(&str, u32) -> Outcome,
    history: Vec<HistoryEvent>,
    executions: Vec<(String, u32, String)>,
    escalations: Vec<String>,
    exceptions: Vec<String>,
    clock: DateTime<Utc>,
    crashes: &'a BTreeSet<usize>,
    crashed_at: BTreeSet<usize>,
    children: Vec<String>,
    picked: usize,
}

impl Sim<'_> {
    fn run(&mut self) -> RunState {
        let start = HistoryEvent::RunStarted {
            run_id: "run-1".into(),
            workflow: self.plan.workflow.clone(),
            version: self.plan.version.clone(),
            input: self.setup.input.clone(),
            at: self.clock,
            variant: None,
            parent: None,
        };
        let (mut state, mut queue) = self.append(RunState::new(), start);
        for _ in 0..500 {
            if self.crash_due() {
                state = fold(self.plan, &self.history);
                queue = resume(self.plan, &state);
            }
            if queue.is_empty() {
                break;
            }
            let command = queue.remove(self.next(&queue));
            self.clock += Duration::milliseconds(5);
            let (s, next) = self.execute(state, command);
            state = s;
            if let Some(next) = next {
                queue = next;
            }
        }
        state
    }

    /// The queue index to execute next: the first command, or with
    /// `Setup::picks` one of those whose result the simulated world gives
    /// at once (steps, approvals, event waits, children, exceptions) —
    /// timers are taken in order, so an approval is asked before its SLA
    /// timer runs.
    fn next(&mut self, queue: &[Command]) -> usize {
        let steps: Vec<usize> = (0..queue.len())
            .filter(|i| {
                !matches!(
                    queue[*i],
                    Command::SetTimer { .. }
                        | Command::CompleteRun { .. }
                        | Command::FailRun { .. }
                        | Command::CancelRun { .. }
                )
            })
            .collect();
        if self.setup.picks.is_empty() || steps.is_empty() {
            return 0;
        }
        let pick = self.setup.picks[self.picked % self.setup.picks.len()];
        self.picked += 1;
        steps[usize::from(pick) % steps.len()]
    }

    /// Crashes once at each listed history length.
    fn crash_due(&mut self) -> bool {
        let len = self.history.len();
        self.crashes.contains(&len) && self.crashed_at.insert(len)
    }

    /// Executes one command: the new state, and the new queue — `None` when
    /// the commands still queued stay due.
    fn execute(&mut self, state: RunState, command: Command) -> (RunState, Option<Vec<Command>>) {
        match command {
            Command::ScheduleStep {
                step,
                index,
                attempt,
                idempotency_key,
                input_override,
            } => {
                let (s, _) = self.append(
                    state,
                    HistoryEvent::StepScheduled {
                        step: step.clone(),
                        attempt,
                        at: self.clock,
                    },
                );
                if self.crash_due() {
                    // Killed after the intent, before the result: the restarted
                    // worker runs the same attempt again with the same key.
                    let state = fold(self.plan, &self.history);
                    let queue = resume(self.plan, &state);
                    return (state, Some(queue));
                }
                self.executions
                    .push((step.clone(), attempt, idempotency_key));
                // The worker's part: the operator's input, or `with:` evaluated.
                let (action, with) = match &self.plan.steps[index].kind {
                    StepKind::Action { action, with, .. } => (action.clone(), with.clone()),
                    other => panic!("scheduled {other:?}"),
                };
                let input = match input_override {
                    Some(input) => input,
                    None => match resolve_inputs(&with, &s) {
                        Ok(input) => input,
                        Err(message) => {
                            let error = StepError {
                                kind: "invalid_input".into(),
                                message,
                                retryable: false,
                            };
                            let failed = HistoryEvent::StepFailed {
                                step,
                                attempt,
                                error,
                                at: self.clock,
                            };
                            return self.then(s, failed);
                        }
                    },
                };
                self.inputs.push((step.clone(), attempt, input.clone()));
                // `core.set` gives its `values`; other actions name the step.
                let output = match input.get("values") {
                    Some(values) if action == "core.set" => values.clone(),
                    _ => json!({"step": step}),
                };
                let result = match (self.outcome)(&step, attempt) {
                    Outcome::Ok => HistoryEvent::StepCompleted {
                        step: step.clone(),
                        attempt,
                        output,
                        at: self.clock,
                    },
                    kind => HistoryEvent::StepFailed {
                        step: step.clone(),
                        attempt,
                        error: StepError {
                            kind: "boom".into(),
                            message: "simulated".into(),
                            retryable: kind == Outcome::Retryable,
                        },
                        at: self.clock,
                    },
                };
                self.then(s, result)
            }
            Command::SetTimer { timer, fire_at } => {
                let (s, _) = self.append(
                    state,
                    HistoryEvent::TimerSet {
                        timer: timer.clone(),
                        fire_at,
                    },
                );
                self.clock = self.clock.max(fire_at);
                self.then(
                    s,
                    HistoryEvent::TimerFired {
                        timer,
                        at: self.clock,
                    },
                )
            }
            Command::RequestApproval { step, .. } => {
                let (s, _) = self.append(
                    state,
                    HistoryEvent::ApprovalRequested {
                        step: step.clone(),
                        at: self.clock,
                    },
                );
                let decision = match (self.outcome)(&step, 1) {
                    Outcome::Ok => "approve",
                    Outcome::Retryable => "reject",
                    // Nobody decides: the SLA timer, still queued, fires.
                    Outcome::Fatal => return (s, None),
                };
                let reason = (decision == "reject").then(|| "damaged in transit".to_string());
                self.then(
                    s,
                    HistoryEvent::ApprovalDecided {
                        step,
                        decision: decision.into(),
                        actor: "user:ann".into(),
                        reason,
                        at: self.clock,
                    },
                )
            }
            Command::Escalate { step, .. } => {
                self.escalations.push(step.clone());
                // The escalated reviewer approves.
                self.then(
                    state,
                    HistoryEvent::ApprovalDecided {
                        step,
                        decision: "approve".into(),
                        actor: "user:lead".into(),
                        reason: None,
                        at: self.clock,
                    },
                )
            }
            Command::RaiseException { step, .. } => {
                // The operator retries the first time a step lands in the
                // queue and skips it the second time.
                let resolved_before = self.history.iter().filter(|e| matches!(e, HistoryEvent::ExceptionResolved { step: s, .. } if *s == step)).count();
                self.exceptions.push(step.clone());
                let resolution = match (resolved_before, &self.setup.edited) {
                    (0, Some(input)) => Resolution::RetryWith {
                        input: input.clone(),
                    },
                    (0, None) => Resolution::Retry,
                    _ => Resolution::Skip,
                };
                self.then(
                    state,
                    HistoryEvent::ExceptionResolved {
                        step,
                        resolution,
                        actor: "user:ops".into(),
                        reason: Some("checked".into()),
                        at: self.clock,
                    },
                )
            }
            Command::AwaitEvent {
                step, predicate, ..
            } => {
                // Ok: the awaited event arrives (after one for another
                // order); otherwise none does and the queued timer fires.
                if (self.outcome)(&step, 1) != Outcome::Ok {
                    return (state, None);
                }
                let other = json!({"order_id": "Z-9"});
                assert_eq!(event_matches(&predicate, &state, &other), Ok(false));
                let event = json!({"order_id": state.input["order_id"], "carrier": "dhl"});
                assert_eq!(event_matches(&predicate, &state, &event), Ok(true));
                self.then(
                    state,
                    HistoryEvent::EventMatched {
                        step,
                        event,
                        at: self.clock,
                    },
                )
            }
            Command::StartChild {
                step,
                child_id,
                input,
                ..
            } => {
                // The child ends at once: completed when the outcome is Ok.
                self.children.push(child_id.clone());
                let ok = (self.outcome)(&step, 1) == Outcome::Ok;
                let finished = HistoryEvent::ChildFinished {
                    step,
                    status: if ok {
                        RunStatus::Completed
                    } else {
                        RunStatus::Failed
                    },
                    output: if ok {
                        json!({"child": child_id, "input": input})
                    } else {
                        Value::Null
                    },
                    error: (!ok).then(|| "child boom".to_string()),
                    at: self.clock,
                };
                self.then(state, finished)
            }
            Command::CancelRun { reason } => self.then(
                state,
                HistoryEvent::RunCancelled {
                    reason,
                    at: self.clock,
                },
            ),
            Command::CompleteRun { output } => self.then(
                state,
                HistoryEvent::RunCompleted {
                    output,
                    at: self.clock,
                },
            ),
            Command::FailRun { error } => self.then(
                state,
                HistoryEvent::RunFailed {
                    error,
                    at: self.clock,
                },
            ),
        }
    }

    /// Appends `event`; its commands replace the queue.
    fn then(&mut self, state: RunState, event: HistoryEvent) -> (RunState, Option<Vec<Command>>) {
        let (state, commands) = self.append(state, event);
        (state, Some(commands))
    }

    fn append(&mut self, state: RunState, event: HistoryEvent) -> (RunState, Vec<Command>) {
        self.history.push(event.clone());
        apply(self.plan, state, &event)
    }
}
