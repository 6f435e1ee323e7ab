//! Conformance cases for the schema and connections: migrations (including
//! 0002's backfill of rows stored under 0001), backend settings, ping and
//! pool statistics.

use std::path::Path;

use sqlx::migrate::Migrator;
use sqlx::{Connection, Executor};
use storeops_store::{Backend, ListKind, ListQuery, MigrationReport, Store};

use crate::common;

pub async fn migrate_is_idempotent(store: &Store) {
    assert_eq!(store.pending_migrations().await.unwrap(), 9);
    let first = store.migrate().await.unwrap();
    assert_eq!(
        first,
        MigrationReport {
            applied: vec![1, 2, 3, 4, 5, 6, 7, 8, 9],
            current: 9
        }
    );
    let second = store.migrate().await.unwrap();
    assert_eq!(
        second,
        MigrationReport {
            applied: vec![],
            current: 9
        }
    );
    assert_eq!(store.pending_migrations().await.unwrap(), 0);
}

pub async fn backend_settings(store: &Store) {
    match store.backend() {
        Backend::Sqlite => {
            let settings = store.sqlite_settings().await.unwrap().unwrap();
            assert_eq!(settings.journal_mode, "wal");
            assert_eq!(settings.synchronous, 2);
            assert!(settings.foreign_keys);
            assert_eq!(settings.busy_timeout_ms, 5_000);
        }
        Backend::Postgres => assert_eq!(store.sqlite_settings().await.unwrap(), None),
    }
}

pub async fn ping_and_pool_stats(store: &Store) {
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
    // Refreshing planner statistics works on a fresh schema and leaves it usable.
    store.analyze().await.unwrap();
    store.ping().await.unwrap();
    let stats = store.pool_stats();
    assert!(stats.writer_idle <= stats.writer_size);
    assert!(stats.reader_idle <= stats.reader_size);
    assert!(stats.reader_size >= 1, "{stats:?}");
    match store.backend() {
        // One writer connection (it ran the migrations; it may still be on
        // its way back to the pool, so idle is 0 or 1); readers apart.
        Backend::Sqlite => assert_eq!(stats.writer_size, 1),
        // One pool for both.
        Backend::Postgres => {
            assert_eq!(stats.writer_size, stats.reader_size);
            assert!(stats.reader_size <= 4);
        }
    }
}

/// Rows as 0001 stored them, before 0002 added columns.
const ROWS_0001: &str = "\
    INSERT INTO customers (key, external_id, email, content_hash, data) VALUES \
    ('id:1', '1', NULL, 'h1', '{\"first_name\": \"Grace\", \"last_name\": \"Hopper\"}'), \
    ('id:2', '2', 'x@example.com', 'h2', '{\"first_name\": \"\", \"last_name\": \"Turing\"}'); \
    INSERT INTO events (source, topic, external_id, payload, received_at) VALUES \
    ('shopify', 'orders/create', 'old-1', '{\"id\": 1}', '2024-03-01T12:00:00+00:00');";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migration_0002_backfills_rows_stored_under_0001() {
    for ctx in common::both_stores().await {
        let backend = ctx.store.backend().as_str();
        stored_under(&ctx, 1, ROWS_0001).await;
        let store = &ctx.store;
        assert_eq!(store.pending_migrations().await.unwrap(), 8, "{backend}");
        assert_eq!(
            store.migrate().await.unwrap().applied,
            vec![2, 3, 4, 5, 6, 7, 8, 9]
        );
        // Events stored before 0005 are not offered to workflow triggers.
        assert!(
            store.pending_events(10).await.unwrap().is_empty(),
            "{backend}"
        );
        let by_name = |text: &str| ListQuery {
            limit: 10,
            q: Some(text.into()),
            ..ListQuery::default()
        };
        for (text, keys) in [("grace hop", vec!["id:1"]), ("TURING", vec!["id:2"])] {
            let page = store
                .list(ListKind::Customers, &by_name(text))
                .await
                .unwrap();
            let got: Vec<&str> = page
                .items
                .iter()
                .map(|c| c["key"].as_str().unwrap())
                .collect();
            assert_eq!(got, keys, "{backend}");
        }
        let events = ListQuery {
            limit: 10,
            status: Some("applied".into()),
            ..ListQuery::default()
        };
        let page = store.list(ListKind::Events, &events).await.unwrap();
        assert_eq!(page.items.len(), 1, "{backend}");
        assert_eq!(page.items[0]["error"], serde_json::Value::Null);
        assert_eq!(page.items[0]["received_at"], "2024-03-01T12:00:00Z");
        ctx.finish().await;
    }
}

/// Applies only the migrations up to `last` to `ctx`'s empty database, then
/// runs `rows` (rows as that schema stored them).
async fn stored_under(ctx: &common::TestStore, last: u32, rows: &str) {
    let backend = ctx.store.backend().as_str();
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    for entry in std::fs::read_dir(&source).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let number: u32 = name[..4].parse().unwrap();
        if number <= last {
            std::fs::copy(source.join(&name), dir.path().join(&name)).unwrap();
        }
    }
    let older = Migrator::new(dir.path()).await.unwrap();
    match &ctx.pg_schema {
        None => {
            let mut conn = sqlx::SqliteConnection::connect(&ctx.url).await.unwrap();
            older.run(&mut conn).await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(rows.to_string()))
                .execute(&mut conn)
                .await
                .unwrap();
            conn.close().await.unwrap();
        }
        Some(schema) => {
            let mut conn = sqlx::PgConnection::connect(&ctx.url).await.unwrap();
            let path = format!("SET search_path TO \"{schema}\"");
            conn.execute(sqlx::AssertSqlSafe(path)).await.unwrap();
            older.run(&mut conn).await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(rows.to_string()))
                .execute(&mut conn)
                .await
                .unwrap();
            conn.close().await.unwrap();
        }
    }
}

/// A run as 0003–0006 stored it: chunk 0 in `wf_history`.
const RUN_0006: &str = "\
    INSERT INTO wf_runs (id, workflow, version, mode, status, input, created_at, updated_at, \
    due_at, next_seq) VALUES ('old-1', 'refunds', 'v1', 'live', 'running', '{}', \
    '2024-03-01T12:00:00+00:00', '2024-03-01T12:00:00+00:00', '2024-03-01T12:00:00+00:00', 1); \
    INSERT INTO wf_history (run_id, seq, events, at) VALUES \
    ('old-1', 0, '[{\"started\":\"old-1\"}]', '2024-03-01T12:00:00+00:00');";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_started_before_0007_keep_chunk_0_in_their_history() {
    for ctx in common::both_stores().await {
        let backend = ctx.store.backend().as_str();
        stored_under(&ctx, 6, RUN_0006).await;
        let store = &ctx.store;
        assert_eq!(
            store.migrate().await.unwrap().applied,
            vec![7, 8, 9],
            "{backend}"
        );
        let new = storeops_store::NewRun {
            id: "new-1".into(),
            workflow: "refunds".into(),
            version: "v1".into(),
            mode: "live".into(),
            input: "{}".into(),
            events: "[{\"started\":\"new-1\"}]".into(),
            at: chrono::DateTime::parse_from_rfc3339("2024-03-01T12:30:00Z")
                .unwrap()
                .to_utc(),
        };
        // A run with only its row and an inbox entry: the claim reads the inbox.
        let cancelled_at = chrono::DateTime::parse_from_rfc3339("2024-03-01T12:40:00Z")
            .unwrap()
            .to_utc();
        let with_inbox = storeops_store::NewRun {
            id: "new-2".into(),
            events: "[{\"started\":\"new-2\"}]".into(),
            at: cancelled_at,
            ..new.clone()
        };
        assert_eq!(
            store.start_runs(&[new, with_inbox]).await.unwrap(),
            vec![true, true]
        );
        store
            .enqueue_inbox("new-2", "{\"cancel\":true}", cancelled_at)
            .await
            .unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2024-03-01T13:00:00Z")
            .unwrap()
            .to_utc();
        let claimed = store
            .claim_runs("w1", now, now + chrono::Duration::minutes(1), 10, true)
            .await
            .unwrap();
        let histories: Vec<(&str, Vec<&str>, Vec<&str>)> = claimed
            .iter()
            .map(|c| {
                (
                    c.id.as_str(),
                    c.history.iter().map(String::as_str).collect(),
                    c.inbox.iter().map(|(_, e)| e.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            histories,
            vec![
                ("old-1", vec!["[{\"started\":\"old-1\"}]"], vec![]),
                ("new-1", vec!["[{\"started\":\"new-1\"}]"], vec![]),
                (
                    "new-2",
                    vec!["[{\"started\":\"new-2\"}]"],
                    vec!["{\"cancel\":true}"]
                ),
            ],
            "{backend}"
        );
        for id in ["old-1", "new-1"] {
            let chunks = store.run_history(id).await.unwrap();
            let seqs: Vec<(i64, String)> = chunks.into_iter().map(|(seq, _, e)| (seq, e)).collect();
            assert_eq!(
                seqs,
                vec![(0, format!("[{{\"started\":\"{id}\"}}]"))],
                "{backend}"
            );
        }
        ctx.finish().await;
    }
}

/// A waiting run as 0005–0007 stored it: one wait per run.
const WAIT_0007: &str = "\
    INSERT INTO wf_runs (id, workflow, version, mode, status, input, created_at, updated_at, \
    due_at, next_seq, started) VALUES ('w-1', 'ship', 'v1', 'live', 'waiting', '{}', \
    '2024-03-01T12:00:00+00:00', '2024-03-01T12:00:00+00:00', NULL, 1, '[]'); \
    INSERT INTO wf_waits (run_id, step, topic, predicate, context, created_at) VALUES \
    ('w-1', 'ship', 'shipment.created', 'true', '{}', '2024-03-01T12:00:00+00:00');";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waits_stored_before_0008_stay_and_a_run_may_add_more() {
    for ctx in common::both_stores().await {
        let backend = ctx.store.backend().as_str();
        stored_under(&ctx, 7, WAIT_0007).await;
        let store = &ctx.store;
        assert_eq!(
            store.migrate().await.unwrap().applied,
            vec![8, 9],
            "{backend}"
        );
        let topics = [
            "shipment.created".to_string(),
            "payment.captured".to_string(),
        ];
        let steps = |rows: Vec<storeops_store::WaitRow>| -> Vec<String> {
            rows.into_iter()
                .map(|w| format!("{}/{}", w.run_id, w.step))
                .collect()
        };
        assert_eq!(
            steps(store.waits(&topics).await.unwrap()),
            ["w-1/ship"],
            "{backend}"
        );
        // Two waits of one run are two rows now.
        store
            .start_runs(&[storeops_store::NewRun {
                id: "w-2".into(),
                workflow: "ship".into(),
                version: "v1".into(),
                mode: "live".into(),
                input: "{}".into(),
                events: "[]".into(),
                at: chrono::DateTime::parse_from_rfc3339("2024-03-01T12:30:00Z")
                    .unwrap()
                    .to_utc(),
            }])
            .await
            .unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2024-03-01T13:00:00Z")
            .unwrap()
            .to_utc();
        store
            .claim_runs("w1", now, now + chrono::Duration::minutes(1), 10, false)
            .await
            .unwrap();
        let wait = |step: &str, topic: &str| storeops_store::NewWait {
            step: step.into(),
            topic: topic.into(),
            predicate: "true".into(),
            context: "{}".into(),
        };
        let update = storeops_store::RunUpdate {
            run_id: "w-2".into(),
            seq: 1,
            events: "[]".into(),
            status: "waiting".into(),
            due_at: None,
            keep_lease: false,
            output: None,
            error: None,
            consumed_inbox: Vec::new(),
            wait: storeops_store::WaitChange::Replace(vec![
                wait("ship", "shipment.created"),
                wait("pay", "payment.captured"),
            ]),
            starts: Vec::new(),
            messages: Vec::new(),
        };
        assert_eq!(
            store.commit_runs("w1", &[update], &[], &[]).await.unwrap(),
            vec![true],
            "{backend}"
        );
        let mut all = steps(store.waits(&topics).await.unwrap());
        all.sort();
        assert_eq!(all, ["w-1/ship", "w-2/pay", "w-2/ship"], "{backend}");
        ctx.finish().await;
    }
}

/// An event as 0005–0008 stored it (no `records` column yet), and one whose
/// `records` were damaged after 0009.
const EVENT_0008: &str = "\
    INSERT INTO events (source, topic, external_id, payload, received_at, status, dispatched) \
    VALUES ('shopify', 'orders/create', 'old-1', '{\"id\": 1}', '2026-03-01T12:00:00+00:00', \
    'stored', FALSE);";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_stored_before_0009_have_no_records_and_damaged_ones_are_named() {
    for ctx in common::both_stores().await {
        let backend = ctx.store.backend().as_str();
        stored_under(&ctx, 8, EVENT_0008).await;
        let store = &ctx.store;
        assert_eq!(store.migrate().await.unwrap().applied, vec![9], "{backend}");
        let pending = store.pending_events(10).await.unwrap();
        assert_eq!(pending.len(), 1, "{backend}");
        assert!(pending[0].records.is_empty(), "{backend}");
        let id = pending[0].id;
        stored_under(&ctx, 9, "UPDATE events SET records = '[1]'").await;
        let error = store.pending_events(10).await.unwrap_err().to_string();
        assert_eq!(
            error,
            format!("corrupt row in events (id {id}, column records): not a JSON object"),
            "{backend}"
        );
    }
}
