//! Conformance cases for events: single appends, group-commit ingestion
//! (which events are new, whose records are applied) and the events listing.

use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;
use storeops_domain::{Event, EventStatus, Record};
use storeops_store::{Ingest, ListKind, ListQuery, Store};

use crate::common::fixtures::{at, customer, order};

/// An applied `orders/create` event received on 2024-03-01 at 12:`minute`.
fn event(source: &str, external_id: &str, minute: u32) -> Event {
    Event {
        source: source.into(),
        topic: "orders/create".into(),
        external_id: external_id.into(),
        payload: json!({"id": external_id}),
        received_at: received(minute),
        status: EventStatus::Applied,
        error: None,
    }
}

fn received(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 12, minute, 0).unwrap()
}

fn ingest(event: Event, records: Vec<Record>) -> Ingest {
    Ingest::new(event, records).unwrap()
}

fn events(limit: u32) -> ListQuery {
    ListQuery {
        limit,
        ..ListQuery::default()
    }
}

/// `external_id` of every item of an events page.
fn external_ids(items: &[serde_json::Value]) -> Vec<&str> {
    items
        .iter()
        .map(|e| e["external_id"].as_str().unwrap())
        .collect()
}

pub async fn duplicate_events_are_stored_once(store: &Store) {
    store.migrate().await.unwrap();
    let event = Event {
        source: "shopify".into(),
        topic: "orders/create".into(),
        external_id: "delivery-1".into(),
        payload: serde_json::json!({"id": 1, "total": "10.00", "lines": [1, 2]}),
        received_at: Utc.with_ymd_and_hms(2024, 3, 1, 12, 0, 0).unwrap(),
        status: storeops_domain::EventStatus::Applied,
        error: None,
    };
    assert!(store.append_event(&event).await.unwrap());
    assert!(!store.append_event(&event).await.unwrap());
    assert_eq!(store.counts().await.unwrap().events, 1);
    let other_source = Event {
        source: "woocommerce".into(),
        status: EventStatus::Unparseable,
        error: Some("expected value at line 1 column 1".into()),
        payload: json!("<html>"),
        ..event.clone()
    };
    assert!(store.append_event(&other_source).await.unwrap());
    assert_eq!(store.counts().await.unwrap().events, 2);
    let page = store.list(ListKind::Events, &events(10)).await.unwrap();
    let newest = &page.items[0];
    assert_eq!(newest["source"], "woocommerce");
    assert_eq!(newest["status"], "unparseable");
    assert_eq!(newest["error"], "expected value at line 1 column 1");
    assert_eq!(newest["payload"], "<html>");
    assert_eq!(page.items[1]["status"], "applied");
    assert_eq!(page.items[1]["error"], serde_json::Value::Null);
}

pub async fn ingest_applies_records_of_new_events_only(store: &Store) {
    store.migrate().await.unwrap();
    let stored = event("shopify", "d-1", 0);
    assert!(store.append_event(&stored).await.unwrap());
    let mut invalid = event("shopify", "d-3", 3);
    invalid.status = EventStatus::Invalid;
    invalid.error = Some("line_items[0].price: not a decimal".into());
    invalid.payload = json!({"line_items": [{"price": "x"}]});
    let first = order("#2001", at(1, 9), 1);
    let later = order("#2001", at(1, 9), 2);
    let items = vec![
        // Stored before: its records are not applied.
        ingest(
            stored.clone(),
            vec![Record::Order(order("#2000", at(1, 9), 1))],
        ),
        ingest(
            event("shopify", "d-2", 2),
            vec![
                Record::Order(first),
                Record::Customer(customer(Some("7"), None, None)),
            ],
        ),
        // Repeated in the slice: a duplicate too.
        ingest(
            event("shopify", "d-2", 2),
            vec![Record::Order(order("#2002", at(1, 9), 1))],
        ),
        ingest(invalid.clone(), vec![]),
        // Same delivery id from another source is another event; its
        // version of #2001 comes later in the slice and wins.
        ingest(
            event("woocommerce", "d-2", 4),
            vec![Record::Order(later.clone())],
        ),
    ];
    assert_eq!(
        store.ingest(&items).await.unwrap(),
        vec![false, true, false, true, true]
    );
    let c = store.counts().await.unwrap();
    assert_eq!(
        (c.events, c.orders, c.order_lines, c.customers),
        (4, 1, 2, 1)
    );
    assert_eq!(store.order("#2001").await.unwrap(), Some(later));
    assert_eq!(store.order("#2000").await.unwrap(), None);
    assert_eq!(store.order("#2002").await.unwrap(), None);
    assert_eq!(store.ingest(&items).await.unwrap(), vec![false; 5]);
    assert_eq!(store.counts().await.unwrap(), c);
    assert_eq!(store.ingest(&[]).await.unwrap(), Vec::<bool>::new());

    let page = store.list(ListKind::Events, &events(10)).await.unwrap();
    assert_eq!(external_ids(&page.items), vec!["d-2", "d-3", "d-2", "d-1"]);
    let flagged = &page.items[1];
    let id = flagged["id"].as_i64().unwrap();
    assert_eq!(
        *flagged,
        json!({
            "id": id,
            "source": "shopify",
            "topic": "orders/create",
            "external_id": "d-3",
            "status": "invalid",
            "error": "line_items[0].price: not a decimal",
            "received_at": "2024-03-01T12:03:00Z",
            "payload": {"line_items": [{"price": "x"}]},
        })
    );
    let got = store.get(ListKind::Events, &id.to_string()).await.unwrap();
    assert_eq!(got.as_ref(), Some(flagged));
}

pub async fn ingest_one_thousand_events_in_batches_of_100(store: &Store) {
    store.migrate().await.unwrap();
    let items: Vec<Ingest> = (0..1_000)
        .map(|i| {
            let name = format!("#{}", 5_000 + i);
            let mut e = event("shopify", &format!("d-{i}"), 0);
            e.received_at += chrono::Duration::seconds(i);
            e.payload = json!({"name": name, "total_price": "5.00"});
            ingest(e, vec![Record::Order(order(&name, at(2, 9), 1))])
        })
        .collect();
    let started = Instant::now();
    for batch in items.chunks(100) {
        assert_eq!(store.ingest(batch).await.unwrap(), vec![true; 100]);
    }
    println!(
        "{:?}: 1,000 events ingested in batches of 100 in {:?}",
        store.backend(),
        started.elapsed()
    );
    let c = store.counts().await.unwrap();
    assert_eq!((c.events, c.orders, c.order_lines), (1_000, 1_000, 1_000));
    assert_eq!(store.ingest(&items[..100]).await.unwrap(), vec![false; 100]);
    assert_eq!(store.counts().await.unwrap().events, 1_000);

    let first = store.list(ListKind::Events, &events(500)).await.unwrap();
    assert_eq!(first.items.len(), 500);
    assert_eq!(first.items[0]["external_id"], "d-999");
    assert_eq!(first.items[499]["external_id"], "d-500");
    let query = ListQuery {
        cursor: first.next.clone(),
        ..events(500)
    };
    let second = store.list(ListKind::Events, &query).await.unwrap();
    assert_eq!(second.items.len(), 500);
    assert_eq!(second.items[0]["external_id"], "d-499");
    assert_eq!(second.items[499]["external_id"], "d-0");
    assert_eq!(second.next, None);
}

pub async fn events_are_filtered_by_source_topic_status_and_time(store: &Store) {
    store.migrate().await.unwrap();
    let mut items = Vec::new();
    for (i, (source, topic, status)) in [
        ("shopify", "orders/create", EventStatus::Applied),
        ("shopify", "orders/updated", EventStatus::Applied),
        ("woocommerce", "order.created", EventStatus::Invalid),
        ("shopify", "carts/update", EventStatus::UnknownTopic),
        ("generic", "anything", EventStatus::Stored),
        ("shopify", "orders/create", EventStatus::Unparseable),
    ]
    .into_iter()
    .enumerate()
    {
        let mut e = event(source, &format!("e-{i}"), i as u32 * 10);
        e.topic = topic.into();
        e.status = status;
        items.push(ingest(e, vec![]));
    }
    assert_eq!(store.ingest(&items).await.unwrap(), vec![true; 6]);
    let ids = |query: ListQuery| async move {
        let page = store.list(ListKind::Events, &query).await.unwrap();
        external_ids(&page.items)
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let q = |f: fn(&mut ListQuery)| {
        let mut query = events(50);
        f(&mut query);
        query
    };
    assert_eq!(
        ids(q(|q| q.source = Some("shopify".into()))).await,
        ["e-5", "e-3", "e-1", "e-0"]
    );
    assert_eq!(
        ids(q(|q| q.topic = Some("orders/create".into()))).await,
        ["e-5", "e-0"]
    );
    assert_eq!(
        ids(q(|q| {
            q.source = Some("shopify".into());
            q.topic = Some("orders/create".into());
            q.status = Some("Applied".into());
        }))
        .await,
        ["e-0"]
    );
    assert_eq!(
        ids(q(|q| q.status = Some("unknown_topic".into()))).await,
        ["e-3"]
    );
    // since inclusive (12:10), until exclusive (12:40).
    assert_eq!(
        ids(q(|q| {
            q.since = Some(received(10));
            q.until = Some(received(40));
        }))
        .await,
        ["e-3", "e-2", "e-1"]
    );
    assert_eq!(store.get(ListKind::Events, "nope").await.unwrap(), None);
    assert_eq!(store.get(ListKind::Events, "999999").await.unwrap(), None);
}
