//! Conformance cases for workflow storage (migration 0003), part two:
//! paused workflows, items and the inbox, outcomes, bulk timings;
//! and, on PostgreSQL only, concurrent claimers and the run listener.

use std::collections::HashSet;
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use storeops_store::{
    ConnectOptions, ItemFilter, NewItem, NewRun, Outcome, RunUpdate, Store, StoreEffect, StoreError,
};

use super::workflow::{at, ids, new_run, started, update, version};
use crate::common;

/// An open item of run `run_id` for `role`.
fn item(key: &str, kind: &str, run_id: &str, role: &str) -> NewItem {
    NewItem {
        key: key.into(),
        kind: kind.into(),
        run_id: run_id.into(),
        workflow: "refunds".into(),
        step: "approve".into(),
        role: role.into(),
        title: format!("Decide {key}"),
        options: "[\"approve\",\"reject\"]".into(),
        context: "{}".into(),
        due_at: Some(at(3, 0)),
    }
}

pub async fn paused_workflows_are_not_claimed(store: &Store) {
    started(store, &["r-1"]).await;
    store
        .deploy_workflow(&version("alerts", "a1"), "live")
        .await
        .unwrap();
    store
        .start_runs(&[new_run("a-1", "alerts", at(1, 0))])
        .await
        .unwrap();
    store.set_workflow_paused("refunds", true).await.unwrap();
    let claimed = store
        .claim_runs("w1", at(1, 1), at(1, 2), 10, true)
        .await
        .unwrap();
    assert_eq!(ids(&claimed), vec!["a-1"]);
    let claimed = store
        .claim_runs("w1", at(1, 1), at(1, 2), 10, false)
        .await
        .unwrap();
    assert_eq!(ids(&claimed), vec!["r-1"]);
    store.release_leases("w1").await.unwrap();
    store.set_workflow_paused("refunds", false).await.unwrap();
    let claimed = store
        .claim_runs("w1", at(1, 1), at(1, 2), 1, true)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
}

pub async fn items_close_into_the_inbox_once(store: &Store) {
    started(store, &["r-1"]).await;
    store
        .claim_runs("w1", at(1, 1), at(1, 2), 10, true)
        .await
        .unwrap();
    let items = [
        item("r-1/approve", "approval", "r-1", "manager"),
        item("r-1/x", "exception", "r-1", "ops"),
    ];
    let waiting = update("r-1", 1, "waiting", None);
    assert_eq!(
        store
            .commit_runs("w1", &[waiting], &[], &items)
            .await
            .unwrap(),
        vec![true]
    );
    // The same key again keeps the first item.
    let mut changed = items[0].clone();
    changed.title = "Other".into();
    store.commit_runs("w1", &[], &[], &[changed]).await.unwrap();
    let open = store.item("r-1/approve").await.unwrap().unwrap();
    assert_eq!(
        (open.title.as_str(), open.status.as_str(), open.due_at),
        ("Decide r-1/approve", "open", Some(at(3, 0)))
    );
    assert_eq!(store.run("r-1").await.unwrap().unwrap().due_at, None);
    assert!(store
        .claim_runs("w1", at(2, 0), at(2, 1), 10, true)
        .await
        .unwrap()
        .is_empty());
    let filter = |role: Option<&str>, status: &str| ItemFilter {
        role: role.map(String::from),
        status: Some(status.into()),
        ..ItemFilter::default()
    };
    let keys =
        |rows: Vec<storeops_store::ItemRow>| rows.into_iter().map(|i| i.key).collect::<Vec<_>>();
    assert_eq!(
        keys(store.list_items(&filter(None, "open")).await.unwrap()),
        vec!["r-1/approve", "r-1/x"]
    );
    assert_eq!(
        keys(
            store
                .list_items(&filter(Some("manager"), "open"))
                .await
                .unwrap()
        ),
        vec!["r-1/approve"]
    );
    let kind = ItemFilter {
        kind: Some("exception".into()),
        ..ItemFilter::default()
    };
    assert_eq!(keys(store.list_items(&kind).await.unwrap()), vec!["r-1/x"]);
    let closed = store
        .close_item(
            "r-1/approve",
            "approve",
            "ann",
            Some("fine"),
            "{\"approved\":true}",
            at(2, 3),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            closed.status.as_str(),
            closed.closed_at,
            closed.decision.as_deref(),
            closed.actor.as_deref(),
            closed.reason.as_deref()
        ),
        (
            "closed",
            Some(at(2, 3)),
            Some("approve"),
            Some("ann"),
            Some("fine")
        )
    );
    assert_eq!(store.item("r-1/approve").await.unwrap(), Some(closed));
    assert_eq!(
        store.run("r-1").await.unwrap().unwrap().due_at,
        Some(at(2, 3))
    );
    match store
        .close_item("r-1/approve", "reject", "bob", None, "{}", at(2, 4))
        .await
    {
        Err(StoreError::Conflict { what, key }) => {
            assert_eq!((what, key.as_str()), ("closed item", "r-1/approve"))
        }
        other => panic!("expected Conflict, got {other:?}"),
    }
    assert!(matches!(
        store
            .close_item("nope", "x", "bob", None, "{}", at(2, 4))
            .await,
        Err(StoreError::NotFound { what: "item", .. })
    ));
    // An earlier due time is kept; later inbox events do not postpone it.
    let second = store
        .enqueue_inbox("r-1", "{\"n\":2}", at(2, 5))
        .await
        .unwrap();
    assert_eq!(
        store.run("r-1").await.unwrap().unwrap().due_at,
        Some(at(2, 3))
    );
    assert!(matches!(
        store.enqueue_inbox("ghost", "{}", at(2, 5)).await,
        Err(StoreError::NotFound { what: "run", .. })
    ));
    let claimed = store
        .claim_runs("w1", at(2, 3), at(2, 6), 10, true)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let inbox: Vec<&str> = claimed[0].inbox.iter().map(|(_, e)| e.as_str()).collect();
    assert_eq!(inbox, vec!["{\"approved\":true}", "{\"n\":2}"]);
    assert_eq!(claimed[0].inbox[1].0, second);
    let first = claimed[0].inbox[0].0;
    let consume = RunUpdate {
        consumed_inbox: vec![first],
        ..update("r-1", 2, "running", Some(at(2, 7)))
    };
    assert_eq!(
        store.commit_runs("w1", &[consume], &[], &[]).await.unwrap(),
        vec![true]
    );
    let claimed = store
        .claim_runs("w1", at(2, 7), at(2, 8), 10, true)
        .await
        .unwrap();
    assert_eq!(claimed[0].inbox, vec![(second, "{\"n\":2}".to_string())]);
    // A terminal run's inbox entry is kept but does not make it due.
    assert_eq!(
        store
            .commit_runs("w1", &[update("r-1", 3, "cancelled", None)], &[], &[])
            .await
            .unwrap(),
        vec![true]
    );
    store
        .enqueue_inbox("r-1", "{\"late\":true}", at(2, 9))
        .await
        .unwrap();
    assert_eq!(store.run("r-1").await.unwrap().unwrap().due_at, None);
}

pub async fn a_decision_during_the_release_keeps_the_run_due(store: &Store) {
    started(store, &["r-1", "r-2"]).await;
    let claimed = store
        .claim_runs("w1", at(1, 1), at(1, 2), 10, true)
        .await
        .unwrap();
    assert_eq!(ids(&claimed), vec!["r-1", "r-2"]);
    // A decision for r-1 arrives after the worker read the runs, before it
    // releases them as waiting for a person (due_at None).
    store
        .enqueue_inbox("r-1", "{\"decided\":true}", at(1, 1))
        .await
        .unwrap();
    let before = Utc::now();
    let released = [
        update("r-1", 1, "waiting", None),
        update("r-2", 1, "waiting", None),
    ];
    assert_eq!(
        store.commit_runs("w1", &released, &[], &[]).await.unwrap(),
        vec![true, true]
    );
    let due = store.run("r-1").await.unwrap().unwrap().due_at;
    assert!(
        due.is_some_and(|d| d >= before - Duration::seconds(1)),
        "{due:?}"
    );
    assert_eq!(store.run("r-2").await.unwrap().unwrap().due_at, None);
    let claimed = store
        .claim_runs(
            "w2",
            Utc::now(),
            Utc::now() + Duration::minutes(1),
            10,
            true,
        )
        .await
        .unwrap();
    assert_eq!(ids(&claimed), vec!["r-1"]);
    assert_eq!(claimed[0].inbox.len(), 1);
}

pub async fn outcomes_keep_the_first_row(store: &Store) {
    started(store, &["r-1"]).await;
    let outcome = |key: &str, fields: &str| {
        StoreEffect::Insert(Outcome {
            entity: "refund_decisions".into(),
            key: key.into(),
            fields: fields.into(),
            run_id: "r-1".into(),
            step: "record".into(),
        })
    };
    let rows = [
        outcome("o-1", "{\"v\":1}"),
        outcome("o-2", "{\"v\":2}"),
        outcome("o-1", "{\"v\":3}"),
    ];
    store.commit_runs("w1", &[], &rows, &[]).await.unwrap();
    store
        .commit_runs("w1", &[], &[outcome("o-2", "{\"v\":4}")], &[])
        .await
        .unwrap();
    assert_eq!(
        store.outcomes("refund_decisions").await.unwrap(),
        vec![
            ("o-1".to_string(), "{\"v\":1}".to_string()),
            ("o-2".to_string(), "{\"v\":2}".to_string())
        ]
    );
    assert_eq!(store.count_outcomes("refund_decisions").await.unwrap(), 2);
    assert_eq!(store.count_outcomes("other").await.unwrap(), 0);
}

/// 2,000 runs started and 2,000 updates committed, each in one call.
pub async fn bulk_start_and_commit_2000(store: &Store) {
    store.migrate().await.unwrap();
    let runs: Vec<NewRun> = (0..2_000)
        .map(|i| new_run(&format!("r-{i:05}"), "bulk", at(1, 0)))
        .collect();
    let started = Instant::now();
    let fresh = store.start_runs(&runs).await.unwrap();
    let start_time = started.elapsed();
    assert_eq!(fresh.iter().filter(|&&new| new).count(), 2_000);
    let claimed = store
        .claim_runs("w1", at(1, 1), at(1, 2), 5_000, false)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2_000);
    let updates: Vec<RunUpdate> = claimed
        .iter()
        .map(|c| update(&c.id, c.next_seq, "completed", None))
        .collect();
    let started = Instant::now();
    let applied = store.commit_runs("w1", &updates, &[], &[]).await.unwrap();
    let commit_time = started.elapsed();
    assert!(applied.iter().all(|&ok| ok));
    println!(
        "{:?}: start_runs 2,000 in {start_time:?}, commit_runs 2,000 in {commit_time:?}",
        store.backend()
    );
    assert_eq!(
        store.count_runs_by_status(Some("bulk")).await.unwrap(),
        vec![("completed".to_string(), 2_000)]
    );
    assert_eq!(store.run_history("r-01999").await.unwrap().len(), 2);
}

/// Another store on the same database (PostgreSQL: the same schema).
pub async fn second_store(ctx: &common::TestStore) -> Store {
    let opts = ConnectOptions {
        pg_schema: ctx.pg_schema.clone(),
        max_connections: 4,
        ..ConnectOptions::default()
    };
    Store::connect_with(&ctx.url, &opts).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_concurrent_claimers_get_disjoint_runs() {
    let Some(ctx) = common::pg_store().await else {
        return;
    };
    let store = &ctx.store;
    store.migrate().await.unwrap();
    let runs: Vec<NewRun> = (0..500)
        .map(|i| new_run(&format!("r-{i:03}"), "refunds", at(1, 0)))
        .collect();
    store.start_runs(&runs).await.unwrap();
    let other = second_store(&ctx).await;
    let claimer = |store: Store, owner: &'static str| {
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let batch = store
                    .claim_runs(owner, at(1, 1), at(1, 2), 7, false)
                    .await
                    .unwrap();
                if batch.is_empty() {
                    return mine;
                }
                mine.extend(batch.into_iter().map(|c| c.id));
            }
        })
    };
    let (a, b) = tokio::join!(claimer(store.clone(), "w1"), claimer(other.clone(), "w2"));
    let (a, b) = (a.unwrap(), b.unwrap());
    let all: HashSet<&String> = a.iter().chain(&b).collect();
    assert_eq!(
        a.len() + b.len(),
        500,
        "claimed twice: {} + {}",
        a.len(),
        b.len()
    );
    assert_eq!(all.len(), 500);
    println!("claimers got {} and {}", a.len(), b.len());
    other.close().await;
    ctx.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_listener_wakes_on_postgres_and_sleeps_on_sqlite() {
    let lite = common::sqlite_store().await.unwrap();
    let mut listener = lite.store.listen_runs().await.unwrap();
    let started = Instant::now();
    assert!(!listener.wait(StdDuration::from_millis(50)).await);
    assert!(started.elapsed() >= StdDuration::from_millis(50));
    lite.finish().await;
    let Some(ctx) = common::pg_store().await else {
        return;
    };
    ctx.store.migrate().await.unwrap();
    let mut listener = ctx.store.listen_runs().await.unwrap();
    assert!(!listener.wait(StdDuration::from_millis(50)).await);
    ctx.store
        .start_runs(&[new_run("r-1", "refunds", at(1, 0))])
        .await
        .unwrap();
    assert!(listener.wait(StdDuration::from_secs(5)).await);
    // A resubmission inserts nothing and wakes nobody.
    ctx.store
        .start_runs(&[new_run("r-1", "refunds", at(1, 0))])
        .await
        .unwrap();
    assert!(!listener.wait(StdDuration::from_millis(50)).await);
    // Three runs take two statements in one transaction; its commit wakes.
    let three: Vec<_> = ["r-2", "r-3", "r-4"]
        .into_iter()
        .map(|id| new_run(id, "refunds", at(1, 0)))
        .collect();
    assert_eq!(
        ctx.store.start_runs(&three).await.unwrap(),
        vec![true, true, true]
    );
    assert!(listener.wait(StdDuration::from_secs(5)).await);
    ctx.finish().await;
}
