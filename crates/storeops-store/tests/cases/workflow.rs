//! Conformance cases for workflow storage (migration 0003), part one:
//! deploying versions, idempotent run submission, claim → commit under
//! leases and run listings. Part two is `workflow_items.rs`.

use chrono::{DateTime, TimeZone, Utc};
use storeops_store::{NewRun, RunCursor, RunFilter, RunUpdate, Store, StoreError, WorkflowVersion};

/// 2024-06-`day` at `hour`:00 UTC.
pub fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, day, hour, 0, 0).unwrap()
}

/// A version of `workflow` with content hash `hash`.
pub fn version(workflow: &str, hash: &str) -> WorkflowVersion {
    WorkflowVersion {
        workflow: workflow.into(),
        version: hash.into(),
        source: format!("name: {workflow}\n"),
        plan: format!("{{\"hash\":\"{hash}\"}}"),
    }
}

/// A live `refunds`-style run of `workflow` starting at `at`.
pub fn new_run(id: &str, workflow: &str, at: DateTime<Utc>) -> NewRun {
    NewRun {
        id: id.into(),
        workflow: workflow.into(),
        version: "v1".into(),
        mode: "live".into(),
        input: format!("{{\"id\":\"{id}\"}}"),
        events: format!("[{{\"started\":\"{id}\"}}]"),
        at,
    }
}

/// The update writing chunk `seq` of `run_id`.
pub fn update(run_id: &str, seq: i64, status: &str, due_at: Option<DateTime<Utc>>) -> RunUpdate {
    RunUpdate {
        run_id: run_id.into(),
        seq,
        events: format!("[{{\"chunk\":{seq}}}]"),
        status: status.into(),
        due_at,
        keep_lease: false,
        output: None,
        error: None,
        consumed_inbox: Vec::new(),
        wait: storeops_store::WaitChange::Unchanged,
        starts: Vec::new(),
        messages: Vec::new(),
    }
}

/// Deploys `refunds` v1 and starts the runs `ids` at 2024-06-01 00:00.
pub async fn started(store: &Store, ids: &[&str]) {
    store.migrate().await.unwrap();
    store
        .deploy_workflow(&version("refunds", "v1"), "live")
        .await
        .unwrap();
    let runs: Vec<NewRun> = ids
        .iter()
        .map(|id| new_run(id, "refunds", at(1, 0)))
        .collect();
    assert!(store
        .start_runs(&runs)
        .await
        .unwrap()
        .iter()
        .all(|&new| new));
}

/// Ids of claimed runs.
pub fn ids(claimed: &[storeops_store::ClaimedRun]) -> Vec<&str> {
    claimed.iter().map(|c| c.id.as_str()).collect()
}

pub async fn workflows_deploy_once_and_keep_mode_and_pause(store: &Store) {
    store.migrate().await.unwrap();
    assert!(store
        .deploy_workflow(&version("refunds", "v1"), "shadow")
        .await
        .unwrap());
    assert!(!store
        .deploy_workflow(&version("refunds", "v1"), "live")
        .await
        .unwrap());
    let row = store.workflow("refunds").await.unwrap().unwrap();
    assert_eq!(
        (row.active_version.as_str(), row.mode.as_str(), row.paused),
        ("v1", "shadow", false)
    );
    store.set_workflow_mode("refunds", "live").await.unwrap();
    store.set_workflow_paused("refunds", true).await.unwrap();
    assert!(store
        .deploy_workflow(&version("refunds", "v2"), "off")
        .await
        .unwrap());
    let row = store.workflow("refunds").await.unwrap().unwrap();
    assert_eq!(
        (row.active_version.as_str(), row.mode.as_str(), row.paused),
        ("v2", "live", true)
    );
    // Redeploying an old version switches back without storing it again.
    assert!(!store
        .deploy_workflow(&version("refunds", "v1"), "off")
        .await
        .unwrap());
    assert_eq!(
        store
            .workflow("refunds")
            .await
            .unwrap()
            .unwrap()
            .active_version,
        "v1"
    );
    assert!(store
        .deploy_workflow(&version("alerts", "a1"), "off")
        .await
        .unwrap());
    let names: Vec<String> = store
        .workflows()
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.name)
        .collect();
    assert_eq!(names, vec!["alerts", "refunds"]);
    assert_eq!(
        store.workflow_version("refunds", "v2").await.unwrap(),
        Some(version("refunds", "v2"))
    );
    assert_eq!(store.workflow_version("refunds", "v3").await.unwrap(), None);
    let versions: Vec<String> = store
        .workflow_versions("refunds")
        .await
        .unwrap()
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    assert_eq!(versions.len(), 2);
    assert!(versions.contains(&"v1".to_string()) && versions.contains(&"v2".to_string()));
    assert_eq!(store.workflow("ghost").await.unwrap(), None);
    match store.set_workflow_paused("ghost", true).await {
        Err(StoreError::NotFound { what, key }) => {
            assert_eq!((what, key.as_str()), ("workflow", "ghost"))
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert!(matches!(
        store.set_workflow_mode("ghost", "live").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.set_workflow_mode("refunds", "loud").await,
        Err(StoreError::InvalidQuery { field, .. }) if field == "mode"
    ));
}

pub async fn runs_start_idempotently(store: &Store) {
    started(store, &["r-1"]).await;
    let mut again = new_run("r-1", "refunds", at(2, 0));
    again.events = "[\"other\"]".into();
    let fresh = store
        .start_runs(&[
            again,
            new_run("r-2", "refunds", at(1, 1)),
            new_run("r-2", "refunds", at(1, 2)),
        ])
        .await
        .unwrap();
    assert_eq!(fresh, vec![false, true, false]);
    let history = store.run_history("r-1").await.unwrap();
    assert_eq!(
        history,
        vec![(0, at(1, 0), "[{\"started\":\"r-1\"}]".to_string())]
    );
    let run = store.run("r-2").await.unwrap().unwrap();
    assert_eq!(
        (run.status.as_str(), run.created_at, run.due_at, run.output),
        ("running", at(1, 1), Some(at(1, 1)), None)
    );
    assert_eq!(store.run("r-3").await.unwrap(), None);
    assert_eq!(store.start_runs(&[]).await.unwrap(), Vec::<bool>::new());
}

pub async fn runs_are_claimed_committed_and_listed(store: &Store) {
    started(store, &["r-1", "r-2"]).await;
    store
        .start_runs(&[new_run("r-0", "refunds", at(1, 5))])
        .await
        .unwrap();
    // r-0 is due later than the others: not before 05:00.
    let claimed = store
        .claim_runs("w1", at(1, 1), at(1, 2), 10, true)
        .await
        .unwrap();
    assert_eq!(ids(&claimed), vec!["r-1", "r-2"]);
    assert_eq!(claimed[0].history, vec!["[{\"started\":\"r-1\"}]"]);
    assert_eq!(
        (claimed[0].next_seq, claimed[0].input.as_str()),
        (1, "{\"id\":\"r-1\"}")
    );
    let mut waiting = update("r-1", 1, "waiting", Some(at(1, 3)));
    waiting.keep_lease = true;
    let done = RunUpdate {
        output: Some("{\"ok\":true}".into()),
        ..update("r-2", 1, "completed", None)
    };
    let applied = store
        .commit_runs("w1", &[waiting, done], &[], &[])
        .await
        .unwrap();
    assert_eq!(applied, vec![true, true]);
    // Seq must be next_seq: a stale chunk does not apply.
    let stale = store
        .commit_runs("w1", &[update("r-1", 1, "running", None)], &[], &[])
        .await
        .unwrap();
    assert_eq!(stale, vec![false]);
    let r2 = store.run("r-2").await.unwrap().unwrap();
    assert_eq!(
        (r2.status.as_str(), r2.output.as_deref(), r2.due_at),
        ("completed", Some("{\"ok\":true}"), None)
    );
    // r-1 kept its lease (until 02:00) and is due at 03:00.
    assert!(store
        .claim_runs("w2", at(1, 1), at(1, 4), 10, true)
        .await
        .unwrap()
        .is_empty());
    let claimed = store
        .claim_runs("w1", at(1, 3), at(1, 4), 10, true)
        .await
        .unwrap();
    assert_eq!(ids(&claimed), vec!["r-1"]);
    assert_eq!(
        claimed[0].history,
        vec!["[{\"started\":\"r-1\"}]", "[{\"chunk\":1}]"]
    );
    assert_eq!(claimed[0].next_seq, 2);
    let applied = store
        .commit_runs("w1", &[update("r-1", 2, "failed", None)], &[], &[])
        .await
        .unwrap();
    assert_eq!(applied, vec![true]);
    let seqs: Vec<i64> = store
        .run_history("r-1")
        .await
        .unwrap()
        .iter()
        .map(|h| h.0)
        .collect();
    assert_eq!(seqs, vec![0, 1, 2]);
    assert_eq!(
        store
            .extend_leases("w1", &["r-1".into()], at(1, 9))
            .await
            .unwrap(),
        0
    );
    let counts = store.count_runs_by_status(None).await.unwrap();
    assert_eq!(
        counts,
        vec![
            ("completed".to_string(), 1),
            ("failed".to_string(), 1),
            ("running".to_string(), 1)
        ]
    );
    assert_eq!(
        store.count_runs_by_status(Some("other")).await.unwrap(),
        vec![]
    );
    let page = |status: Option<&str>, before: Option<RunCursor>| RunFilter {
        workflow: Some("refunds".into()),
        status: status.map(String::from),
        limit: 2,
        before,
    };
    let first = store.list_runs(&page(None, None)).await.unwrap();
    let first_ids: Vec<&str> = first.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(first_ids, vec!["r-0", "r-2"]);
    let cursor = RunCursor {
        created_at: first[1].created_at,
        id: first[1].id.clone(),
    };
    let second = store.list_runs(&page(None, Some(cursor))).await.unwrap();
    assert_eq!(
        second.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        vec!["r-1"]
    );
    let failed = store.list_runs(&page(Some("failed"), None)).await.unwrap();
    assert_eq!(
        failed.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        vec!["r-1"]
    );
    let bad = RunFilter {
        limit: 0,
        ..RunFilter::default()
    };
    assert!(
        matches!(store.list_runs(&bad).await, Err(StoreError::InvalidQuery { field, .. }) if field == "limit")
    );
    let bad = vec![update("r-0", 1, "sleeping", None)];
    assert!(
        matches!(store.commit_runs("w1", &bad, &[], &[]).await, Err(StoreError::InvalidQuery { field, .. }) if field == "status")
    );
}

pub async fn leases_keep_other_owners_out_until_they_expire(store: &Store) {
    started(store, &["r-1"]).await;
    let claimed = store
        .claim_runs("w1", at(1, 1), at(1, 2), 10, true)
        .await
        .unwrap();
    assert_eq!(ids(&claimed), vec!["r-1"]);
    assert!(store
        .claim_runs("w2", at(1, 1), at(1, 3), 10, true)
        .await
        .unwrap()
        .is_empty());
    // At the lease's end it is still held; after it, anyone may claim.
    assert!(store
        .claim_runs("w2", at(1, 2), at(1, 3), 10, true)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store
            .extend_leases("w1", &["r-1".into()], at(1, 4))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .extend_leases("w2", &["r-1".into()], at(1, 9))
            .await
            .unwrap(),
        0
    );
    assert!(store
        .claim_runs("w2", at(1, 3), at(1, 6), 10, true)
        .await
        .unwrap()
        .is_empty());
    let claimed = store
        .claim_runs("w2", at(1, 5), at(1, 6), 10, true)
        .await
        .unwrap();
    assert_eq!(ids(&claimed), vec!["r-1"]);
    // w1 lost the lease: its commit writes nothing, outcomes and items aside.
    let lost = store
        .commit_runs("w1", &[update("r-1", 1, "completed", None)], &[], &[])
        .await
        .unwrap();
    assert_eq!(lost, vec![false]);
    let run = store.run("r-1").await.unwrap().unwrap();
    assert_eq!(
        (run.status.as_str(), run.due_at),
        ("running", Some(at(1, 0)))
    );
    assert_eq!(store.run_history("r-1").await.unwrap().len(), 1);
    assert_eq!(
        store
            .commit_runs("w2", &[update("r-1", 1, "completed", None)], &[], &[])
            .await
            .unwrap(),
        vec![true]
    );
    // Released leases make runs claimable at once.
    store
        .start_runs(&[new_run("r-2", "refunds", at(1, 0))])
        .await
        .unwrap();
    assert_eq!(
        ids(&store
            .claim_runs("w3", at(1, 7), at(2, 0), 10, true)
            .await
            .unwrap()),
        vec!["r-2"]
    );
    assert_eq!(store.release_leases("w3").await.unwrap(), 1);
    assert_eq!(
        ids(&store
            .claim_runs("w4", at(1, 7), at(2, 0), 10, true)
            .await
            .unwrap()),
        vec!["r-2"]
    );
}
