//! Moving runs between versions (`migrate`: refusal naming the missing
//! step, migration by hash prefix, the run finishing on its new version, a
//! leased run left alone) and retention (`retention::prune` and the
//! periodic pruner: finished runs go, waiting ones stay, counts survive).

use std::sync::Arc;

use chrono::{Duration, Utc};
use serde_json::json;
use storeops_runtime::migrate::{MigratedRun, Verdict};
use storeops_runtime::retention::{prune, run_pruner};
use storeops_runtime::{migrate, Clock, ManualClock, MigrateRequest};
use storeops_store::{PrunedGroup, Store};

use crate::harness::{chained_worker, deploy, drive, history, output, setup, start_run, status};

const PINNED: &str = "name: pinned\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: gate\n    approval: { role: reviewer }\n  - id: mark\n    uses: core.set\n    with: { values: { v: 1 } }\n";

const TWO: &str = "name: two\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: a\n    uses: core.set\n    with: { values: { n: 1 } }\n  - id: b\n    uses: core.set\n    with: { values: { n: 2 } }\n";

fn req<'a>(
    workflow: &'a str,
    from: Option<&'a str>,
    to: Option<&'a str>,
    dry_run: bool,
) -> MigrateRequest<'a> {
    MigrateRequest {
        workflow,
        from,
        to,
        dry_run,
        actor: "user:olga",
    }
}

fn one(
    id: &str,
    from: &str,
    verdict: Verdict,
    reason: Option<&str>,
    step: Option<&str>,
) -> MigratedRun {
    MigratedRun {
        id: id.into(),
        from: from.into(),
        verdict,
        reason: reason.map(str::to_string),
        step: step.map(str::to_string),
    }
}

pub async fn migrate_checks_each_run_and_the_moved_run_finishes_on_the_target(store: &Store) {
    let (clock, mut worker) = setup(store, PINNED).await;
    let v1 = store
        .workflow("pinned")
        .await
        .unwrap()
        .unwrap()
        .active_version;
    start_run(store, &clock, "pinned", "p1", json!({})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "p1").await, "waiting");
    let v2 = deploy(store, &PINNED.replace("v: 1", "v: 2")).await;
    let no_gate = "name: pinned\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: mark\n    uses: core.set\n    with: { values: { v: 3 } }\n";
    let v3 = deploy(store, no_gate).await;

    // To the active version (v3): `gate` is gone, the run stays on v1.
    let refused = migrate(store, &req("pinned", None, None, false), clock.now())
        .await
        .unwrap();
    assert_eq!(
        (refused.to.as_str(), refused.migrated, refused.failed),
        (v3.as_str(), 0, 1)
    );
    let reason = "step `gate` is not in the target version";
    assert_eq!(
        refused.runs,
        [one("p1", &v1, Verdict::Refused, Some(reason), Some("gate"))]
    );
    assert_eq!(store.run("p1").await.unwrap().unwrap().version, v1);

    // To v2 by a prefix of its hash: checked, then moved.
    let prefixes = req("pinned", Some(&v1[..10]), Some(&v2[..10]), true);
    let dry = migrate(store, &prefixes, clock.now()).await.unwrap();
    assert_eq!(
        dry.runs,
        [one("p1", &v1, Verdict::WouldMigrate, None, None)]
    );
    assert_eq!(store.run("p1").await.unwrap().unwrap().version, v1);
    let moved = migrate(
        store,
        &req("pinned", None, Some(&v2[..10]), false),
        clock.now(),
    )
    .await
    .unwrap();
    assert_eq!(
        (moved.to.as_str(), moved.migrated, moved.failed),
        (v2.as_str(), 1, 0)
    );
    assert_eq!(moved.runs, [one("p1", &v1, Verdict::Migrated, None, None)]);
    assert_eq!(store.run("p1").await.unwrap().unwrap().version, v2);
    let again = migrate(store, &req("pinned", None, Some(&v2), false), clock.now())
        .await
        .unwrap();
    assert_eq!((again.migrated, again.failed, again.runs.len()), (0, 0, 0));
    let unknown = migrate(store, &req("pinned", None, Some("zz"), false), clock.now()).await;
    assert_eq!(
        unknown.unwrap_err().to_string(),
        "version `zz` of workflow `pinned` does not exist"
    );

    storeops_runtime::review::decide_approval(
        store,
        "p1/gate/0",
        "approve",
        "user:r",
        None,
        clock.now(),
    )
    .await
    .unwrap();
    drive(&mut worker).await;
    assert_eq!(status(store, "p1").await, "completed");
    assert_eq!(output(store, "p1", "mark").await, json!({"v": 2}));
    let audited = store.audit_rows(Some("operator"), 0, 10).await.unwrap();
    let entry = &audited[0].entry;
    assert_eq!(audited.len(), 1);
    assert_eq!(
        (
            entry.actor.as_str(),
            entry.action.as_str(),
            entry.subject.as_str()
        ),
        ("user:olga", "run.migrated", "p1")
    );
    assert_eq!(entry.output, json!({"from": v1, "to": v2}).to_string());
    assert_eq!(
        history(store, "p1").await,
        [
            "run_started",
            "approval_requested:gate",
            "run_migrated",
            "approval_decided:gate",
            "step_completed:mark",
            "run_completed"
        ]
    );
}

pub async fn migrate_leaves_a_run_a_worker_holds(store: &Store) {
    let (clock, _) = setup(store, TWO).await;
    let mut worker = chained_worker(store, &clock, "stepwise", 1);
    let v1 = store.workflow("two").await.unwrap().unwrap().active_version;
    start_run(store, &clock, "two", "t1", json!({})).await;
    // One round of a worker committing after every step: `a` done, the run
    // held (leased) for `b`.
    worker.round().await.unwrap();
    deploy(store, &TWO.replace("n: 2", "n: 20")).await;
    let busy = migrate(store, &req("two", None, None, false), clock.now())
        .await
        .unwrap();
    assert_eq!((busy.migrated, busy.failed), (0, 1));
    assert_eq!(busy.runs[0].verdict, Verdict::Busy);
    assert_eq!(busy.runs[0].from, v1);
    drive(&mut worker).await;
    assert_eq!(status(store, "t1").await, "completed");
    assert_eq!(store.run("t1").await.unwrap().unwrap().version, v1);
    assert_eq!(output(store, "t1", "b").await, json!({"n": 2}));
}

pub async fn pruning_keeps_running_runs_and_the_counts(store: &Store) {
    let (clock, mut worker) = setup(store, PINNED).await;
    for id in ["p1", "p2", "p3"] {
        start_run(store, &clock, "pinned", id, json!({})).await;
    }
    drive(&mut worker).await;
    for key in ["p1/gate/0", "p2/gate/0"] {
        storeops_runtime::review::decide_approval(
            store,
            key,
            "approve",
            "user:r",
            None,
            clock.now(),
        )
        .await
        .unwrap();
    }
    drive(&mut worker).await;
    let counts = vec![("completed".to_string(), 2), ("waiting".to_string(), 1)];
    assert_eq!(
        store.count_runs_by_status(Some("pinned")).await.unwrap(),
        counts
    );
    // Commits are stamped with the wall clock: nothing is 30 days old, and
    // 0 days keeps everything.
    assert_eq!(prune(store, 30, Utc::now()).await.unwrap().runs, 0);
    assert_eq!(
        prune(store, 0, Utc::now() + Duration::days(400))
            .await
            .unwrap()
            .runs,
        0
    );
    let pruned = prune(store, 1, Utc::now() + Duration::days(2))
        .await
        .unwrap();
    assert_eq!(
        pruned.groups,
        [PrunedGroup {
            workflow: "pinned".into(),
            status: "completed".into(),
            runs: 2
        }]
    );
    assert_eq!(store.run("p1").await.unwrap(), None);
    assert!(store.run_history("p2").await.unwrap().is_empty());
    assert_eq!(status(store, "p3").await, "waiting");
    assert_eq!(
        store.count_runs_by_status(Some("pinned")).await.unwrap(),
        counts
    );

    // The periodic pruner prunes again every `every` until it is told to
    // stop: p3 finishes after its first round and goes in a later one.
    let later = ManualClock::new(Utc::now() + Duration::days(2));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let pruner = tokio::spawn(run_pruner(
        store.clone(),
        1,
        Arc::new(later),
        std::time::Duration::from_millis(20),
        async move {
            let _ = stopped.await;
        },
    ));
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(status(store, "p3").await, "waiting");
    storeops_runtime::review::decide_approval(
        store,
        "p3/gate/0",
        "approve",
        "user:r",
        None,
        clock.now(),
    )
    .await
    .unwrap();
    drive(&mut worker).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while store.run("p3").await.unwrap().is_some() {
        assert!(
            std::time::Instant::now() < deadline,
            "p3 not pruned in 10 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(
        store.count_runs_by_status(Some("pinned")).await.unwrap(),
        [("completed".to_string(), 3)]
    );
    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), pruner)
        .await
        .expect("the pruner stops when told to")
        .unwrap();
}
