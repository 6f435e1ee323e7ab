//! Dashboard pages over plain HTTP (no browser): the login form's CSRF
//! cookie, failed logins and their limit, the list pages (search, filters,
//! htmx fragments, keyset pager), the event log, record pages and the
//! readiness report's links.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "browser/fixtures.rs"]
mod fixtures;
#[path = "browser/http.rs"]
mod http;

use chrono::{NaiveDate, TimeZone, Utc};
use common::{TestServer, PASSWORD};
use http::{get, login_form, post_login, seeded, set_cookie};
use storeops_domain::{DocKind, Event, EventStatus, KnowledgeDoc, Product, Record, Role, Variant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_form_csrf_cookie_wrong_password_and_lockout() {
    let server = TestServer::start().await;
    server.user("ada", Role::Viewer).await;

    let r = server.http.get(server.url("/login")).send().await.unwrap();
    assert!(r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("script-src 'self'"));
    let cookie = set_cookie(r.headers(), "storeops_login_csrf").unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/login"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    let (cookie, field) = login_form(&server).await;
    assert_eq!(cookie, field);
    assert_eq!(cookie.len(), 43);

    // Without the double-submitted token: refused before the password is looked at.
    let forged = server
        .http
        .post(server.url("/login"))
        .form(&[("username", "ada"), ("password", PASSWORD), ("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);

    let wrong = post_login(&server, "ada", "wrong").await;
    assert_eq!(wrong.status(), 401);
    assert!(set_cookie(wrong.headers(), "storeops_session").is_none());
    let html = wrong.text().await.unwrap();
    assert!(html.contains("wrong username or password"), "{html}");
    assert!(
        html.contains("value=\"ada\""),
        "the form keeps the username: {html}"
    );
    for _ in 0..4 {
        assert_eq!(post_login(&server, "ada", "wrong").await.status(), 401);
    }
    let sixth = post_login(&server, "ada", PASSWORD).await;
    assert_eq!(
        sixth.status(),
        429,
        "the 6th attempt is refused even with the right password"
    );
    assert!(sixth
        .text()
        .await
        .unwrap()
        .contains("too many failed logins"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_pages_search_filter_fragment_and_pager() {
    let (server, cookie) = seeded().await;

    let (status, html) = get(&server, &cookie, "/orders", &[]).await;
    assert_eq!(status, 200);
    for text in [
        "#1001",
        "#1002",
        "44.98 USD",
        "ada@example.com",
        "href=\"/records/orders/%231001\"",
    ] {
        assert!(html.contains(text), "{text} missing: {html}");
    }
    for attribute in [
        "method=\"get\" action=\"/orders\"",
        "hx-get=\"/orders\"",
        "hx-trigger=\"input changed delay:300ms, search\"",
        "hx-target=\"#rows\"",
        "<tbody id=\"rows\">",
        "aria-current=\"page\"",
    ] {
        assert!(html.contains(attribute), "{attribute} missing: {html}");
    }

    let (_, html) = get(&server, &cookie, "/orders?q=ADA%40EXAMPLE&status=", &[]).await;
    assert!(html.contains("#1001") && !html.contains("#1002"), "{html}");
    let (_, html) = get(&server, &cookie, "/orders?status=refunded", &[]).await;
    assert!(
        html.contains("No orders match.") && !html.contains("#100"),
        "{html}"
    );
    let (status, html) = get(&server, &cookie, "/orders?status=lost", &[]).await;
    assert_eq!(status, 422);
    assert!(html.contains("role=\"alert\""), "{html}");

    // htmx asks for the rows only; a history restore gets the whole page.
    let htmx = [("hx-request", "true")];
    let (status, rows) = get(&server, &cookie, "/orders?q=1002", &htmx).await;
    assert_eq!(status, 200);
    assert!(!rows.contains("<html") && !rows.contains("<form"), "{rows}");
    assert!(
        rows.contains("<tr>") && rows.contains("#1002") && !rows.contains("#1001"),
        "{rows}"
    );
    let restore = [
        ("hx-request", "true"),
        ("hx-history-restore-request", "true"),
    ];
    let (_, full) = get(&server, &cookie, "/orders", &restore).await;
    assert!(full.contains("<html"), "{full}");

    // Keyset pages of one order: newest first, then the next with the cursor.
    let (_, first) = get(&server, &cookie, "/orders?limit=1", &[]).await;
    assert!(
        first.contains("#1002") && !first.contains("#1001"),
        "{first}"
    );
    let next = first
        .split("<a href=\"")
        .find_map(|part| {
            part.split_once("\" rel=\"next\"")
                .map(|(href, _)| href.replace("&amp;", "&"))
        })
        .expect("a Next page link");
    assert!(next.starts_with("/orders?limit=1&cursor="), "{next}");
    let (_, second) = get(&server, &cookie, &next, &[]).await;
    assert!(
        second.contains("#1001") && !second.contains("#1002"),
        "{second}"
    );
    assert!(
        second.contains("First page") && !second.contains("rel=\"next\""),
        "{second}"
    );

    let (_, html) = get(&server, &cookie, "/products?q=mug", &[]).await;
    assert!(
        html.contains("Plain mug") && !html.contains("Wool hat"),
        "{html}"
    );
    let (_, html) = get(&server, &cookie, "/customers", &[]).await;
    assert!(
        html.contains("href=\"/records/customers/id%3A42\"") && html.contains("Ada Lovelace"),
        "{html}"
    );

    let anonymous = server
        .http
        .get(server.url("/orders"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    server.stop().await;
}

fn event(source: &str, topic: &str, id: &str, status: EventStatus, error: Option<&str>) -> Event {
    Event {
        source: source.into(),
        topic: topic.into(),
        external_id: id.into(),
        payload: serde_json::json!({"id": id}),
        received_at: Utc.with_ymd_and_hms(2024, 3, 5, 9, 30, 0).unwrap(),
        status,
        error: error.map(str::to_string),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_log_badges_filters_and_record_page() {
    let (server, cookie) = seeded().await;
    let store = &server.state.store;
    store
        .append_event(&event(
            "shopify",
            "orders/create",
            "d-1",
            EventStatus::Applied,
            None,
        ))
        .await
        .unwrap();
    store
        .append_event(&event(
            "shopify",
            "orders/create",
            "d-2",
            EventStatus::Invalid,
            Some("total: missing"),
        ))
        .await
        .unwrap();
    store
        .append_event(&event(
            "woocommerce",
            "coupon.created",
            "w-1",
            EventStatus::UnknownTopic,
            None,
        ))
        .await
        .unwrap();

    let (status, html) = get(&server, &cookie, "/events", &[]).await;
    assert_eq!(status, 200);
    for text in [
        "<span class=\"badge bad\">invalid</span>",
        "<span class=\"badge warn\">unknown_topic</span>",
        "<span class=\"badge ok\">applied</span>",
        "total: missing",
        "2024-03-05 09:30",
    ] {
        assert!(html.contains(text), "{text} missing: {html}");
    }
    let (_, html) = get(&server, &cookie, "/events?source=woocommerce", &[]).await;
    assert!(
        html.contains("coupon.created") && !html.contains("orders/create"),
        "{html}"
    );
    let (_, html) = get(
        &server,
        &cookie,
        "/events?status=invalid&topic=orders%2Fcreate",
        &[],
    )
    .await;
    assert!(
        html.contains("d-2") && !html.contains("d-1") && !html.contains("w-1"),
        "{html}"
    );
    let id = html
        .split("href=\"/records/events/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let (status, record) = get(&server, &cookie, &format!("/records/events/{id}"), &[]).await;
    assert_eq!(status, 200);
    assert!(
        record.contains("total: missing") && record.contains("<pre class=\"json\">"),
        "{record}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn record_pages_and_readiness_links() {
    let (server, cookie) = seeded().await;
    let mut no_sku = Product::new("no-sku", "No SKU yet");
    no_sku.description_html = "<p>Soon.</p>".into();
    no_sku.variants = vec![Variant::new(None, Some(fixtures::usd(500)))];
    let faq = KnowledgeDoc {
        key: "faq".into(),
        version: 1,
        kind: DocKind::Faq,
        title: "FAQ & \"more\"".into(),
        body: "Ask us.".into(),
        effective_from: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
        effective_to: None,
        review_by: Some(NaiveDate::from_ymd_opt(2021, 1, 1).unwrap()),
        product_handle: None,
        url: None,
    };
    server
        .seed(&[Record::Product(no_sku), Record::Doc(faq)])
        .await;

    let (status, html) = get(&server, &cookie, "/records/orders/%231001", &[]).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("&quot;name&quot;: &quot;#1001&quot;"),
        "the JSON is escaped: {html}"
    );
    assert!(
        html.contains("44.98 USD") && html.contains("href=\"/records/variants/HAT-1\""),
        "{html}"
    );
    assert_eq!(
        get(&server, &cookie, "/records/orders/%239999", &[])
            .await
            .0,
        404
    );
    assert_eq!(
        get(&server, &cookie, "/records/widgets/x", &[]).await.0,
        404
    );
    let (status, html) = get(&server, &cookie, "/records/customers/id%3A42", &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("ada@example.com"), "{html}");

    let (status, html) = get(&server, &cookie, "/readiness?as_of=2024-03-10", &[]).await;
    assert_eq!(status, 200);
    for link in [
        "href=\"/records/products/plain-mug\"",
        "href=\"/records/orders/%231002\"",
        "href=\"/records/variants/no-sku%231\"",
        "href=\"/records/docs/faq%40v1\"",
        "value=\"2024-03-10\"",
    ] {
        assert!(html.contains(link), "{link} missing: {html}");
    }
    // A variant label without SKU shows its product; a document name its version.
    let (status, html) = get(&server, &cookie, "/records/variants/no-sku%231", &[]).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("variant 1 of product") && html.contains("No SKU yet"),
        "{html}"
    );
    let (status, html) = get(&server, &cookie, "/records/docs/faq%40v1", &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("FAQ &amp; &quot;more&quot;"), "{html}");
    assert_eq!(
        get(&server, &cookie, "/records/docs/faq%40v2", &[]).await.0,
        404
    );

    let (status, html) = get(&server, &cookie, "/readiness?as_of=2024-13-01", &[]).await;
    assert_eq!(status, 400);
    assert!(html.contains("is not a date"), "{html}");
    server.stop().await;
}
