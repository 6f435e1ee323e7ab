//! Runtime test cases by topic; each `pub async fn` taking `&Store` runs on
//! both backends (see `worker.rs`).

pub mod control;
pub mod email;
pub mod email_tls;
pub mod engine;
pub mod parallel;
pub mod retention;
pub mod review;
pub mod sinks;
pub mod store_actions;
pub mod tls;
pub mod triggers;
