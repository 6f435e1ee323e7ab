//! One module per command; each turns parsed arguments into service calls and output.

pub mod access;
pub mod action;
pub mod audit;
pub mod bench;
pub mod bench_api;
pub mod bench_ingest;
pub mod bench_workflow;
pub mod bench_workflow_crash;
pub mod bench_workflow_parallel;
pub mod bench_workflow_procs;
pub mod bench_workflow_waiting;
pub mod config;
pub mod demo;
pub mod import;
pub mod latency;
pub mod migrate;
pub mod readiness;
pub mod review;
pub mod runs;
pub mod serve;
pub mod worker;
pub mod workflow;
pub mod workflow_defs;
pub mod workflow_migrate;

use storeops_app::config::Config;
use storeops_store::{ConnectOptions, Store};

/// Connects to the configured database and applies pending migrations.
pub async fn open_store(config: &Config) -> Result<Store, storeops_app::AppError> {
    open_store_with(config, &ConnectOptions::default()).await
}

/// Opens and migrates the configured store with these options.
pub async fn open_store_with(
    config: &Config,
    options: &ConnectOptions,
) -> Result<Store, storeops_app::AppError> {
    let store = Store::connect_with(&config.database_url, options).await?;
    store.migrate().await?;
    Ok(store)
}
