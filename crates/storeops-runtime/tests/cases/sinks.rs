//! Side effects against a loopback HTTP sink: shadow mode records what it
//! would have sent and makes no call; live mode calls once with the step's
//! idempotency key.

use std::sync::{Arc, Mutex};

use serde_json::json;
use storeops_store::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::{drive, output, setup, start_run, status};

/// A loopback HTTP server that answers `{}` and keeps every request head.
struct Sink {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

async fn sink() -> Sink {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 16 * 1024];
            let n = socket.read(&mut buf).await.unwrap_or(0);
            seen.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&buf[..n]).to_lowercase());
            let reply = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
            let _ = socket.write_all(reply).await;
        }
    });
    Sink { url, requests }
}

fn definition(mode: &str, url: &str) -> String {
    format!(
        "name: notify-{mode}\nmode: {mode}\ntrigger: {{ manual: {{}} }}\nsteps:\n  - id: call\n    uses: http.request\n    with: {{ url: '{url}', method: POST, body: {{ order: '${{{{ input.order }}}}' }} }}\n"
    )
}

pub async fn shadow_mode_records_http_calls_without_making_them(store: &Store) {
    let sink = sink().await;
    let (clock, mut worker) = setup(store, &definition("shadow", &sink.url)).await;
    start_run(
        store,
        &clock,
        "notify-shadow",
        "s1",
        json!({"order": "#1001"}),
    )
    .await;
    drive(&mut worker).await;
    assert_eq!(status(store, "s1").await, "completed");
    assert_eq!(sink.requests.lock().unwrap().len(), 0);
    assert_eq!(
        output(store, "s1", "call").await,
        json!({"shadow": true, "action": "http.request",
               "input": {"url": sink.url, "method": "POST", "body": {"order": "#1001"}}})
    );
}

pub async fn live_http_request_sends_the_idempotency_key(store: &Store) {
    let sink = sink().await;
    let (clock, mut worker) = setup(store, &definition("live", &sink.url)).await;
    start_run(
        store,
        &clock,
        "notify-live",
        "l1",
        json!({"order": "#1002"}),
    )
    .await;
    drive(&mut worker).await;
    assert_eq!(status(store, "l1").await, "completed");
    let requests = sink.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0].starts_with("post /hook http/1.1"),
        "{}",
        requests[0]
    );
    assert!(
        requests[0].contains("idempotency-key: l1/call/0"),
        "{}",
        requests[0]
    );
    assert!(
        requests[0].ends_with(r##"{"order":"#1002"}"##),
        "{}",
        requests[0]
    );
    assert_eq!(
        output(store, "l1", "call").await,
        json!({"status": 200, "body": {}})
    );
}
