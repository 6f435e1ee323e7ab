//! Definitions compiled into plans: what the engine runs today (actions
//! with retry, timeout and exception routing; waits for a time or an
//! event; approvals; switches, nested too), what it refuses with a
//! position, and compiled plans — the reference order-triage among them —
//! run to completion with exact histories.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim;

use std::collections::BTreeSet;

use chrono::Duration;
use serde_json::{json, Value};
use sim::{simulate, simulate_setup, t0, Outcome, Setup};
use storeops_engine::{
    compile, fold, Guard, HistoryEvent, OnTimeout, RetryPolicy, RunStatus, StepKind,
};
use storeops_workflow::validate_files;

const REFUND: &str = "\
name: refund-check
trigger:
  manual: {}
steps:
  - id: note
    uses: core.log
    with:
      message: checking
  - id: cool-off
    if: input.total > 100
    wait: { duration: 10m }
  - id: ok
    approval:
      role: reviewer
      prompt: Refund?
      sla: 4h
      on_timeout: reject
  - id: notify
    timeout: 30s
    on_error:
      exception:
        assignee_role: operator
    retry:
      attempts: 4
      backoff: { initial: 2s, multiplier: 3, max_delay: 1m, jitter: false }
    uses: notify.webhook
    with:
      url: https://hooks.example.com/x
      text: done
";

fn validated(path: &str, text: &str) -> storeops_workflow::Validated {
    let report = validate_files(&[(path, text)], &storeops_runtime::builtin_default(), &[]);
    assert!(report.is_ok(), "{:?}", report.diagnostics);
    report.workflows.into_iter().next().unwrap()
}

#[test]
fn actions_waits_and_approvals_compile_and_run() {
    let v = validated("refund.yaml", REFUND);
    let plan = compile(&v, &storeops_runtime::builtin_default()).unwrap();
    assert_eq!(plan.workflow, "refund-check");
    assert_eq!(plan.version, v.hash);
    let ids: Vec<&str> = plan.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["note", "cool-off", "ok", "notify"]);
    assert!(
        matches!(&plan.steps[0].kind, StepKind::Action { action, side_effects: false, retry, .. } if action == "core.log" && retry.attempts == 1)
    );
    assert_eq!(
        plan.steps[1].kind,
        StepKind::Wait {
            duration_ms: 600_000
        }
    );
    assert_eq!(
        plan.steps[1].condition.as_deref(),
        Some("input.total > 100")
    );
    assert_eq!(plan.steps[0].condition, None);
    assert_eq!(
        plan.steps[2].kind,
        StepKind::Approval {
            role: "reviewer".into(),
            options: vec!["approve".into(), "reject".into()],
            sla_ms: Some(14_400_000),
            on_timeout: OnTimeout::Reject
        }
    );
    assert_eq!(plan.steps[3].exception_role.as_deref(), Some("operator"));
    assert_eq!(plan.steps[0].exception_role, None);
    match &plan.steps[3].kind {
        StepKind::Action {
            side_effects,
            retry,
            with,
            timeout_ms,
            ..
        } => {
            assert!(side_effects);
            assert_eq!(*timeout_ms, Some(30_000));
            assert_eq!(
                *retry,
                RetryPolicy {
                    attempts: 4,
                    initial_ms: 2_000,
                    multiplier: 3.0,
                    max_delay_ms: 60_000,
                    jitter: false
                }
            );
            assert!(with.to_string().contains("hooks.example.com"), "{with}");
        }
        other => panic!("{other:?}"),
    }
    // Nobody approves in time: the SLA rule rejects, the run goes on.
    let t = simulate(
        &plan,
        &|s, _| {
            if s == "ok" {
                Outcome::Fatal
            } else {
                Outcome::Ok
            }
        },
        &BTreeSet::new(),
    );
    assert_eq!(t.state.status, RunStatus::Completed);
    assert_eq!(t.state.outputs["ok"]["decision"], json!("reject"));
}

fn order_triage() -> storeops_engine::Plan {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../workflows/order-triage.yaml"
    ))
    .unwrap();
    let v = validated("workflows/order-triage.yaml", &text);
    compile(&v, &storeops_runtime::builtin_default()).unwrap()
}

/// The exact history of order-triage for an order of `total`, where the
/// switch takes `branch` (`high` or `normal`).
fn triage_history(total: u64, branch: &str) -> Vec<HistoryEvent> {
    let at = |n: i64| t0() + Duration::milliseconds(5 * n);
    let scheduled = |step: &str, n| HistoryEvent::StepScheduled {
        step: step.into(),
        attempt: 1,
        at: at(n),
    };
    let completed = |step: &str, output: Value, n| HistoryEvent::StepCompleted {
        step: step.into(),
        attempt: 1,
        output,
        at: at(n),
    };
    vec![
        HistoryEvent::RunStarted {
            run_id: "run-1".into(),
            workflow: "order-triage".into(),
            version: order_triage().version,
            input: json!({"order": {"id": "A-1", "total": total, "shipping_country": "DE"}}),
            at: at(0),
            variant: None,
            parent: None,
        },
        scheduled("enrich", 1),
        completed(
            "enrich",
            json!({"order_id": "A-1", "total": total, "country": "DE"}),
            1,
        ),
        scheduled(branch, 2),
        completed(branch, json!({ "priority": branch }), 2),
        scheduled("record", 3),
        completed("record", json!({"step": "record"}), 3),
        HistoryEvent::RunCompleted {
            output: json!({"step": "record"}),
            at: at(4),
        },
    ]
}

#[test]
fn order_triage_switches_on_the_total_and_records_the_priority() {
    let plan = order_triage();
    let ids: Vec<&str> = plan.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["enrich", "decide", "high", "normal", "record"]);
    assert_eq!(
        plan.steps[1].kind,
        StepKind::Switch {
            cases: vec!["steps.enrich.output.total > 100".into()],
            default: true
        }
    );
    let guard = |case| {
        Some(Guard {
            switch: "decide".into(),
            case,
        })
    };
    assert_eq!(plan.steps[2].guard, guard(Some(0)));
    assert_eq!(plan.steps[3].guard, guard(None));
    assert_eq!(
        (plan.steps[1].guard.as_ref(), plan.steps[4].guard.as_ref()),
        (None, None)
    );
    match &plan.steps[4].kind {
        StepKind::Action { with, .. } => assert_eq!(
            with["fields"]["priority"],
            json!("${{ has(steps.high.output) ? \"high\" : \"normal\" }}")
        ),
        other => panic!("{other:?}"),
    }
    for (total, branch, other, case) in [
        (150, "high", "normal", json!(0)),
        (50, "normal", "high", json!("default")),
    ] {
        let setup = Setup {
            input: json!({"order": {"id": "A-1", "total": total, "shipping_country": "DE"}}),
            ..Setup::default()
        };
        let t = simulate_setup(&plan, &setup, &|_, _| Outcome::Ok, &BTreeSet::new());
        assert_eq!(t.history, triage_history(total, branch), "total {total}");
        assert_eq!(t.state.status, RunStatus::Completed);
        assert_eq!(t.state.outputs["decide"], json!({ "case": case }));
        assert_eq!(t.state.skipped, BTreeSet::from([other.to_string()]));
        let record = t.inputs.iter().find(|(s, _, _)| s == "record").unwrap();
        assert_eq!(
            record.2,
            json!({
                "entity": "order_triage",
                "op": "insert",
                "key": "A-1",
                "fields": {"total": total, "priority": branch},
            })
        );
        assert_eq!(fold(&plan, &t.history), t.state);
    }
}

const NESTED: &str = "\
name: nested
trigger:
  manual: {}
steps:
  - id: outer
    switch:
      cases:
        - when: input.total > 100
          steps:
            - id: inner
              switch:
                cases:
                  - when: input.total > 1000
                    steps:
                      - id: huge
                        uses: core.log
                        with: { message: huge }
                default:
                  - id: big
                    uses: core.log
                    with: { message: big }
      default:
        - id: small
          uses: core.log
          with: { message: small }
  - id: shipped
    wait:
      event: { topic: order.shipped, match: event.order_id == input.order_id }
      timeout: 2d
  - id: after
    uses: core.log
    with:
      message: 'done ${{ has(steps.big.output) }}'
";

#[test]
fn nested_switches_and_event_waits_compile_and_run() {
    let v = validated("nested.yaml", NESTED);
    let plan = compile(&v, &storeops_runtime::builtin_default()).unwrap();
    type Shape<'a> = (&'a str, Option<(&'a str, Option<usize>)>);
    let shape: Vec<Shape> = plan
        .steps
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                s.guard.as_ref().map(|g| (g.switch.as_str(), g.case)),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("outer", None),
            ("inner", Some(("outer", Some(0)))),
            ("huge", Some(("inner", Some(0)))),
            ("big", Some(("inner", None))),
            ("small", Some(("outer", None))),
            ("shipped", None),
            ("after", None),
        ]
    );
    assert_eq!(
        plan.steps[5].kind,
        StepKind::WaitEvent {
            topic: "order.shipped".into(),
            predicate: "event.order_id == input.order_id".into(),
            timeout_ms: 172_800_000
        }
    );
    // Total 150: outer case 0, inner default; the event arrives.
    let t = simulate(&plan, &|_, _| Outcome::Ok, &BTreeSet::new());
    let ran: Vec<&str> = t.executions.iter().map(|(s, _, _)| s.as_str()).collect();
    assert_eq!(ran, ["big", "after"]);
    let skipped: Vec<&str> = t.state.skipped.iter().map(String::as_str).collect();
    assert_eq!(skipped, ["huge", "small"]);
    assert_eq!(t.state.outputs["inner"], json!({"case": "default"}));
    assert_eq!(t.inputs[1].2, json!({"message": "done true"}));
    assert_eq!(
        t.state.outputs["shipped"],
        json!({"timed_out": false, "event": {"order_id": "A-1", "carrier": "dhl"}})
    );
}
