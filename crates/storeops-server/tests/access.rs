//! Access control driven by the route table: every registered route is
//! called without credentials (401 unless public), with the role just below
//! the one it needs (403) and with the role it needs (neither). A route added
//! to the table is covered without touching this file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "browser/fixtures.rs"]
mod fixtures;
#[path = "browser/http.rs"]
mod http;

use common::{TestServer, PASSWORD};
use http::{post_login, set_cookie};
use reqwest::Method;
use storeops_domain::Role;
use storeops_server::{endpoints, Access, Endpoint};

/// A concrete URL for a path template.
fn concrete(path: &str) -> String {
    path.replace("{kind}", "orders")
        .replace("{source}", "erp")
        .replace("{name}", "storeops.css")
        .replace("{key}", "nothing-here")
}

/// The role one step below `role`, if any.
fn below(role: Role) -> Option<Role> {
    match role {
        Role::Admin => Some(Role::Operator),
        Role::Operator => Some(Role::Reviewer),
        Role::Reviewer => Some(Role::Viewer),
        Role::Viewer => None,
    }
}

async fn call(s: &TestServer, e: &Endpoint, token: Option<&str>) -> u16 {
    let method = Method::from_bytes(e.method.as_str().as_bytes()).unwrap();
    let mut request = s.http.request(method, s.url(&concrete(&e.path)));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_enforces_its_access_rule() {
    let s = TestServer::start().await;
    let table = endpoints(s.state.clone());
    assert!(
        table.len() >= 35,
        "route table shrank: {} routes",
        table.len()
    );
    let mut tokens = std::collections::HashMap::new();
    for role in Role::ALL {
        tokens.insert(*role, s.token(*role).await);
    }
    let mut checked = 0;
    for e in &table {
        let anonymous = call(&s, e, None).await;
        match e.access {
            Access::Role(role) => {
                assert_eq!(
                    anonymous, 401,
                    "{} {} without credentials",
                    e.method, e.path
                );
                if let Some(weaker) = below(role) {
                    let status = call(&s, e, Some(&tokens[&weaker])).await;
                    assert_eq!(status, 403, "{} {} as {weaker}", e.method, e.path);
                }
                let status = call(&s, e, Some(&tokens[&role])).await;
                assert!(
                    status != 401 && status != 403,
                    "{} {} as {role} got {status}",
                    e.method,
                    e.path
                );
                let status = call(&s, e, Some("sot_not-a-real-token")).await;
                assert_eq!(status, 401, "{} {} with an unknown token", e.method, e.path);
            }
            Access::Signed => assert_eq!(anonymous, 401, "{} {} unsigned", e.method, e.path),
            Access::Public | Access::Metrics => {
                assert!(
                    anonymous != 401 && anonymous != 403,
                    "{} {} is public but got {anonymous}",
                    e.method,
                    e.path
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, table.len());
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_can_require_a_token() {
    let s = TestServer::start_with(common::Db::Sqlite, &[("STOREOPS_METRICS_PUBLIC", "false")])
        .await
        .unwrap();
    let r = s.http.get(s.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let token = s.token(Role::Viewer).await;
    let r = s
        .http
        .get(s.url("/metrics"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(text.contains("storeops_http_requests_total"), "{text}");
    assert!(text.contains("storeops_db_pool_connections"), "{text}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_and_expired_tokens_are_refused() {
    let s = TestServer::start().await;
    let token = s.token(Role::Admin).await;
    let me = |t: String| s.http.get(s.url("/api/v1/me")).bearer_auth(t).send();
    let r = me(token.clone()).await.unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        (body["role"].as_str(), body["via"].as_str()),
        (Some("admin"), Some("token"))
    );
    // The use is recorded in the background.
    let mut used = None;
    for _ in 0..50 {
        used = s.state.store.tokens().await.unwrap()[0].last_used_at;
        if used.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(used.is_some(), "last_used_at is set after a request");
    let id = s.state.store.tokens().await.unwrap()[0].id;
    assert!(s
        .state
        .store
        .revoke_token(id, chrono::Utc::now())
        .await
        .unwrap());
    // Tokens are cached for at most a second (auth::token_cache::TTL), so a
    // revocation from another process takes effect within that.
    let revoked_at = std::time::Instant::now();
    let r = loop {
        let r = me(token.clone()).await.unwrap();
        if r.status() != 200 || revoked_at.elapsed() > std::time::Duration::from_secs(3) {
            break r;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(r.status(), 401);
    assert!(
        revoked_at.elapsed()
            <= storeops_server::auth::token_cache::TTL + std::time::Duration::from_millis(500),
        "refused {:?} after the revocation",
        revoked_at.elapsed()
    );
    let error: serde_json::Value = r.json().await.unwrap();
    assert_eq!(error["error"]["message"], "token revoked");

    let (expired, hash) = storeops_server::auth::secrets::new_token().unwrap();
    s.state
        .store
        .create_token(&storeops_store::NewToken {
            name: "old",
            role: Role::Admin,
            token_hash: &hash,
            user_id: None,
            expires_at: Some(chrono::Utc::now() - chrono::Duration::minutes(1)),
        })
        .await
        .unwrap();
    assert_eq!(me(expired).await.unwrap().status(), 401);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_need_csrf_for_unsafe_requests_and_logins_are_rate_limited() {
    let s = TestServer::start().await;
    s.user("ops", Role::Operator).await;
    let r = post_login(&s, "ops", PASSWORD).await;
    assert_eq!(r.status(), 303);
    let set_cookie = set_cookie(r.headers(), "storeops_session").unwrap();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(
        !set_cookie.contains("Secure"),
        "plain HTTP without a proxy: {set_cookie}"
    );
    let session = set_cookie.split(';').next().unwrap().to_string();

    let r = s
        .http
        .get(s.url("/api/v1/me"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // An unsafe request with the session but without the CSRF token: refused.
    let r = s
        .http
        .post(s.url("/api/v1/import/orders"))
        .header("cookie", &session)
        .body("Name,Email\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let error: serde_json::Value = r.json().await.unwrap();
    assert_eq!(error["error"]["field"], "csrf");

    // Wrong passwords: 401 five times, then 429 even with the right one.
    for _ in 0..5 {
        assert_eq!(post_login(&s, "ops", "wrong password!").await.status(), 401);
    }
    let r = post_login(&s, "ops", PASSWORD).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());
    // A disabled user cannot log in, and their session stops working.
    s.user("gone", Role::Viewer).await;
    let gone_session = http::session(&s, "gone").await;
    assert!(s.state.store.set_user_disabled("gone", true).await.unwrap());
    let r = s
        .http
        .get(s.url("/api/v1/me"))
        .header("cookie", &gone_session)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(post_login(&s, "gone", PASSWORD).await.status(), 401);
    s.stop().await;
}
