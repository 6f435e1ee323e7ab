//! Workflow controls as every interface changes them (`runtime::control`):
//! mode switches and the kill switch are audited on chain `control` with
//! actor, from, to and reason in the change's transaction; a change to the
//! value it has writes nothing; an unknown workflow or mode is refused.
//! Run ids chosen by a caller are checked in `submit` itself.

use chrono::Utc;
use serde_json::{json, Value};
use storeops_runtime::control::{set_mode, set_paused, By};
use storeops_runtime::{submit, Submission};
use storeops_store::Store;

use crate::harness::setup;

const GATE: &str = "name: gate\nmode: shadow\ntrigger: { manual: {} }\nsteps:\n  - id: a\n    uses: core.set\n    with: { values: { n: 1 } }\n";

async fn entries(store: &Store) -> Vec<(String, String, Value, Option<String>)> {
    store
        .audit_rows(Some("control"), 0, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            let output: Value = serde_json::from_str(&r.entry.output).unwrap();
            (r.entry.actor, r.entry.action, output, r.entry.reason)
        })
        .collect()
}

pub async fn control_changes_are_audited_with_from_to_and_reason(store: &Store) {
    setup(store, GATE).await;
    let live = set_mode(
        store,
        "gate",
        "live",
        By::now("user:ada", Some("shadow week clean")),
    )
    .await
    .unwrap();
    assert_eq!(
        (live.from.as_str(), live.to.as_str(), live.changed),
        ("shadow", "live", true)
    );
    let again = set_mode(store, "gate", "live", By::now("user:bo", None))
        .await
        .unwrap();
    assert!(!again.changed);
    set_paused(
        store,
        "gate",
        true,
        By::now("user:bo", Some("refund spike")),
    )
    .await
    .unwrap();
    set_paused(store, "gate", true, By::now("user:bo", None))
        .await
        .unwrap();
    set_paused(store, "gate", false, By::now("user:ada", None))
        .await
        .unwrap();
    assert_eq!(
        entries(store).await,
        vec![
            (
                "user:ada".to_string(),
                "workflow.mode".to_string(),
                json!({"field": "mode", "from": "shadow", "to": "live"}),
                Some("shadow week clean".to_string())
            ),
            (
                "user:bo".to_string(),
                "workflow.paused".to_string(),
                json!({"field": "paused", "from": "false", "to": "true"}),
                Some("refund spike".to_string())
            ),
            (
                "user:ada".to_string(),
                "workflow.resumed".to_string(),
                json!({"field": "paused", "from": "true", "to": "false"}),
                None
            ),
        ]
    );
    let row = store.workflow("gate").await.unwrap().unwrap();
    assert_eq!((row.mode.as_str(), row.paused), ("live", false));
    let unknown = set_mode(store, "nope", "live", By::now("user:ada", None)).await;
    assert_eq!(
        unknown.unwrap_err().to_string(),
        "workflow `nope` is not deployed"
    );
    let bad = set_mode(store, "gate", "loud", By::now("user:ada", None)).await;
    assert_eq!(
        bad.unwrap_err().to_string(),
        "mode: `loud` is not off, shadow or live"
    );
    assert_eq!(entries(store).await.len(), 3);
    assert!(store.verify_audit().await.unwrap().ok);
}

pub async fn submit_checks_run_ids_itself(store: &Store) {
    setup(store, GATE).await;
    let long = "x".repeat(201);
    for (id, message) in [
        ("", "id: a run id has 1 to 200 characters, found 0"),
        (
            long.as_str(),
            "id: a run id has 1 to 200 characters, found 201",
        ),
        ("a\nb", "id: a run id has no control characters"),
    ] {
        let submission = Submission {
            id: Some(id.to_string()),
            input: json!({}),
        };
        let refused = submit(store, "gate", vec![submission], Utc::now()).await;
        assert_eq!(refused.unwrap_err().to_string(), message);
    }
    let ok = Submission {
        id: Some("x".repeat(200)),
        input: json!({}),
    };
    assert!(submit(store, "gate", vec![ok], Utc::now()).await.unwrap()[0].new);
}
