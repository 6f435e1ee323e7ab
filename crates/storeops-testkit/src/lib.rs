//! Test support for every storeops crate (a dev-dependency only): one way
//! to run a test on both backends — a fresh SQLite file or a private
//! PostgreSQL schema per test ([`db`]), skipped with a printed reason when
//! PostgreSQL is unreachable unless `STOREOPS_REQUIRE_POSTGRES=1` — the
//! [`conformance!`] macro that instantiates a list of `async fn(&Store)`
//! tests for each backend, [`both_backends!`] for `async fn(Db)` tests that
//! build more on the database (a running server), and hand-built domain
//! records ([`fixtures`]).

// Test support: a failed set-up must stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod db;
pub mod fixtures;

pub use db::{both_stores, pg_store, pg_store_sized, pg_url, sqlite_store, Db, TestStore};
