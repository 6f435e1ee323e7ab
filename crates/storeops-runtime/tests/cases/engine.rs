//! Running definitions: order-triage end to end, idempotent submission,
//! timers with a driven clock, the kill switch, version pinning, leases.

use chrono::Duration;
use serde_json::{json, Value};
use storeops_runtime::{submit, Submission};
use storeops_store::Store;

use crate::harness::{deploy, drive, history, output, setup, start, start_run, status, worker};

const ORDER_TRIAGE: &str = include_str!("../../../../workflows/order-triage.yaml");

const LATER: &str = "name: later\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: nap\n    wait: { duration: 2h }\n  - id: after\n    uses: core.set\n    with: { values: { ok: true } }\n";

const NAP_BETWEEN: &str = "name: nap\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: a\n    uses: core.set\n    with: { values: { n: 1 } }\n  - id: nap\n    wait: { duration: 1m }\n  - id: b\n    uses: core.set\n    with: { values: { n: 2 } }\n";

const TWO_STEPS: &str = "name: two\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: a\n    uses: core.set\n    with: { values: { n: 1 } }\n  - id: b\n    uses: core.set\n    with: { values: { n: '${{ steps.a.output.n + 1 }}' } }\n";

fn order(id: &str, total: i64) -> Value {
    json!({"order": {"id": id, "total": total, "shipping_country": "DE"}})
}

pub async fn order_triage_records_one_row_per_order(store: &Store) {
    let (clock, mut worker) = setup(store, ORDER_TRIAGE).await;
    start_run(store, &clock, "order-triage", "o-150", order("o-150", 150)).await;
    start_run(store, &clock, "order-triage", "o-50", order("o-50", 50)).await;
    // No step has outside effects: each run chains through in one round.
    let round = worker.round().await.unwrap();
    assert_eq!((round.claimed, round.executed, round.finished), (2, 6, 2));
    drive(&mut worker).await;
    assert_eq!(status(store, "o-150").await, "completed");
    assert_eq!(status(store, "o-50").await, "completed");
    let rows: Vec<(String, Value)> = store
        .outcomes("order_triage")
        .await
        .unwrap()
        .into_iter()
        .map(|(k, f)| (k, serde_json::from_str(&f).unwrap()))
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "o-150".to_string(),
                json!({"total": 150, "priority": "high"})
            ),
            (
                "o-50".to_string(),
                json!({"total": 50, "priority": "normal"})
            ),
        ]
    );
    assert_eq!(
        output(store, "o-150", "high").await,
        json!({"priority": "high"})
    );
    assert_eq!(output(store, "o-50", "high").await, Value::Null);
    // Each finished run is audited with the decisions it took.
    let audited = store
        .audit_rows(Some("engine:test-worker"), 0, 10)
        .await
        .unwrap();
    let entry = &audited
        .iter()
        .find(|r| r.entry.subject == "o-150")
        .unwrap()
        .entry;
    assert_eq!(
        (entry.actor.as_str(), entry.action.as_str()),
        ("engine", "run.completed")
    );
    let logged: Value = serde_json::from_str(&entry.output).unwrap();
    assert_eq!(
        logged,
        json!({
            "output": {"entity": "order_triage", "op": "insert", "key": "o-150",
                       "fields": {"total": 150, "priority": "high"}},
            "decisions": {"steps": {"decide": {"case": 0}}, "skipped": ["normal"]},
            "variant": null
        })
    );
    let h = history(store, "o-150").await;
    assert_eq!(h.first().map(String::as_str), Some("run_started"));
    assert_eq!(h.last().map(String::as_str), Some("run_completed"));
    assert_eq!(
        h.iter().filter(|e| *e == "step_completed:record").count(),
        1
    );
}

pub async fn resubmitting_a_run_id_starts_nothing(store: &Store) {
    let (clock, mut worker) = setup(store, TWO_STEPS).await;
    start_run(store, &clock, "two", "r1", json!({})).await;
    let again = Submission {
        id: Some("r1".into()),
        input: json!({"other": true}),
    };
    let started = submit(store, "two", vec![again], start()).await.unwrap();
    assert!(!started[0].new);
    drive(&mut worker).await;
    assert_eq!(
        history(store, "r1").await,
        [
            "run_started",
            "step_completed:a",
            "step_completed:b",
            "run_completed"
        ]
    );
    assert_eq!(output(store, "r1", "b").await, json!({"n": 2}));
}

pub async fn timers_fire_when_the_clock_passes_them(store: &Store) {
    let (clock, mut worker) = setup(store, LATER).await;
    start_run(store, &clock, "later", "t1", json!({})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "t1").await, "waiting");
    let run = store.run("t1").await.unwrap().unwrap();
    assert_eq!(run.due_at, Some(start() + Duration::hours(2)));
    assert_eq!(
        history(store, "t1").await,
        ["run_started", "timer_set:wait/nap"]
    );
    clock.advance(Duration::minutes(119));
    assert_eq!(drive(&mut worker).await, 0);
    assert_eq!(status(store, "t1").await, "waiting");
    clock.advance(Duration::minutes(1));
    drive(&mut worker).await;
    assert_eq!(status(store, "t1").await, "completed");
    assert_eq!(
        history(store, "t1").await,
        [
            "run_started",
            "timer_set:wait/nap",
            "timer_fired:wait/nap",
            "step_completed:after",
            "run_completed"
        ]
    );
}

pub async fn paused_workflow_holds_runs_at_the_step_boundary(store: &Store) {
    let (clock, mut worker) = setup(store, NAP_BETWEEN).await;
    start_run(store, &clock, "nap", "p1", json!({})).await;
    worker.round().await.unwrap();
    let first = ["run_started", "step_completed:a", "timer_set:wait/nap"];
    assert_eq!(history(store, "p1").await, first);
    store.set_workflow_paused("nap", true).await.unwrap();
    clock.advance(Duration::minutes(1));
    drive(&mut worker).await;
    // Its timer is due, but a paused workflow's runs are not taken up.
    assert_eq!(history(store, "p1").await, first);
    assert_eq!(status(store, "p1").await, "waiting");
    start_run(store, &clock, "nap", "p2", json!({})).await;
    drive(&mut worker).await;
    assert_eq!(history(store, "p2").await, ["run_started"]);
    store.set_workflow_paused("nap", false).await.unwrap();
    drive(&mut worker).await;
    assert_eq!(status(store, "p1").await, "completed");
    assert_eq!(
        history(store, "p1").await[3..],
        ["timer_fired:wait/nap", "step_completed:b", "run_completed"]
    );
    assert_eq!(status(store, "p2").await, "waiting");
}

pub async fn runs_stay_on_the_version_they_started_on(store: &Store) {
    let v1_yaml = "name: pinned\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: gate\n    approval: { role: reviewer }\n  - id: mark\n    uses: core.set\n    with: { values: { v: 1 } }\n";
    let v2_yaml = v1_yaml.replace("v: 1", "v: 2");
    let (clock, mut worker) = setup(store, v1_yaml).await;
    let v1 = store
        .workflow("pinned")
        .await
        .unwrap()
        .unwrap()
        .active_version;
    start_run(store, &clock, "pinned", "old", json!({})).await;
    drive(&mut worker).await;
    let v2 = deploy(store, &v2_yaml).await;
    assert_ne!(v1, v2);
    start_run(store, &clock, "pinned", "new", json!({})).await;
    drive(&mut worker).await;
    for key in ["old/gate/0", "new/gate/0"] {
        storeops_runtime::review::decide_approval(store, key, "approve", "user:r", None, start())
            .await
            .unwrap();
    }
    drive(&mut worker).await;
    assert_eq!(store.run("old").await.unwrap().unwrap().version, v1);
    assert_eq!(store.run("new").await.unwrap().unwrap().version, v2);
    assert_eq!(output(store, "old", "mark").await, json!({"v": 1}));
    assert_eq!(output(store, "new", "mark").await, json!({"v": 2}));
}

pub async fn a_second_worker_cannot_take_a_leased_run(store: &Store) {
    let (clock, mut first) = setup(store, TWO_STEPS).await;
    let mut second = worker(store, &clock, "second-worker");
    start_run(store, &clock, "two", "l1", json!({})).await;
    first.round().await.unwrap();
    assert_eq!(second.round().await.unwrap().claimed, 0);
    clock.advance(Duration::seconds(31));
    drive(&mut second).await;
    assert_eq!(status(store, "l1").await, "completed");
    first.round().await.unwrap();
    assert_eq!(
        history(store, "l1").await,
        [
            "run_started",
            "step_completed:a",
            "step_completed:b",
            "run_completed"
        ]
    );
}

pub async fn an_input_that_cannot_be_evaluated_fails_the_run(store: &Store) {
    let yaml = "name: broken\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: a\n    uses: core.set\n    with: { values: { x: '${{ input.order.total }}' } }\n";
    let (clock, mut worker) = setup(store, yaml).await;
    start_run(store, &clock, "broken", "b1", json!({})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "b1").await, "failed");
    assert_eq!(
        history(store, "b1").await,
        ["run_started", "step_failed:a", "run_failed"]
    );
    let error = store.run("b1").await.unwrap().unwrap().error.unwrap();
    assert!(
        error.starts_with("step `a` failed after 1 attempt(s): invalid_input: "),
        "{error}"
    );
}

pub async fn an_unreadable_run_does_not_hold_the_others_back(store: &Store) {
    let (clock, mut worker) = setup(store, NAP_BETWEEN).await;
    let version = store.workflow("nap").await.unwrap().unwrap().active_version;
    let broken = storeops_store::NewRun {
        id: "broken".into(),
        workflow: "nap".into(),
        version,
        mode: "live".into(),
        input: "{}".into(),
        events: "[{\"type\": \"run_sta".into(),
        at: start(),
    };
    assert_eq!(store.start_runs(&[broken]).await.unwrap(), vec![true]);
    start_run(store, &clock, "nap", "fine", json!({})).await;
    drive(&mut worker).await;
    clock.advance(Duration::minutes(1));
    drive(&mut worker).await;
    assert_eq!(status(store, "fine").await, "completed");
    assert_eq!(status(store, "broken").await, "running");
}
