//! Plain-HTTP helpers of the dashboard tests: the login form's CSRF cookie
//! and field, logging in, and GETs with a session cookie.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use reqwest::header::{HeaderMap, SET_COOKIE};
use reqwest::StatusCode;
use storeops_domain::Role;

use crate::common::{TestServer, PASSWORD};
use crate::fixtures;

/// The value of cookie `name` among `Set-Cookie` headers, with its attributes.
pub fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// The value of `name=…` up to `;`.
pub fn cookie_value(set_cookie: &str) -> String {
    let pair = set_cookie.split(';').next().unwrap();
    pair.split_once('=').unwrap().1.to_string()
}

/// The login form's CSRF cookie value and hidden field.
pub async fn login_form(server: &TestServer) -> (String, String) {
    let r = server.http.get(server.url("/login")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let cookie = cookie_value(&set_cookie(r.headers(), "storeops_login_csrf").unwrap());
    let html = r.text().await.unwrap();
    let field = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    (cookie, field)
}

/// Posts the login form.
pub async fn post_login(server: &TestServer, user: &str, password: &str) -> reqwest::Response {
    let (cookie, csrf) = login_form(server).await;
    server
        .http
        .post(server.url("/login"))
        .header("cookie", format!("storeops_login_csrf={cookie}"))
        .form(&[("username", user), ("password", password), ("csrf", &csrf)])
        .send()
        .await
        .unwrap()
}

/// A `Cookie` header of a new session of `user`.
pub async fn session(server: &TestServer, user: &str) -> String {
    let r = post_login(server, user, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = set_cookie(r.headers(), "storeops_session").unwrap();
    format!("storeops_session={}", cookie_value(&cookie))
}

/// GETs `path` with the session; status and body (with minijinja's `&#x2f;`
/// for `/` decoded, so links read as written).
pub async fn get(
    server: &TestServer,
    cookie: &str,
    path: &str,
    extra: &[(&str, &str)],
) -> (StatusCode, String) {
    let mut request = server.http.get(server.url(path)).header("cookie", cookie);
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let r = request.send().await.unwrap();
    (r.status(), r.text().await.unwrap().replace("&#x2f;", "/"))
}

/// A server with a viewer `ada`, the fixture store and a session.
pub async fn seeded() -> (TestServer, String) {
    let server = TestServer::start().await;
    server.user("ada", Role::Viewer).await;
    server.seed(&fixtures::store()).await;
    let cookie = session(&server, "ada").await;
    (server, cookie)
}

/// The session's CSRF token from a dashboard page (the logout form's field).
pub fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string()
}

/// POSTs a urlencoded form with the session.
pub async fn post_form(
    server: &TestServer,
    cookie: &str,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    server
        .http
        .post(server.url(path))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .unwrap()
}
