//! One conformance suite, run against SQLite and PostgreSQL: every test below
//! is instantiated for both backends by `conformance!` and asserts exact
//! values, so both backends give identical results for identical input.

#![cfg(test)]

mod cases;

use storeops_testkit as common;
use storeops_testkit::conformance;

use std::time::Instant;

use cases::{
    audit::*, auth::*, events::*, listing::*, paging::*, schema::*, workflow::*,
    workflow_effects::*, workflow_items::*, workflow_links::*, workflow_retention::*,
};
use common::fixtures::{self, adjustment, at, level, order, product, return_request, shipment};
use storeops_domain::{AdjustmentReason, Record, ReturnStatus};
use storeops_store::{Backend, ConnectOptions, Store, StoreError, UpsertCounts};

fn counts(imported: u64, updated: u64, unchanged: u64) -> UpsertCounts {
    UpsertCounts {
        imported,
        updated,
        unchanged,
    }
}

async fn migrated(store: &Store) {
    store.migrate().await.unwrap();
}

async fn reupsert_counts_unchanged_then_updated(store: &Store) {
    migrated(store).await;
    let mut records: Vec<Record> = ["a", "b", "c"]
        .iter()
        .map(|h| Record::Product(product(h, &["S-1", "S-2"])))
        .collect();
    assert_eq!(store.upsert(&records).await.unwrap(), counts(3, 0, 0));
    assert_eq!(store.upsert(&records).await.unwrap(), counts(0, 0, 3));
    if let Record::Product(p) = &mut records[1] {
        p.title = "Changed".into();
    }
    assert_eq!(store.upsert(&records).await.unwrap(), counts(0, 1, 2));
    assert_eq!(store.product("b").await.unwrap().unwrap().title, "Changed");
    assert_eq!(store.upsert(&[]).await.unwrap(), counts(0, 0, 0));
}

async fn repeated_keys_in_one_slice_last_wins(store: &Store) {
    migrated(store).await;
    let first = product("hat", &["H-1"]);
    let mut second = first.clone();
    second.title = "Second".into();
    let records = vec![
        Record::Product(first.clone()),
        Record::Product(first.clone()),
        Record::Product(second.clone()),
    ];
    assert_eq!(store.upsert(&records).await.unwrap(), counts(1, 0, 2));
    assert_eq!(store.product("hat").await.unwrap(), Some(second.clone()));
    assert_eq!(store.upsert(&records).await.unwrap(), counts(0, 0, 3));
    let back = vec![Record::Product(first.clone())];
    assert_eq!(store.upsert(&back).await.unwrap(), counts(0, 1, 0));
    assert_eq!(store.product("hat").await.unwrap(), Some(first));
    assert_eq!(store.counts().await.unwrap().products, 1);
}

async fn records_round_trip(store: &Store) {
    migrated(store).await;
    let records = fixtures::audit_store();
    store.upsert(&records).await.unwrap();
    for record in &records {
        match record {
            Record::Product(p) if p.handle != "gamma" => {
                assert_eq!(store.product(&p.handle).await.unwrap().as_ref(), Some(p));
            }
            Record::Order(o) => assert_eq!(store.order(&o.name).await.unwrap().as_ref(), Some(o)),
            Record::Customer(c) => match c.key() {
                Some(key) => assert_eq!(store.customer(&key).await.unwrap().as_ref(), Some(c)),
                None => assert_eq!(c.phone.as_deref(), Some("+44 20 7946 0958")),
            },
            _ => {}
        }
    }
    let gamma = store.product("gamma").await.unwrap().unwrap();
    assert_eq!(gamma.variants.len(), 2);
    assert_eq!(gamma.title, "");
    assert_eq!(store.product("nope").await.unwrap(), None);
    assert_eq!(store.order("#404").await.unwrap(), None);
    assert_eq!(store.customer("id:404").await.unwrap(), None);
}

async fn child_rows_are_replaced_on_update(store: &Store) {
    migrated(store).await;
    let mut p = product("tee", &["T-1", "T-2", "T-3"]);
    let mut o = order("#1", at(1, 9), 3);
    let mut r = return_request("r-1", ReturnStatus::Received, true, true, &["rf-1", "rf-2"]);
    let mut s = shipment("sh-1", "Main");
    let records = vec![
        Record::Product(p.clone()),
        Record::Order(o.clone()),
        Record::Return(r.clone()),
        Record::Shipment(s.clone()),
    ];
    assert_eq!(store.upsert(&records).await.unwrap(), counts(4, 0, 0));
    let before = store.counts().await.unwrap();
    assert_eq!(
        (
            before.variants,
            before.order_lines,
            before.refunds,
            before.locations
        ),
        (3, 3, 2, 1)
    );
    p.variants.pop();
    o.lines.truncate(1);
    r.refunds.remove(0);
    s.origin_location = "Outlet".into();
    s.events.clear();
    let records = vec![
        Record::Product(p.clone()),
        Record::Order(o.clone()),
        Record::Return(r.clone()),
        Record::Shipment(s),
    ];
    assert_eq!(store.upsert(&records).await.unwrap(), counts(0, 4, 0));
    let after = store.counts().await.unwrap();
    assert_eq!(
        (
            after.products,
            after.variants,
            after.orders,
            after.order_lines,
            after.returns,
            after.refunds
        ),
        (1, 2, 1, 1, 1, 1)
    );
    assert_eq!((after.shipments, after.locations), (1, 2));
    assert_eq!(store.product("tee").await.unwrap(), Some(p));
    assert_eq!(store.order("#1").await.unwrap(), Some(o));
}

async fn audit_facts_match_the_reference(store: &Store) {
    migrated(store).await;
    let records = fixtures::audit_store();
    let (head, tail) = records.split_at(12);
    store.upsert(head).await.unwrap();
    store.upsert(tail).await.unwrap();
    let as_of = at(20, 12);
    let expected = storeops_insights::facts_from_records(&records, as_of);
    let facts = store.audit_facts().await.unwrap();
    assert_eq!(facts, expected);
    // The fixture really plants what the audit looks for.
    assert_eq!(facts.products.len(), 3);
    assert_eq!(facts.variants.len(), 5);
    let ledger: Vec<(String, u64, i64)> = facts
        .levels
        .iter()
        .map(|l| (l.label(), l.ledger_entries, l.ledger_sum))
        .collect();
    assert_eq!(
        ledger,
        vec![
            ("A-1@Main".to_string(), 4, 11),
            ("A-1@Store".to_string(), 0, 0),
            ("B-1@Main".to_string(), 1, 4)
        ]
    );
    assert_eq!(facts.adjustments_total, 6);
    assert_eq!(facts.adjustments_without_reason, vec!["adj-3", "adj-5"]);
    let restocked: Vec<(&str, bool)> = facts
        .returns
        .iter()
        .map(|r| (r.id.as_str(), r.restocked_in_ledger))
        .collect();
    assert_eq!(
        restocked,
        vec![("r-1", true), ("r-2", false), ("r-3", false)]
    );
    assert_eq!(facts.orders_without_customer, vec!["#1002"]);
    assert_eq!(
        (
            facts.orders_total,
            facts.customers_total,
            facts.tickets_total
        ),
        (3, 2, 8)
    );
    assert_eq!(facts.identities.len(), 4);
    assert_eq!(facts.tickets_unlinked, vec!["t-4", "t-5"]);
    assert_eq!(facts.docs.len(), 3);
}

async fn large_batches_count_exactly(store: &Store) {
    migrated(store).await;
    let orders: Vec<Record> = (0..5_000)
        .map(|i| {
            Record::Order(order(
                &format!("#{}", 10_000 + i),
                at(1 + (i % 28) as u32, 9),
                3,
            ))
        })
        .collect();
    let started = Instant::now();
    assert_eq!(store.upsert(&orders).await.unwrap(), counts(5_000, 0, 0));
    println!(
        "{:?}: 15,000 order lines imported in {:?}",
        store.backend(),
        started.elapsed()
    );
    let c = store.counts().await.unwrap();
    assert_eq!((c.orders, c.order_lines), (5_000, 15_000));
    assert_eq!(store.upsert(&orders).await.unwrap(), counts(0, 0, 5_000));
    let facts = store.audit_facts().await.unwrap();
    assert_eq!(facts.orders_total, 5_000);
    assert!(facts.orders_without_customer.is_empty());
}

async fn locations_come_from_levels_ledger_and_shipments(store: &Store) {
    migrated(store).await;
    let records = vec![
        level("A-1", "Main", 1, None),
        adjustment(
            "adj-1",
            "A-1",
            "Back room",
            1,
            Some(AdjustmentReason::Receive),
            None,
        ),
        adjustment(
            "adj-2",
            "A-1",
            "Main",
            1,
            Some(AdjustmentReason::Receive),
            None,
        ),
        Record::Shipment(shipment("sh-1", "Outlet")),
        Record::Shipment(shipment("sh-2", "")),
    ];
    assert_eq!(store.upsert(&records).await.unwrap(), counts(5, 0, 0));
    let c = store.counts().await.unwrap();
    assert_eq!(
        (
            c.locations,
            c.inventory_levels,
            c.inventory_adjustments,
            c.shipments
        ),
        (3, 1, 2, 2)
    );
}

conformance! {
    backends: {
        sqlite => common::sqlite_store().await,
        postgres => common::pg_store().await,
    },
    tests: [
        migrate_is_idempotent,
        reupsert_counts_unchanged_then_updated,
        repeated_keys_in_one_slice_last_wins,
        records_round_trip,
        child_rows_are_replaced_on_update,
        duplicate_events_are_stored_once,
        audit_facts_match_the_reference,
        large_batches_count_exactly,
        locations_come_from_levels_ledger_and_shipments,
        backend_settings,
        ping_and_pool_stats,
        ingest_applies_records_of_new_events_only,
        ingest_one_thousand_events_in_batches_of_100,
        events_are_filtered_by_source_topic_status_and_time,
        list_key_ordered_kinds,
        list_orders_newest_first_with_filters,
        list_shipments_returns_tickets_with_filters,
        keyset_pages_cover_everything_once,
        search_is_case_insensitive_and_literal,
        invalid_queries_name_the_field,
        users_are_created_listed_and_disabled,
        tokens_are_created_found_and_revoked,
        sessions_are_created_read_and_expired,
        workflows_deploy_once_and_keep_mode_and_pause,
        runs_start_idempotently,
        runs_are_claimed_committed_and_listed,
        leases_keep_other_owners_out_until_they_expire,
        events_are_offered_once_even_by_two_dispatchers,
        waits_are_stored_by_commits_and_matched_once,
        schedule_marks_move_for_one_caller,
        paused_workflows_are_not_claimed,
        items_close_into_the_inbox_once,
        a_decision_during_the_release_keeps_the_run_due,
        outcomes_keep_the_first_row,
        effects_set_statuses_and_tag_orders_unless_the_lease_was_lost,
        low_stock_compares_available_units_with_demand_over_the_lead_time,
        outcome_rows_and_orders_by_platform_id,
        prune_counts_then_removes_finished_runs_only,
        migrate_run_moves_only_unleased_unfinished_runs_at_their_seq,
        bulk_start_and_commit_2000,
        audit_chains_append_and_verify,
        audited_commits_skip_lost_leases,
        audited_item_close_writes_once,
        audit_2000_entries_in_one_commit,
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backends_agree_on_identical_input() {
    let Some(pg) = common::pg_store().await else {
        return;
    };
    let lite = common::sqlite_store().await.unwrap();
    let records = fixtures::audit_store();
    let mut results = Vec::new();
    for store in [&lite.store, &pg.store] {
        store.migrate().await.unwrap();
        let upserted = store.upsert(&records).await.unwrap();
        let again = store.upsert(&records).await.unwrap();
        let product = store.product("alpha").await.unwrap();
        let order = store.order(" #1003").await.unwrap();
        results.push((
            upserted,
            again,
            store.counts().await.unwrap(),
            store.audit_facts().await.unwrap(),
            product,
            order,
        ));
    }
    assert_eq!(results[0], results[1]);
    assert_eq!(results[0].0, counts(33, 0, 1));
    assert_eq!(results[0].1, counts(0, 0, 34));
    lite.finish().await;
    pg.finish().await;
}

#[tokio::test]
async fn in_memory_sqlite_works() {
    let store = Store::connect("sqlite::memory:").await.unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    store.migrate().await.unwrap();
    let records = vec![Record::Product(product("cap", &["C-1", "C-2"]))];
    assert_eq!(store.upsert(&records).await.unwrap(), counts(1, 0, 0));
    let c = store.counts().await.unwrap();
    assert_eq!((c.products, c.variants), (1, 2));
    let settings = store.sqlite_settings().await.unwrap().unwrap();
    assert_eq!(settings.journal_mode, "memory");
    assert!(settings.foreign_keys);
    store.close().await;
}

#[tokio::test]
async fn unusable_urls_are_rejected() {
    let err = Store::connect("mysql://root:pw@localhost/shop")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidUrl { .. }), "{err}");
    assert!(!err.to_string().contains("pw"));
    let opts = ConnectOptions {
        pg_schema: Some("bad\"name".into()),
        ..ConnectOptions::default()
    };
    let err = Store::connect_with(&common::pg_url(), &opts)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::InvalidUrl { .. } | StoreError::Connect { .. }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn corrupt_json_is_reported_with_table_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("corrupt.db").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    store
        .upsert(&[Record::Product(product("mug", &["M-1"]))])
        .await
        .unwrap();
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    sqlx::query("UPDATE products SET data = '{\"handle\": 1' WHERE handle = 'mug'")
        .execute(&mut conn)
        .await
        .unwrap();
    let err = store.product("mug").await.unwrap_err();
    match err {
        StoreError::Corrupt { table, key, .. } => {
            assert_eq!((table, key.as_str()), ("products", "mug"))
        }
        other => panic!("expected Corrupt, got {other}"),
    }
    store.close().await;
}
