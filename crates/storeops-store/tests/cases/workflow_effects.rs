//! Conformance cases for the `store.update` effects written by
//! `commit_runs` (return statuses, order tags, lost leases) and the reads
//! of the `store.query` action (low stock, outcome rows, orders by id).

use chrono::{Duration, TimeZone, Utc};
use serde_json::json;
use storeops_domain::{Record, ReturnStatus};
use storeops_store::{ListKind, ListQuery, Outcome, ReorderPolicy, Store, StoreEffect, StoreError};

use super::workflow::{at as run_at, started, update};
use crate::common::fixtures::{at, level, order, return_request};

fn tag(order: &str, tag: &str, run_id: &str) -> StoreEffect {
    StoreEffect::TagOrder {
        order: order.into(),
        tag: tag.into(),
        run_id: run_id.into(),
    }
}

fn set_status(return_id: &str, status: ReturnStatus, run_id: &str) -> StoreEffect {
    StoreEffect::SetReturnStatus {
        return_id: return_id.into(),
        status,
        run_id: run_id.into(),
    }
}

fn outcome(key: &str, run_id: &str) -> StoreEffect {
    StoreEffect::Insert(Outcome {
        entity: "triage".into(),
        key: key.into(),
        fields: "{\"ok\":true}".into(),
        run_id: run_id.into(),
        step: "record".into(),
    })
}

async fn tags(store: &Store, name: &str) -> serde_json::Value {
    store.get(ListKind::Orders, name).await.unwrap().unwrap()["tags"].clone()
}

pub async fn effects_set_statuses_and_tag_orders_unless_the_lease_was_lost(store: &Store) {
    started(store, &["r-1", "r-2"]).await;
    let ret = return_request("R-1", ReturnStatus::Requested, false, true, &[]);
    let records = vec![
        Record::Return(ret.clone()),
        Record::Order(order("#1", at(1, 0), 1)),
        Record::Order(order("#2", at(1, 0), 1)),
    ];
    store.upsert(&records).await.unwrap();
    store
        .claim_runs("w1", run_at(1, 1), run_at(1, 2), 10, false)
        .await
        .unwrap();
    // r-2's update names a seq the run is not at: its effects are dropped.
    let updates = [
        update("r-1", 1, "completed", None),
        update("r-2", 7, "completed", None),
    ];
    let effects = [
        set_status("R-1", ReturnStatus::Rejected, "r-1"),
        tag("#1", "vip", "r-1"),
        tag("#1", "vip", "r-1"),
        tag("#1", "checked", "r-1"),
        set_status("R-404", ReturnStatus::Approved, "r-1"),
        set_status("R-1", ReturnStatus::Approved, "r-1"),
        tag("#2", "lost", "r-2"),
        outcome("k-2", "r-2"),
        outcome("k-3", "r-3"),
    ];
    let applied = store
        .commit_runs("w1", &updates, &effects, &[])
        .await
        .unwrap();
    assert_eq!(applied, vec![true, false]);
    // The later of two statuses for one return wins.
    let stored = store.get(ListKind::Returns, "R-1").await.unwrap().unwrap();
    assert_eq!(stored["status"], json!("approved"));
    assert_eq!(stored["customer_note"], json!("too small"));
    let listed = store
        .list(
            ListKind::Returns,
            &ListQuery {
                limit: 10,
                status: Some("approved".into()),
                ..ListQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(tags(store, "#1").await, json!(["vip", "checked"]));
    assert_eq!(tags(store, "#2").await, json!([]));
    assert_eq!(store.get(ListKind::Returns, "R-404").await.unwrap(), None);
    // Effects of runs not among the updates are written.
    assert_eq!(
        store.outcomes("triage").await.unwrap(),
        vec![("k-3".to_string(), "{\"ok\":true}".to_string())]
    );
    // Re-importing the unchanged source record keeps the workflow's status.
    let again = store.upsert(&[Record::Return(ret)]).await.unwrap();
    assert_eq!((again.imported, again.updated, again.unchanged), (0, 0, 1));
    let stored = store.get(ListKind::Returns, "R-1").await.unwrap().unwrap();
    assert_eq!(stored["status"], json!("approved"));
}

pub async fn low_stock_compares_available_units_with_demand_over_the_lead_time(store: &Store) {
    store.migrate().await.unwrap();
    let mut cancelled = order("#3", at(13, 0), 2);
    cancelled.cancelled_at = Some(at(13, 5));
    let old = order("#4", Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap(), 2);
    let records = vec![
        // Available is on hand − 1.
        level("S-0", "Main", 3, None),
        level("S-0", "Back", 1, None),
        level("S-1", "Main", 11, None),
        level("S-2", "Main", 1, None),
        level("S-3", "Main", 6, None),
        // S-0 × 1 and S-1 × 2 per order.
        Record::Order(order("#1", at(10, 0), 2)),
        Record::Order(order("#2", at(12, 0), 2)),
        Record::Order(cancelled),
        Record::Order(old),
    ];
    store.upsert(&records).await.unwrap();
    let policy = ReorderPolicy {
        as_of: at(14, 0),
        window_days: 7,
        lead_time_days: 14,
    };
    let rows = store.low_stock(policy, 100).await.unwrap();
    let got: Vec<(&str, i64, i64, i64, Vec<&str>)> = rows
        .iter()
        .map(|r| {
            let places = r.locations.iter().map(String::as_str).collect();
            (r.sku.as_str(), r.available, r.reorder_point, r.sold, places)
        })
        .collect();
    // S-0: sold 2 → ceil(2 × 14 / 7) = 4 ≥ 2 available; S-1: 8 < 10;
    // S-2: no demand, 0 ≤ 0; S-3: 0 < 5.
    assert_eq!(
        got,
        vec![
            ("S-0", 2, 4, 2, vec!["Back", "Main"]),
            ("S-2", 0, 0, 0, vec!["Main"]),
        ]
    );
    assert_eq!(store.low_stock(policy, 1).await.unwrap().len(), 1);
    // A shorter lead time lowers S-0's reorder point: ceil(2 × 3 / 7) = 1.
    let short = ReorderPolicy {
        lead_time_days: 3,
        ..policy
    };
    let skus: Vec<String> = store
        .low_stock(short, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.sku)
        .collect();
    assert_eq!(skus, vec!["S-2"]);
    let zero = ReorderPolicy {
        window_days: 0,
        ..policy
    };
    match store.low_stock(zero, 10).await {
        Err(StoreError::InvalidQuery { field, .. }) => assert_eq!(field, "window_days"),
        other => panic!("expected InvalidQuery, got {other:?}"),
    }
}

pub async fn outcome_rows_and_orders_by_platform_id(store: &Store) {
    started(store, &["r-1"]).await;
    store
        .upsert(&[Record::Order(order("#7", at(1, 0), 1))])
        .await
        .unwrap();
    let before = Utc::now() - Duration::seconds(1);
    store
        .commit_runs("w1", &[], &[outcome("b", "r-1"), outcome("a", "r-1")], &[])
        .await
        .unwrap();
    let rows = store.outcome_rows("triage", 1).await.unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        (row.entity.as_str(), row.key.as_str(), row.fields.as_str()),
        ("triage", "a", "{\"ok\":true}")
    );
    assert_eq!((row.run_id.as_str(), row.step.as_str()), ("r-1", "record"));
    assert!(row.created_at >= before && row.created_at <= Utc::now());
    assert_eq!(store.outcome_rows("triage", 10).await.unwrap().len(), 2);
    assert!(store.outcome_rows("other", 10).await.unwrap().is_empty());
    assert_eq!(
        store.order_name_by_id("ext-#7").await.unwrap().as_deref(),
        Some("#7")
    );
    assert_eq!(store.order_name_by_id("ext-#8").await.unwrap(), None);
}
