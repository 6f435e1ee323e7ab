//! `parallel` branches run concurrently: the machine fed by hand, with the
//! results of the branches arriving in any order, shows every branch's next
//! step outstanding at once, the join in branch order, a failure ending the
//! other branches, and an exception in one branch leaving the others going.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sim::{action, action_with, approval, guarded, parallel, plan, t0, wait};
use storeops_engine::{
    apply, fold, resume, Command, HistoryEvent, OnTimeout, Plan, Resolution, RunState, RunStatus,
    StepError,
};

/// Feeds events to a run and keeps its history.
struct Run<'p> {
    plan: &'p Plan,
    state: RunState,
    history: Vec<HistoryEvent>,
    clock: DateTime<Utc>,
}

impl<'p> Run<'p> {
    fn start(plan: &'p Plan) -> (Run<'p>, Vec<Command>) {
        let mut run = Run {
            plan,
            state: RunState::new(),
            history: Vec::new(),
            clock: t0(),
        };
        let commands = run.feed(HistoryEvent::RunStarted {
            run_id: "run-1".into(),
            workflow: plan.workflow.clone(),
            version: plan.version.clone(),
            input: json!({"order_id": "A-1"}),
            at: t0(),
            variant: None,
            parent: None,
        });
        (run, commands)
    }

    fn feed(&mut self, event: HistoryEvent) -> Vec<Command> {
        self.clock += Duration::milliseconds(5);
        self.history.push(event.clone());
        let state = std::mem::take(&mut self.state);
        let (state, commands) = apply(self.plan, state, &event);
        self.state = state;
        commands
    }

    fn done(&mut self, step: &str) -> Vec<Command> {
        let at = self.clock;
        self.feed(HistoryEvent::StepCompleted {
            step: step.into(),
            attempt: 1,
            output: json!({"step": step}),
            at,
        })
    }

    fn fatal(&mut self, step: &str) -> Vec<Command> {
        let at = self.clock;
        self.feed(HistoryEvent::StepFailed {
            step: step.into(),
            attempt: 1,
            error: StepError {
                kind: "boom".into(),
                message: "simulated".into(),
                retryable: false,
            },
            at,
        })
    }
}

/// The steps the commands schedule, and any other command by its name.
fn names(commands: &[Command]) -> Vec<String> {
    commands
        .iter()
        .map(|c| match c {
            Command::ScheduleStep { step, .. } => step.clone(),
            Command::SetTimer { timer, .. } => format!("timer {timer}"),
            Command::RequestApproval { step, .. } => format!("approval {step}"),
            Command::RaiseException { step, .. } => format!("exception {step}"),
            Command::CompleteRun { .. } => "complete".into(),
            Command::FailRun { error } => format!("fail: {error}"),
            other => format!("{other:?}"),
        })
        .collect()
}

fn two_branches() -> Plan {
    plan(vec![
        parallel("both", &[2, 1]),
        action("a1", 1),
        action("a2", 1),
        action("b1", 1),
        action_with("after", json!({"n": "${{ size(steps.both.output) }}"})),
    ])
}

#[test]
fn every_branch_has_its_next_step_outstanding_and_the_join_keeps_branch_order() {
    let p = two_branches();
    let (mut run, commands) = Run::start(&p);
    assert_eq!(names(&commands), ["a1", "b1"]);
    // The second branch ends first; the first goes on.
    assert_eq!(names(&run.done("b1")), ["a1"]);
    assert_eq!(run.state.strands.len(), 1);
    assert_eq!(names(&run.done("a1")), ["a2"]);
    // A result nobody awaits (b1 again) changes nothing.
    assert_eq!(names(&run.done("b1")), Vec::<String>::new());
    assert_eq!(names(&run.done("a2")), ["after"]);
    assert!(run.state.strands.is_empty());
    assert_eq!(
        run.state.outputs["both"],
        json!([{"step": "a2"}, {"step": "b1"}])
    );
    assert_eq!(names(&run.done("after")), ["complete"]);
    assert_eq!(fold(&p, &run.history), run.state);
    assert_eq!(resume(&p, &fold(&p, &run.history)), resume(&p, &run.state));
}

#[test]
fn a_branch_failing_for_good_fails_the_run_and_ends_the_other_branches() {
    let p = two_branches();
    let (mut run, _) = Run::start(&p);
    assert_eq!(
        names(&run.fatal("b1")),
        ["fail: step `b1` failed after 1 attempt(s): boom: simulated"]
    );
    assert!(run.state.strands.is_empty());
    // The other branch's late result is not awaited any more.
    assert!(run.done("a1").is_empty());
    assert_eq!(
        names(&resume(&p, &run.state)),
        ["fail: step `b1` failed after 1 attempt(s): boom: simulated"]
    );
    assert_eq!(run.state.outputs.get("a1"), None);
}

#[test]
fn an_exception_in_one_branch_leaves_the_others_going() {
    let mut p = two_branches();
    p.steps[3] = guarded("b1", 1);
    let (mut run, _) = Run::start(&p);
    assert_eq!(names(&run.fatal("b1")), ["a1", "exception b1"]);
    assert_eq!(names(&run.done("a1")), ["a2", "exception b1"]);
    assert_eq!(names(&run.done("a2")), ["exception b1"]);
    let at = run.clock;
    let commands = run.feed(HistoryEvent::ExceptionResolved {
        step: "b1".into(),
        resolution: Resolution::Skip,
        actor: "user:ops".into(),
        reason: Some("checked".into()),
        at,
    });
    assert_eq!(names(&commands), ["after"]);
    assert_eq!(run.state.outputs["both"][1]["skipped"], json!(true));
    assert_eq!(fold(&p, &run.history), run.state);
}

#[test]
fn waits_approvals_and_nested_branches_are_outstanding_together_in_plan_order() {
    let p = plan(vec![
        parallel("outer", &[4, 1]),
        parallel("inner", &[1, 1]),
        wait("w", 60_000),
        approval("ok", OnTimeout::Fail),
        action("x", 1),
        action("y", 1),
    ]);
    let (mut run, commands) = Run::start(&p);
    assert_eq!(
        names(&commands),
        ["timer wait/w", "approval ok", "timer sla/ok", "y"]
    );
    let Some(Command::RequestApproval { due_at, .. }) = commands.get(1) else {
        panic!("{commands:?}");
    };
    assert_eq!(*due_at, Some(t0() + Duration::hours(1)));
    // outer's two branches (the first joining inner), inner's two.
    assert_eq!(run.state.strands.len(), 4);
    assert_eq!(
        names(&run.done("y")),
        ["timer wait/w", "approval ok", "timer sla/ok"]
    );
    let at = run.clock;
    let commands = run.feed(HistoryEvent::ApprovalDecided {
        step: "ok".into(),
        decision: "approve".into(),
        actor: "user:ann".into(),
        reason: None,
        at,
    });
    assert_eq!(names(&commands), ["timer wait/w"]);
    let at = run.clock;
    let commands = run.feed(HistoryEvent::TimerFired {
        timer: "wait/w".into(),
        at,
    });
    // The inner join is done; the outer branch goes on to `x`.
    assert_eq!(names(&commands), ["x"]);
    assert_eq!(run.state.outputs["inner"][1]["decision"], json!("approve"));
    assert_eq!(names(&run.done("x")), ["complete"]);
    assert_eq!(
        run.state.outputs["outer"],
        json!([{"step": "x"}, {"step": "y"}])
    );
    assert_eq!(fold(&p, &run.history), run.state);
    assert_eq!(run.state.status, RunStatus::Running);
}
