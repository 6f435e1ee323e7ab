//! Test support for every storeops crate (a dev-dependency only): one way
//! to run a test on both backends — a fresh SQLite file or a private
//! PostgreSQL schema per test ([`db`]), skipped with a printed reason when
//! PostgreSQL is unreachable unless `STOREOPS_REQUIRE_POSTGRES=1` — the
//! [`conformance!`] macro that instantiates a list of `async fn(&Store)`
//! tests for each backend, [`both_backends!`] for `async fn(Db)` tests that
//! build more on the database (a running server), hand-built domain
//! records ([`fixtures`]), loopback HTTPS and SMTP sinks ([`sinks`]) and
//! headless Chromium over WebDriver ([`browser`]).

// Test support: a failed set-up must stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod browser;
pub mod db;
pub mod fixtures;
pub mod sinks;

pub use db::{
    both_stores, pg_reachable, pg_store, pg_store_sized, pg_url, sqlite_store, Db, TestStore,
};
