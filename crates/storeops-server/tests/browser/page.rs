//! Page helpers of the browser tests: running JS, waiting for a condition,
//! reading the page, screenshots, logging in through the form.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{json, Value};

use crate::common::{TestServer, PASSWORD};

/// How long a page may take to show what a test waits for.
pub const WAIT: Duration = Duration::from_secs(15);

/// Runs `script` (a function body) and returns its value.
pub async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

/// Waits until `condition` (a JS expression) is true.
pub async fn wait_for(c: &Client, condition: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        let script = format!("return !!({condition});");
        if c.execute(&script, vec![]).await.ok() == Some(json!(true)) {
            return;
        }
        if Instant::now() > deadline {
            let text = body_text(c).await;
            panic!("timed out waiting for `{condition}`; the page shows:\n{text}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The visible text of the page.
pub async fn body_text(c: &Client) -> String {
    match c.find(Locator::Css("body")).await {
        Ok(body) => body.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Saves a screenshot as `<name>.png` when `STOREOPS_SCREENSHOTS` names a directory.
pub async fn screenshot(c: &Client, name: &str) {
    if let Ok(dir) = std::env::var("STOREOPS_SCREENSHOTS") {
        let png = c.screenshot().await.unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

/// Logs `user` in through the login form and waits for the overview.
pub async fn log_in(c: &Client, server: &TestServer, user: &str) {
    c.goto(&server.url("/login")).await.unwrap();
    c.find(Locator::Id("username"))
        .await
        .unwrap()
        .send_keys(user)
        .await
        .unwrap();
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Css("form.login button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        c,
        "location.pathname === '/' && document.querySelector('h1')?.textContent === 'Overview'",
    )
    .await;
}

/// The browser's session cookie.
pub async fn session_cookie(c: &Client) -> String {
    c.get_named_cookie("storeops_session")
        .await
        .unwrap()
        .value()
        .to_string()
}

/// `fetch` from the page; returns the response status.
pub async fn fetch_status(c: &Client, path: &str, init: &str) -> Value {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         fetch('{path}', {init}).then(r => done(r.status), e => done(String(e)));"
    );
    c.execute_async(&script, vec![]).await.unwrap()
}
