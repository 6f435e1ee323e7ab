//! `notify.email` against a loopback SMTP sink: one message with the exact
//! envelope, headers and body in live mode; nothing sent in shadow mode; a
//! clear non-retryable error without an SMTP server; 5xx is not retried; a
//! silent server times out after the configured wait.

use std::time::Duration;

use chrono::Duration as Span;
use serde_json::json;
use storeops_domain::Record;
use storeops_runtime::{ManualClock, Registry, SmtpSettings, SmtpTls};
use storeops_store::Store;

use crate::common::fixtures::{level, order};
use crate::harness::{deploy, drive, output, start, start_run, status, worker_with};
use crate::smtp::smtp_sink;

const STOCK_ALERT: &str = include_str!("../../../../workflows/stock-alert-basic.yaml");

pub const MAIL: &str = "name: mail\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: send\n    retry: { attempts: 3, backoff: { initial: 1s }, retry_on: [smtp_4xx, smtp_5xx, network] }\n    uses: notify.email\n    with:\n      to: ['a@example.com', 'b@example.com']\n      subject: 'Order ${{ input.order }}'\n      body: 'Order ${{ input.order }} needs a look.'\n";

pub fn smtp(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        username: None,
        password: None,
        from: Some("ops@example.com".into()),
        tls: SmtpTls::None,
        ca_pem: None,
        timeout: Duration::from_secs(10),
    }
}

pub async fn setup_with(
    store: &Store,
    yaml: &str,
    registry: Registry,
) -> (ManualClock, storeops_runtime::Worker) {
    store.migrate().await.unwrap();
    deploy(store, yaml).await;
    let clock = ManualClock::new(start());
    let worker = worker_with(store, &clock, "mail-worker", registry);
    (clock, worker)
}

pub async fn live_email_goes_out_once_with_the_idempotency_key(store: &Store) {
    let sink = smtp_sink("250 OK").await;
    let registry = storeops_runtime::builtin(reqwest::Client::new(), Some(smtp(sink.port)));
    let (clock, mut worker) = setup_with(store, MAIL, registry).await;
    start_run(store, &clock, "mail", "m1", json!({"order": "#1001"})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "m1").await, "completed");
    let sessions = sink.sessions.lock().unwrap().clone();
    assert_eq!(sessions.len(), 1);
    let commands: Vec<&str> = sessions[0]
        .commands
        .iter()
        .map(String::as_str)
        .filter(|c| !c.starts_with("EHLO"))
        .collect();
    assert_eq!(
        commands,
        vec![
            "MAIL FROM:<ops@example.com>",
            "RCPT TO:<a@example.com>",
            "RCPT TO:<b@example.com>",
            "DATA",
            "QUIT",
        ]
    );
    assert_eq!(sessions[0].messages.len(), 1);
    let message = &sessions[0].messages[0];
    let message_id = "<6d312f73656e642f30@storeops>";
    for header in [
        "From: ops@example.com\r\n",
        "To: a@example.com, b@example.com\r\n",
        "Subject: Order #1001\r\n",
        "X-Storeops-Idempotency-Key: m1/send/0\r\n",
        "Message-ID: <6d312f73656e642f30@storeops>\r\n",
        "Content-Type: text/plain; charset=utf-8\r\n",
    ] {
        assert!(message.contains(header), "{header:?} missing in {message}");
    }
    assert!(
        message.ends_with("\r\n\r\nOrder #1001 needs a look.\r\n"),
        "{message}"
    );
    assert_eq!(
        output(store, "m1", "send").await,
        json!({"to": ["a@example.com", "b@example.com"], "subject": "Order #1001",
               "message_id": message_id, "response": "queued as 1"})
    );
}

pub async fn permanent_smtp_errors_are_not_retried(store: &Store) {
    let sink = smtp_sink("550 no such user").await;
    let registry = storeops_runtime::builtin(reqwest::Client::new(), Some(smtp(sink.port)));
    let (clock, mut worker) = setup_with(store, MAIL, registry).await;
    start_run(store, &clock, "mail", "m2", json!({"order": "#1002"})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "m2").await, "failed");
    let run = store.run("m2").await.unwrap().unwrap();
    assert_eq!(
        run.error.as_deref(),
        Some(
            "step `send` failed after 1 attempt(s): smtp_5xx: permanent error (550): no such user"
        )
    );
    assert_eq!(sink.sessions.lock().unwrap().len(), 1);
}

pub async fn transient_smtp_errors_are_retried(store: &Store) {
    let sink = smtp_sink("451 try again later").await;
    let registry = storeops_runtime::builtin(reqwest::Client::new(), Some(smtp(sink.port)));
    let (clock, mut worker) = setup_with(store, MAIL, registry).await;
    start_run(store, &clock, "mail", "m3", json!({"order": "#1003"})).await;
    drive(&mut worker).await;
    // Attempt 2 waits for its back-off timer.
    assert_eq!(status(store, "m3").await, "waiting");
    for _ in 0..2 {
        clock.advance(Span::seconds(10));
        drive(&mut worker).await;
    }
    assert_eq!(status(store, "m3").await, "failed");
    let run = store.run("m3").await.unwrap().unwrap();
    assert_eq!(
        run.error.as_deref(),
        Some("step `send` failed after 3 attempt(s): smtp_4xx: transient error (451): try again later")
    );
    assert_eq!(sink.sessions.lock().unwrap().len(), 3);
}

pub async fn refused_connections_are_retried_as_network_errors(store: &Store) {
    // A port nothing listens on: bind one, then let it go.
    let port = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let registry = storeops_runtime::builtin(reqwest::Client::new(), Some(smtp(port)));
    let (clock, mut worker) = setup_with(store, MAIL, registry).await;
    start_run(store, &clock, "mail", "m5", json!({"order": "#1005"})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "m5").await, "waiting");
    for _ in 0..2 {
        clock.advance(Span::seconds(10));
        drive(&mut worker).await;
    }
    assert_eq!(status(store, "m5").await, "failed");
    let error = store.run("m5").await.unwrap().unwrap().error.unwrap();
    assert!(
        error.starts_with("step `send` failed after 3 attempt(s): network: "),
        "{error}"
    );
}

pub async fn a_silent_smtp_server_times_out_as_a_retryable_timeout(store: &Store) {
    // A server that accepts connections and never greets.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = std::sync::Arc::clone(&accepted);
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            held.push(socket);
        }
    });
    let settings = SmtpSettings {
        timeout: Duration::from_secs(1),
        ..smtp(port)
    };
    let yaml = MAIL.replace(
        "retry_on: [smtp_4xx, smtp_5xx, network]",
        "retry_on: [timeout]",
    );
    let registry = storeops_runtime::builtin(reqwest::Client::new(), Some(settings));
    let (clock, mut worker) = setup_with(store, &yaml, registry).await;
    start_run(store, &clock, "mail", "m6", json!({"order": "#1006"})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "m6").await, "waiting");
    clock.advance(Span::seconds(10));
    drive(&mut worker).await;
    clock.advance(Span::seconds(10));
    drive(&mut worker).await;
    assert_eq!(status(store, "m6").await, "failed");
    let error = store.run("m6").await.unwrap().unwrap().error.unwrap();
    assert!(
        error.starts_with("step `send` failed after 3 attempt(s): timeout: "),
        "{error}"
    );
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 3);
}

pub async fn email_without_an_smtp_server_fails_naming_the_setting(store: &Store) {
    let (clock, mut worker) = setup_with(store, MAIL, storeops_runtime::builtin_default()).await;
    start_run(store, &clock, "mail", "m4", json!({"order": "#1004"})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "m4").await, "failed");
    let run = store.run("m4").await.unwrap().unwrap();
    assert_eq!(
        run.error.as_deref(),
        Some(
            "step `send` failed after 1 attempt(s): smtp_not_configured: no SMTP server is \
             configured: set notify.email.host (STOREOPS_SMTP_HOST)"
        )
    );
}

/// Levels and orders making S-0 (2 available, 8 sold in the last 28 days →
/// reorder point ceil(8 × 7 / 28) = 2) and S-2 (0 available, no demand) low; S-1 is not.
async fn stock_records(store: &Store) {
    let now = start();
    let mut recent = order("#1", now - Span::days(3), 2);
    recent.lines[0].quantity = 8;
    let records = vec![
        level("S-0", "Main", 3, None),
        level("S-1", "Main", 20, None),
        level("S-2", "Main", 1, None),
        Record::Order(recent),
    ];
    store.upsert(&records).await.unwrap();
}

pub async fn the_stock_alert_in_shadow_mode_sends_nothing(store: &Store) {
    let sink = smtp_sink("250 OK").await;
    let registry = storeops_runtime::builtin(reqwest::Client::new(), Some(smtp(sink.port)));
    let (clock, mut worker) = setup_with(store, STOCK_ALERT, registry).await;
    stock_records(store).await;
    start_run(store, &clock, "stock-alert-basic", "a1", json!({})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "a1").await, "completed");
    assert_eq!(
        output(store, "a1", "low").await,
        json!({"count": 2, "rows": [
            {"sku": "S-0", "available": 2, "reorder_point": 2, "sold": 8, "locations": ["Main"]},
            {"sku": "S-2", "available": 0, "reorder_point": 0, "sold": 0, "locations": ["Main"]},
        ]})
    );
    assert_eq!(
        output(store, "a1", "tell[0]").await,
        json!({"shadow": true, "action": "notify.email", "input": {
            "to": "buyers@example.invalid",
            "subject": "Low stock: S-0",
            "body": "S-0 has 2 left (reorder point 2)."}})
    );
    assert_eq!(
        output(store, "a1", "tell[1]").await["input"]["subject"],
        json!("Low stock: S-2")
    );
    assert_eq!(sink.sessions.lock().unwrap().len(), 0);
}

pub async fn the_stock_alert_in_live_mode_mails_each_low_sku(store: &Store) {
    let sink = smtp_sink("250 OK").await;
    let registry = storeops_runtime::builtin(reqwest::Client::new(), Some(smtp(sink.port)));
    let live = STOCK_ALERT.replace("mode: shadow", "mode: live");
    let (clock, mut worker) = setup_with(store, &live, registry).await;
    stock_records(store).await;
    start_run(store, &clock, "stock-alert-basic", "a2", json!({})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "a2").await, "completed");
    let sessions = sink.sessions.lock().unwrap().clone();
    let messages: Vec<&String> = sessions.iter().flat_map(|s| &s.messages).collect();
    assert_eq!(messages.len(), 2);
    assert!(messages[0].contains("Subject: Low stock: S-0\r\n"));
    assert!(messages[0].contains("X-Storeops-Idempotency-Key: a2/tell/0\r\n"));
    assert!(messages[0].ends_with("\r\n\r\nS-0 has 2 left (reorder point 2).\r\n"));
    assert!(messages[1].contains("Subject: Low stock: S-2\r\n"));
    assert!(messages[1].contains("X-Storeops-Idempotency-Key: a2/tell/1\r\n"));
    assert!(sessions[0]
        .commands
        .contains(&"RCPT TO:<buyers@example.invalid>".to_string()));
}
