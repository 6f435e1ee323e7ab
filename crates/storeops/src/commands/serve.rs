//! `storeops serve`: the HTTP server (with its workflow workers and the
//! retention task), and the serving half of `storeops demo`.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context;
use std::sync::Arc;
use storeops_app::config::Config;
use storeops_server::{bootstrap_admin, AppState, BootstrapAdmin};

use storeops_runtime::{SystemClock, Worker, WorkerConfig};
use storeops_store::Store;

use crate::cli::ServeArgs;

/// Serves until SIGINT/SIGTERM.
pub async fn run(config: &Config, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_store(config).await?;
    let workers = if args.no_workers { 0 } else { args.workers };
    serve_store(config, store, args.listen, workers).await
}

/// Creates the first admin if needed, starts `workers` workflow workers,
/// binds and serves `store`.
pub async fn serve_store(
    config: &Config,
    store: Store,
    listen: Option<SocketAddr>,
    workers: usize,
) -> anyhow::Result<ExitCode> {
    // One registry, and so one HTTP client, shared by every worker.
    let registry = crate::skills::registry(config)?;
    let admin = bootstrap_admin(&store)
        .await
        .context("creating the first admin")?;
    let addr = listen.unwrap_or(config.server.listen);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr().unwrap_or(addr);
    let state = AppState::new(store.clone(), config.clone()).with_registry(registry.clone());
    // A server must not die because whoever started it stopped reading
    // stdout (`storeops serve | head`): the banner is written, not printed.
    let banner = match admin {
        Some(admin) => admin_banner(&admin),
        None => "log in with an existing user; `storeops user add` creates one\n".to_string(),
    };
    let mut out = std::io::stdout().lock();
    let written = write!(
        out,
        "storeops is serving http://{local}/  (dashboard; API under /api/v1, Ctrl-C stops)\n{banner}"
    )
    .and_then(|()| out.flush());
    drop(out);
    if let Err(e) = written {
        tracing::warn!(error = %e, "cannot write the start-up banner to stdout");
    }
    tracing::info!(%local, "listening");
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut tasks = Vec::with_capacity(workers);
    for _ in 0..workers {
        let mut worker = Worker::new(
            store.clone(),
            registry.clone(),
            Arc::new(SystemClock),
            WorkerConfig::default(),
        )?;
        worker.set_waker(Arc::clone(&state.workflow_wake));
        let mut stopped = stopped.clone();
        tasks.push(tokio::spawn(worker.run(async move {
            let _ = stopped.wait_for(|s| *s).await;
        })));
    }
    let (stop_pruner, pruner) = spawn_pruner(config, &store);
    let served = storeops_server::serve(listener, state, shutdown_signal()).await;
    let _ = stop.send(true);
    let _ = stop_pruner.send(true);
    let _ = pruner.await;
    for task in tasks {
        match task.await {
            Ok(Err(e)) => tracing::warn!(error = %e, "workflow worker failed"),
            Err(e) => tracing::warn!(error = %e, "workflow worker panicked"),
            Ok(Ok(())) => {}
        }
    }
    served.context("server failed")?;
    store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Starts the retention task (`workflow.retention_days`; once now, then
/// hourly); it ends when `true` is sent on the returned channel.
pub fn spawn_pruner(
    config: &Config,
    store: &Store,
) -> (
    tokio::sync::watch::Sender<bool>,
    tokio::task::JoinHandle<()>,
) {
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(storeops_runtime::retention::run_pruner(
        store.clone(),
        config.workflow_retention_days,
        Arc::new(SystemClock),
        storeops_runtime::retention::PRUNE_EVERY,
        async move {
            let _ = stopped.wait_for(|s| *s).await;
        },
    ));
    (stop, task)
}

/// The first admin's credentials, shown once.
fn admin_banner(admin: &BootstrapAdmin) -> String {
    format!(
        "\nA new database: created the admin user. This is shown only once:\n  \
         username   {}\n  password   {}\n  API token  {}\n  \
         (e.g. curl -H 'Authorization: Bearer {}' http://…/api/v1/orders)\n\n",
        admin.username, admin.password, admin.token, admin.token
    )
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
