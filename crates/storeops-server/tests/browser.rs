//! The dashboard in a real headless Chromium, driven over WebDriver: logging
//! in through the form, the overview and readiness pages, CSRF refusals,
//! HTML escaping of hostile data (with the CSP in force), and logout.
//!
//! Skipped with a printed reason when `/usr/bin/chromium` or
//! `/usr/bin/chromedriver` is missing, unless `STOREOPS_REQUIRE_BROWSER=1`.
//! One browser session per test; each test prints how long its browser
//! part took. With `STOREOPS_SCREENSHOTS=<dir>` the tests also save PNG
//! screenshots of the pages they visit there, to look at.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "browser/driver.rs"]
mod driver;
#[path = "browser/fixtures.rs"]
mod fixtures;
#[path = "browser/page.rs"]
mod page;

use chrono::Utc;
use common::TestServer;
use fantoccini::{Client, Locator};
use page::{body_text, fetch_status, js, log_in, screenshot, session_cookie, wait_for};
use serde_json::json;
use storeops_app::readiness::{midday, readiness};
use storeops_domain::{Product, Record, Role};

browser_test!(
    login_form_overview_counts_and_readiness_report,
    login_and_readiness
);
browser_test!(posts_without_the_csrf_token_are_refused, csrf_refusals);
browser_test!(hostile_product_titles_render_as_text, xss_renders_as_text);
browser_test!(logout_ends_the_session, logout);

async fn login_and_readiness(c: &Client, server: &TestServer) {
    server.user("ada", Role::Viewer).await;
    server.seed(&fixtures::store()).await;
    log_in(c, server, "ada").await;

    // The overview shows the seeded counts.
    let counts = js(
        c,
        "return Object.fromEntries([...document.querySelectorAll('section[aria-label=\"Store counts\"] .card')]
           .map(card => [card.querySelector('.label').textContent, card.querySelector('.n').textContent]));",
    )
    .await;
    assert_eq!(counts["Products"], "2", "{counts}");
    assert_eq!(counts["Variants"], "2", "{counts}");
    assert_eq!(counts["Customers"], "1", "{counts}");
    assert_eq!(counts["Orders"], "2", "{counts}");
    screenshot(c, "overview").await;

    // Through the navigation bar to the readiness report.
    c.find(Locator::LinkText("Readiness"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        c,
        "location.pathname === '/readiness' && document.getElementById('overall-score')",
    )
    .await;
    let expected = readiness(
        &server.state.store,
        &server.state.config,
        midday(Utc::now().date_naive()),
    )
    .await
    .unwrap();
    assert!(expected.overall_score < 100, "the fixtures plant findings");
    let shown = c
        .find(Locator::Id("overall-score"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(shown, expected.overall_score.to_string());
    let text = body_text(c).await;
    screenshot(c, "readiness").await;
    assert!(text.contains(fixtures::MISSING_DESCRIPTION), "{text}");
    assert!(
        text.contains("Orders with no customer id, e-mail or phone"),
        "{text}"
    );
    for workflow in [
        "support",
        "returns",
        "inventory",
        "recommendations",
        "pricing",
    ] {
        assert!(
            text.contains(workflow),
            "verdict of {workflow} missing:\n{text}"
        );
    }

    // An affected id links to its record.
    assert!(c
        .find(Locator::Css("a[href='/records/orders/%231002']"))
        .await
        .is_ok());
    c.find(Locator::Css(
        "article[id='catalog.missing_description'] a[href='/records/products/plain-mug']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_for(c, "location.pathname === '/records/products/plain-mug'").await;
    let json = c
        .find(Locator::Css("pre.json"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(json.contains("\"handle\": \"plain-mug\""), "{json}");
    screenshot(c, "record").await;

    // Phone width: the page does not scroll sideways; tables scroll inside
    // their box and optional columns are hidden.
    c.set_window_size(390, 844).await.unwrap();
    for path in ["/readiness", "/records/products/plain-mug", "/orders"] {
        c.goto(&server.url(path)).await.unwrap();
        wait_for(
            c,
            "window.innerWidth <= 640 && document.querySelector('main h1')",
        )
        .await;
        let fits = js(
            c,
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;",
        )
        .await;
        assert_eq!(fits, json!(true), "{path} overflows a phone screen");
        screenshot(c, &format!("phone{}", path.replace('/', "-"))).await;
    }
    wait_for(c, "document.querySelectorAll('#rows tr').length === 2").await;
    let boxed = js(
        c,
        "return getComputedStyle(document.querySelector('table.list').parentElement).overflowX;",
    )
    .await;
    assert_eq!(boxed, json!("auto"), "the table scrolls in its own box");
    let hidden = js(
        c,
        "return getComputedStyle(document.querySelector('th.optional')).display;",
    )
    .await;
    assert_eq!(hidden, json!("none"));
}

async fn csrf_refusals(c: &Client, server: &TestServer) {
    server.user("ada", Role::Viewer).await;
    log_in(c, server, "ada").await;

    // From the logged-in page: no token, a wrong token → 403.
    assert_eq!(
        fetch_status(c, "/logout", "{method: 'POST'}").await,
        json!(403)
    );
    let wrong = "{method: 'POST', headers: {'X-CSRF-Token': 'not-the-token'}}";
    assert_eq!(fetch_status(c, "/logout", wrong).await, json!(403));

    // A forged form (as another site would post it) without the field.
    js(
        c,
        "const form = document.createElement('form');
         form.method = 'post'; form.action = '/logout';
         const field = document.createElement('input');
         field.name = 'next'; field.value = '/'; form.appendChild(field);
         document.body.appendChild(form); form.submit(); return null;",
    )
    .await;
    wait_for(c, "document.body.innerText.includes('CSRF')").await;

    // Still logged in.
    c.goto(&server.url("/")).await.unwrap();
    wait_for(
        c,
        "document.querySelector('h1')?.textContent === 'Overview'",
    )
    .await;

    // Without a browser: the session cookie alone does not pass.
    let cookie = format!("storeops_session={}", session_cookie(c).await);
    let post = |body: &'static str| {
        server
            .http
            .post(server.url("/logout"))
            .header("cookie", cookie.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    assert_eq!(post("").await.unwrap().status(), 403);
    assert_eq!(post("csrf=wrong").await.unwrap().status(), 403);
    let alive = server
        .http
        .get(server.url("/"))
        .header("cookie", cookie.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(alive.status(), 200);

    // With the page's token the same request goes through (so the 403s
    // above were the token's doing).
    let token = js(
        c,
        "return JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token'];",
    )
    .await;
    let token = token.as_str().unwrap().to_string();
    let done = server
        .http
        .post(server.url("/logout"))
        .header("cookie", cookie.clone())
        .header("x-csrf-token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);
}

/// A title that runs script if it reaches the page as markup.
const HOSTILE: &str = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";

async fn xss_renders_as_text(c: &Client, server: &TestServer) {
    server.user("ada", Role::Viewer).await;
    let mut hostile = fixtures::product("xss-probe", HOSTILE, "XSS-1", true);
    hostile.vendor = HOSTILE.to_string();
    let plain: Product = fixtures::product("wool-hat", "Wool hat", "HAT-1", true);
    server
        .seed(&[Record::Product(hostile), Record::Product(plain)])
        .await;
    log_in(c, server, "ada").await;

    c.goto(&server.url("/products")).await.unwrap();
    wait_for(c, "document.querySelectorAll('#rows tr').length === 2").await;
    assert!(body_text(c).await.contains(HOSTILE));
    assert_eq!(
        js(c, "return typeof window.__xss;").await,
        json!("undefined")
    );
    assert_eq!(
        js(
            c,
            "return document.querySelectorAll('main img, main script').length;"
        )
        .await,
        json!(0)
    );

    // Search as you type: htmx swaps in the matching rows only.
    let search = c
        .find(Locator::Css("form.search input[name=q]"))
        .await
        .unwrap();
    search.send_keys("script").await.unwrap();
    wait_for(c, "document.querySelectorAll('#rows tr').length === 1").await;
    let rows = c
        .find(Locator::Id("rows"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(rows.contains(HOSTILE), "{rows}");
    assert!(!rows.contains("Wool hat"), "{rows}");
    assert_eq!(
        js(c, "return new URLSearchParams(location.search).get('q');").await,
        json!("script")
    );
    screenshot(c, "products-search").await;
    assert_eq!(
        js(c, "return typeof window.__xss;").await,
        json!("undefined")
    );

    // Its record page.
    c.find(Locator::Css("#rows a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(c, "location.pathname === '/records/products/xss-probe'").await;
    let fields = c
        .find(Locator::Css("table.fields"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(fields.contains(HOSTILE), "{fields}");
    assert_eq!(
        js(c, "return typeof window.__xss;").await,
        json!("undefined")
    );
    assert_eq!(
        js(
            c,
            "return document.querySelectorAll('main img, main script').length;"
        )
        .await,
        json!(0)
    );
}

async fn logout(c: &Client, server: &TestServer) {
    server.user("ada", Role::Viewer).await;
    log_in(c, server, "ada").await;
    let cookie = format!("storeops_session={}", session_cookie(c).await);

    c.find(Locator::Css("header.top form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(c, "location.pathname === '/login'").await;

    let page = server
        .http
        .get(server.url("/"))
        .header("cookie", cookie.clone())
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 401);
    let api = server
        .http
        .get(server.url("/api/v1/me"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 401);

    // The browser is sent to the login form.
    c.goto(&server.url("/")).await.unwrap();
    wait_for(
        c,
        "location.pathname === '/login' && document.getElementById('username')",
    )
    .await;
}
