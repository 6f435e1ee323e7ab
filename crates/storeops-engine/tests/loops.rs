//! `foreach`: items evaluated when reached (bounded by `max`), the body run
//! once per item in order with `item` and `index` in scope, history ids and
//! idempotency keys carrying the iteration, per-iteration outputs, and the
//! loop's output — with exact histories; the stock-alert workflow compiled
//! and run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim;

use std::collections::BTreeSet;

use serde_json::json;
use sim::{action_with, events, foreach, guarded, plan, simulate_setup, Outcome, Setup};
use storeops_engine::{compile, fold, PlanStep, RunStatus, StepKind};
use storeops_workflow::validate_files;

fn setup(lines: serde_json::Value) -> Setup {
    Setup {
        input: json!({ "lines": lines }),
        ..Setup::default()
    }
}

#[test]
fn the_body_runs_once_per_item_with_item_and_index() {
    let skip_b = PlanStep {
        condition: Some("item.sku != 'b'".into()),
        ..action_with("tell", json!({"text": "${{ item.sku }} #${{ index }}"}))
    };
    let p = plan(vec![
        foreach("each", "input.lines", 5, 2),
        skip_b,
        action_with("after", json!({"prev": "${{ has(steps.tell.output) }}"})),
    ]);
    let s = setup(json!([{"sku": "a"}, {"sku": "b"}, {"sku": "c"}]));
    let t = simulate_setup(&p, &s, &|_, _| Outcome::Ok, &BTreeSet::new());
    assert_eq!(t.state.status, RunStatus::Completed);
    assert_eq!(
        events(&t.history),
        [
            json!({"type": "run_started", "run_id": "run-1", "workflow": "order-triage", "version": "v1hash", "input": s.input}),
            json!({"type": "step_scheduled", "step": "tell[0]", "attempt": 1}),
            json!({"type": "step_completed", "step": "tell[0]", "attempt": 1, "output": {"step": "tell[0]"}}),
            json!({"type": "step_scheduled", "step": "after[0]", "attempt": 1}),
            json!({"type": "step_completed", "step": "after[0]", "attempt": 1, "output": {"step": "after[0]"}}),
            json!({"type": "step_scheduled", "step": "after[1]", "attempt": 1}),
            json!({"type": "step_completed", "step": "after[1]", "attempt": 1, "output": {"step": "after[1]"}}),
            json!({"type": "step_scheduled", "step": "tell[2]", "attempt": 1}),
            json!({"type": "step_completed", "step": "tell[2]", "attempt": 1, "output": {"step": "tell[2]"}}),
            json!({"type": "step_scheduled", "step": "after[2]", "attempt": 1}),
            json!({"type": "step_completed", "step": "after[2]", "attempt": 1, "output": {"step": "after[2]"}}),
            json!({"type": "run_completed", "output": [{"step": "after[0]"}, {"step": "after[1]"}, {"step": "after[2]"}]}),
        ]
    );
    // `item`, `index` and this iteration's outputs in `with:`.
    let inputs: Vec<_> = t
        .inputs
        .iter()
        .map(|(s, _, i)| (s.as_str(), i.clone()))
        .collect();
    assert_eq!(
        inputs,
        [
            ("tell[0]", json!({"text": "a #0"})),
            ("after[0]", json!({"prev": true})),
            ("after[1]", json!({"prev": false})),
            ("tell[2]", json!({"text": "c #2"})),
            ("after[2]", json!({"prev": true})),
        ]
    );
    let keys: Vec<&str> = t.executions.iter().map(|(_, _, k)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "run-1/tell/0",
            "run-1/after/0",
            "run-1/after/1",
            "run-1/tell/2",
            "run-1/after/2"
        ]
    );
    // Per-iteration outputs stay; the body's plain ids are gone.
    assert_eq!(t.state.outputs["tell[2]"], json!({"step": "tell[2]"}));
    assert!(!t.state.outputs.contains_key("tell"));
    assert_eq!(t.state.outputs["each"], t.state.output.clone().unwrap());
    assert!(t.state.frames.is_empty());
    assert_eq!(fold(&p, &t.history), t.state);
}

#[test]
fn too_many_items_fail_the_run_and_no_items_complete_at_once() {
    let p = plan(vec![
        foreach("each", "input.lines", 2, 1),
        action_with("tell", json!({})),
    ]);
    let t = simulate_setup(
        &p,
        &setup(json!([1, 2, 3])),
        &|_, _| Outcome::Ok,
        &BTreeSet::new(),
    );
    assert_eq!(t.state.status, RunStatus::Failed);
    assert_eq!(
        t.state.error.as_deref(),
        Some("foreach `each` has 3 items, more than its max of 2")
    );
    assert!(t.executions.is_empty());
    let t = simulate_setup(&p, &setup(json!([])), &|_, _| Outcome::Ok, &BTreeSet::new());
    assert_eq!(t.state.status, RunStatus::Completed);
    assert_eq!(t.state.output, Some(json!([])));
    let t = simulate_setup(
        &p,
        &setup(json!("x")),
        &|_, _| Outcome::Ok,
        &BTreeSet::new(),
    );
    assert_eq!(
        t.state.error.as_deref(),
        Some("the `items` of foreach `each` is not a list but \"x\"")
    );
}

#[test]
fn retries_and_exceptions_are_per_iteration() {
    // Iteration 1 fails for good: to the queue, retried, then succeeds.
    let p = plan(vec![foreach("each", "[10, 20]", 2, 1), guarded("tell", 2)]);
    let outcome = |step: &str, attempt: u32| match (step, attempt) {
        ("tell[1]", 1 | 2) => Outcome::Retryable,
        _ => Outcome::Ok,
    };
    let t = simulate_setup(&p, &Setup::default(), &outcome, &BTreeSet::new());
    assert_eq!(t.state.status, RunStatus::Completed);
    let ran: Vec<(&str, u32, &str)> = t
        .executions
        .iter()
        .map(|(s, a, k)| (s.as_str(), *a, k.as_str()))
        .collect();
    assert_eq!(
        ran,
        [
            ("tell[0]", 1, "run-1/tell/0"),
            ("tell[1]", 1, "run-1/tell/1"),
            ("tell[1]", 2, "run-1/tell/1"),
            ("tell[1]", 3, "run-1/tell/1"),
        ]
    );
    assert_eq!(t.exceptions, ["tell[1]"]);
    assert_eq!(t.state.failures["tell[1]"], 2);
    let timers: Vec<_> = events(&t.history)
        .into_iter()
        .filter(|e| e["type"] == "timer_set")
        .collect();
    assert_eq!(
        timers,
        [json!({"type": "timer_set", "timer": "retry/tell[1]/2"})]
    );
}

const STOCK_ALERT: &str = include_str!("../../../workflows/stock-alert-basic.yaml");

#[test]
fn the_stock_alert_compiles_and_runs() {
    let report = validate_files(
        &[("stock-alert-basic.yaml", STOCK_ALERT)],
        &storeops_runtime::builtin_default(),
        &[],
    );
    assert!(report.is_ok(), "{:?}", report.diagnostics);
    let v = report.workflows.into_iter().next().unwrap();
    let mut p = compile(&v, &storeops_runtime::builtin_default()).unwrap();
    let kinds: Vec<(&str, &str)> = p
        .steps
        .iter()
        .map(|s| {
            let kind = match &s.kind {
                StepKind::Action { action, .. } => action.as_str(),
                StepKind::Foreach { .. } => "foreach",
                _ => "other",
            };
            (s.id.as_str(), kind)
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("low", "store.query"),
            ("alert", "foreach"),
            ("tell", "notify.email")
        ]
    );
    assert_eq!(
        p.steps[1].kind,
        StepKind::Foreach {
            items: "steps.low.output.rows".into(),
            max: 200,
            body: 1
        }
    );
    // The simulated worker's `core.set` gives `values`: make `low` one.
    p.steps[0].kind = action_with(
        "low",
        json!({"values": {"rows": [
            {"sku": "S-1", "available": 2, "reorder_point": 5},
            {"sku": "S-2", "available": 0, "reorder_point": 3},
        ]}}),
    )
    .kind;
    let t = simulate_setup(&p, &Setup::default(), &|_, _| Outcome::Ok, &BTreeSet::new());
    assert_eq!(t.state.status, RunStatus::Completed);
    let tells: Vec<_> = t
        .inputs
        .iter()
        .skip(1)
        .map(|(s, _, i)| (s.as_str(), i["subject"].clone(), i["body"].clone()))
        .collect();
    assert_eq!(
        tells,
        [
            (
                "tell[0]",
                json!("Low stock: S-1"),
                json!("S-1 has 2 left (reorder point 5).")
            ),
            (
                "tell[1]",
                json!("Low stock: S-2"),
                json!("S-2 has 0 left (reorder point 3).")
            ),
        ]
    );
    assert_eq!(
        t.state.output,
        Some(json!([{"step": "tell[0]"}, {"step": "tell[1]"}]))
    );
}
