//! [`Store`]: the public handle, dispatching to the backend chosen by URL.

use storeops_domain::facts::AuditFacts;
use storeops_domain::{Customer, Event, Order, Product, Record};

use crate::backend::{postgres, sqlite};
use crate::counts::{MigrationReport, StoreCounts, UpsertCounts};
use crate::error::StoreError;
use crate::options::{Backend, ConnectOptions};
use crate::prepared::PreparedRecords;
use crate::settings::SqliteSettings;

/// The connected backend.
#[derive(Clone, Debug)]
enum Inner {
    Sqlite(sqlite::Engine),
    Postgres(postgres::Engine),
}

/// Runs the same expression on whichever engine is connected.
macro_rules! dispatch {
    ($store:expr, $engine:ident => $body:expr) => {
        match &$store.inner {
            Inner::Sqlite($engine) => $body,
            Inner::Postgres($engine) => $body,
        }
    };
}

/// A connected store. Cheap to clone: clones share the connection pools.
#[derive(Clone, Debug)]
pub struct Store {
    inner: Inner,
}

impl Store {
    /// Connects with default options. URLs: `sqlite://path`,
    /// `sqlite::memory:`, `postgres://user@host/db`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_with(url, &ConnectOptions::default()).await
    }

    /// Connects with the given options. Does not migrate.
    pub async fn connect_with(url: &str, opts: &ConnectOptions) -> Result<Store, StoreError> {
        let inner = match Backend::from_url(url)? {
            Backend::Sqlite => Inner::Sqlite(sqlite::connect(url, opts).await?),
            Backend::Postgres => Inner::Postgres(postgres::connect(url, opts).await?),
        };
        Ok(Store { inner })
    }

    /// Which database engine this store talks to.
    pub fn backend(&self) -> Backend {
        match self.inner {
            Inner::Sqlite(_) => Backend::Sqlite,
            Inner::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the embedded migrations that are not applied yet (forward
    /// only); a second run applies nothing.
    pub async fn migrate(&self) -> Result<MigrationReport, StoreError> {
        dispatch!(self, e => e.migrate().await)
    }

    /// Number of embedded migrations not applied yet.
    pub async fn pending_migrations(&self) -> Result<usize, StoreError> {
        dispatch!(self, e => e.pending_migrations().await)
    }

    /// Stores records of any kinds in one transaction, by natural key.
    ///
    /// A record whose key is new counts as imported; one whose stored content
    /// hash differs counts as updated (its row is updated and its child rows
    /// replaced); an identical one counts as unchanged and writes nothing.
    /// When a key repeats within `records`, the last occurrence wins: only
    /// it is compared and stored, the earlier ones count as unchanged. Counts
    /// add up to the number of records stored or skipped as duplicates, and
    /// re-upserting the same slice reports everything unchanged. Customers
    /// without platform id and e-mail have no key: they are skipped (with a
    /// warning) and not counted.
    pub async fn upsert(&self, records: &[Record]) -> Result<UpsertCounts, StoreError> {
        dispatch!(self, e => e.upsert(records).await)
    }

    /// Same as [`Store::upsert`] for records whose JSON and content hashes
    /// were computed beforehand (e.g. on another thread while the previous
    /// batch is written), so the write path only talks to the database.
    pub async fn upsert_prepared(
        &self,
        prepared: PreparedRecords,
    ) -> Result<UpsertCounts, StoreError> {
        dispatch!(self, e => e.upsert_prepared(prepared).await)
    }

    /// Stores an ingested event; `false` when one with the same
    /// `(source, external_id)` is stored already (nothing changes then).
    pub async fn append_event(&self, event: &Event) -> Result<bool, StoreError> {
        dispatch!(self, e => e.append_event(event).await)
    }

    /// Number of rows per table.
    pub async fn counts(&self) -> Result<StoreCounts, StoreError> {
        dispatch!(self, e => e.counts().await)
    }

    /// The facts the data-readiness audit reads, equal to what
    /// `storeops_insights::facts_from_records` computes from the same records.
    pub async fn audit_facts(&self) -> Result<AuditFacts, StoreError> {
        dispatch!(self, e => e.audit_facts().await)
    }

    /// The product with this handle, exactly as upserted.
    pub async fn product(&self, handle: &str) -> Result<Option<Product>, StoreError> {
        dispatch!(self, e => e.product(handle).await)
    }

    /// The order with this name, exactly as upserted.
    pub async fn order(&self, name: &str) -> Result<Option<Order>, StoreError> {
        dispatch!(self, e => e.order(name).await)
    }

    /// The customer with this key (`Customer::key()`), exactly as upserted.
    pub async fn customer(&self, key: &str) -> Result<Option<Customer>, StoreError> {
        dispatch!(self, e => e.customer(key).await)
    }

    /// The SQLite settings in effect (WAL, synchronous, foreign keys, busy
    /// timeout); `None` on PostgreSQL.
    pub async fn sqlite_settings(&self) -> Result<Option<SqliteSettings>, StoreError> {
        match &self.inner {
            Inner::Sqlite(e) => sqlite::settings(e).await.map(Some),
            Inner::Postgres(_) => Ok(None),
        }
    }

    /// Drops a PostgreSQL schema made with `ConnectOptions::pg_schema` and
    /// everything in it: for scratch schemas of tests and benchmarks.
    pub async fn drop_pg_schema(url: &str, schema: &str) -> Result<(), StoreError> {
        postgres::drop_schema(url, schema).await
    }

    /// Closes the connection pools; clones of this store stop working.
    pub async fn close(&self) {
        dispatch!(self, e => e.close().await)
    }
}
