//! Webhook ingestion over a real loopback server, on SQLite and PostgreSQL:
//! signatures (fixed vectors computed with openssl), duplicates, replays,
//! oversize and malformed bodies, unknown topics, and the mapped records
//! showing up in the API.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use storeops_testkit::both_backends;

use common::{Db, TestServer, GENERIC_SECRET, SHOPIFY_SECRET, WOO_SECRET};
use serde_json::Value;
use storeops_domain::Role;

/// Shopify's documented orders/create sample (`payload` of the fixture).
fn shopify_order() -> Vec<u8> {
    let fixture: Value = serde_json::from_str(include_str!(
        "../../storeops-webhooks/tests/fixtures/shopify_order.json"
    ))
    .unwrap();
    serde_json::to_vec(&fixture["payload"]).unwrap()
}

fn woo_order() -> Vec<u8> {
    let fixture: Value = serde_json::from_str(include_str!(
        "../../storeops-webhooks/tests/fixtures/woocommerce_order.json"
    ))
    .unwrap();
    serde_json::to_vec(&fixture["payload"]).unwrap()
}

async fn post_shopify(
    s: &TestServer,
    topic: &str,
    id: &str,
    body: Vec<u8>,
    signature: &str,
) -> reqwest::Response {
    s.http
        .post(s.url("/webhooks/shopify"))
        .header("X-Shopify-Topic", topic)
        .header("X-Shopify-Webhook-Id", id)
        .header("X-Shopify-Hmac-Sha256", signature)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

fn sign(body: &[u8]) -> String {
    storeops_webhooks::sign_shopify(SHOPIFY_SECRET.as_bytes(), body)
}

async fn get_json(s: &TestServer, token: &str, path: &str) -> (u16, Value) {
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

async fn event_count(s: &TestServer) -> u64 {
    s.state.store.counts().await.unwrap().events
}

async fn signed_shopify_order_is_stored_once_and_listed(db: Db) {
    let Some(s) = TestServer::start_with(db, &[]).await else {
        return;
    };
    let token = s.token(Role::Viewer).await;
    let body = shopify_order();
    let r = post_shopify(&s, "orders/create", "wh-1", body.clone(), &sign(&body)).await;
    assert_eq!(r.status(), 200);
    let receipt: Value = r.json().await.unwrap();
    assert_eq!(receipt["result"], "stored");
    assert_eq!(receipt["status"], "applied");

    // Redelivery: 200, recognised, stored once.
    let r = post_shopify(&s, "orders/create", "wh-1", body.clone(), &sign(&body)).await;
    assert_eq!(r.status(), 200);
    let receipt: Value = r.json().await.unwrap();
    assert_eq!(receipt["result"], "duplicate");
    assert_eq!(event_count(&s).await, 1);

    let (status, page) = get_json(&s, &token, "/api/v1/events?source=shopify").await;
    assert_eq!(status, 200);
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["topic"], "orders/create");
    assert_eq!(items[0]["external_id"], "wh-1");
    assert_eq!(items[0]["status"], "applied");

    let payload: Value = serde_json::from_slice(&body).unwrap();
    let name = payload["name"].as_str().unwrap().to_string();
    let (status, order) = get_json(
        &s,
        &token,
        &format!("/api/v1/orders/{}", name.replace('#', "%23")),
    )
    .await;
    assert_eq!(status, 200, "order {name} should be stored: {order}");
    assert_eq!(order["name"], name.as_str());
    let (_, orders) = get_json(&s, &token, "/api/v1/orders").await;
    assert_eq!(orders["items"].as_array().unwrap().len(), 1);
    s.stop().await;
}

async fn forged_and_unsigned_webhooks_store_nothing(db: Db) {
    let Some(s) = TestServer::start_with(db, &[]).await else {
        return;
    };
    let body = shopify_order();
    let forged = storeops_webhooks::sign_shopify(b"not the secret", &body);
    let r = post_shopify(&s, "orders/create", "wh-forged", body.clone(), &forged).await;
    assert_eq!(r.status(), 401);
    let error: Value = r.json().await.unwrap();
    assert_eq!(error["error"]["code"], "unauthorized");

    let mut tampered = body.clone();
    tampered[10] ^= 1;
    let r = post_shopify(&s, "orders/create", "wh-tampered", tampered, &sign(&body)).await;
    assert_eq!(r.status(), 401);

    let r = s
        .http
        .post(s.url("/webhooks/shopify"))
        .header("X-Shopify-Topic", "orders/create")
        .header("X-Shopify-Webhook-Id", "wh-unsigned")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(event_count(&s).await, 0);
    assert_eq!(s.state.store.counts().await.unwrap().orders, 0);
    s.stop().await;
}

async fn odd_payloads_are_stored_raw_and_flagged(db: Db) {
    let Some(s) = TestServer::start_with(db, &[]).await else {
        return;
    };
    let token = s.token(Role::Viewer).await;
    let junk = b"{not json".to_vec();
    let r = post_shopify(&s, "orders/create", "wh-junk", junk.clone(), &sign(&junk)).await;
    assert_eq!(r.status(), 200);
    let receipt: Value = r.json().await.unwrap();
    assert_eq!(receipt["status"], "unparseable");

    let body = br#"{"id":5}"#.to_vec();
    let r = post_shopify(&s, "carts/update", "wh-cart", body.clone(), &sign(&body)).await;
    let receipt: Value = r.json().await.unwrap();
    assert_eq!(receipt["status"], "unknown_topic");

    let r = post_shopify(&s, "orders/create", "wh-shape", body.clone(), &sign(&body)).await;
    let receipt: Value = r.json().await.unwrap();
    assert_eq!(receipt["status"], "invalid");
    assert!(
        receipt["error"].as_str().unwrap().contains(':'),
        "{receipt}"
    );

    let (_, flagged) = get_json(&s, &token, "/api/v1/events?status=unparseable").await;
    let items = flagged["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["payload"], "{not json");
    assert_eq!(event_count(&s).await, 3);
    s.stop().await;
}

async fn oversize_bodies_are_refused(db: Db) {
    let Some(s) = TestServer::start_with(db, &[("STOREOPS_MAX_BODY_BYTES", "2048")]).await else {
        return;
    };
    let body = shopify_order();
    assert!(body.len() > 2048);
    let r = post_shopify(&s, "orders/create", "wh-big", body.clone(), &sign(&body)).await;
    assert_eq!(r.status(), 413);
    let error: Value = r.json().await.unwrap();
    assert_eq!(error["error"]["code"], "too_large");
    assert_eq!(event_count(&s).await, 0);
    s.stop().await;
}

async fn woocommerce_and_generic_sources(db: Db) {
    let Some(s) = TestServer::start_with(db, &[]).await else {
        return;
    };
    let body = woo_order();
    let sig = storeops_webhooks::sign_woocommerce(WOO_SECRET.as_bytes(), &body);
    let post_woo = |sig: String, id: &'static str| {
        s.http
            .post(s.url("/webhooks/woocommerce"))
            .header("X-WC-Webhook-Topic", "order.created")
            .header("X-WC-Webhook-Delivery-ID", id)
            .header("X-WC-Webhook-Signature", sig)
            .body(body.clone())
            .send()
    };
    let r = post_woo(sig.clone(), "d-1").await.unwrap();
    assert_eq!(r.status(), 200);
    let receipt: Value = r.json().await.unwrap();
    assert_eq!(receipt["status"], "applied", "{receipt}");
    let r = post_woo("AAAA".into(), "d-2").await.unwrap();
    assert_eq!(r.status(), 401);

    let generic = br#"{"sku":"A","qty":3}"#.to_vec();
    let now = chrono::Utc::now().timestamp();
    let post_generic = |header: String| {
        s.http
            .post(s.url("/webhooks/generic/erp"))
            .header("X-Storeops-Signature", header)
            .header("X-Storeops-Topic", "stock.moved")
            .body(generic.clone())
            .send()
    };
    let fresh = storeops_webhooks::sign_generic(GENERIC_SECRET.as_bytes(), &generic, now);
    let r = post_generic(fresh.clone()).await.unwrap();
    assert_eq!(r.status(), 200);
    let receipt: Value = r.json().await.unwrap();
    assert_eq!(
        (receipt["result"].as_str(), receipt["status"].as_str()),
        (Some("stored"), Some("stored"))
    );
    // A replay of the same signed delivery inside the window is a duplicate …
    let r = post_generic(fresh).await.unwrap();
    let receipt: Value = r.json().await.unwrap();
    assert_eq!(receipt["result"], "duplicate");
    // … and outside the 5-minute window it is refused.
    let old = storeops_webhooks::sign_generic(GENERIC_SECRET.as_bytes(), &generic, now - 301);
    assert_eq!(post_generic(old).await.unwrap().status(), 401);
    // An unconfigured source has no secret: refused.
    let r = s
        .http
        .post(s.url("/webhooks/generic/unknown"))
        .header(
            "X-Storeops-Signature",
            storeops_webhooks::sign_generic(GENERIC_SECRET.as_bytes(), &generic, now),
        )
        .body(generic.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(event_count(&s).await, 2);
    s.stop().await;
}

both_backends!(
    signed_shopify_order_is_stored_once_and_listed,
    forged_and_unsigned_webhooks_store_nothing,
    odd_payloads_are_stored_raw_and_flagged,
    oversize_bodies_are_refused,
    woocommerce_and_generic_sources,
);

/// Fixed vectors: the expected signatures were computed independently with
/// `printf '%s' '<body>' | openssl dgst -sha256 -hmac '<secret>' -binary | base64`.
#[tokio::test]
async fn openssl_vectors_are_accepted_and_rotation_works() {
    let s = TestServer::start_with(
        Db::Sqlite,
        &[(
            "STOREOPS_SHOPIFY_WEBHOOK_SECRET",
            "shpss_new_secret, shpss_test_secret",
        )],
    )
    .await
    .unwrap();
    // printf '%s' '{"id":1,"name":"#V1"}' | openssl dgst -sha256 -hmac 'shpss_test_secret' -binary | base64
    let body = br##"{"id":1,"name":"#V1"}"##.to_vec();
    let r = post_shopify(
        &s,
        "orders/create",
        "v-1",
        body.clone(),
        "/9qvxd+wJ3gRevpMtMMw1Z1Cwyv9Z4pCs6GXfT8lvjM=",
    )
    .await;
    assert_eq!(
        r.status(),
        200,
        "the old secret still verifies during rotation"
    );
    let r = post_shopify(
        &s,
        "orders/create",
        "v-2",
        body,
        "/9qvxd+wJ3gRevpMtMMw1Z1Cwyv9Z4pCs6GXfT8lvjN=",
    )
    .await;
    assert_eq!(r.status(), 401, "one changed character is refused");
    s.stop().await;

    let s = TestServer::start().await;
    // printf '%s' '{"id":2,"number":"77","status":"processing"}' | openssl dgst -sha256 -hmac 'wc_test_secret' -binary | base64
    let body = br#"{"id":2,"number":"77","status":"processing"}"#.to_vec();
    let r = s
        .http
        .post(s.url("/webhooks/woocommerce"))
        .header("X-WC-Webhook-Topic", "order.created")
        .header("X-WC-Webhook-Delivery-ID", "v-3")
        .header(
            "X-WC-Webhook-Signature",
            "YrEubSvHTK9eTISubb0HckoG6Whox2hzIdyUl5WiGIo=",
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    s.stop().await;
}

/// When the database is gone the delivery is not acknowledged: 503 with
/// Retry-After, so the sender redelivers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_are_not_acknowledged_when_the_database_is_down() {
    let s = TestServer::start().await;
    s.state.store.close().await;
    let body = shopify_order();
    let r = post_shopify(&s, "orders/create", "wh-down", body.clone(), &sign(&body)).await;
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "1");
    let error: Value = r.json().await.unwrap();
    assert_eq!(error["error"]["code"], "unavailable");
    s.stop().await;
}
