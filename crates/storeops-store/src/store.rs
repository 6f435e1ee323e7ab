//! [`Store`]: the public handle, dispatching to the backend chosen by URL.

use chrono::{DateTime, Utc};
use storeops_domain::facts::AuditFacts;
use storeops_domain::{Customer, Event, Order, Product, Record};

use crate::auth::{ApiToken, NewSession, NewToken, NewUser, Session, User};
use crate::backend::{postgres, sqlite};
use crate::counts::{MigrationReport, StoreCounts, UpsertCounts};
use crate::error::StoreError;
use crate::ingest::Ingest;
use crate::list::{ListKind, ListQuery, Page};
use crate::options::{Backend, ConnectOptions};
use crate::pool::PoolStats;
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

// The workflow methods of `Store` (issue 5), in their own file.
#[path = "store_workflow.rs"]
mod workflow;

// Triggers, event waits, child runs and schedules (migration 0005).
#[path = "store_links.rs"]
mod links;
// The reads of the `store.query` workflow action.
#[path = "store_query.rs"]
mod query;

// The audit log methods of `Store`.
#[path = "store_audit.rs"]
mod audit;

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

    /// Stores an ingested event (with its status and error); `false` when
    /// one with the same `(source, external_id)` is stored already (nothing
    /// changes then). [`Store::ingest`] stores many, with their records.
    pub async fn append_event(&self, event: &Event) -> Result<bool, StoreError> {
        dispatch!(self, e => e.append_event(event).await)
    }

    /// Stores many events in ONE write transaction (group commit) and, for
    /// every event that is new (its `(source, external_id)` not stored
    /// before, and not repeated earlier in the slice), upserts its records in
    /// the same transaction, as [`Store::upsert`] would (when records of
    /// several new events share a key, the later event's wins). Returns one
    /// bool per item: true = newly stored. A duplicate's records are NOT
    /// applied. Commit happens before returning; on error nothing is stored.
    pub async fn ingest(&self, items: &[Ingest]) -> Result<Vec<bool>, StoreError> {
        dispatch!(self, e => e.ingest(items).await)
    }

    /// One page of a listing; see [`ListKind`] for items, orders and filters.
    /// A bad limit, cursor or status, or a filter the kind does not support,
    /// is [`StoreError::InvalidQuery`] naming the field.
    pub async fn list(&self, kind: ListKind, query: &ListQuery) -> Result<Page, StoreError> {
        dispatch!(self, e => e.list(kind, query).await)
    }

    /// One item by its key (products: handle; variants: sku; inventory:
    /// `"<sku>@<location>"`; customers: key (`id:…` / `email:…`); orders:
    /// name; shipments/returns/tickets: id; docs: key (latest version);
    /// events: numeric id as text), shaped as in [`Store::list`]. `None`
    /// when absent.
    pub async fn get(
        &self,
        kind: ListKind,
        key: &str,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        dispatch!(self, e => e.get(kind, key).await)
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

    /// Creates a user (enabled); [`StoreError::Conflict`] `{ what: "user" }`
    /// when the username is taken.
    pub async fn create_user(&self, user: &NewUser<'_>) -> Result<User, StoreError> {
        dispatch!(self, e => e.create_user(user).await)
    }

    /// Every user, by id.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        dispatch!(self, e => e.users().await)
    }

    /// Number of users (0 on a fresh store: time to create the first admin).
    pub async fn user_count(&self) -> Result<u64, StoreError> {
        dispatch!(self, e => e.user_count().await)
    }

    /// The user with this username and their password hash, disabled or not.
    pub async fn user_credentials(
        &self,
        username: &str,
    ) -> Result<Option<(User, String)>, StoreError> {
        dispatch!(self, e => e.user_credentials(username).await)
    }

    /// Disables or re-enables a user; false = no such user.
    pub async fn set_user_disabled(
        &self,
        username: &str,
        disabled: bool,
    ) -> Result<bool, StoreError> {
        dispatch!(self, e => e.set_user_disabled(username, disabled).await)
    }

    /// Creates an API token. [`StoreError::Conflict`] `{ what: "token" }`
    /// when the hash is stored already; `InvalidQuery { field: "user_id" }`
    /// when `user_id` names no user.
    pub async fn create_token(&self, token: &NewToken<'_>) -> Result<ApiToken, StoreError> {
        dispatch!(self, e => e.create_token(token).await)
    }

    /// Every API token, by id (revoked and expired ones included).
    pub async fn tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
        dispatch!(self, e => e.tokens().await)
    }

    /// The token with this hash; the caller checks expiry and revocation.
    pub async fn token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>, StoreError> {
        dispatch!(self, e => e.token_by_hash(token_hash).await)
    }

    /// Revokes a token at `at`; false = no such token, or revoked already.
    pub async fn revoke_token(&self, id: i64, at: DateTime<Utc>) -> Result<bool, StoreError> {
        dispatch!(self, e => e.revoke_token(id, at).await)
    }

    /// Records that a token was used at `at` (`ApiToken::last_used_at`);
    /// false = no such token.
    pub async fn touch_token(&self, id: i64, at: DateTime<Utc>) -> Result<bool, StoreError> {
        dispatch!(self, e => e.touch_token(id, at).await)
    }

    /// Stores a login session. [`StoreError::Conflict`] `{ what: "session" }`
    /// when the id hash exists; `InvalidQuery { field: "user_id" }` when the
    /// user does not.
    pub async fn create_session(&self, session: &NewSession<'_>) -> Result<(), StoreError> {
        dispatch!(self, e => e.create_session(session).await)
    }

    /// The session with this id hash and its user; `None` if absent. Expired
    /// sessions and disabled users are returned too (the caller checks).
    pub async fn session(&self, id_hash: &str) -> Result<Option<Session>, StoreError> {
        dispatch!(self, e => e.session(id_hash).await)
    }

    /// Deletes a session (logout); nothing happens when it is absent.
    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        dispatch!(self, e => e.delete_session(id_hash).await)
    }

    /// Deletes every session whose `expires_at` is at or before `now`;
    /// returns how many.
    pub async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        dispatch!(self, e => e.delete_expired_sessions(now).await)
    }

    /// Runs `SELECT 1` on the reader pool.
    pub async fn ping(&self) -> Result<(), StoreError> {
        dispatch!(self, e => e.ping().await)
    }

    /// Refreshes the query planner's statistics; run after bulk imports so
    /// filtered lists use their indexes.
    pub async fn analyze(&self) -> Result<(), StoreError> {
        dispatch!(self, e => e.analyze().await)
    }

    /// Connection pool sizes for /metrics.
    pub fn pool_stats(&self) -> PoolStats {
        dispatch!(self, e => e.pool_stats())
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
