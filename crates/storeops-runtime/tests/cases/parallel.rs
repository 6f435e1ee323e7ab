//! `parallel` branches in the real worker: their calls are in flight at
//! the same time (a loopback server that answers only once both requests
//! are open), and each branch waits for its own event (two stored waits of
//! one run).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use storeops_store::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Notify;

use crate::harness::{drive, event, history, output, setup, start_run, status};

/// A loopback HTTP server that holds every request until `needed` requests
/// are open at once, then answers them all `{}` with 200; a request still
/// held after 5 s gets a 503. Keeps the request paths.
async fn barrier(needed: usize) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let paths = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&paths);
    let open = Arc::new(Mutex::new(0usize));
    let all_in = Arc::new(Notify::new());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (seen, open, all_in) = (seen.clone(), open.clone(), all_in.clone());
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = head.split(' ').nth(1).unwrap_or("").to_string();
                seen.lock().unwrap().push(path);
                let waiting = all_in.notified();
                let arrived = {
                    let mut open = open.lock().unwrap();
                    *open += 1;
                    *open
                };
                if arrived >= needed {
                    all_in.notify_waiters();
                }
                let reply: &[u8] = if arrived >= needed
                    || tokio::time::timeout(Duration::from_secs(5), waiting)
                        .await
                        .is_ok()
                {
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}"
                } else {
                    b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                };
                let _ = socket.write_all(reply).await;
            });
        }
    });
    (url, paths)
}

fn fan_out(url: &str) -> String {
    let call = |id: &str| {
        format!(
            "      - - id: {id}\n          uses: http.request\n          retry: {{ attempts: 1 }}\n          with: {{ url: '{url}/{id}', method: POST, body: {{ order: '${{{{ input.order }}}}' }} }}\n"
        )
    };
    format!(
        "name: fan-out\nmode: live\ntrigger: {{ manual: {{}} }}\nsteps:\n  - id: both\n    parallel:\n{}{}  - id: after\n    uses: core.set\n    with: {{ values: {{ n: '${{{{ size(steps.both.output) }}}}' }} }}\n",
        call("carrier"),
        call("crm")
    )
}

pub async fn parallel_branches_call_out_at_the_same_time(store: &Store) {
    let (url, paths) = barrier(2).await;
    let (clock, mut worker) = setup(store, &fan_out(&url)).await;
    start_run(store, &clock, "fan-out", "f-1", json!({"order": "#7"})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "f-1").await, "completed");
    let mut seen = paths.lock().unwrap().clone();
    seen.sort();
    assert_eq!(seen, ["/carrier", "/crm"]);
    for step in ["carrier", "crm"] {
        assert_eq!(
            output(store, "f-1", step).await,
            json!({"status": 200, "body": {}})
        );
    }
    assert_eq!(output(store, "f-1", "after").await, json!({"n": 2}));
    // Both intents were committed before either call was made.
    let h = history(store, "f-1").await;
    assert_eq!(
        h[..3],
        [
            "run_started",
            "step_scheduled:carrier",
            "step_scheduled:crm"
        ]
    );
    assert_eq!(h.last().map(String::as_str), Some("run_completed"));
}

const BOTH_EVENTS: &str = "name: paid-and-shipped\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: both\n    parallel:\n      - - id: ship\n          wait:\n            event: { topic: shipment.created, match: event.payload.order == input.order }\n            timeout: 2h\n      - - id: pay\n          wait:\n            event: { topic: payment.captured, match: event.payload.order == input.order }\n            timeout: 2h\n  - id: after\n    uses: core.set\n    with: { values: { carrier: '${{ steps.ship.output.event.payload.carrier }}', amount: '${{ steps.pay.output.event.payload.amount }}' } }\n";

async fn waits(store: &Store) -> Vec<String> {
    let topics = [
        "shipment.created".to_string(),
        "payment.captured".to_string(),
    ];
    let mut waits: Vec<String> = store
        .waits(&topics)
        .await
        .unwrap()
        .into_iter()
        .map(|w| format!("{}/{}", w.run_id, w.step))
        .collect();
    waits.sort();
    waits
}

pub async fn each_parallel_branch_waits_for_its_own_event(store: &Store) {
    let (clock, mut worker) = setup(store, BOTH_EVENTS).await;
    start_run(
        store,
        &clock,
        "paid-and-shipped",
        "p-1",
        json!({"order": "A-1"}),
    )
    .await;
    drive(&mut worker).await;
    assert_eq!(status(store, "p-1").await, "waiting");
    assert_eq!(waits(store).await, ["p-1/pay", "p-1/ship"]);
    event(
        store,
        "payment.captured",
        "pay-1",
        json!({"order": "A-1", "amount": 42}),
    )
    .await;
    drive(&mut worker).await;
    assert_eq!(status(store, "p-1").await, "waiting");
    assert_eq!(waits(store).await, ["p-1/ship"]);
    event(
        store,
        "shipment.created",
        "ship-1",
        json!({"order": "A-1", "carrier": "dhl"}),
    )
    .await;
    drive(&mut worker).await;
    assert_eq!(status(store, "p-1").await, "completed");
    assert!(waits(store).await.is_empty());
    assert_eq!(
        output(store, "p-1", "after").await,
        json!({"carrier": "dhl", "amount": 42})
    );
}

pub async fn a_call_waits_for_its_intent_while_another_branch_chains(store: &Store) {
    let (url, paths) = barrier(1).await;
    let yaml = format!(
        "name: chain-and-call\nmode: live\ntrigger: {{ manual: {{}} }}\nsteps:\n  - id: both\n    parallel:\n      - - id: note\n          uses: core.set\n          with: {{ values: {{ n: 1 }} }}\n      - - id: hook\n          uses: http.request\n          with: {{ url: '{url}/hook', method: POST, body: {{}} }}\n"
    );
    let (clock, mut worker) = setup(store, &yaml).await;
    start_run(store, &clock, "chain-and-call", "c-1", json!({})).await;
    // Round 1 commits the call's intent; the other branch's result folds in
    // and the run settles again, but the call waits for the next round.
    worker.round().await.unwrap();
    assert!(paths.lock().unwrap().is_empty());
    assert_eq!(
        history(store, "c-1").await,
        ["run_started", "step_scheduled:hook", "step_completed:note"]
    );
    drive(&mut worker).await;
    assert_eq!(*paths.lock().unwrap(), ["/hook"]);
    assert_eq!(status(store, "c-1").await, "completed");
}

const SAME_TOPIC: &str = "name: two-looks\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: both\n    parallel:\n      - - id: mine\n          wait:\n            event: { topic: shipment.created, match: event.payload.order == input.order }\n            timeout: 2h\n      - - id: dhl\n          wait:\n            event: { topic: shipment.created, match: event.payload.carrier == 'dhl' }\n            timeout: 2h\n";

pub async fn one_event_satisfies_every_wait_of_a_run_it_matches(store: &Store) {
    let (clock, mut worker) = setup(store, SAME_TOPIC).await;
    start_run(store, &clock, "two-looks", "t-1", json!({"order": "A-1"})).await;
    drive(&mut worker).await;
    assert_eq!(waits(store).await, ["t-1/dhl", "t-1/mine"]);
    event(
        store,
        "shipment.created",
        "ship-1",
        json!({"order": "A-1", "carrier": "dhl"}),
    )
    .await;
    drive(&mut worker).await;
    assert_eq!(status(store, "t-1").await, "completed");
    assert!(waits(store).await.is_empty());
}
