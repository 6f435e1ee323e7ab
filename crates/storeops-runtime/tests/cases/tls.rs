//! `http.request` and `notify.webhook` over HTTPS against a loopback server
//! whose certificate a throwaway CA signed: with that CA configured
//! (`Registry::on` a client from `HttpSettings`, as `http.ca_file` does)
//! both calls arrive with their exact bodies and idempotency keys; without
//! it the step fails at once as a `tls` error saying certificate
//! verification failed, and the server never sees a request.

use std::time::Duration;

use serde_json::json;
use storeops_runtime::{HttpSettings, ManualClock, Registry, Worker};
use storeops_store::Store;

use crate::harness::{deploy, drive, output, start, start_run, status, worker_with};
use crate::https::https_sink;

/// `call` posts to `127.0.0.1` (an IP address SAN), `ping` to `localhost`
/// (a DNS name SAN); `tls` in `retry_on` must still not retry.
fn definition(port: u16) -> String {
    format!(
        "name: tls-hooks\nmode: live\ntrigger: {{ manual: {{}} }}\nsteps:\n  - id: call\n    retry: {{ attempts: 3, backoff: {{ initial: 1s }}, retry_on: [network, tls] }}\n    uses: http.request\n    with: {{ url: 'https://127.0.0.1:{port}/hook', method: POST, body: {{ order: '${{{{ input.order }}}}' }} }}\n  - id: ping\n    uses: notify.webhook\n    with: {{ url: 'https://localhost:{port}/slack', text: 'Order ${{{{ input.order }}}} shipped' }}\n"
    )
}

async fn setup_with(store: &Store, yaml: &str, registry: Registry) -> (ManualClock, Worker) {
    store.migrate().await.unwrap();
    deploy(store, yaml).await;
    let clock = ManualClock::new(start());
    let worker = worker_with(store, &clock, "tls-worker", registry);
    (clock, worker)
}

/// Splits a request into its lower-cased head lines and its body.
fn parts(request: &str) -> (Vec<String>, String) {
    let (head, body) = request.split_once("\r\n\r\n").unwrap();
    let lines = head.lines().map(str::to_lowercase).collect();
    (lines, body.to_string())
}

pub async fn https_calls_trust_the_configured_ca(store: &Store) {
    let sink = https_sink().await;
    let http = HttpSettings {
        extra_ca_pem: Some(sink.ca_pem.clone().into_bytes()),
    };
    let registry = storeops_runtime::builtin(http.client().unwrap(), None);
    let (clock, mut worker) = setup_with(store, &definition(sink.port), registry).await;
    start_run(store, &clock, "tls-hooks", "t1", json!({"order": "#2001"})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "t1").await, "completed");

    let requests = sink.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 2, "{requests:?}");
    let (head, body) = parts(&requests[0]);
    assert_eq!(head[0], "post /hook http/1.1");
    assert!(
        head.contains(&"idempotency-key: t1/call/0".to_string()),
        "{head:?}"
    );
    assert!(
        head.contains(&format!("host: 127.0.0.1:{}", sink.port)),
        "{head:?}"
    );
    assert_eq!(body, r##"{"order":"#2001"}"##);
    let (head, body) = parts(&requests[1]);
    assert_eq!(head[0], "post /slack http/1.1");
    assert!(
        head.contains(&"idempotency-key: t1/ping/0".to_string()),
        "{head:?}"
    );
    assert!(
        head.contains(&format!("host: localhost:{}", sink.port)),
        "{head:?}"
    );
    assert_eq!(body, r##"{"text":"Order #2001 shipped"}"##);

    let ok = json!({"status": 200, "body": {"ok": true}});
    assert_eq!(output(store, "t1", "call").await, ok);
    assert_eq!(output(store, "t1", "ping").await, ok);
    assert!(sink.handshake_errors.lock().unwrap().is_empty());
}

pub async fn https_without_the_ca_fails_as_tls_and_is_not_retried(store: &Store) {
    let sink = https_sink().await;
    let (clock, mut worker) = setup_with(
        store,
        &definition(sink.port),
        storeops_runtime::builtin_default(),
    )
    .await;
    start_run(store, &clock, "tls-hooks", "t2", json!({"order": "#2002"})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "t2").await, "failed");
    let run = store.run("t2").await.unwrap().unwrap();
    assert_eq!(
        run.error.as_deref(),
        Some(
            format!(
                "step `call` failed after 1 attempt(s): tls: certificate verification failed: \
                 invalid peer certificate: UnknownIssuer (https://127.0.0.1:{}/hook)",
                sink.port
            )
            .as_str()
        )
    );
    assert!(sink.requests.lock().unwrap().is_empty());
    // The client refused the server's certificate and told it why.
    for _ in 0..100 {
        if !sink.handshake_errors.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        sink.handshake_errors.lock().unwrap().clone(),
        ["received fatal alert: UnknownCA"]
    );
}

pub async fn an_unrelated_ca_is_no_substitute_for_the_signing_one(store: &Store) {
    let sink = https_sink().await;
    let other = https_sink().await;
    let http = HttpSettings {
        extra_ca_pem: Some(other.ca_pem.clone().into_bytes()),
    };
    let registry = storeops_runtime::builtin(http.client().unwrap(), None);
    let (clock, mut worker) = setup_with(store, &definition(sink.port), registry).await;
    start_run(store, &clock, "tls-hooks", "t3", json!({"order": "#2003"})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "t3").await, "failed");
    let error = store.run("t3").await.unwrap().unwrap().error.unwrap();
    assert!(
        error.starts_with(
            "step `call` failed after 1 attempt(s): tls: certificate verification failed: "
        ),
        "{error}"
    );
    assert!(sink.requests.lock().unwrap().is_empty());
}
