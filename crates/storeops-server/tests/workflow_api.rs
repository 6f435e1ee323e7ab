//! The workflow JSON API on both backends: starting runs (idempotent ids,
//! unknown and switched-off workflows, bad ids), the review queue over JSON
//! (role, reason and closed-item refusals), a run's timeline, workflow
//! webhooks, and moving runs between versions (dry run, migration, refusal
//! naming the step).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use storeops_testkit::both_backends;
#[path = "browser/workflow.rs"]
mod workflow;

use common::{Db, TestServer};
use serde_json::{json, Value};
use storeops_domain::Role;
use workflow::{deploy, drive, status, worker, REFUND};

async fn call(
    server: &TestServer,
    token: &str,
    method: &str,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let client = reqwest::Client::new();
    let request = match method {
        "GET" => client.get(server.url(path)),
        "PUT" => client.put(server.url(path)).json(&body),
        _ => client.post(server.url(path)).json(&body),
    };
    let response = request.bearer_auth(token).send().await.unwrap();
    let code = response.status().as_u16();
    (code, response.json().await.unwrap_or(Value::Null))
}

async fn runs_start_once_and_are_decided_over_json(db: Db) {
    let Some(server) = TestServer::start_with(db, &[]).await else {
        return;
    };
    deploy(&server, REFUND).await;
    let operator = server.token(Role::Operator).await;
    let viewer = server.token(Role::Viewer).await;
    let reviewer = server.token(Role::Reviewer).await;
    let path = "/api/v1/workflows/refund/runs";
    let body = json!({"id": "api-1", "input": {"amount": 40}});
    assert_eq!(
        call(&server, &operator, "POST", path, body.clone()).await,
        (202, json!({"id": "api-1", "new": true}))
    );
    assert_eq!(
        call(&server, &operator, "POST", path, body).await,
        (202, json!({"id": "api-1", "new": false}))
    );
    assert_eq!(call(&server, &viewer, "POST", path, json!({})).await.0, 403);
    let (code, error) = call(
        &server,
        &operator,
        "POST",
        "/api/v1/workflows/nope/runs",
        json!({}),
    )
    .await;
    assert_eq!(
        (code, error["error"]["message"].as_str()),
        (404, Some("workflow `nope` is not deployed"))
    );
    let (code, error) = call(&server, &operator, "POST", path, json!({"id": ""})).await;
    assert_eq!((code, error["error"]["field"].as_str()), (422, Some("id")));
    let (code, error) = call(
        &server,
        &operator,
        "POST",
        path,
        json!({"input": {}, "extra": 1}),
    )
    .await;
    assert_eq!(
        (code, error["error"]["field"].as_str()),
        (400, Some("body"))
    );

    let mut worker = worker(&server);
    drive(&mut worker).await;
    let (code, queue) = call(
        &server,
        &reviewer,
        "GET",
        "/api/v1/review?kind=approval",
        Value::Null,
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(queue["items"][0]["key"], "api-1/review/0");
    let decide = "/api/v1/review/decide";
    let (code, error) = call(
        &server,
        &reviewer,
        "POST",
        decide,
        json!({"key": "api-1/review/0", "decision": "reject"}),
    )
    .await;
    assert_eq!(
        (code, error["error"]["field"].as_str()),
        (422, Some("reason"))
    );
    let (code, closed) = call(
        &server,
        &reviewer,
        "POST",
        decide,
        json!({"key": "api-1/review/0", "decision": "approve"}),
    )
    .await;
    assert_eq!(
        (code, closed["item"]["decision"].as_str()),
        (200, Some("approve"))
    );
    let (code, error) = call(
        &server,
        &reviewer,
        "POST",
        decide,
        json!({"key": "api-1/review/0", "decision": "approve"}),
    )
    .await;
    assert_eq!(
        (code, error["error"]["message"].as_str()),
        (422, Some("approval `api-1/review/0` is already closed"))
    );
    drive(&mut worker).await;
    assert_eq!(status(&server, "api-1").await, "completed");
    let (code, run) = call(&server, &viewer, "GET", "/api/v1/runs/api-1", Value::Null).await;
    assert_eq!(code, 200);
    let types: Vec<&str> = run["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "run_started",
            "approval_requested",
            "timer_set",
            "approval_decided",
            "step_completed",
            "run_completed"
        ]
    );

    let admin = server.token(Role::Admin).await;
    assert_eq!(
        call(
            &server,
            &admin,
            "PUT",
            "/api/v1/workflows/refund/mode",
            json!({"mode": "off"})
        )
        .await
        .0,
        200
    );
    let (code, error) = call(&server, &operator, "POST", path, json!({"id": "api-2"})).await;
    assert_eq!(
        (code, error["error"]["code"].as_str()),
        (409, Some("conflict"))
    );
    server.stop().await;
}

/// `REFUND` with another final step: a new version with the same `review`.
const REFUND_V2: &str = "name: refund\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: review\n    approval: { role: reviewer, sla: 1d }\n  - id: done\n    uses: core.set\n    with: { values: { version: 2 } }\n";

/// `refund` without its approval step.
const REFUND_V3: &str = "name: refund\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: done\n    uses: core.set\n    with: { values: { version: 3 } }\n";

async fn active(server: &TestServer) -> String {
    let row = server.state.store.workflow("refund").await.unwrap();
    row.unwrap().active_version
}

async fn runs_move_between_versions_over_json(db: Db) {
    let Some(server) = TestServer::start_with(db, &[]).await else {
        return;
    };
    deploy(&server, REFUND).await;
    let v1 = active(&server).await;
    workflow::start(&server, "refund", "m-1", json!({})).await;
    let mut worker = worker(&server);
    drive(&mut worker).await;
    assert_eq!(status(&server, "m-1").await, "waiting");
    deploy(&server, REFUND_V2).await;
    let v2 = active(&server).await;
    assert_ne!(v1, v2);
    let operator = server.token(Role::Operator).await;
    let viewer = server.token(Role::Viewer).await;
    let path = "/api/v1/workflows/refund/migrate";
    assert_eq!(call(&server, &viewer, "POST", path, json!({})).await.0, 403);
    let (code, dry) = call(&server, &operator, "POST", path, json!({"dry_run": true})).await;
    let run = |verdict: &str, from: &str, reason: Value, step: Value| json!({"id": "m-1", "from": from, "verdict": verdict, "reason": reason, "step": step});
    assert_eq!(code, 200);
    assert_eq!(
        dry,
        json!({"workflow": "refund", "to": v2, "dry_run": true, "migrated": 1, "failed": 0,
               "runs": [run("would_migrate", &v1, Value::Null, Value::Null)]})
    );
    assert_eq!(
        server
            .state
            .store
            .run("m-1")
            .await
            .unwrap()
            .unwrap()
            .version,
        v1
    );
    let (code, done) = call(&server, &operator, "POST", path, json!({})).await;
    assert_eq!(code, 200);
    assert_eq!(
        done,
        json!({"workflow": "refund", "to": v2, "dry_run": false, "migrated": 1, "failed": 0,
               "runs": [run("migrated", &v1, Value::Null, Value::Null)]})
    );
    let (_, shown) = call(&server, &viewer, "GET", "/api/v1/runs/m-1", Value::Null).await;
    assert_eq!(shown["run"]["version"], json!(v2));
    let last = shown["timeline"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (&last["type"], &last["from"], &last["to"]),
        (&json!("run_migrated"), &json!(v1), &json!(v2))
    );

    deploy(&server, REFUND_V3).await;
    let v3 = active(&server).await;
    let (code, refused) = call(&server, &operator, "POST", path, json!({})).await;
    assert_eq!(code, 200);
    assert_eq!(
        refused,
        json!({"workflow": "refund", "to": v3, "dry_run": false, "migrated": 0, "failed": 1,
               "runs": [run("refused", &v2, json!("step `review` is not in the target version"),
                            json!("review"))]})
    );
    let (code, error) = call(&server, &operator, "POST", path, json!({"to": "zzz"})).await;
    assert_eq!(
        (code, error["error"]["message"].as_str()),
        (
            404,
            Some("version `zzz` of workflow `refund` does not exist")
        )
    );
    let (code, _) = call(
        &server,
        &operator,
        "POST",
        "/api/v1/workflows/nope/migrate",
        json!({}),
    )
    .await;
    assert_eq!(code, 404);

    // The migrated run finishes on its new version.
    let reviewer = server.token(Role::Reviewer).await;
    let decide = json!({"key": "m-1/review/0", "decision": "approve"});
    let (code, _) = call(&server, &reviewer, "POST", "/api/v1/review/decide", decide).await;
    assert_eq!(code, 200);
    drive(&mut worker).await;
    let finished = server.state.store.run("m-1").await.unwrap().unwrap();
    assert_eq!(
        (finished.status.as_str(), finished.output.as_deref()),
        ("completed", Some("{\"version\":2}"))
    );
    server.stop().await;
}

const HOOKED: &str = "name: erp\nmode: live\ntrigger: { webhook: {} }\nscope: input.qty > 0\nsteps:\n  - id: note\n    uses: core.set\n    with: { values: { sku: '${{ input.sku }}' } }\n";

async fn a_workflow_webhook_starts_one_run_per_delivery(db: Db) {
    // `ghost` has a secret but no workflow; `refund` has none.
    let secrets = format!("erp:{0},ghost:{0}", common::GENERIC_SECRET);
    let extra = [("STOREOPS_GENERIC_WEBHOOK_SECRETS", secrets.as_str())];
    let Some(server) = TestServer::start_with(db, &extra).await else {
        return;
    };
    deploy(&server, HOOKED).await;
    deploy(&server, REFUND).await;
    let now = chrono::Utc::now().timestamp();
    let post = |path: &'static str, body: &'static [u8], signature: String| {
        server
            .http
            .post(server.url(path))
            .header("X-Storeops-Signature", signature)
            .header("X-Storeops-Event-Id", "d-1")
            .body(body.to_vec())
            .send()
    };
    let sign =
        |body: &[u8]| storeops_webhooks::sign_generic(common::GENERIC_SECRET.as_bytes(), body, now);
    let body: &[u8] = br#"{"sku":"A-1","qty":3}"#;
    let reply = |r: reqwest::Response| async move {
        let code = r.status().as_u16();
        (code, r.json::<Value>().await.unwrap())
    };
    let first = reply(
        post("/webhooks/workflows/erp", body, sign(body))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(first, (202, json!({"run_id": "hook-erp-d-1", "new": true})));
    let again = reply(
        post("/webhooks/workflows/erp", body, sign(body))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        again,
        (202, json!({"run_id": "hook-erp-d-1", "new": false}))
    );
    let forged = post("/webhooks/workflows/erp", body, sign(b"other"))
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);
    // `refund` has no secret configured: refused before anything is looked up.
    let unsigned = post("/webhooks/workflows/refund", body, sign(body))
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    let ghost = reply(
        post("/webhooks/workflows/ghost", body, sign(body))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (ghost.0, ghost.1["error"]["message"].as_str()),
        (404, Some("no webhook-triggered workflow `ghost`"))
    );
    let text: &[u8] = b"qty=3";
    let (code, error) = reply(
        post("/webhooks/workflows/erp", text, sign(text))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (code, error["error"]["field"].as_str()),
        (422, Some("body"))
    );
    let zero: &[u8] = br#"{"sku":"A-2","qty":0}"#;
    let (code, error) = reply(
        post("/webhooks/workflows/erp", zero, sign(zero))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (code, error["error"]["field"].as_str()),
        (422, Some("input"))
    );
    let mut worker = worker(&server);
    drive(&mut worker).await;
    assert_eq!(status(&server, "hook-erp-d-1").await, "completed");
    server.stop().await;
}

const ORDER_TRIAGE: &str = include_str!("../../../workflows/order-triage.yaml");

/// Shopify's documented orders/create sample, as the webhook tests send it.
fn shopify_order() -> Vec<u8> {
    let fixture: Value = serde_json::from_str(include_str!(
        "../../storeops-webhooks/tests/fixtures/shopify_order.json"
    ))
    .unwrap();
    serde_json::to_vec(&fixture["payload"]).unwrap()
}

async fn a_shopify_order_webhook_triggers_order_triage(db: Db) {
    let Some(server) = TestServer::start_with(db, &[]).await else {
        return;
    };
    deploy(&server, ORDER_TRIAGE).await;
    let body = shopify_order();
    let signature = storeops_webhooks::sign_shopify(common::SHOPIFY_SECRET.as_bytes(), &body);
    let response = server
        .http
        .post(server.url("/webhooks/shopify"))
        .header("X-Shopify-Topic", "orders/create")
        .header("X-Shopify-Webhook-Id", "wh-triage")
        .header("X-Shopify-Hmac-Sha256", signature)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut worker = worker(&server);
    drive(&mut worker).await;
    let rows = server.state.store.outcomes("order_triage").await.unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].0, "#9999");
    let fields: Value = serde_json::from_str(&rows[0].1).unwrap();
    assert_eq!(fields, json!({"total": 404.95, "priority": "high"}));
    let operator = server.token(Role::Operator).await;
    let (code, listed) = call(&server, &operator, "GET", "/api/v1/workflows", Value::Null).await;
    assert_eq!(code, 200);
    assert_eq!(listed["items"][0]["triggers"], json!({"started": 1}));
    server.stop().await;
}

both_backends!(
    runs_start_once_and_are_decided_over_json,
    runs_move_between_versions_over_json,
    a_workflow_webhook_starts_one_run_per_delivery,
    a_shopify_order_webhook_triggers_order_triage
);
