//! The workflow dashboard pages over plain HTTP: the review queue with an
//! approval opened by a real worker run (CSRF, role and reason refusals,
//! the decision and its notice), a run's timeline, the runs list filters and pager,
//! and the workflows page's pause and mode forms.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use storeops_testkit::both_backends;
#[path = "browser/fixtures.rs"]
mod fixtures;
#[path = "browser/http.rs"]
mod http;
#[path = "browser/workflow.rs"]
mod workflow;

use common::{Db, TestServer};
use http::{csrf_of, get, post_form, session};
use serde_json::json;
use storeops_domain::Role;
use workflow::{deploy, drive, start, status, worker, BIG_REFUND, REFUND};

/// The texts of the timeline's event column, in order.
fn timeline_events(html: &str) -> Vec<String> {
    html.split("<td class=\"event")
        .skip(1)
        .filter_map(|rest| {
            let text = rest.split_once('>')?.1;
            Some(text.split('<').next()?.to_string())
        })
        .collect()
}

async fn review_queue_decides_through_the_form(db: Db) {
    let Some(server) = TestServer::start_with(db, &[]).await else {
        return;
    };
    server.user("rita", Role::Reviewer).await;
    server.user("vic", Role::Viewer).await;
    deploy(&server, REFUND).await;
    deploy(&server, BIG_REFUND).await;
    let mut worker = worker(&server);
    start(&server, "refund", "a1", json!({"amount": 120})).await;
    start(&server, "big_refund", "b1", json!({"amount": 9000})).await;
    drive(&mut worker).await;
    assert_eq!(status(&server, "a1").await, "waiting");

    let rita = session(&server, "rita").await;
    let (code, html) = get(&server, &rita, "/review", &[]).await;
    assert_eq!(code, 200);
    for text in [
        "<a href=\"/review\" aria-current=\"page\">Review</a>",
        "Approve step `review` of refund",
        "data-key=\"a1/review/0\"",
        "<a href=\"/runs/a1\">a1</a>",
        "data-due=\"",
        ">due in 23h 59m<",
        "&quot;amount&quot;: 120",
        "form method=\"post\" action=\"/review/decide\" class=\"decide\" data-decision=\"approve\"",
        "data-decision=\"reject\"",
        "Deciding this item needs role admin or higher.",
        "<kbd>j</kbd>",
    ] {
        assert!(html.contains(text), "{text} missing: {html}");
    }
    // Oldest first: a1 was started before b1.
    assert!(html.find("a1/review/0") < html.find("b1/review/0"));
    let (_, filtered) = get(&server, &rita, "/review?workflow=big_refund", &[]).await;
    assert!(!filtered.contains("a1/review/0") && filtered.contains("b1/review/0"));
    let (code, _) = get(&server, &rita, "/review?kind=nothing", &[]).await;
    assert_eq!(code, 400);
    let csrf = csrf_of(&html);

    // A viewer may not see the queue, nor its link.
    let vic = session(&server, "vic").await;
    assert_eq!(get(&server, &vic, "/review", &[]).await.0, 403);
    // A browser gets the refusal as a page, not as JSON.
    let (code, page) = get(&server, &vic, "/review", &[("accept", "text/html")]).await;
    assert_eq!(code, 403);
    assert!(page.contains("<h1>Not allowed</h1>"), "{page}");
    assert!(
        page.contains("role viewer may not do this; reviewer or higher is needed"),
        "{page}"
    );
    let (_, runs) = get(&server, &vic, "/runs", &[]).await;
    assert!(!runs.contains("href=\"/review\""), "{runs}");

    let approve = [
        ("key", "a1/review/0"),
        ("decision", "approve"),
        ("reason", ""),
    ];
    let r = post_form(&server, &rita, "/review/decide", &approve).await;
    assert_eq!(r.status(), 403, "no CSRF token");
    let item = server
        .state
        .store
        .item("a1/review/0")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item.status, "open");

    let reject = [
        ("csrf", csrf.as_str()),
        ("key", "a1/review/0"),
        ("decision", "reject"),
        ("reason", "  "),
    ];
    let r = post_form(&server, &rita, "/review/decide", &reject).await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("role=\"alert\">reason: a rejection needs a reason</p>"),
        "{body}"
    );

    let big = [
        ("csrf", csrf.as_str()),
        ("key", "b1/review/0"),
        ("decision", "approve"),
    ];
    let r = post_form(&server, &rita, "/review/decide", &big).await;
    assert_eq!(r.status(), 403, "the item needs an admin");
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("needs role admin or higher"));

    let mut approve = approve.to_vec();
    approve.push(("csrf", &csrf));
    approve.push(("kind", "approval"));
    let r = post_form(&server, &rita, "/review/decide", &approve).await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, "/review?kind=approval&decided=a1%2Freview%2F0");
    let (_, html) = get(&server, &rita, &location, &[]).await;
    assert!(
        html.contains("role=\"status\">Approved a1/review/0</p>"),
        "{html}"
    );
    assert!(!html.contains("data-key=\"a1/review/0\""), "{html}");
    let item = server
        .state
        .store
        .item("a1/review/0")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (item.status.as_str(), item.actor.as_deref()),
        ("closed", Some("user:rita"))
    );

    drive(&mut worker).await;
    assert_eq!(status(&server, "a1").await, "completed");
    let (code, html) = get(&server, &vic, "/runs/a1", &[]).await;
    assert_eq!(code, 200);
    assert_eq!(
        timeline_events(&html),
        [
            "run_started",
            "approval_requested",
            "timer_set",
            "approval_decided",
            "step_completed",
            "run_completed"
        ]
    );
    for text in [
        "<h1>Run a1</h1>",
        "id=\"run-status\">completed</span>",
        "<td class=\"detail\">approve by user:rita</td>",
        "<td class=\"subject\">sla/review</td>",
        "<td class=\"detail\">output: {&quot;decision&quot;:&quot;approve&quot;}</td>",
    ] {
        assert!(html.contains(text), "{text} missing: {html}");
    }
    // b1's page lists its open item.
    let (_, html) = get(&server, &vic, "/runs/b1", &[]).await;
    assert!(html.contains("Open review items") && html.contains("b1/review/0"));
    assert_eq!(get(&server, &vic, "/runs/nope", &[]).await.0, 404);
    server.stop().await;
}

async fn runs_and_workflows_pages(db: Db) {
    let Some(server) = TestServer::start_with(db, &[]).await else {
        return;
    };
    server.user("vic", Role::Viewer).await;
    server.user("otto", Role::Operator).await;
    server.user("ada", Role::Admin).await;
    deploy(&server, REFUND).await;
    start(&server, "refund", "r1", json!({})).await;
    drive(&mut worker(&server)).await;

    let vic = session(&server, "vic").await;
    let (code, html) = get(&server, &vic, "/runs", &[]).await;
    assert_eq!(code, 200);
    assert!(html.contains("<a href=\"/runs/r1\">r1</a>"), "{html}");
    let (_, html) = get(&server, &vic, "/runs?status=completed", &[]).await;
    assert!(html.contains("No runs match."), "{html}");
    let (_, html) = get(&server, &vic, "/runs?workflow=refund&status=waiting", &[]).await;
    assert!(html.contains("/runs/r1"), "{html}");
    assert_eq!(get(&server, &vic, "/runs?status=lost", &[]).await.0, 400);
    // 50 newer runs fill the first page; r1 is on the next.
    for n in 0..50 {
        start(&server, "refund", &format!("later-{n:02}"), json!({})).await;
    }
    let (_, html) = get(&server, &vic, "/runs", &[]).await;
    assert!(!html.contains("/runs/r1\""), "{html}");
    let older = html
        .split("<a href=\"")
        .find_map(|rest| rest.split_once("\" rel=\"next\">Older runs"))
        .map(|(href, _)| href.replace("&amp;", "&"))
        .unwrap();
    let (_, html) = get(&server, &vic, &older, &[]).await;
    assert!(
        html.contains("<a href=\"/runs/r1\">r1</a>"),
        "{older}: {html}"
    );
    assert!(!html.contains("later-"), "{html}");

    server
        .state
        .store
        .count_trigger("refund", "out_of_scope", 2)
        .await
        .unwrap();
    let (_, html) = get(&server, &vic, "/workflows", &[]).await;
    assert!(
        html.contains("<a href=\"/runs?workflow=refund\">refund</a>"),
        "{html}"
    );
    assert!(
        html.contains("<td class=\"optional triggers\">out of scope 2</td>"),
        "{html}"
    );
    assert!(
        !html.contains("/workflows/refund/pause"),
        "viewers get no forms"
    );

    let otto = session(&server, "otto").await;
    let (_, html) = get(&server, &otto, "/workflows", &[]).await;
    assert!(
        html.contains("action=\"/workflows/refund/pause\""),
        "{html}"
    );
    assert!(
        !html.contains("/workflows/refund/mode"),
        "only admins switch modes"
    );
    let csrf = csrf_of(&html);
    let r = post_form(&server, &otto, "/workflows/refund/pause", &[]).await;
    assert_eq!(r.status(), 403, "no CSRF token");
    let r = post_form(
        &server,
        &otto,
        "/workflows/refund/pause",
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let workflow = server
        .state
        .store
        .workflow("refund")
        .await
        .unwrap()
        .unwrap();
    assert!(workflow.paused);
    let (_, html) = get(&server, &otto, &location, &[]).await;
    assert!(html.contains("Paused refund"), "{html}");
    assert!(
        html.contains("action=\"/workflows/refund/resume\""),
        "{html}"
    );
    let mode = [("csrf", csrf.as_str()), ("mode", "shadow")];
    let r = post_form(&server, &otto, "/workflows/refund/mode", &mode).await;
    assert_eq!(r.status(), 403);
    let r = post_form(&server, &otto, "/workflows/nope/pause", &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), 404);

    let ada = session(&server, "ada").await;
    let (_, html) = get(&server, &ada, "/workflows", &[]).await;
    let csrf = csrf_of(&html);
    let mode = [("csrf", csrf.as_str()), ("mode", "shadow")];
    let r = post_form(&server, &ada, "/workflows/refund/mode", &mode).await;
    assert_eq!(r.status(), 303);
    let workflow = server
        .state
        .store
        .workflow("refund")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(workflow.mode, "shadow");
    let bad = [("csrf", csrf.as_str()), ("mode", "loud")];
    let r = post_form(&server, &ada, "/workflows/refund/mode", &bad).await;
    assert_eq!(r.status(), 422);
    let r = post_form(
        &server,
        &ada,
        "/workflows/refund/resume",
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert!(
        !server
            .state
            .store
            .workflow("refund")
            .await
            .unwrap()
            .unwrap()
            .paused
    );
    server.stop().await;
}

both_backends!(
    review_queue_decides_through_the_form,
    runs_and_workflows_pages
);
