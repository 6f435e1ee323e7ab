//! The review queue in a real headless Chromium: approving by clicking and
//! with the `a` shortcut (after `j`), the `r` and `?` shortcuts, the SLA
//! countdown kept current by `storeops.js`, the notice after a decision,
//! the run finishing after a worker round with the decision on its
//! timeline, and a hostile workflow input shown as text in the run context.
//!
//! Skipped like `browser.rs` when Chromium is missing, unless
//! `STOREOPS_REQUIRE_BROWSER=1`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "browser/driver.rs"]
mod driver;
#[path = "browser/page.rs"]
mod page;
#[path = "browser/workflow.rs"]
mod workflow;

use common::TestServer;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, Locator};
use page::{js, log_in, screenshot, wait_for};
use serde_json::json;
use storeops_domain::Role;
use workflow::{deploy, drive, start, status, worker, REFUND};

browser_test!(review_queue_decisions_in_the_browser, review_queue);

/// Script that a page runs if the input reaches it as markup.
const HOSTILE: &str = "<script>window.__xss=1</script>";

/// Presses `key` (down and up) on whatever has the focus.
async fn press(c: &Client, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    c.perform_actions(keys).await.unwrap();
}

async fn review_queue(c: &Client, server: &TestServer) {
    server.user("rita", Role::Reviewer).await;
    deploy(server, REFUND).await;
    let mut worker = worker(server);
    start(server, "refund", "a1", json!({"amount": 120})).await;
    start(server, "refund", "a2", json!({"note": HOSTILE})).await;
    drive(&mut worker).await;
    log_in(c, server, "rita").await;

    c.find(Locator::LinkText("Review"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        c,
        "location.pathname === '/review' && document.querySelectorAll('article.item').length === 2",
    )
    .await;
    // The countdown is the script's: it replaces a planted text within a second.
    js(
        c,
        "document.querySelector('.due').textContent = 'stale'; return null;",
    )
    .await;
    wait_for(
        c,
        "/^due in 23h 5\\dm$/.test(document.querySelector('.due').textContent)",
    )
    .await;

    // The hostile input is text in the run context, and ran nothing.
    let shown = js(
        c,
        "return document.querySelector('article[data-key=\"a2/review/0\"] pre.input').textContent;",
    )
    .await;
    assert!(shown.as_str().unwrap().contains(HOSTILE), "{shown}");
    assert_eq!(
        js(c, "return typeof window.__xss;").await,
        json!("undefined")
    );
    assert_eq!(
        js(c, "return document.querySelectorAll('main script').length;").await,
        json!(0)
    );
    screenshot(c, "review").await;

    // `?` opens the help.
    press(c, '?').await;
    wait_for(c, "document.getElementById('shortcuts').open").await;

    // Approve a1 by clicking.
    c.find(Locator::Css(
        "article[data-key='a1/review/0'] form[data-decision=approve] button",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_for(
        c,
        "document.querySelector('.notice')?.textContent === 'Approved a1/review/0'",
    )
    .await;
    wait_for(c, "document.querySelectorAll('article.item').length === 1").await;

    // Keyboard: j focuses a2, r goes to the rejection reason, a approves.
    press(c, 'j').await;
    wait_for(
        c,
        "document.activeElement?.getAttribute('data-key') === 'a2/review/0'",
    )
    .await;
    press(c, 'r').await;
    wait_for(
        c,
        "document.activeElement?.name === 'reason' && document.activeElement.closest('form').dataset.decision === 'reject'",
    )
    .await;
    js(
        c,
        "document.querySelector('article.item').focus(); return null;",
    )
    .await;
    press(c, 'a').await;
    wait_for(
        c,
        "document.querySelector('.notice')?.textContent === 'Approved a2/review/0'",
    )
    .await;
    wait_for(c, "document.querySelectorAll('article.item').length === 0").await;

    // The runs finish after a worker round; the timeline names the reviewer.
    drive(&mut worker).await;
    assert_eq!(status(server, "a1").await, "completed");
    assert_eq!(status(server, "a2").await, "completed");
    c.goto(&server.url("/runs/a1")).await.unwrap();
    wait_for(
        c,
        "document.getElementById('run-status')?.textContent === 'completed'",
    )
    .await;
    let decided = js(
        c,
        "return [...document.querySelectorAll('table.timeline tbody tr')]
           .filter(tr => tr.querySelector('.event').textContent === 'approval_decided')
           .map(tr => tr.querySelector('.detail').textContent);",
    )
    .await;
    assert_eq!(decided, json!(["approve by user:rita"]));
    screenshot(c, "run").await;

    // The hostile input on a2's timeline is text too.
    c.goto(&server.url("/runs/a2")).await.unwrap();
    wait_for(c, "document.querySelector('table.timeline .detail')").await;
    let detail = js(
        c,
        "return document.querySelector('table.timeline .detail').textContent;",
    )
    .await;
    assert!(detail.as_str().unwrap().contains(HOSTILE), "{detail}");
    assert_eq!(
        js(c, "return typeof window.__xss;").await,
        json!("undefined")
    );
}
