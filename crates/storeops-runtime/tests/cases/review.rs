//! The review queue: approvals wait for a decision, rejections need a
//! reason, failed steps become exception items that operators skip, retry
//! or cancel.

use chrono::Duration;
use serde_json::json;
use storeops_engine::Resolution;
use storeops_runtime::review::{decide_approval, resolve_exception};
use storeops_runtime::RuntimeError;
use storeops_store::{ItemFilter, Store};

use crate::harness::{drive, history, output, setup, start, start_run, status};

const APPROVAL: &str = "name: refund\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: review\n    approval: { role: reviewer, sla: 1d }\n  - id: done\n    uses: core.set\n    with: { values: { decision: '${{ steps.review.output.decision }}' } }\n";

/// A switch decides before the approval: the decision is on record while
/// the run waits.
const DECIDE_THEN_APPROVE: &str = "name: big-refund\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: size\n    switch:\n      cases:\n        - when: input.amount > 100\n          steps:\n            - id: large\n              uses: core.set\n              with: { values: { large: true } }\n      default:\n        - id: small\n          uses: core.set\n          with: { values: { large: false } }\n  - id: review\n    approval: { role: reviewer, sla: 1d }\n";

/// A POST to a port nobody listens on: a retryable `network` failure.
const FLAKY: &str = "name: flaky\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: call\n    uses: http.request\n    with: { url: 'http://127.0.0.1:9/x', method: POST, body: { a: 1 } }\n    retry: { attempts: 2, backoff: { initial: 1s, jitter: false } }\n    on_error: { exception: { assignee_role: operator } }\n  - id: after\n    uses: core.set\n    with: { values: { ok: true } }\n";

async fn open_items(store: &Store, kind: &str) -> Vec<storeops_store::ItemRow> {
    store
        .list_items(&ItemFilter {
            kind: Some(kind.into()),
            role: None,
            workflow: None,
            status: Some("open".into()),
        })
        .await
        .unwrap()
}

pub async fn approval_waits_for_a_decision_then_continues(store: &Store) {
    let (clock, mut worker) = setup(store, APPROVAL).await;
    start_run(store, &clock, "refund", "a1", json!({"amount": 120})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "a1").await, "waiting");
    let items = open_items(store, "approval").await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].key, "a1/review/0");
    assert_eq!(items[0].role, "reviewer");
    assert_eq!(items[0].title, "Approve step `review` of refund");
    assert_eq!(items[0].options, r#"["approve","reject"]"#);
    decide_approval(store, "a1/review/0", "approve", "user:rita", None, start())
        .await
        .unwrap();
    drive(&mut worker).await;
    assert_eq!(status(store, "a1").await, "completed");
    assert_eq!(
        output(store, "a1", "done").await,
        json!({"decision": "approve"})
    );
    assert_eq!(
        history(store, "a1").await,
        [
            "run_started",
            "approval_requested:review",
            "timer_set:sla/review",
            "approval_decided:review",
            "step_completed:done",
            "run_completed"
        ]
    );
    assert!(open_items(store, "approval").await.is_empty());
}

/// The engine's audit entries of run `id`: (action, output).
async fn engine_audit(store: &Store, id: &str) -> Vec<(String, serde_json::Value)> {
    store
        .audit_rows(Some("engine:test-worker"), 0, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.entry.subject == id)
        .map(|r| {
            let output = serde_json::from_str(&r.entry.output).unwrap();
            (r.entry.action, output)
        })
        .collect()
}

pub async fn a_parked_run_has_its_automated_decisions_audited(store: &Store) {
    let (clock, mut worker) = setup(store, DECIDE_THEN_APPROVE).await;
    start_run(store, &clock, "big-refund", "b1", json!({"amount": 120})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "b1").await, "waiting");
    let waiting = json!({
        "waiting_on": [{"step": "review", "on": "approval"}],
        "decisions": {"steps": {"size": {"case": 0}}, "skipped": ["small"]},
        "variant": null
    });
    assert_eq!(
        engine_audit(store, "b1").await,
        [("run.waiting".to_string(), waiting.clone())]
    );
    // Driving again with nothing new adds no entry.
    drive(&mut worker).await;
    assert_eq!(engine_audit(store, "b1").await.len(), 1);
    decide_approval(store, "b1/review/0", "approve", "user:rita", None, start())
        .await
        .unwrap();
    drive(&mut worker).await;
    let audited = engine_audit(store, "b1").await;
    assert_eq!(
        audited.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(),
        ["run.waiting", "run.completed"]
    );
    assert_eq!(
        audited[1].1["decisions"]["steps"]["review"]["decision"],
        json!("approve")
    );
}

pub async fn rejection_needs_a_reason_and_closed_items_refuse(store: &Store) {
    let (clock, mut worker) = setup(store, APPROVAL).await;
    start_run(store, &clock, "refund", "a2", json!({})).await;
    drive(&mut worker).await;
    let err = decide_approval(
        store,
        "a2/review/0",
        "reject",
        "user:rita",
        Some("  "),
        start(),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            RuntimeError::Refused {
                field: "reason",
                ..
            }
        ),
        "{err}"
    );
    let err = decide_approval(store, "a2/review/0", "maybe", "user:rita", None, start())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "decision: `maybe` is not one of approve, reject"
    );
    decide_approval(
        store,
        "a2/review/0",
        "reject",
        "user:rita",
        Some("damaged"),
        start(),
    )
    .await
    .unwrap();
    let err = decide_approval(store, "a2/review/0", "approve", "user:rita", None, start())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "key: approval `a2/review/0` is already closed"
    );
    drive(&mut worker).await;
    assert_eq!(
        output(store, "a2", "done").await,
        json!({"decision": "reject"})
    );
    let item = store.item("a2/review/0").await.unwrap().unwrap();
    assert_eq!(item.decision.as_deref(), Some("reject"));
    assert_eq!(item.reason.as_deref(), Some("damaged"));
}

pub async fn failed_step_goes_to_the_exception_queue_and_skip_continues(store: &Store) {
    let (clock, mut worker) = setup(store, FLAKY).await;
    start_run(store, &clock, "flaky", "f1", json!({})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "f1").await, "waiting");
    clock.advance(Duration::seconds(1));
    drive(&mut worker).await;
    let items = open_items(store, "exception").await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].key, "f1/call/0#failed2");
    let parked: Vec<_> = engine_audit(store, "f1")
        .await
        .into_iter()
        .map(|(action, output)| (action, output["waiting_on"].clone()))
        .collect();
    assert_eq!(
        parked,
        [
            (
                "run.waiting".to_string(),
                json!([{"step": "call", "on": "retry"}])
            ),
            (
                "run.waiting".to_string(),
                json!([{"step": "call", "on": "exception"}])
            ),
        ]
    );
    assert_eq!(items[0].role, "operator");
    assert!(
        items[0]
            .title
            .starts_with("step `call` failed after 2 attempt(s): network: "),
        "{}",
        items[0].title
    );
    resolve_exception(
        store,
        "f1/call/0#failed2",
        Resolution::Skip,
        "user:olga",
        Some("sent by hand"),
        start(),
    )
    .await
    .unwrap();
    drive(&mut worker).await;
    assert_eq!(status(store, "f1").await, "completed");
    assert_eq!(output(store, "f1", "after").await, json!({"ok": true}));
    let item = store.item("f1/call/0#failed2").await.unwrap().unwrap();
    assert_eq!(
        (
            item.status.as_str(),
            item.decision.as_deref(),
            item.actor.as_deref(),
            item.reason.as_deref()
        ),
        (
            "closed",
            Some("skip"),
            Some("user:olga"),
            Some("sent by hand")
        )
    );
    assert_eq!(
        history(store, "f1").await,
        [
            "run_started",
            "step_scheduled:call",
            "step_failed:call",
            "timer_set:retry/call/2",
            "timer_fired:retry/call/2",
            "step_scheduled:call",
            "step_failed:call",
            "exception_resolved:call",
            "step_completed:after",
            "run_completed"
        ]
    );
}

pub async fn exception_retry_runs_the_step_again(store: &Store) {
    let (clock, mut worker) = setup(store, FLAKY).await;
    start_run(store, &clock, "flaky", "f2", json!({})).await;
    drive(&mut worker).await;
    clock.advance(Duration::seconds(1));
    drive(&mut worker).await;
    resolve_exception(
        store,
        "f2/call/0#failed2",
        Resolution::Retry,
        "user:olga",
        None,
        start(),
    )
    .await
    .unwrap();
    drive(&mut worker).await;
    let items = open_items(store, "exception").await;
    assert_eq!(
        items.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(),
        ["f2/call/0#failed3"]
    );
    resolve_exception(
        store,
        "f2/call/0#failed3",
        Resolution::Cancel,
        "user:olga",
        Some("gave up"),
        start(),
    )
    .await
    .unwrap();
    drive(&mut worker).await;
    assert_eq!(status(store, "f2").await, "cancelled");
    let run = store.run("f2").await.unwrap().unwrap();
    assert_eq!(
        run.error.as_deref(),
        Some("user:olga cancelled the run at step `call`: gave up")
    );
}
