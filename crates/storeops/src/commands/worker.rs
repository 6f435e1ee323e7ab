//! `storeops worker`: a workflow worker process until SIGINT/SIGTERM; it
//! also prunes finished runs (once at start, then hourly).

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use storeops_app::config::Config;
use storeops_runtime::{SystemClock, Worker, WorkerConfig};

use crate::cli::WorkerArgs;
use storeops_app::AppError;
use storeops_store::{ConnectOptions, Store};

/// Works until a signal arrives.
pub async fn run(config: &Config, args: WorkerArgs) -> anyhow::Result<ExitCode> {
    let options = ConnectOptions {
        pg_schema: args.pg_schema.clone(),
        ..ConnectOptions::default()
    };
    let store = Store::connect_with(&config.database_url, &options)
        .await
        .map_err(AppError::from)?;
    store.migrate().await.map_err(AppError::from)?;
    let mut worker_config = WorkerConfig {
        batch: args.batch.max(1),
        step_log: args.step_log,
        max_chain: args.max_chain.max(1),
        linger: std::time::Duration::from_millis(args.linger_ms),
        ..WorkerConfig::default()
    };
    if let Some(owner) = args.owner {
        worker_config.owner = owner;
    }
    let owner = worker_config.owner.clone();
    let worker = Worker::new(
        store.clone(),
        crate::skills::registry(config)?,
        Arc::new(SystemClock),
        worker_config,
    )?;
    if let Some(ready) = &args.ready_file {
        std::fs::write(ready, b"ready\n")
            .with_context(|| format!("cannot write {}", ready.display()))?;
    }
    tracing::info!(%owner, "workflow worker started");
    let (stop, pruner) = super::serve::spawn_pruner(config, &store);
    let worked = worker.run(super::serve::shutdown_signal()).await;
    let _ = stop.send(true);
    let _ = pruner.await;
    worked?;
    store.close().await;
    tracing::info!(%owner, "workflow worker stopped");
    Ok(ExitCode::SUCCESS)
}
