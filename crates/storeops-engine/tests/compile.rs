//! Definitions compiled into plans: what the engine runs today (actions
//! with retry, timeout and exception routing; waits; approvals), what it
//! refuses with a position, and a compiled plan run to completion.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim;

use std::collections::BTreeSet;

use serde_json::json;
use sim::{simulate, Outcome};
use storeops_engine::{compile, OnTimeout, RetryPolicy, RunStatus, StepKind};
use storeops_workflow::{validate_files, BuiltinCatalog};

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
    let report = validate_files(&[(path, text)], &BuiltinCatalog::new(), &[]);
    assert!(report.is_ok(), "{:?}", report.diagnostics);
    report.workflows.into_iter().next().unwrap()
}

#[test]
fn actions_waits_and_approvals_compile_and_run() {
    let v = validated("refund.yaml", REFUND);
    let plan = compile(&v, &BuiltinCatalog::new()).unwrap();
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

#[test]
fn constructs_the_engine_cannot_run_yet_are_refused_with_positions() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../workflows/order-triage.yaml"
    ))
    .unwrap();
    let v = validated("workflows/order-triage.yaml", &text);
    let errors = compile(&v, &BuiltinCatalog::new()).unwrap_err();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(shown.iter().any(|e| e.starts_with("workflows/order-triage.yaml:19:5: step `decide`: `switch:` is not supported by the engine yet")), "{shown:?}");
    assert_eq!(
        errors.len(),
        1,
        "timeout and on_error of `record` compile: {shown:?}"
    );
}
