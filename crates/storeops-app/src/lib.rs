//! storeops application services: the use cases the CLI (and later the HTTP
//! server) expose, composed from the pure crates and the store. This crate
//! owns orchestration — the import pipeline, the demo, the readiness run and
//! configuration — and no business rules of its own.

pub mod bench;
pub mod config;
mod config_checks;
pub mod demo;
pub mod demo_run;
pub mod error;
pub mod http_config;
pub mod import;
pub mod notify_config;
pub mod readiness;
pub mod server_config;

pub use error::AppError;
