//! `store.update` operations beyond `insert` and `store.query`, end to end:
//! the reference `returns-triage-basic` sets return statuses (visible
//! through `Store::get`, what `/api/v1/returns/{id}` serves), orders get
//! tags, bad inputs fail naming the input, and queries read orders, returns
//! and outcome rows.

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use storeops_domain::{Record, ReturnStatus};
use storeops_store::{ListKind, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::fixtures::{order, return_request};
use crate::harness::{deploy, drive, output, setup, start, start_run, status};

const RETURNS_TRIAGE: &str = include_str!("../../../../workflows/returns-triage-basic.yaml");

const TAGGER: &str = "name: tagger\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: tag\n    uses: store.update\n    with: { entity: '${{ input.entity }}', op: '${{ input.op }}', key: '${{ input.key }}', tag: vip }\n";

const LOOKUP: &str = "name: lookup\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: note\n    uses: store.update\n    with: { entity: triage, op: insert, key: k-1, fields: { ok: true } }\n  - id: by_name\n    uses: store.query\n    with: { entity: order, filter: { name: '#1' } }\n  - id: by_id\n    uses: store.query\n    with: { entity: order, filter: { id: 'ext-#1' } }\n  - id: ret\n    uses: store.query\n    with: { entity: return, filter: { id: R-404 } }\n  - id: rows\n    uses: store.query\n    with: { entity: outcomes, filter: { entity: triage }, limit: 1 }\n  - id: page\n    uses: store.query\n    with: { entity: orders, filter: { q: '#' }, limit: 1 }\n  - id: none\n    uses: store.query\n    with: { entity: orders, filter: { sku: nothing } }\n";

const TOO_MANY: &str = "name: too-many\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: all\n    uses: store.query\n    with: { entity: inventory_low_stock, limit: \"${{ 2500 * 2 }}\" }\n";

/// A loopback HTTP endpoint answering 200 `{}`; counts requests.
async fn hook() -> (String, Arc<Mutex<usize>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/returns", listener.local_addr().unwrap());
    let count = Arc::new(Mutex::new(0));
    let seen = Arc::clone(&count);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 16 * 1024];
            let _ = socket.read(&mut buf).await;
            *seen.lock().unwrap() += 1;
            let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
            let _ = socket.write_all(reply).await;
        }
    });
    (url, count)
}

fn request(id: &str, days: i64, value: i64) -> Value {
    json!({"return": {"id": id, "channel": "web", "days_since_delivery": days, "value": value,
                      "items": [{"final_sale": false, "regulated": false}]}})
}

async fn return_status(store: &Store, id: &str) -> Value {
    store.get(ListKind::Returns, id).await.unwrap().unwrap()["status"].clone()
}

async fn error(store: &Store, id: &str) -> String {
    store
        .run(id)
        .await
        .unwrap()
        .unwrap()
        .error
        .unwrap_or_default()
}

pub async fn returns_triage_sets_return_statuses(store: &Store) {
    let (url, hooks) = hook().await;
    let yaml = RETURNS_TRIAGE.replace("https://hooks.example.invalid/returns", &url);
    let (clock, mut worker) = setup(store, &yaml).await;
    let records: Vec<Record> = ["R-1", "R-2", "R-3"]
        .iter()
        .map(|id| {
            Record::Return(return_request(
                id,
                ReturnStatus::Requested,
                false,
                true,
                &[],
            ))
        })
        .collect();
    store.upsert(&records).await.unwrap();
    // The reference file is in shadow mode: nothing is written.
    start_run(
        store,
        &clock,
        "returns-triage-basic",
        "t0",
        request("R-3", 3, 20),
    )
    .await;
    drive(&mut worker).await;
    assert_eq!(status(store, "t0").await, "completed");
    assert_eq!(return_status(store, "R-3").await, json!("requested"));
    assert_eq!(*hooks.lock().unwrap(), 0);
    store
        .set_workflow_mode("returns-triage-basic", "live")
        .await
        .unwrap();
    start_run(
        store,
        &clock,
        "returns-triage-basic",
        "t1",
        request("R-1", 3, 20),
    )
    .await;
    start_run(
        store,
        &clock,
        "returns-triage-basic",
        "t2",
        request("R-2", 45, 20),
    )
    .await;
    drive(&mut worker).await;
    assert_eq!(status(store, "t1").await, "completed");
    assert_eq!(status(store, "t2").await, "completed");
    assert_eq!(return_status(store, "R-1").await, json!("approved"));
    assert_eq!(return_status(store, "R-2").await, json!("rejected"));
    assert_eq!(return_status(store, "R-3").await, json!("requested"));
    assert_eq!(
        output(store, "t2", "reject_window").await,
        json!({"entity": "return", "op": "set_status", "key": "R-2", "status": "rejected",
               "fields": {"status": "rejected", "reason": "outside the 30-day window"}})
    );
    assert_eq!(*hooks.lock().unwrap(), 2);
}

pub async fn store_update_tags_orders_and_names_bad_inputs(store: &Store) {
    let (clock, mut worker) = setup(store, TAGGER).await;
    store
        .upsert(&[Record::Order(order("#1", start(), 1))])
        .await
        .unwrap();
    let runs = [
        ("g1", json!({"entity": "order", "op": "tag", "key": "#1"})),
        ("g2", json!({"entity": "order", "op": "tag", "key": "#1"})),
        ("g3", json!({"entity": "order", "op": "tag", "key": "#404"})),
        (
            "g4",
            json!({"entity": "order", "op": "frobnicate", "key": "#1"}),
        ),
        ("g5", json!({"entity": "return", "op": "tag", "key": "#1"})),
        (
            "g6",
            json!({"entity": "return", "op": "set_status", "key": "R-1"}),
        ),
    ];
    for (id, input) in runs {
        start_run(store, &clock, "tagger", id, input).await;
    }
    drive(&mut worker).await;
    let tags = store.get(ListKind::Orders, "#1").await.unwrap().unwrap()["tags"].clone();
    assert_eq!(tags, json!(["vip"]));
    assert_eq!(status(store, "g1").await, "completed");
    assert_eq!(status(store, "g2").await, "completed");
    assert_eq!(
        output(store, "g1", "tag").await,
        json!({"entity": "order", "op": "tag", "key": "#1", "tag": "vip", "fields": {}})
    );
    let failed = "step `tag` failed after 1 attempt(s): ";
    assert_eq!(
        error(store, "g3").await,
        format!("{failed}not_found: `key`: order `#404` does not exist")
    );
    assert_eq!(
        error(store, "g4").await,
        format!("{failed}invalid_input: `op` must be one of insert, set_status, tag, found `frobnicate`")
    );
    assert_eq!(
        error(store, "g5").await,
        format!("{failed}invalid_input: `entity: return` does not support `op: tag` (only `entity: order`)")
    );
    assert_eq!(
        error(store, "g6").await,
        format!("{failed}invalid_input: `status` (or `fields.status`) is required")
    );
}

pub async fn store_query_reads_orders_returns_and_outcomes(store: &Store) {
    let (clock, mut worker) = setup(store, LOOKUP).await;
    deploy(store, TOO_MANY).await;
    store
        .upsert(&[Record::Order(order("#1", start(), 1))])
        .await
        .unwrap();
    start_run(store, &clock, "lookup", "q1", json!({})).await;
    start_run(store, &clock, "too-many", "q2", json!({})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "q1").await, "completed");
    let by_name = output(store, "q1", "by_name").await;
    assert_eq!(by_name["count"], json!(1));
    assert_eq!(by_name["rows"][0]["name"], json!("#1"));
    assert_eq!(by_name["rows"][0]["external_id"], json!("ext-#1"));
    assert_eq!(output(store, "q1", "by_id").await, by_name);
    assert_eq!(
        output(store, "q1", "ret").await,
        json!({"rows": [], "count": 0})
    );
    let rows = output(store, "q1", "rows").await;
    assert_eq!(rows["count"], json!(1));
    let row = &rows["rows"][0];
    assert_eq!(
        (&row["key"], &row["fields"], &row["run_id"], &row["step"]),
        (
            &json!("k-1"),
            &json!({"ok": true}),
            &json!("q1"),
            &json!("note")
        )
    );
    let page = output(store, "q1", "page").await;
    assert_eq!((&page["count"], &page["next"]), (&json!(1), &json!(null)));
    assert_eq!(page["rows"][0]["name"], json!("#1"));
    assert_eq!(
        output(store, "q1", "none").await,
        json!({"rows": [], "count": 0, "next": null})
    );
    assert_eq!(status(store, "q2").await, "failed");
    assert_eq!(
        error(store, "q2").await,
        "step `all` failed after 1 attempt(s): invalid_input: `limit` must be from 1 to 1000, \
         found 5000"
    );
}
