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

mod backend;
mod batch;
mod counts;
mod error;
mod facts;
mod options;
mod plan;
mod prepared;
mod settings;
mod store;

pub use counts::{MigrationReport, StoreCounts, UpsertCounts};
pub use error::StoreError;
pub use options::{Backend, ConnectOptions};
pub use prepared::PreparedRecords;
pub use settings::SqliteSettings;
pub use store::Store;
