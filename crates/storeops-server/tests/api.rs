//! The JSON API over a real loopback server on SQLite and PostgreSQL:
//! listing with filters and keyset pagination, get, the error shape,
//! streamed imports with their per-row report, the readiness report and the
//! OpenAPI document.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use storeops_testkit::both_backends;

use common::{Db, TestServer};
use serde_json::Value;
use storeops_domain::Role;
use storeops_server::endpoints;

/// Three orders in Shopify's CSV export layout (one with two lines, one bad row).
const ORDERS_CSV: &str = "\
Name,Email,Financial Status,Fulfillment Status,Currency,Total,Created at,Lineitem quantity,Lineitem price,Lineitem sku
#1001,ann@example.com,paid,fulfilled,USD,30.00,2026-01-05 10:00:00 +0000,1,10.00,TEE-S
#1001,,,,,,,1,20.00,MUG-1
#1002,bob@example.com,pending,unfulfilled,USD,10.00,2026-01-06 10:00:00 +0000,1,10.00,TEE-S
#1003,cy@example.com,paid,unfulfilled,USD,12.50,2026-01-07 10:00:00 +0000,1,12.50,CAP-1
#1004,dee@example.com,paid,unfulfilled,USD,abc,2026-01-08 10:00:00 +0000,1,5.00,CAP-1
";

async fn get(s: &TestServer, token: &str, path: &str) -> (u16, Value) {
    let r = s
        .http
        .get(s.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

async fn import_orders(s: &TestServer, token: &str) -> Value {
    let r = s
        .http
        .post(s.url("/api/v1/import/orders?format=shopify-csv"))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(ORDERS_CSV)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn import_then_list_with_filters_and_cursor(db: Db) {
    let Some(s) = TestServer::start_with(db, &[]).await else {
        return;
    };
    let operator = s.token(Role::Operator).await;
    let viewer = s.token(Role::Viewer).await;
    let report = import_orders(&s, &operator).await;
    assert_eq!(report["imported"], 3, "{report}");
    assert_eq!(report["rejected"][0]["line"], 6, "{report}");
    assert_eq!(report["rejected"][0]["field"], "Total", "{report}");

    let (status, page) = get(&s, &viewer, "/api/v1/orders?limit=2").await;
    assert_eq!(status, 200);
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["#1003", "#1002"], "newest first");
    let cursor = page["next_cursor"].as_str().unwrap().to_string();
    let (_, next) = get(
        &s,
        &viewer,
        &format!("/api/v1/orders?limit=2&cursor={cursor}"),
    )
    .await;
    let names: Vec<&str> = next["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["#1001"]);
    assert!(next["next_cursor"].is_null());

    let (_, by_sku) = get(&s, &viewer, "/api/v1/orders?sku=MUG-1").await;
    assert_eq!(by_sku["items"].as_array().unwrap().len(), 1);
    let (_, search) = get(&s, &viewer, "/api/v1/orders?q=BOB@").await;
    assert_eq!(search["items"][0]["name"], "#1002");
    let (_, since) = get(&s, &viewer, "/api/v1/orders?since=2026-01-06").await;
    assert_eq!(since["items"].as_array().unwrap().len(), 2);

    let (status, one) = get(&s, &viewer, "/api/v1/orders/%231001").await;
    assert_eq!(status, 200);
    assert_eq!(one["lines"].as_array().unwrap().len(), 2);

    let (status, missing) = get(&s, &viewer, "/api/v1/orders/%239999").await;
    assert_eq!(status, 404);
    assert_eq!(missing["error"]["code"], "not_found");

    let (status, bad) = get(&s, &viewer, "/api/v1/customers?sku=TEE-S").await;
    assert_eq!(status, 422);
    assert_eq!(bad["error"]["field"], "sku");
    let (status, bad) = get(&s, &viewer, "/api/v1/orders?limit=ten").await;
    assert_eq!(status, 400);
    assert_eq!(bad["error"]["field"], "limit");
    let (status, bad) = get(&s, &viewer, "/api/v1/orders?cursor=%21%21garbage").await;
    assert_eq!(status, 422);
    assert_eq!(bad["error"]["field"], "cursor");
    let (status, bad) = get(&s, &viewer, "/api/v1/orders?since=yesterday").await;
    assert_eq!(status, 400);
    assert_eq!(bad["error"]["field"], "since");

    // Viewers may read but not import.
    let r = s
        .http
        .post(s.url("/api/v1/import/orders"))
        .bearer_auth(&viewer)
        .body(ORDERS_CSV)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let (status, report) = get(&s, &viewer, "/api/v1/readiness?as_of=2026-02-01&max_ids=1").await;
    assert_eq!(status, 200);
    let score = report["overall_score"].as_u64().unwrap();
    assert!(score <= 100);
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["ids"].as_array().unwrap().len() <= 1));
    let (status, bad) = get(&s, &viewer, "/api/v1/readiness?as_of=soon").await;
    assert_eq!(
        (status, bad["error"]["field"].as_str()),
        (400, Some("as_of"))
    );
    s.stop().await;
}

async fn oversize_imports_are_refused(db: Db) {
    let Some(s) = TestServer::start_with(db, &[("STOREOPS_MAX_IMPORT_BYTES", "1024")]).await else {
        return;
    };
    let operator = s.token(Role::Operator).await;
    let big = ORDERS_CSV.repeat(10);
    let r = s
        .http
        .post(s.url("/api/v1/import/orders"))
        .bearer_auth(&operator)
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let r = s
        .http
        .post(s.url("/api/v1/import/gadgets"))
        .bearer_auth(&operator)
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let error: Value = r.json().await.unwrap();
    assert_eq!(error["error"]["field"], "kind");
    s.stop().await;
}

both_backends!(
    import_then_list_with_filters_and_cursor,
    oversize_imports_are_refused
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_lists_every_api_route() {
    let s = TestServer::start().await;
    let token = s.token(Role::Viewer).await;
    let (status, doc) = get(&s, &token, "/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let api: Vec<_> = endpoints(s.state.clone())
        .into_iter()
        .filter(|e| e.api)
        .collect();
    assert!(api.len() >= 30);
    for e in &api {
        let method = e.method.as_str().to_lowercase();
        let op = &paths[&e.path][&method];
        assert!(
            op.is_object(),
            "{} {} missing from the document",
            e.method,
            e.path
        );
        assert!(
            op["responses"].as_object().is_some_and(|r| !r.is_empty()),
            "{} {} has no responses",
            e.method,
            e.path
        );
        assert!(
            op["x-storeops-access"].is_string(),
            "{} {}",
            e.method,
            e.path
        );
    }
    let documented: usize = paths
        .values()
        .map(|p| {
            p.as_object()
                .unwrap()
                .keys()
                .filter(|k| ["get", "post", "put", "patch", "delete"].contains(&k.as_str()))
                .count()
        })
        .sum();
    assert_eq!(
        documented,
        api.len(),
        "every documented operation is a registered route"
    );
    // Every $ref resolves.
    let text = doc.to_string();
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().unwrap();
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "dangling $ref {name}"
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_probes_answer_without_credentials() {
    let s = TestServer::start().await;
    for path in ["/healthz", "/readyz"] {
        let r = s.http.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["status"], "ok");
    }
    s.stop().await;
}

/// The document passes an independent OpenAPI 3.1 validator
/// (`pip install openapi-spec-validator`; required when
/// `STOREOPS_REQUIRE_OPENAPI_VALIDATOR=1`, as in CI).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_passes_openapi_spec_validator() {
    let available = std::process::Command::new("python3")
        .args(["-c", "import openapi_spec_validator"])
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        assert_ne!(
            std::env::var("STOREOPS_REQUIRE_OPENAPI_VALIDATOR").as_deref(),
            Ok("1"),
            "openapi-spec-validator is required but not installed"
        );
        println!("skipping: python3 -m openapi_spec_validator is not installed");
        return;
    }
    let s = TestServer::start().await;
    let token = s.token(Role::Viewer).await;
    let (_, doc) = get(&s, &token, "/api/v1/openapi.json").await;
    s.stop().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "validator refused the document:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `/readyz` answers 503 while migrations are pending (and `/healthz` still 200).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_is_unavailable_until_migrated() {
    use tower::ServiceExt;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("fresh.db").display());
    let store = storeops_store::Store::connect(&url).await.unwrap();
    let state = storeops_server::AppState::new(store.clone(), common::config(&url, &[]));
    let call = |path: &'static str| {
        storeops_server::app(state.clone()).oneshot(
            axum::http::Request::get(path)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
    };
    let r = call("/readyz").await.unwrap();
    assert_eq!(r.status(), 503);
    let body = axum::body::to_bytes(r.into_body(), 1 << 16).await.unwrap();
    let error: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(error["error"]["code"], "unavailable");
    assert!(error["error"]["message"]
        .as_str()
        .unwrap()
        .contains("migration(s) pending"));
    assert_eq!(call("/healthz").await.unwrap().status(), 200);
    store.migrate().await.unwrap();
    assert_eq!(call("/readyz").await.unwrap().status(), 200);
    store.close().await;
}
