//! Conformance cases for the hash-chained audit log (migration 0004):
//! appending to interleaved chains, reading rows and heads, audited run
//! commits and item closes, and (with raw SQL on both backends) tampering:
//! edited, deleted and re-hashed rows, truncation against saved heads, and
//! an audit failure rolling back the run commit it belongs to.

use std::time::Instant;

use chrono::{Duration, SubsecRound};
use sqlx::{Connection, Executor};
use storeops_domain::audit_chain::{chain_rows, digest, GENESIS};
use storeops_store::{AuditEntry, AuditHead, Problem, RunUpdate, Store, StoreError};

use super::workflow::{at, started, update};
use crate::common;

/// Entry `i` of `chain` about `subject`, at a time with nanoseconds (the
/// store keeps microseconds).
pub fn entry(chain: &str, subject: &str, i: i64) -> AuditEntry {
    AuditEntry {
        chain: chain.into(),
        actor: "engine".into(),
        action: "step.completed".into(),
        subject: subject.into(),
        inputs_digest: digest(&serde_json::json!({ "i": i })),
        output: format!("{{\"n\":{i}}}"),
        version: "v1".into(),
        reason: (i % 2 == 1).then(|| format!("because {i}")),
        at: at(2, 0) + Duration::nanoseconds(i * 1_000_000_007),
    }
}

/// `entries` as the store keeps them (times in microseconds).
fn stored(entries: &[AuditEntry]) -> Vec<AuditEntry> {
    entries
        .iter()
        .map(|e| AuditEntry {
            at: e.at.trunc_subsecs(6),
            ..e.clone()
        })
        .collect()
}

fn problem(chain: &str, seq: i64, message: &str) -> Problem {
    Problem {
        chain: chain.into(),
        seq,
        message: message.into(),
    }
}

pub async fn audit_chains_append_and_verify(store: &Store) {
    store.migrate().await.unwrap();
    let empty = store.verify_audit().await.unwrap();
    assert_eq!((empty.entries, empty.chains, empty.ok), (0, 0, true));
    let review: Vec<AuditEntry> = (0..8).map(|i| entry("review", "item", i)).collect();
    let engine: Vec<AuditEntry> = (0..2).map(|i| entry("engine:w1", "run", i)).collect();
    store.append_audit(&review[..5]).await.unwrap();
    // One call, two chains interleaved.
    let mixed = vec![
        review[5].clone(),
        engine[0].clone(),
        review[6].clone(),
        engine[1].clone(),
        review[7].clone(),
    ];
    store.append_audit(&mixed).await.unwrap();
    store.append_audit(&[]).await.unwrap();
    let v = store.verify_audit().await.unwrap();
    assert_eq!((v.entries, v.chains, v.ok), (10, 2, true), "{v:?}");
    let expected_review = chain_rows(0, GENESIS, stored(&review));
    let expected_engine = chain_rows(0, GENESIS, stored(&engine));
    assert_eq!(
        store.audit_rows(Some("review"), 0, 100).await.unwrap(),
        expected_review
    );
    assert_eq!(
        store.audit_rows(Some("review"), 6, 100).await.unwrap(),
        expected_review[6..]
    );
    let first = store.audit_rows(None, 0, 3).await.unwrap();
    let got: Vec<(&str, i64)> = first
        .iter()
        .map(|r| (r.entry.chain.as_str(), r.seq))
        .collect();
    assert_eq!(got, vec![("engine:w1", 1), ("engine:w1", 2), ("review", 1)]);
    assert_eq!(
        store.audit_heads().await.unwrap(),
        vec![
            AuditHead {
                chain: "engine:w1".into(),
                seq: 2,
                hash: expected_engine[1].hash.clone()
            },
            AuditHead {
                chain: "review".into(),
                seq: 8,
                hash: expected_review[7].hash.clone()
            },
        ]
    );
    let err = store.audit_rows(None, 0, 0).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::InvalidQuery { field, .. } if field == "limit"),
        "{err}"
    );
}

pub async fn audited_commits_skip_lost_leases(store: &Store) {
    started(store, &["r-1", "r-2"]).await;
    store
        .claim_runs("w1", at(1, 1), at(1, 2), 10, false)
        .await
        .unwrap();
    // r-2's update names a seq the run is not at: it does not apply.
    let updates = [
        update("r-1", 1, "completed", None),
        update("r-2", 7, "completed", None),
    ];
    let audit = [
        entry("engine:w1", "r-1", 1),
        entry("engine:w1", "r-2", 2),
        entry("engine:w1", "order #1", 3),
    ];
    let applied = store
        .commit_runs_audited("w1", &updates, &[], &[], &audit)
        .await
        .unwrap();
    assert_eq!(applied, vec![true, false]);
    let rows = store.audit_rows(Some("engine:w1"), 0, 10).await.unwrap();
    let subjects: Vec<(i64, &str)> = rows
        .iter()
        .map(|r| (r.seq, r.entry.subject.as_str()))
        .collect();
    assert_eq!(subjects, vec![(1, "r-1"), (2, "order #1")]);
    assert_eq!(store.run("r-1").await.unwrap().unwrap().status, "completed");
    assert_eq!(store.run("r-2").await.unwrap().unwrap().status, "running");
    // Plain commit_runs writes no audit rows.
    let retry = [update("r-2", 1, "completed", None)];
    assert_eq!(
        store.commit_runs("w1", &retry, &[], &[]).await.unwrap(),
        vec![true]
    );
    let v = store.verify_audit().await.unwrap();
    assert_eq!((v.entries, v.chains, v.ok), (2, 1, true));
}

pub async fn audited_item_close_writes_once(store: &Store) {
    started(store, &["r-1"]).await;
    store
        .claim_runs("w1", at(1, 1), at(1, 2), 10, false)
        .await
        .unwrap();
    let item = storeops_store::NewItem {
        key: "r-1/approve".into(),
        kind: "approval".into(),
        run_id: "r-1".into(),
        workflow: "refunds".into(),
        step: "approve".into(),
        role: "manager".into(),
        title: "Approve".into(),
        options: "[\"approve\",\"reject\"]".into(),
        context: "{}".into(),
        due_at: None,
    };
    let waiting = update("r-1", 1, "waiting", None);
    store
        .commit_runs("w1", &[waiting], &[], &[item])
        .await
        .unwrap();
    let decision = AuditEntry {
        actor: "alice".into(),
        action: "approval.approve".into(),
        reason: Some("looks fine".into()),
        ..entry("review", "r-1/approve", 0)
    };
    let closed = store
        .close_item_audited(
            "r-1/approve",
            "approve",
            "alice",
            None,
            "{}",
            at(2, 0),
            &decision,
        )
        .await
        .unwrap();
    assert_eq!(closed.decision.as_deref(), Some("approve"));
    let err = store
        .close_item_audited(
            "r-1/approve",
            "reject",
            "bob",
            None,
            "{}",
            at(2, 1),
            &decision,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    let err = store
        .close_item_audited("nope", "reject", "bob", None, "{}", at(2, 1), &decision)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    let rows = store.audit_rows(Some("review"), 0, 10).await.unwrap();
    assert_eq!(
        rows,
        chain_rows(0, GENESIS, stored(std::slice::from_ref(&decision)))
    );
}

pub async fn audit_2000_entries_in_one_commit(store: &Store) {
    let ids: Vec<String> = (0..4_000).map(|i| format!("r-{i:05}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    started(store, &refs).await;
    store
        .claim_runs("w1", at(1, 1), at(1, 2), 5_000, false)
        .await
        .unwrap();
    let updates: Vec<RunUpdate> = ids
        .iter()
        .map(|id| update(id, 1, "completed", None))
        .collect();
    let audit: Vec<AuditEntry> = ids[2_000..]
        .iter()
        .enumerate()
        .map(|(i, id)| entry("engine:w1", id, i as i64))
        .collect();
    let started = Instant::now();
    store
        .commit_runs("w1", &updates[..2_000], &[], &[])
        .await
        .unwrap();
    let plain = started.elapsed();
    let started = Instant::now();
    store
        .commit_runs_audited("w1", &updates[2_000..], &[], &[], &audit)
        .await
        .unwrap();
    let audited = started.elapsed();
    let started = Instant::now();
    store.append_audit(&audit).await.unwrap();
    let alone = started.elapsed();
    let started = Instant::now();
    let v = store.verify_audit().await.unwrap();
    let verify = started.elapsed();
    println!(
        "{:?}: commit_runs 2,000 in {plain:?}; with 2,000 audit entries in {audited:?}; \
         append_audit 2,000 in {alone:?}; verify 4,000 in {verify:?}",
        store.backend()
    );
    assert_eq!((v.entries, v.chains, v.ok), (4_000, 1, true));
}

/// Runs `sql` on the test's database with a connection of its own.
async fn raw(ctx: &common::TestStore, sql: &str) {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match &ctx.pg_schema {
        None => {
            let mut conn = sqlx::SqliteConnection::connect(&ctx.url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
            conn.close().await.unwrap();
        }
        Some(schema) => {
            let mut conn = sqlx::PgConnection::connect(&ctx.url).await.unwrap();
            let path = format!("SET search_path TO \"{schema}\"");
            conn.execute(sqlx::AssertSqlSafe(path)).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
            conn.close().await.unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampering_is_reported_exactly() {
    for ctx in common::both_stores().await {
        let store = &ctx.store;
        store.migrate().await.unwrap();
        let a: Vec<AuditEntry> = (0..5).map(|i| entry("a", "x", i)).collect();
        let b: Vec<AuditEntry> = (0..3).map(|i| entry("b", "y", i)).collect();
        store.append_audit(&a).await.unwrap();
        store.append_audit(&b).await.unwrap();
        let heads = store.audit_heads().await.unwrap();
        assert!(store.verify_audit_against(&heads).await.unwrap().ok);
        raw(
            &ctx,
            "UPDATE audit_log SET output = '{\"n\":100}' WHERE chain = 'a' AND seq = 2; \
             DELETE FROM audit_log WHERE chain = 'a' AND seq = 4; \
             UPDATE audit_log SET hash = 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' \
             WHERE chain = 'b' AND seq = 1",
        )
        .await;
        let v = store.verify_audit().await.unwrap();
        let backend = store.backend();
        assert_eq!((v.entries, v.chains, v.ok), (7, 2, false), "{backend:?}");
        assert_eq!(
            v.problems,
            vec![
                problem("a", 2, "hash does not match the row's contents"),
                problem("a", 5, "expected seq 4, found 5"),
                problem("b", 1, "hash does not match the row's contents"),
                problem("b", 2, "prev_hash does not match the hash of seq 1"),
            ],
            "{backend:?}"
        );
        // Truncating the newest rows leaves a consistent chain: only the
        // saved heads show it.
        raw(
            &ctx,
            "DELETE FROM audit_log WHERE chain = 'a' AND seq >= 2; \
             DELETE FROM audit_log WHERE chain = 'b'",
        )
        .await;
        let v = store.verify_audit().await.unwrap();
        assert_eq!((v.entries, v.chains, v.ok), (1, 1, true), "{backend:?}");
        let v = store.verify_audit_against(&heads).await.unwrap();
        assert_eq!(
            v.problems,
            vec![
                problem("a", 5, "chain ends at seq 1; the recorded head is seq 5"),
                problem("b", 3, "chain is missing; the recorded head is seq 3"),
            ],
            "{backend:?}"
        );
        ctx.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_audit_append_rolls_back_the_commit() {
    for ctx in common::both_stores().await {
        let store = &ctx.store;
        started(store, &["r-1"]).await;
        store
            .claim_runs("w1", at(1, 1), at(1, 2), 10, false)
            .await
            .unwrap();
        store
            .append_audit(&[entry("c", "r-0", 0), entry("c", "r-0", 1)])
            .await
            .unwrap();
        // A head moved back makes the next append collide with seq 2.
        raw(&ctx, "UPDATE audit_heads SET seq = 1 WHERE chain = 'c'").await;
        let updates = [update("r-1", 1, "completed", None)];
        let err = store
            .commit_runs_audited("w1", &updates, &[], &[], &[entry("c", "r-1", 2)])
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Database(_)), "{err}");
        let run = store.run("r-1").await.unwrap().unwrap();
        assert_eq!((run.status.as_str(), run.updated_at), ("running", at(1, 0)));
        assert_eq!(store.run_history("r-1").await.unwrap().len(), 1);
        assert_eq!(store.audit_rows(Some("c"), 0, 10).await.unwrap().len(), 2);
        ctx.finish().await;
    }
}
