//! `storeops audit verify|head|list` as an operator runs them, on a SQLite
//! file: entries appended through the store API verify (exit 0); after an
//! edit with raw SQL, `verify` exits 1 naming the row; deleting the newest
//! row passes plain `verify` but fails against heads saved with
//! `audit head --json`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{TimeZone, Utc};
use common::storeops;
use sqlx::Connection;
use storeops_store::{AuditEntry, Store};

fn entry(chain: &str, i: i64) -> AuditEntry {
    AuditEntry {
        chain: chain.into(),
        actor: "engine".into(),
        action: "step.completed".into(),
        subject: format!("run-{i}"),
        inputs_digest: storeops_domain::audit_chain::digest(&serde_json::json!({ "i": i })),
        output: format!("{{\"n\":{i}}}"),
        version: "v1".into(),
        reason: None,
        at: Utc.with_ymd_and_hms(2024, 6, 1, 12, 0, 0).unwrap(),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_detects_an_edit_and_a_truncation() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("audit.db").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let entries: Vec<AuditEntry> = (0..3)
        .map(|i| entry("engine:w1", i))
        .chain((0..2).map(|i| entry("review", i)))
        .collect();
    store.append_audit(&entries).await.unwrap();
    store.close().await;
    let db = ["--database-url", url.as_str()];
    let run = |args: &[&str]| storeops(&[args, &db[..]].concat(), dir.path());

    let out = run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "audit log ok: 5 entries in 2 chains, 0 problems\n"
    );
    let out = run(&["audit", "head", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let heads_file = dir.path().join("heads.json");
    std::fs::write(&heads_file, &out.stdout).unwrap();
    let heads: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(heads["heads"][0]["chain"], "engine:w1");
    assert_eq!(heads["heads"][0]["seq"], 3);
    assert_eq!(heads["heads"][1]["seq"], 2);
    let out = run(&["audit", "list", "--chain", "review", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list["entries"].as_array().unwrap().len(), 2);
    assert_eq!(list["entries"][1]["subject"], "run-1");
    assert_eq!(list["entries"][1]["hash"], heads["heads"][1]["hash"]);

    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("UPDATE audit_log SET output = '{\"n\":42}' WHERE chain = 'engine:w1' AND seq = 2")
        .execute(&mut conn)
        .await
        .unwrap();
    let out = run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "engine:w1 2: hash does not match the row's contents\n\
         audit log FAILED: 5 entries in 2 chains, 1 problems\n"
    );
    let out = run(&["audit", "verify", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["problems"][0]["seq"], 2);

    // Put the row back, then drop the newest review row: consistent, but
    // shorter than the saved head.
    sqlx::query("UPDATE audit_log SET output = '{\"n\":1}' WHERE chain = 'engine:w1' AND seq = 2")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_log WHERE chain = 'review' AND seq = 2")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let out = run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let heads_arg = heads_file.to_str().unwrap();
    let out = run(&["audit", "verify", "--expect-heads", heads_arg]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "review 2: chain ends at seq 1; the recorded head is seq 2\n\
         audit log FAILED: 4 entries in 2 chains, 1 problems\n"
    );
}
