//! `storeops bench import`: order-line import throughput and peak RSS on
//! SQLite and PostgreSQL. Each measurement runs in a child process so its
//! peak RSS is the importer's alone, not the file generator's.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use storeops_app::bench::{peak_rss_mb, write_orders_file, ImportMeasurement};
use storeops_app::config::Config;
use storeops_app::import::{import_file, ImportOptions};
use storeops_app::AppError;
use storeops_demo::DemoOptions;
use storeops_domain::RecordKind;
use storeops_ingest::{Format, ReaderOptions};
use storeops_store::{ConnectOptions, Store};

use crate::cli::BenchAction;

/// The demo store the benchmark file is built from (fixed for reproducibility).
const BENCH_SEED: u64 = 42;

/// Runs a benchmark and prints JSON.
pub async fn run(config: &Config, action: BenchAction) -> anyhow::Result<ExitCode> {
    match action {
        BenchAction::Import { lines, file } => import(config, lines, file).await,
        BenchAction::ImportRun { file, pg_schema } => import_run(config, &file, pg_schema).await,
        BenchAction::Ingest(args) => super::bench_ingest::run(args).await,
        BenchAction::Api(args) => super::bench_api::run(args).await,
        BenchAction::Workflow(args) => super::bench_workflow::run(args).await,
    }
}

async fn import(config: &Config, lines: u64, file: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let work = tempfile::tempdir().map_err(|e| AppError::io(std::env::temp_dir(), e))?;
    let path = file.unwrap_or_else(|| work.path().join("orders.csv"));
    let today = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
    let demo = storeops_demo::generate(&DemoOptions::new(BENCH_SEED, today));
    let written = write_orders_file(&demo, &path, lines)?;
    drop(demo);
    eprintln!(
        "wrote {} order lines ({} orders) to {}",
        written.lines,
        written.orders,
        path.display()
    );

    let sqlite_url = format!("sqlite://{}", work.path().join("bench.db").display());
    let pg_url = if config.database_url.starts_with("postgres") {
        config.database_url.clone()
    } else {
        std::env::var("STOREOPS_TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
    };
    let mut results = vec![child_run(&sqlite_url, &path, None)?];
    let schema = format!("storeops_bench_{}", std::process::id());
    match child_run(&pg_url, &path, Some(&schema)) {
        Ok(result) => results.push(result),
        Err(e) => eprintln!("skipping PostgreSQL ({pg_url}): {e:#}"),
    }
    let value = serde_json::json!({
        "file": { "path": path, "lines": written.lines, "orders": written.orders,
                  "bytes": std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) },
        "results": results,
    });
    println!("{}", serde_json::to_string_pretty(&value)?);
    Ok(ExitCode::SUCCESS)
}

fn child_run(url: &str, file: &Path, schema: Option<&str>) -> anyhow::Result<serde_json::Value> {
    let exe = std::env::current_exe()?;
    let mut command = std::process::Command::new(exe);
    command
        .args(["--database-url", url, "bench", "import-run"])
        .arg(file);
    if let Some(schema) = schema {
        command.args(["--pg-schema", schema]);
    }
    let output = command.output()?;
    if !output.status.success() {
        anyhow::bail!("{}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(serde_json::from_slice(&output.stdout)?)
}

async fn import_run(
    config: &Config,
    file: &Path,
    pg_schema: Option<String>,
) -> anyhow::Result<ExitCode> {
    let options = ConnectOptions {
        pg_schema: pg_schema.clone(),
        ..ConnectOptions::bulk()
    };
    let store = Store::connect_with(&config.database_url, &options)
        .await
        .map_err(AppError::from)?;
    store.migrate().await.map_err(AppError::from)?;
    let import = ImportOptions {
        kind: RecordKind::Orders,
        format: Format::ShopifyCsv,
        batch_size: config.import_batch_size,
        reader: ReaderOptions {
            currency: config.import_currency,
        },
    };
    let started = Instant::now();
    let report = import_file(&store, file, &import, &indicatif::ProgressBar::hidden()).await?;
    let seconds = started.elapsed().as_secs_f64();
    store.close().await;
    if let Some(schema) = &pg_schema {
        Store::drop_pg_schema(&config.database_url, schema)
            .await
            .map_err(AppError::from)?;
    }
    let measurement = ImportMeasurement {
        backend: if pg_schema.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
        .to_string(),
        lines: report.lines,
        orders: report.imported + report.updated + report.unchanged,
        seconds,
        lines_per_s: report.lines as f64 / seconds.max(1e-9),
        peak_rss_mb: peak_rss_mb(),
    };
    println!("{}", serde_json::to_string(&measurement)?);
    Ok(ExitCode::SUCCESS)
}
