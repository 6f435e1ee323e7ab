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
//!
//! For the workflow engine: deployed definitions, runs with append-only
//! histories claimed under leases, inbox, approval/exception items and
//! outcomes ([`Store::deploy_workflow`], [`Store::start_runs`],
//! [`Store::claim_runs`], [`Store::commit_runs`], [`RunListener`], …); the
//! store treats plans and events as opaque JSON text. Retention prunes
//! finished runs and keeps their counts ([`Store::prune_runs`]); runs move
//! between versions only lease-safely ([`Store::migrate_run`]).
//! `store.update` writes arrive as [`StoreEffect`]s applied inside `commit_runs`; `store.query`
//! reads [`Store::low_stock`], [`Store::outcome_rows`] and
//! [`Store::order_name_by_id`].
//!
//! The hash-chained audit log of decisions ([`Store::append_audit`],
//! [`Store::commit_runs_audited`], [`Store::close_item_audited`],
//! [`Store::verify_audit`]); the chain itself is
//! `storeops_domain::audit_chain`.

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
mod listen;
mod options;
mod plan;
mod pool;
mod prepared;
mod query;
mod retention;
mod settings;
mod store;
mod workflow;
mod workflow_links;

pub use auth::{ApiToken, NewSession, NewToken, NewUser, Session, User};
pub use counts::{MigrationReport, StoreCounts, UpsertCounts};
pub use error::StoreError;
pub use ingest::Ingest;
pub use list::{ListKind, ListQuery, Page};
pub use listen::RunListener;
pub use options::{Backend, ConnectOptions};
pub use pool::PoolStats;
pub use prepared::PreparedRecords;
pub use query::{LowStockRow, OutcomeRow, ReorderPolicy};
pub use retention::{Pruned, PrunedGroup, RunMigration};
pub use settings::SqliteSettings;
pub use store::Store;
pub use storeops_domain::audit_chain::{AuditEntry, AuditHead, AuditRow, Problem, Verification};
pub use workflow::{
    ClaimedRun, ControlChange, ItemFilter, ItemRow, NewItem, NewRun, Outcome, RunCursor, RunFilter,
    RunRow, RunUpdate, StoreEffect, WorkflowRow, WorkflowVersion, ITEM_KINDS, MODES, RUN_STATUSES,
    TERMINAL_STATUSES,
};
pub use workflow_links::{
    EventDispatch, InboxMessage, NewWait, PendingEvent, TriggerCount, TriggerCounts, WaitChange,
    WaitRow,
};
