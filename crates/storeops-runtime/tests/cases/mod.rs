//! Runtime test cases by topic; each `pub async fn` taking `&Store` runs on
//! both backends (see `worker.rs`).

pub mod engine;
pub mod retention;
pub mod review;
pub mod sinks;
pub mod triggers;
