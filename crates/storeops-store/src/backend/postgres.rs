//! PostgreSQL backend: connection setup and the constants the shared queries
//! use. One pool serves reads and writes; with `pg_schema` set, the schema is
//! created if missing and every pooled connection gets it as `search_path`.

use std::str::FromStr;

use sqlx::migrate::{MigrateDatabase, Migrator};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use sqlx::{ConnectOptions as _, Connection, Executor};

use crate::error::{redact_url, StoreError};
use crate::listen::{RunListener, RUNS_CHANNEL};
use crate::options::{validate_schema, ConnectOptions};

/// The sqlx driver.
pub(crate) type Db = sqlx::Postgres;

/// Most bind parameters one statement may carry.
const MAX_BINDS: usize = 65535;

/// How write transactions begin.
const BEGIN_WRITE: &str = "BEGIN";

/// How multi-query reads begin: one consistent snapshot.
const BEGIN_SNAPSHOT: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

/// The embedded PostgreSQL migrations.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// Case-insensitive pattern match for listing searches: `ILIKE` (PostgreSQL's `LIKE` is case-sensitive).
const LIKE: &str = "ILIKE";

/// Refreshes the query planner's statistics after bulk writes: without
/// them, filtered lists right after an import took 16–36 ms instead of
/// under 1 ms.
const ANALYZE: &str = "ANALYZE";

/// Row locking of the claim query: concurrent claimers skip each other's
/// rows, so two workers never claim the same run.
const CLAIM_LOCK: &str = " FOR UPDATE OF r SKIP LOCKED";

/// How writes that make runs due wake workers (on commit): a notification
/// on the `storeops_runs` channel (`crate::listen::RUNS_CHANNEL`).
const NOTIFY_RUNS: Option<&str> = Some("SELECT pg_notify('storeops_runs', '')");

/// Whether `WITH` may hold writes (`INSERT`/`UPDATE` … `RETURNING`): bulk
/// statements that write two tables take one round trip.
const WITH_WRITES: bool = true;

/// The start of a run insert that wakes listening workers on commit, like
/// [`NOTIFY_RUNS`]; [`STARTED_WOKE`], in its `RETURNING`, evaluates it when a
/// row was inserted, so a resubmission wakes nobody.
const START_WAKE: &str = "WITH wake AS MATERIALIZED (SELECT pg_notify('storeops_runs', '')) ";

/// A `RETURNING` column of the run insert that evaluates `wake`.
const STARTED_WOKE: &str = "EXISTS (SELECT 1 FROM wake)";

/// How a claim begins: its one statement (an implicit transaction) first
/// turns off the wait for its WAL flush, like [`BEGIN_LEASE`], so a claim
/// costs one round trip. `lease_only` is referenced by [`CLAIM_GATE`], which
/// makes the planner evaluate it.
const CLAIM_WITH: &str = "WITH lease_only AS MATERIALIZED \
     (SELECT set_config('synchronous_commit', 'off', true) AS setting), due AS (";

/// The claim's condition that evaluates `lease_only` (see [`CLAIM_WITH`]).
const CLAIM_GATE: &str = " AND EXISTS (SELECT 1 FROM lease_only)";

/// How a transaction that only moves leases begins: it commits without
/// waiting for its WAL flush. A lease lost in a database crash only lets
/// another worker claim the run, which the lease-checked `commit_runs`
/// already allows for, and the next durable commit flushes it anyway. Saves
/// a disk flush on the path from submission to first step; sent as one
/// simple query, so it costs no extra round trip.
const BEGIN_LEASE: &str = "BEGIN; SET LOCAL synchronous_commit = off";

/// Row locking of a read-modify-write inside a write transaction: the
/// row is locked until commit, so concurrent writers do not lose updates.
const ROW_LOCK: &str = " FOR UPDATE";

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

/// Opens a pool, creating the database and the schema when asked to.
pub(crate) async fn connect(url: &str, opts: &ConnectOptions) -> Result<Engine, StoreError> {
    let connect_error = |source| StoreError::Connect {
        url: redact_url(url),
        source,
    };
    let base = PgConnectOptions::from_str(url).map_err(|e| StoreError::InvalidUrl {
        url: redact_url(url),
        message: e.to_string(),
    })?;
    let mut conn = match base.connect().await {
        Err(e) if opts.create_if_missing && is_missing_database(&e) => {
            sqlx::Postgres::create_database(url)
                .await
                .map_err(connect_error)?;
            base.connect().await.map_err(connect_error)?
        }
        other => other.map_err(connect_error)?,
    };
    let mut pool_options = PgPoolOptions::new().max_connections(opts.max_connections.max(1));
    if let Some(schema) = &opts.pg_schema {
        validate_schema(url, schema)?;
        let create = format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\"");
        conn.execute(sqlx::AssertSqlSafe(create)).await?;
        let set_path = format!("SET search_path TO \"{schema}\"");
        pool_options = pool_options.after_connect(move |conn, _meta| {
            let set_path = set_path.clone();
            Box::pin(async move {
                conn.execute(sqlx::AssertSqlSafe(set_path)).await?;
                Ok(())
            })
        });
    }
    conn.close().await?;
    let pool = pool_options
        .connect_with(base)
        .await
        .map_err(connect_error)?;
    Ok(Engine::new(pool.clone(), pool))
}

/// Whether the server said the database does not exist (SQLSTATE 3D000).
fn is_missing_database(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code == "3D000")
}

/// Drops `schema` and everything in it (used for scratch schemas).
pub(crate) async fn drop_schema(url: &str, schema: &str) -> Result<(), StoreError> {
    validate_schema(url, schema)?;
    let base = PgConnectOptions::from_str(url).map_err(|e| StoreError::InvalidUrl {
        url: redact_url(url),
        message: e.to_string(),
    })?;
    let mut conn = base.connect().await.map_err(|source| StoreError::Connect {
        url: redact_url(url),
        source,
    })?;
    let sql = format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
    conn.execute(sqlx::AssertSqlSafe(sql)).await?;
    conn.close().await?;
    Ok(())
}

/// A [`RunListener`] on its own connection (not one of the store's pool),
/// listening on `storeops_runs`.
pub(crate) async fn listen_runs(engine: &Engine) -> Result<RunListener, StoreError> {
    let options = engine.writer.connect_options();
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .connect_with((*options).clone())
        .await?;
    let mut listener = PgListener::connect_with(&pool).await?;
    listener.listen(RUNS_CHANNEL).await?;
    Ok(RunListener::postgres(listener))
}
