//! `parallel` (the simulated worker takes the outstanding commands in
//! order, so its branches end in branch order; `parallel.rs` feeds them out
//! of order), `on_error: compensate`
//! and `call` (child runs), with exact histories, and their compilation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim;

use std::collections::BTreeSet;

use serde_json::json;
use sim::{action, action_with, call, events, guarded, parallel, plan, simulate, Outcome};
use storeops_engine::{compile, fold, PlanStep, RunStatus, StepKind};
use storeops_workflow::validate_files;

fn none() -> BTreeSet<usize> {
    BTreeSet::new()
}

#[test]
fn parallel_branches_collect_their_last_outputs() {
    let p = plan(vec![
        parallel("both", &[2, 1]),
        action("a1", 1),
        action("a2", 1),
        action("b1", 1),
        action_with("after", json!({"n": "${{ size(steps.both.output) }}"})),
    ]);
    let t = simulate(&p, &|_, _| Outcome::Ok, &none());
    assert_eq!(t.state.status, RunStatus::Completed);
    let history = events(&t.history);
    let steps: Vec<(&str, &str)> = history
        .iter()
        .skip(1)
        .map(|e| {
            (
                e["type"].as_str().unwrap(),
                e["step"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("step_scheduled", "a1"),
            ("step_completed", "a1"),
            ("step_scheduled", "a2"),
            ("step_completed", "a2"),
            ("step_scheduled", "b1"),
            ("step_completed", "b1"),
            ("step_scheduled", "after"),
            ("step_completed", "after"),
            ("run_completed", ""),
        ]
    );
    assert_eq!(
        t.state.outputs["both"],
        json!([{"step": "a2"}, {"step": "b1"}])
    );
    assert_eq!(t.inputs[3].2, json!({"n": 2}));
    assert_eq!(fold(&p, &t.history), t.state);
    // A branch step failing for good fails the run; one with a role waits
    // for the operator (who retries, then the branch goes on).
    let failing = |step: &str, _: u32| {
        if step == "a1" {
            Outcome::Fatal
        } else {
            Outcome::Ok
        }
    };
    let t = simulate(&p, &failing, &none());
    assert_eq!(t.state.status, RunStatus::Failed);
    let mut routed = p.clone();
    routed.steps[1] = guarded("a1", 1);
    let t = simulate(&routed, &failing, &none());
    assert_eq!(t.state.status, RunStatus::Completed);
    assert_eq!(t.exceptions, ["a1", "a1"]);
}

fn charge_refund() -> storeops_engine::Plan {
    plan(vec![
        PlanStep {
            compensate: Some("refund".into()),
            ..action("charge", 2)
        },
        action_with("refund", json!({"why": "${{ run.id }}"})),
    ])
}

#[test]
fn compensation_runs_once_and_the_run_fails_with_the_original_error() {
    let p = charge_refund();
    let outcome = |step: &str, _: u32| {
        if step == "charge" {
            Outcome::Retryable
        } else {
            Outcome::Ok
        }
    };
    let t = simulate(&p, &outcome, &none());
    let history = events(&t.history);
    assert_eq!(
        history[1..],
        [
            json!({"type": "step_scheduled", "step": "charge", "attempt": 1}),
            json!({"type": "step_failed", "step": "charge", "attempt": 1, "error": {"kind": "boom", "message": "simulated", "retryable": true}}),
            json!({"type": "timer_set", "timer": "retry/charge/2"}),
            json!({"type": "timer_fired", "timer": "retry/charge/2"}),
            json!({"type": "step_scheduled", "step": "charge", "attempt": 2}),
            json!({"type": "step_failed", "step": "charge", "attempt": 2, "error": {"kind": "boom", "message": "simulated", "retryable": true}}),
            json!({"type": "step_scheduled", "step": "refund@charge", "attempt": 1}),
            json!({"type": "step_completed", "step": "refund@charge", "attempt": 1, "output": {"step": "refund@charge"}}),
            json!({"type": "run_failed", "error": "step `charge` failed after 2 attempt(s): boom: simulated; compensated by `refund`"}),
        ]
    );
    assert_eq!(t.executions[2].2, "run-1/refund@charge/0");
    assert_eq!(t.inputs[2].2, json!({"why": "run-1"}));
    assert_eq!(fold(&p, &t.history), t.state);
    // The compensation fails too: one attempt, both messages.
    let t = simulate(&p, &|_, _| Outcome::Retryable, &none());
    assert_eq!(
        t.executions
            .iter()
            .filter(|e| e.0 == "refund@charge")
            .count(),
        1
    );
    assert_eq!(
        t.state.error.as_deref(),
        Some("step `charge` failed after 2 attempt(s): boom: simulated; compensation `refund` failed too: boom: simulated")
    );
    // Crashes in between change nothing.
    let crashed = simulate(&p, &|_, _| Outcome::Retryable, &(1..12).collect());
    assert_eq!(crashed.state.error, t.state.error);
}

#[test]
fn a_call_starts_a_child_and_completes_with_its_output() {
    let p = plan(vec![
        call(
            "sub",
            "child-flow",
            json!({"order": "${{ input.order_id }}"}),
        ),
        action("after", 1),
    ]);
    let t = simulate(&p, &|_, _| Outcome::Ok, &none());
    assert_eq!(t.children, ["run-1/sub/0"]);
    let output = json!({"child": "run-1/sub/0", "input": {"order": "A-1"}});
    assert_eq!(
        events(&t.history)[1..3],
        [
            json!({"type": "child_finished", "step": "sub", "status": "completed", "output": output, "error": null}),
            json!({"type": "step_scheduled", "step": "after", "attempt": 1}),
        ]
    );
    assert_eq!(t.state.outputs["sub"], output);
    // A failed child is a non-retryable `child_failed`: the run fails…
    let failing = |step: &str, _: u32| {
        if step == "sub" {
            Outcome::Fatal
        } else {
            Outcome::Ok
        }
    };
    let t = simulate(&p, &failing, &none());
    assert_eq!(
        t.state.error.as_deref(),
        Some(
            "step `sub` failed after 1 attempt(s): child_failed: the child run failed: child boom"
        )
    );
    // …or goes to the queue; the operator's retry starts a new child.
    let mut routed = p.clone();
    routed.steps[0].exception_role = Some("operator".into());
    let t = simulate(&routed, &failing, &none());
    assert_eq!(t.children, ["run-1/sub/0", "run-1/sub/0#2"]);
    assert_eq!(t.state.status, RunStatus::Completed);
    assert_eq!(t.state.outputs["sub"]["skipped"], json!(true));
}

const FAN: &str = "\
name: fan
trigger:
  manual: {}
steps:
  - id: both
    parallel:
      - - id: a
          uses: core.log
          with: { message: a }
      - - id: b
          uses: core.log
          with: { message: b }
        - id: b2
          uses: core.log
          with: { message: b2 }
  - id: each
    foreach:
      items: input.lines
      max: 10
      steps:
        - id: line
          uses: core.log
          with: { message: \"${{ item }}\" }
  - id: sub
    call: helper
    with: { n: 1 }
    on_error:
      compensate: undo
  - id: undo
    if: false
    uses: core.log
    with: { message: undo }
";

const HELPER: &str = "\
name: helper
trigger:
  manual: {}
inputs:
  n: int
steps:
  - id: x
    uses: core.log
    with: { message: x }
";

#[test]
fn parallel_foreach_call_and_compensation_compile() {
    let report = validate_files(
        &[("fan.yaml", FAN), ("helper.yaml", HELPER)],
        &storeops_runtime::builtin_default(),
        &[],
    );
    assert!(report.is_ok(), "{:?}", report.diagnostics);
    let v = report
        .workflows
        .iter()
        .find(|w| w.workflow.name == "fan")
        .unwrap();
    let p = compile(v, &storeops_runtime::builtin_default()).unwrap();
    let ids: Vec<&str> = p.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["both", "a", "b", "b2", "each", "line", "sub", "undo"]);
    assert_eq!(
        p.steps[0].kind,
        StepKind::Parallel {
            branches: vec![1, 2]
        }
    );
    assert_eq!(
        p.steps[4].kind,
        StepKind::Foreach {
            items: "input.lines".into(),
            max: 10,
            body: 1
        }
    );
    assert_eq!(
        p.steps[6].kind,
        StepKind::Call {
            workflow: "helper".into(),
            with: json!({"n": 1})
        }
    );
    assert_eq!(p.steps[6].compensate.as_deref(), Some("undo"));
    // A compensation step must be an action.
    let bad = FAN.replace("compensate: undo", "compensate: ok").replace(
        "  - id: undo\n",
        "  - id: ok\n    approval: { role: reviewer, options: [approve, reject] }\n  - id: undo\n",
    );
    let report = validate_files(
        &[("fan.yaml", &bad), ("helper.yaml", HELPER)],
        &storeops_runtime::builtin_default(),
        &[],
    );
    assert!(report.is_ok(), "{:?}", report.diagnostics);
    let v = report
        .workflows
        .iter()
        .find(|w| w.workflow.name == "fan")
        .unwrap();
    let errors: Vec<String> = compile(v, &storeops_runtime::builtin_default())
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errors,
        ["fan.yaml:24:5: step `sub`: compensation step `ok` is not an action"]
    );
}
