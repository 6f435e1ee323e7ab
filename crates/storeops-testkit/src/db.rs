//! One store per test on SQLite (temporary file) or PostgreSQL (a private
//! schema, dropped afterwards, also after a panic), and the `conformance!`
//! macro that instantiates each test for both backends.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::Connection;
use storeops_store::{ConnectOptions, Store};

/// Default server for the PostgreSQL variants.
const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A store for one test plus what it takes to clean up after it.
pub struct TestStore {
    /// The store under test (not migrated).
    pub store: Store,
    /// Its database URL (for raw connections of tests that need them).
    pub url: String,
    /// PostgreSQL: the test's schema (set it as `search_path` on raw connections).
    pub pg_schema: Option<String>,
    _dir: Option<tempfile::TempDir>,
    _schema: Option<SchemaGuard>,
}

impl TestStore {
    /// Closes the store; the temporary file or schema goes with `self`.
    pub async fn finish(self) {
        self.store.close().await;
    }
}

/// A fresh SQLite store in a temporary directory.
pub async fn sqlite_store() -> Option<TestStore> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("store.db").display());
    let store = Store::connect(&url).await.unwrap();
    Some(TestStore {
        store,
        url,
        pg_schema: None,
        _dir: Some(dir),
        _schema: None,
    })
}

/// The PostgreSQL URL tests use.
pub fn pg_url() -> String {
    std::env::var("STOREOPS_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_string())
}

/// A SQLite store and, when PostgreSQL is reachable, a PostgreSQL one: for
/// tests that set up each backend by hand (older migrations, raw SQL).
pub async fn both_stores() -> Vec<TestStore> {
    [sqlite_store().await, pg_store().await]
        .into_iter()
        .flatten()
        .collect()
}

/// The PostgreSQL URL when the server answers; `None` (after saying why)
/// when it does not and `STOREOPS_REQUIRE_POSTGRES` is not 1 (then it
/// panics). For tests that hand the URL to a process of their own.
pub async fn pg_reachable() -> Option<String> {
    let url = pg_url();
    match sqlx::PgConnection::connect(&url).await {
        Ok(conn) => {
            let _ = conn.close().await;
            Some(url)
        }
        Err(e) => {
            if std::env::var("STOREOPS_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("PostgreSQL unreachable at {url}: {e}");
            }
            println!("skipping: PostgreSQL unreachable at {url}: {e}");
            None
        }
    }
}

/// Which backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    /// A temporary SQLite file.
    Sqlite,
    /// A private schema on the test PostgreSQL server.
    Postgres,
}

impl Db {
    /// A fresh store on this backend whose pool holds up to `connections`
    /// (PostgreSQL; SQLite keeps its one writer); `None` when PostgreSQL is
    /// unreachable and not required.
    pub async fn store(self, connections: u32) -> Option<TestStore> {
        match self {
            Db::Sqlite => sqlite_store().await,
            Db::Postgres => pg_store_sized(connections).await,
        }
    }
}

/// A fresh PostgreSQL store in its own schema, or `None` (after saying so)
/// when the server is unreachable and `STOREOPS_REQUIRE_POSTGRES` is not 1.
pub async fn pg_store() -> Option<TestStore> {
    pg_store_sized(4).await
}

/// [`pg_store`] with a pool of up to `connections`.
pub async fn pg_store_sized(connections: u32) -> Option<TestStore> {
    let url = pg_url();
    if let Err(e) = sqlx::PgConnection::connect(&url).await {
        if std::env::var("STOREOPS_REQUIRE_POSTGRES").as_deref() == Ok("1") {
            panic!("PostgreSQL unreachable at {url}: {e}");
        }
        println!("skipping: PostgreSQL unreachable at {url}: {e}");
        return None;
    }
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let schema = format!(
        "storeops_test_{}_{}_{}",
        std::process::id(),
        nanos,
        SEQ.fetch_add(1, Ordering::Relaxed)
    );
    let guard = SchemaGuard {
        url: url.clone(),
        schema: schema.clone(),
    };
    let opts = ConnectOptions {
        pg_schema: Some(schema.clone()),
        max_connections: connections,
        ..ConnectOptions::default()
    };
    let store = Store::connect_with(&url, &opts).await.unwrap();
    Some(TestStore {
        store,
        url,
        pg_schema: Some(schema),
        _dir: None,
        _schema: Some(guard),
    })
}

/// Drops a test schema when dropped (best effort, also after a panic).
struct SchemaGuard {
    url: String,
    schema: String,
}

impl Drop for SchemaGuard {
    fn drop(&mut self) {
        let url = self.url.clone();
        let sql = format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.schema);
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&url).await.ok()?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await
                    .ok()?;
                conn.close().await.ok()
            })
        });
        let _ = cleanup.join();
    }
}

/// Instantiates every listed test for every listed backend:
/// `conformance! { backends: { sqlite => common::sqlite_store().await, … }, tests: [a, b] }`
/// creates `sqlite::a`, `sqlite::b`, … each calling `a(&store)` on a fresh store.
/// The calling crate needs `tokio` (with `macros`) as a dev-dependency.
#[macro_export]
macro_rules! conformance {
    (backends: { $($backend:ident => $make:expr),+ $(,)? }, tests: $tests:tt) => {
        $( conformance!(@backend $backend, $make, $tests); )+
    };
    (@backend $backend:ident, $make:expr, [$($test:ident),+ $(,)?]) => {
        mod $backend {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    if let Some(ctx) = $make {
                        super::$test(&ctx.store).await;
                        ctx.finish().await;
                    }
                }
            )+
        }
    };
}

/// Runs each `async fn name(db: Db)` once per backend as `sqlite::name` and
/// `postgres::name` (for tests that build more than a store on the
/// database, such as a running server). The calling crate needs `tokio`
/// (with `macros`) as a dev-dependency.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::Db::Sqlite).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::Db::Postgres).await;
                }
            )+
        }
    };
}
