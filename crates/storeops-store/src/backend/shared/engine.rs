//! One backend's pools, migrations, the upsert entry point and the writer
//! sequence shared with event ingestion, health checks (compiled once per
//! backend; see `backend/mod.rs`).

use std::collections::HashSet;

use sqlx::migrate::Migrate;
use sqlx::Pool;
use storeops_domain::Record;

use super::insert::Conn;
use super::{
    insert, write_catalog, write_inventory, write_orders, write_returns, write_support, Db,
    ANALYZE, BEGIN_WRITE, MIGRATOR,
};
use crate::batch::{encode, Batch};
use crate::counts::{MigrationReport, UpsertCounts};
use crate::error::StoreError;
use crate::pool::PoolStats;
use crate::prepared::PreparedRecords;

/// Name of the table sqlx records applied migrations in.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Connection pools of one database.
#[derive(Clone, Debug)]
pub(crate) struct Engine {
    /// Pool every write goes through (one connection on SQLite).
    pub(super) writer: Pool<Db>,
    /// Pool for reads (the same pool on PostgreSQL and in-memory SQLite).
    pub(super) reader: Pool<Db>,
}

impl Engine {
    /// Wraps the pools.
    pub(crate) fn new(writer: Pool<Db>, reader: Pool<Db>) -> Engine {
        Engine { writer, reader }
    }

    /// Versions recorded as applied (creates the bookkeeping table if needed).
    async fn applied_versions(&self) -> Result<HashSet<i64>, StoreError> {
        let mut conn = self.writer.acquire().await?;
        conn.ensure_migrations_table(MIGRATIONS_TABLE).await?;
        let applied = conn.list_applied_migrations(MIGRATIONS_TABLE).await?;
        Ok(applied.into_iter().map(|m| m.version).collect())
    }

    /// Applies pending migrations.
    pub(crate) async fn migrate(&self) -> Result<MigrationReport, StoreError> {
        let before = self.applied_versions().await?;
        MIGRATOR.run(&self.writer).await?;
        let after = self.applied_versions().await?;
        let mut applied: Vec<i64> = after.difference(&before).copied().collect();
        applied.sort_unstable();
        let current = after.iter().copied().max().unwrap_or(0);
        if applied.is_empty() {
            tracing::debug!(current, "database schema is current");
        } else {
            tracing::info!(?applied, current, "migrations applied");
        }
        Ok(MigrationReport { applied, current })
    }

    /// Number of embedded migrations not applied yet.
    pub(crate) async fn pending_migrations(&self) -> Result<usize, StoreError> {
        let applied = self.applied_versions().await?;
        Ok(MIGRATOR
            .iter()
            .filter(|m| m.migration_type.is_up_migration() && !applied.contains(&m.version))
            .count())
    }

    /// Upserts a slice of records in one transaction.
    pub(crate) async fn upsert(&self, records: &[Record]) -> Result<UpsertCounts, StoreError> {
        let encoded: Vec<_> = records.iter().map(encode).collect::<Result<_, _>>()?;
        self.write(Batch::split(records.iter().zip(encoded))).await
    }

    /// Upserts records encoded beforehand in one transaction.
    pub(crate) async fn upsert_prepared(
        &self,
        prepared: PreparedRecords,
    ) -> Result<UpsertCounts, StoreError> {
        let (records, encoded) = prepared.into_parts();
        self.write(Batch::split(records.iter().zip(encoded))).await
    }

    /// Writes a split batch in one transaction.
    async fn write(&self, batch: Batch<'_>) -> Result<UpsertCounts, StoreError> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let counts = write_in(&mut tx, batch).await?;
        tx.commit().await?;
        Ok(counts)
    }

    /// Runs `SELECT 1` on the reader pool.
    pub(crate) async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query::<Db>("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    /// Refreshes planner statistics (`ANALYZE` / `PRAGMA optimize`).
    pub(crate) async fn analyze(&self) -> Result<(), StoreError> {
        sqlx::query::<Db>(ANALYZE).execute(&self.writer).await?;
        Ok(())
    }

    /// Sizes of both pools (the same pool twice where reads and writes share one).
    pub(crate) fn pool_stats(&self) -> PoolStats {
        let idle = |pool: &Pool<Db>| u32::try_from(pool.num_idle()).unwrap_or(u32::MAX);
        PoolStats {
            writer_size: self.writer.size(),
            writer_idle: idle(&self.writer),
            reader_size: self.reader.size(),
            reader_idle: idle(&self.reader),
        }
    }

    /// Closes both pools.
    pub(crate) async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }
}

/// Writes a split batch inside a write transaction the caller opened (and
/// commits): the one place the upsert writers run, for [`Engine::upsert`]
/// and for the records of newly ingested events.
pub(super) async fn write_in(
    conn: &mut Conn,
    batch: Batch<'_>,
) -> Result<UpsertCounts, StoreError> {
    if batch.keyless_customers > 0 {
        tracing::warn!(
            skipped = batch.keyless_customers,
            "customers without platform id or e-mail cannot be stored; skipped"
        );
    }
    insert::locations(conn, &batch.locations()).await?;
    let mut counts = UpsertCounts::default();
    counts += write_catalog::products(conn, batch.products).await?;
    counts += write_catalog::customers(conn, batch.customers).await?;
    counts += write_orders::orders(conn, batch.orders).await?;
    counts += write_inventory::levels(conn, batch.levels).await?;
    counts += write_inventory::adjustments(conn, batch.adjustments).await?;
    counts += write_orders::shipments(conn, batch.shipments).await?;
    counts += write_returns::returns(conn, batch.returns).await?;
    counts += write_support::tickets(conn, batch.tickets).await?;
    counts += write_support::docs(conn, batch.docs).await?;
    Ok(counts)
}
