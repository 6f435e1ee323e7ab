//! The actions API on both backends: listing, one action's spec, and
//! running one action through the shared use case — viewer for read-only
//! actions, operator for side-effecting ones (dry runs too), schema errors
//! naming the field, action failures with their kind as the code, and every
//! call that ran audited on chain `actions` with the caller as actor.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use storeops_testkit::both_backends;

use common::{Db, TestServer};
use serde_json::{json, Value};
use storeops_domain::Role;

async fn call(server: &TestServer, token: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let client = reqwest::Client::new();
    let request = match body {
        Some(body) => client.post(server.url(path)).json(&body),
        None => client.get(server.url(path)),
    };
    let response = request.bearer_auth(token).send().await.unwrap();
    let code = response.status().as_u16();
    (code, response.json().await.unwrap_or(Value::Null))
}

async fn actions_are_listed_run_by_role_and_audited(db: Db) {
    let Some(server) = TestServer::start_with(db, &[]).await else {
        return;
    };
    let viewer = server.token(Role::Viewer).await;
    let operator = server.token(Role::Operator).await;

    let (code, list) = call(&server, &viewer, "/api/v1/actions", None).await;
    assert_eq!(code, 200);
    let names: Vec<&str> = list["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "core.log",
            "core.set",
            "http.request",
            "notify.email",
            "notify.webhook",
            "store.query",
            "store.update"
        ]
    );
    let (code, spec) = call(&server, &viewer, "/api/v1/actions/store.update", None).await;
    assert_eq!((code, &spec["side_effects"]), (200, &json!(true)));
    let (code, error) = call(&server, &viewer, "/api/v1/actions/store.qury", None).await;
    assert_eq!(
        (code, error),
        (
            404,
            json!({"error": {"code": "unknown_action", "field": "name",
                             "message": "unknown action `store.qury` (did you mean `store.query`?)"}})
        )
    );

    let set = json!({"input": {"values": {"x": 41}}, "idempotency_key": "api-1"});
    let (code, out) = call(&server, &viewer, "/api/v1/actions/core.set", Some(set)).await;
    assert_eq!(code, 200);
    assert_eq!(
        (
            &out["output"],
            &out["dry_run"],
            &out["idempotency_key"],
            &out["audit_entry"]["chain"]
        ),
        (
            &json!({"x": 41}),
            &json!(false),
            &json!("api-1"),
            &json!("actions")
        )
    );

    let insert = json!({"entity": "triage", "op": "insert", "key": "k-1", "fields": {"ok": true}});
    let dry = json!({"input": insert, "dry_run": true});
    let (code, error) = call(
        &server,
        &viewer,
        "/api/v1/actions/store.update",
        Some(dry.clone()),
    )
    .await;
    assert_eq!(
        (code, &error["error"]["code"], &error["error"]["message"]),
        (
            403,
            &json!("forbidden"),
            &json!("`store.update` needs the operator role")
        )
    );
    let (code, out) = call(
        &server,
        &operator,
        "/api/v1/actions/store.update",
        Some(dry),
    )
    .await;
    assert_eq!((code, &out["dry_run"]), (200, &json!(true)));
    let query = json!({"input": {"entity": "outcomes", "filter": {"entity": "triage"}}});
    let path = "/api/v1/actions/store.query";
    let (_, rows) = call(&server, &viewer, path, Some(query.clone())).await;
    assert_eq!(rows["output"]["count"], 0, "a dry run writes nothing");
    let real = json!({"input": insert, "idempotency_key": "api-2"});
    let (code, _) = call(
        &server,
        &operator,
        "/api/v1/actions/store.update",
        Some(real),
    )
    .await;
    assert_eq!(code, 200);
    let (_, rows) = call(&server, &viewer, path, Some(query)).await;
    assert_eq!(
        (
            &rows["output"]["count"],
            &rows["output"]["rows"][0]["run_id"]
        ),
        (&json!(1), &json!("action:api-2"))
    );

    let bad = json!({"input": {"entity": "orders", "limit": 0}});
    let (code, error) = call(&server, &viewer, path, Some(bad)).await;
    assert_eq!(
        (code, error),
        (
            422,
            json!({"error": {"code": "invalid", "field": "limit",
                             "message": "`limit` must be from 1 to 1000, found 0"}})
        )
    );
    let unknown_field = json!({"input": {}, "dryrun": true});
    let (code, error) = call(&server, &viewer, path, Some(unknown_field)).await;
    assert_eq!((code, &error["error"]["field"]), (400, &json!("body")));
    let tag = json!({"input": {"entity": "order", "op": "tag", "key": "#404", "tag": "vip"}});
    let (code, error) = call(
        &server,
        &operator,
        "/api/v1/actions/store.update",
        Some(tag),
    )
    .await;
    assert_eq!(
        (code, error),
        (
            404,
            json!({"error": {"code": "not_found", "field": null,
                             "message": "`key`: order `#404` does not exist"}})
        )
    );

    let entries = server
        .state
        .store
        .audit_rows(Some("actions"), 0, 100)
        .await
        .unwrap();
    let recorded: Vec<(&str, &str)> = entries
        .iter()
        .map(|r| (r.entry.action.as_str(), r.entry.version.as_str()))
        .collect();
    assert_eq!(
        recorded,
        [
            ("action.run", "core.set"),
            ("action.dry_run", "store.update"),
            ("action.run", "store.query"),
            ("action.run", "store.update"),
            ("action.run", "store.query"),
            ("action.failed", "store.update"),
        ]
    );
    assert!(entries.iter().all(|r| r.entry.actor.starts_with("user:")));
    assert_eq!(entries[0].entry.subject, "api-1");
    server.stop().await;
}

both_backends!(actions_are_listed_run_by_role_and_audited);
