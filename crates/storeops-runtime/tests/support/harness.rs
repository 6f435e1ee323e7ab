//! Shared set-up of the runtime tests: a migrated store, a manual clock, a
//! worker, deploying inline definitions and driving rounds until idle.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;
use storeops_domain::{Event, EventStatus};
use storeops_runtime::{
    deploy_files, submit, ManualClock, Registry, Submission, Worker, WorkerConfig,
};
use storeops_store::Store;

/// 2026-11-25 12:00 UTC: where every test clock starts.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

/// A worker named `owner` on `store` with `clock`.
pub fn worker(store: &Store, clock: &ManualClock, owner: &str) -> Worker {
    chained_worker(store, clock, owner, WorkerConfig::default().max_chain)
}

/// A worker that executes at most `max_chain` steps per run per round
/// (1 = commit after every step).
pub fn chained_worker(store: &Store, clock: &ManualClock, owner: &str, max_chain: usize) -> Worker {
    configured_worker(
        store,
        clock,
        owner,
        max_chain,
        storeops_runtime::builtin_default(),
    )
}

/// A worker named `owner` on `store` with `clock` and these actions.
pub fn worker_with(store: &Store, clock: &ManualClock, owner: &str, registry: Registry) -> Worker {
    configured_worker(
        store,
        clock,
        owner,
        WorkerConfig::default().max_chain,
        registry,
    )
}

fn configured_worker(
    store: &Store,
    clock: &ManualClock,
    owner: &str,
    max_chain: usize,
    registry: Registry,
) -> Worker {
    let config = WorkerConfig {
        max_chain,
        owner: owner.to_string(),
        batch: 64,
        lease: Duration::from_secs(30),
        control_refresh: Duration::ZERO,
        ..WorkerConfig::default()
    };
    Worker::new(store.clone(), registry, Arc::new(clock.clone()), config).unwrap()
}

/// Migrates, deploys `yaml` and returns a clock and worker.
pub async fn setup(store: &Store, yaml: &str) -> (ManualClock, Worker) {
    store.migrate().await.unwrap();
    deploy(store, yaml).await;
    let clock = ManualClock::new(start());
    let worker = worker(store, &clock, "test-worker");
    (clock, worker)
}

/// Deploys one definition; returns its version hash.
pub async fn deploy(store: &Store, yaml: &str) -> String {
    let deployed = deploy_files(
        store,
        &storeops_runtime::builtin_default(),
        &[("test.yaml".to_string(), yaml.to_string())],
    )
    .await
    .unwrap();
    deployed[0].version.clone()
}

/// Starts run `id` of `workflow` with `input` at the clock's time.
pub async fn start_run(store: &Store, clock: &ManualClock, workflow: &str, id: &str, input: Value) {
    use storeops_runtime::Clock;
    let submission = Submission {
        id: Some(id.to_string()),
        input,
    };
    let started = submit(store, workflow, vec![submission], clock.now())
        .await
        .unwrap();
    assert!(started[0].new, "run {id} existed already");
}

/// Rounds until one does nothing (at most 50); returns the rounds run.
pub async fn drive(worker: &mut Worker) -> usize {
    for n in 0..50 {
        if worker.round().await.unwrap().idle() {
            return n;
        }
    }
    panic!("the worker did not settle in 50 rounds");
}

/// The run's history as `type` or `type:step` (or `type:timer`) strings.
pub async fn history(store: &Store, id: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (_, _, chunk) in store.run_history(id).await.unwrap() {
        let events: Vec<Value> = serde_json::from_str(&chunk).unwrap();
        for e in events {
            let kind = e["type"].as_str().unwrap().to_string();
            let subject = e
                .get("step")
                .or_else(|| e.get("timer"))
                .and_then(Value::as_str);
            out.push(match subject {
                Some(s) => format!("{kind}:{s}"),
                None => kind,
            });
        }
    }
    out
}

/// The run's status.
pub async fn status(store: &Store, id: &str) -> String {
    store.run(id).await.unwrap().unwrap().status
}

/// The output of step `step` of run `id` (from its history).
pub async fn output(store: &Store, id: &str, step: &str) -> Value {
    for (_, _, chunk) in store.run_history(id).await.unwrap() {
        let events: Vec<Value> = serde_json::from_str(&chunk).unwrap();
        for e in events {
            if e["type"] == "step_completed" && e["step"] == step {
                return e["output"].clone();
            }
        }
    }
    Value::Null
}

/// Stores a generic-source event (received at [`start`]); its id.
pub async fn event(store: &Store, topic: &str, id: &str, payload: Value) -> i64 {
    let event = Event {
        source: "generic:shop".into(),
        topic: topic.into(),
        external_id: id.into(),
        payload,
        received_at: start(),
        status: EventStatus::Stored,
        error: None,
    };
    assert!(store.append_event(&event).await.unwrap());
    let pending = store.pending_events(1000).await.unwrap();
    pending.iter().find(|e| e.external_id == id).unwrap().id
}
