//! Conformance cases for run retention and version migration (migrations
//! 0003 and 0006): pruning removes finished runs only and keeps their
//! counts; a run moves to another version (audited) only while unleased,
//! unfinished and at the checked history position.

use chrono::{Duration, Utc};
use storeops_store::{
    AuditEntry, ItemFilter, NewItem, NewRun, Pruned, PrunedGroup, RunMigration, RunUpdate, Store,
};

use super::workflow::{at, new_run, started, update, version};
use super::workflow_items::second_store;
use crate::common;

fn item(key: &str, run_id: &str) -> NewItem {
    NewItem {
        key: key.into(),
        kind: "approval".into(),
        run_id: run_id.into(),
        workflow: "refunds".into(),
        step: "approve".into(),
        role: "manager".into(),
        title: format!("Decide {key}"),
        options: "[\"approve\"]".into(),
        context: "{}".into(),
        due_at: None,
    }
}

fn group(workflow: &str, status: &str, runs: u64) -> PrunedGroup {
    PrunedGroup {
        workflow: workflow.into(),
        status: status.into(),
        runs,
    }
}

fn counted(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
    pairs.iter().map(|(s, n)| (s.to_string(), *n)).collect()
}

pub async fn prune_counts_then_removes_finished_runs_only(store: &Store) {
    started(store, &["r-1", "r-2", "r-3", "r-4"]).await;
    store
        .deploy_workflow(&version("alerts", "v1"), "live")
        .await
        .unwrap();
    store
        .start_runs(&[new_run("a-1", "alerts", at(2, 0))])
        .await
        .unwrap();
    store
        .claim_runs("w1", at(2, 1), at(2, 2), 10, false)
        .await
        .unwrap();
    let mut running = update("r-4", 1, "running", None);
    running.keep_lease = true;
    let updates = [
        update("r-1", 1, "completed", None),
        update("r-2", 1, "failed", None),
        update("r-3", 1, "waiting", None),
        running,
        update("a-1", 1, "cancelled", None),
    ];
    let items = [item("r-1/approve/0", "r-1"), item("r-3/approve/0", "r-3")];
    assert_eq!(
        store
            .commit_runs("w1", &updates, &[], &items)
            .await
            .unwrap(),
        vec![true; 5]
    );
    store.enqueue_inbox("r-1", "{}", at(2, 3)).await.unwrap();
    let all = counted(&[
        ("cancelled", 1),
        ("completed", 1),
        ("failed", 1),
        ("running", 1),
        ("waiting", 1),
    ]);
    let refunds = counted(&[
        ("completed", 1),
        ("failed", 1),
        ("running", 1),
        ("waiting", 1),
    ]);
    assert_eq!(store.count_runs_by_status(None).await.unwrap(), all);
    assert_eq!(
        store.count_runs_by_status(Some("refunds")).await.unwrap(),
        refunds
    );

    // Commits stamp the wall clock: nothing finished before 2024-06-01.
    assert_eq!(store.prune_runs(at(1, 0)).await.unwrap(), Pruned::default());
    let later = Utc::now() + Duration::days(1);
    assert_eq!(
        store.prune_runs(later).await.unwrap(),
        Pruned {
            runs: 3,
            groups: vec![
                group("alerts", "cancelled", 1),
                group("refunds", "completed", 1),
                group("refunds", "failed", 1),
            ],
        }
    );
    assert_eq!(store.prune_runs(later).await.unwrap(), Pruned::default());
    for gone in ["r-1", "r-2", "a-1"] {
        assert_eq!(store.run(gone).await.unwrap(), None, "{gone}");
        assert!(store.run_history(gone).await.unwrap().is_empty(), "{gone}");
    }
    assert_eq!(store.item("r-1/approve/0").await.unwrap(), None);
    assert_eq!(store.run("r-3").await.unwrap().unwrap().status, "waiting");
    assert_eq!(store.run("r-4").await.unwrap().unwrap().status, "running");
    assert_eq!(store.run_history("r-3").await.unwrap().len(), 2);
    assert_eq!(store.run_history("r-4").await.unwrap().len(), 2);
    let open = store.list_items(&ItemFilter::default()).await.unwrap();
    let keys: Vec<&str> = open.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, ["r-3/approve/0"]);
    // Counts before == counts after.
    assert_eq!(store.count_runs_by_status(None).await.unwrap(), all);
    assert_eq!(
        store.count_runs_by_status(Some("refunds")).await.unwrap(),
        refunds
    );
    assert_eq!(
        store.count_runs_by_status(Some("alerts")).await.unwrap(),
        counted(&[("cancelled", 1)])
    );

    // A later run finished on the same day adds to the stored count.
    store
        .start_runs(&[new_run("r-5", "refunds", at(1, 5))])
        .await
        .unwrap();
    store
        .claim_runs("w2", at(2, 1), at(2, 2), 10, false)
        .await
        .unwrap();
    assert_eq!(
        store
            .commit_runs("w2", &[update("r-5", 1, "completed", None)], &[], &[])
            .await
            .unwrap(),
        vec![true]
    );
    assert_eq!(
        store.prune_runs(later).await.unwrap(),
        Pruned {
            runs: 1,
            groups: vec![group("refunds", "completed", 1)],
        }
    );
    assert_eq!(
        store.count_runs_by_status(Some("refunds")).await.unwrap(),
        counted(&[
            ("completed", 2),
            ("failed", 1),
            ("running", 1),
            ("waiting", 1)
        ])
    );
}

fn migration(run_id: &str, from: &str, to: &str, seq: i64, hour: u32) -> RunMigration {
    RunMigration {
        run_id: run_id.into(),
        from: from.into(),
        to: to.into(),
        seq,
        events: format!("[{{\"migrated\":\"{to}\"}}]"),
        at: at(1, hour),
        audit: Some(AuditEntry {
            chain: "operator".into(),
            actor: "user:olga".into(),
            action: "run.migrated".into(),
            subject: run_id.into(),
            inputs_digest: String::new(),
            output: format!("{{\"from\":\"{from}\",\"to\":\"{to}\"}}"),
            version: to.into(),
            reason: None,
            at: at(1, hour),
        }),
    }
}

pub async fn migrate_run_moves_only_unleased_unfinished_runs_at_their_seq(store: &Store) {
    started(store, &["r-1", "r-2", "r-3"]).await;
    store
        .claim_runs("w1", at(1, 1), at(1, 2), 10, false)
        .await
        .unwrap();
    let updates = [
        update("r-1", 1, "waiting", None),
        update("r-3", 1, "completed", None),
    ];
    assert_eq!(
        store.commit_runs("w1", &updates, &[], &[]).await.unwrap(),
        vec![true, true]
    );
    let unfinished = store.unfinished_runs("refunds").await.unwrap();
    let ids: Vec<&str> = unfinished.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["r-1", "r-2"]);
    assert!(store.unfinished_runs("other").await.unwrap().is_empty());
    assert_eq!(store.run_next_seq("r-1").await.unwrap(), Some(2));
    assert_eq!(store.run_next_seq("nope").await.unwrap(), None);

    assert!(store
        .migrate_run(&migration("r-1", "v1", "v2", 2, 1))
        .await
        .unwrap());
    let run = store.run("r-1").await.unwrap().unwrap();
    assert_eq!(
        (run.version.as_str(), run.status.as_str()),
        ("v2", "waiting")
    );
    let history = store.run_history("r-1").await.unwrap();
    let chunks: Vec<(i64, &str)> = history.iter().map(|(s, _, e)| (*s, e.as_str())).collect();
    assert_eq!(
        chunks,
        [
            (0, "[{\"started\":\"r-1\"}]"),
            (1, "[{\"chunk\":1}]"),
            (2, "[{\"migrated\":\"v2\"}]")
        ]
    );
    assert_eq!(store.run_next_seq("r-1").await.unwrap(), Some(3));
    // Not on `from` any more; a stale seq; finished; unknown: nothing moves.
    for refused in [
        migration("r-1", "v1", "v3", 3, 1),
        migration("r-1", "v2", "v3", 2, 1),
        migration("r-3", "v1", "v2", 2, 3),
        migration("nope", "v1", "v2", 0, 3),
    ] {
        assert!(!store.migrate_run(&refused).await.unwrap(), "{refused:?}");
    }
    assert_eq!(store.run("r-3").await.unwrap().unwrap().version, "v1");
    assert_eq!(store.run_history("r-3").await.unwrap().len(), 2);
    // r-2 is leased by w1 until 02:00: not at 01:00, yes once it expired.
    assert!(!store
        .migrate_run(&migration("r-2", "v1", "v2", 1, 1))
        .await
        .unwrap());
    assert_eq!(store.run("r-2").await.unwrap().unwrap().version, "v1");
    assert!(store
        .migrate_run(&migration("r-2", "v1", "v2", 1, 3))
        .await
        .unwrap());
    // The old lease holder's commit does not apply any more.
    assert_eq!(
        store
            .commit_runs("w1", &[update("r-2", 1, "completed", None)], &[], &[])
            .await
            .unwrap(),
        vec![false]
    );
    let claimed = store
        .claim_runs("w2", at(1, 4), at(1, 5), 10, false)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        (claimed[0].id.as_str(), claimed[0].version.as_str()),
        ("r-2", "v2")
    );
    assert_eq!(claimed[0].next_seq, 2);
    assert_eq!(claimed[0].history[1], "[{\"migrated\":\"v2\"}]");
    // One audit entry per run that moved, none for the refusals.
    let audited = store.audit_rows(Some("operator"), 0, 100).await.unwrap();
    let subjects: Vec<(&str, &str)> = audited
        .iter()
        .map(|r| (r.entry.subject.as_str(), r.entry.output.as_str()))
        .collect();
    assert_eq!(
        subjects,
        [
            ("r-1", "{\"from\":\"v1\",\"to\":\"v2\"}"),
            ("r-2", "{\"from\":\"v1\",\"to\":\"v2\"}")
        ]
    );
    assert!(store.verify_audit().await.unwrap().ok);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_concurrent_pruners_count_each_run_once() {
    let Some(ctx) = common::pg_store().await else {
        return;
    };
    let store = &ctx.store;
    started(store, &[]).await;
    let runs: Vec<NewRun> = (0..2_500)
        .map(|i| new_run(&format!("r-{i:04}"), "refunds", at(1, 0)))
        .collect();
    store.start_runs(&runs).await.unwrap();
    let claimed = store
        .claim_runs("w1", at(1, 1), at(1, 2), 5_000, false)
        .await
        .unwrap();
    let updates: Vec<RunUpdate> = claimed
        .iter()
        .map(|c| update(&c.id, c.next_seq, "completed", None))
        .collect();
    store.commit_runs("w1", &updates, &[], &[]).await.unwrap();
    let other = second_store(&ctx).await;
    let later = Utc::now() + Duration::days(1);
    let pruner = |store: Store| tokio::spawn(async move { store.prune_runs(later).await });
    let (a, b) = tokio::join!(pruner(store.clone()), pruner(other.clone()));
    let (a, b) = (a.unwrap().unwrap(), b.unwrap().unwrap());
    assert_eq!(a.runs + b.runs, 2_500, "{} + {}", a.runs, b.runs);
    assert_eq!(
        store.count_runs_by_status(Some("refunds")).await.unwrap(),
        counted(&[("completed", 2_500)])
    );
    assert!(store.unfinished_runs("refunds").await.unwrap().is_empty());
    println!("pruners removed {} and {}", a.runs, b.runs);
    other.close().await;
    ctx.finish().await;
}
