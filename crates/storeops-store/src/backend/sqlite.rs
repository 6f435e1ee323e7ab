//! SQLite backend: connection setup and the constants the shared queries use.
//!
//! Durability over speed: the database runs with `journal_mode=WAL` and
//! `synchronous=FULL`, so a commit is fsynced before it is acknowledged and an
//! acknowledged import or event survives power loss. Imports write one
//! transaction per batch, so the fsync cost is paid per batch, not per row.
//! `foreign_keys=ON`, `busy_timeout=5s`. SQLite allows one writer at a time:
//! all writes go through a single-connection writer pool and start with
//! `BEGIN IMMEDIATE` (no SQLITE_BUSY upgrades mid-transaction); reads use a
//! separate pool and, thanks to WAL, never wait for the writer. An in-memory
//! database exists per connection, so it gets one pool of one connection.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::error::{redact_url, StoreError};
use crate::options::ConnectOptions;
use crate::settings::SqliteSettings;

/// The sqlx driver.
pub(crate) type Db = sqlx::Sqlite;

/// Most bind parameters one statement may carry.
const MAX_BINDS: usize = 32766;

/// How write transactions begin: take the write lock up front.
const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

/// How multi-query reads begin: one consistent snapshot.
const BEGIN_SNAPSHOT: &str = "BEGIN";

/// The embedded SQLite migrations.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Case-insensitive pattern match for listing searches: `LIKE` (case-insensitive for ASCII letters in SQLite).
const LIKE: &str = "LIKE";

/// Refreshes the query planner's statistics after bulk writes.
const ANALYZE: &str = "PRAGMA optimize";

/// Row locking of the claim query: none (the write transaction holds the
/// database's one write lock).
const CLAIM_LOCK: &str = "";

/// Whether `WITH` may hold writes: not on SQLite (each write is its own
/// statement, which costs no round trip in-process).
const WITH_WRITES: bool = false;

/// The start of a run insert: nothing to wake on SQLite (see the PostgreSQL
/// twin).
const START_WAKE: &str = "";

/// A `RETURNING` column of the run insert (a constant on SQLite).
const STARTED_WOKE: &str = "1";

/// How a claim begins (SQLite's sync mode is per connection).
const CLAIM_WITH: &str = "WITH due AS (";

/// Nothing to add to the claim's condition (see the PostgreSQL twin).
const CLAIM_GATE: &str = "";

/// Lease-only transactions begin and commit like any other write on SQLite
/// (its sync mode is per connection, not per transaction).
const BEGIN_LEASE: &str = BEGIN_WRITE;

/// How writes that make runs due wake workers: SQLite has no channel
/// (workers poll; see `RunListener`).
const NOTIFY_RUNS: Option<&str> = None;

/// Row locking of a read-modify-write inside a write transaction: none
/// (the transaction holds the database's one write lock).
const ROW_LOCK: &str = "";

#[path = "shared/audit.rs"]
pub(crate) mod audit;
#[path = "shared/auth.rs"]
mod auth;
#[path = "shared/engine.rs"]
mod engine;
#[path = "shared/facts.rs"]
mod facts;
#[path = "shared/ingest.rs"]
mod ingest;
#[path = "shared/insert.rs"]
mod insert;
#[path = "shared/list.rs"]
mod list;
#[path = "shared/read.rs"]
mod read;
#[path = "shared/select.rs"]
mod select;
#[path = "shared/workflow.rs"]
mod workflow;
#[path = "shared/workflow_defs.rs"]
mod workflow_defs;
#[path = "shared/workflow_effects.rs"]
mod workflow_effects;
#[path = "shared/workflow_links.rs"]
mod workflow_links;
#[path = "shared/workflow_query.rs"]
mod workflow_query;
#[path = "shared/workflow_read.rs"]
mod workflow_read;
#[path = "shared/workflow_retention.rs"]
mod workflow_retention;
#[path = "shared/write_catalog.rs"]
mod write_catalog;
#[path = "shared/write_inventory.rs"]
mod write_inventory;
#[path = "shared/write_orders.rs"]
mod write_orders;
#[path = "shared/write_returns.rs"]
mod write_returns;
#[path = "shared/write_support.rs"]
mod write_support;

pub(crate) use engine::Engine;

/// Opens the database: a writer pool of one connection and a reader pool.
pub(crate) async fn connect(url: &str, opts: &ConnectOptions) -> Result<Engine, StoreError> {
    let connect_error = |source| StoreError::Connect {
        url: redact_url(url),
        source,
    };
    let base = SqliteConnectOptions::from_str(url)
        .map_err(|e| StoreError::InvalidUrl {
            url: redact_url(url),
            message: e.to_string(),
        })?
        .create_if_missing(opts.create_if_missing)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    if in_memory {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(base)
            .await
            .map_err(connect_error)?;
        return Ok(Engine::new(pool.clone(), pool));
    }
    let base = base
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full);
    let writer = SqlitePoolOptions::new()
        .max_connections(1)
        // `cache_size` is in KiB when negative.
        .connect_with(
            base.clone()
                .pragma("cache_size", format!("-{}", opts.sqlite_cache_kib.max(1))),
        )
        .await
        .map_err(connect_error)?;
    let reader = SqlitePoolOptions::new()
        .max_connections(opts.max_connections.max(1))
        .connect_with(base.create_if_missing(false))
        .await
        .map_err(connect_error)?;
    Ok(Engine::new(writer, reader))
}

/// Reads the settings of the writer connection.
pub(crate) async fn settings(engine: &Engine) -> Result<SqliteSettings, StoreError> {
    let mut conn = engine.writer.acquire().await?;
    let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await?;
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await?;
    let foreign_keys: bool = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await?;
    let busy_timeout_ms: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&mut *conn)
        .await?;
    Ok(SqliteSettings {
        journal_mode,
        synchronous,
        foreign_keys,
        busy_timeout_ms,
    })
}
