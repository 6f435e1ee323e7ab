//! storeops storage: one interface over SQLite and PostgreSQL (sqlx),
//! migrations, idempotent upserts, read models.
//!
//! [`Store`] is the only entry point. Records are stored by natural key with
//! their full JSON (`data`) and a content hash; indexed columns and child
//! tables (variants, order lines, identities, tracking events, return lines,
//! refunds) serve queries. Timestamps are `TIMESTAMPTZ` on PostgreSQL and
//! RFC 3339 UTC text on SQLite (both sort and compare chronologically); money
//! is BIGINT minor units next to a 3-letter currency. See `backend/sqlite.rs`
//! for SQLite durability settings.
//!
//! For the server: [`Store::ingest`] stores webhook events with group commit,
//! [`Store::list`] / [`Store::get`] serve the JSON API ([`ListKind`] documents
//! items, orders and filters), and users, API tokens and sessions back
//! access control ([`User`], [`ApiToken`], [`Session`]).

mod auth;
mod backend;
mod batch;
mod counts;
mod cursor;
mod error;
mod facts;
mod ingest;
mod list;
mod list_query;
mod options;
mod plan;
mod pool;
mod prepared;
mod settings;
mod store;

pub use auth::{ApiToken, NewSession, NewToken, NewUser, Session, User};
pub use counts::{MigrationReport, StoreCounts, UpsertCounts};
pub use error::StoreError;
pub use ingest::Ingest;
pub use list::{ListKind, ListQuery, Page};
pub use options::{Backend, ConnectOptions};
pub use pool::PoolStats;
pub use prepared::PreparedRecords;
pub use settings::SqliteSettings;
pub use store::Store;
