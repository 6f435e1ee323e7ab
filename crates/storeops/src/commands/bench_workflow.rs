//! `storeops bench workflow --workload order-triage`: the SPEC.md workflow
//! benchmark. Throughput = N runs submitted at once until the last one's
//! `record` row is committed; latency = runs submitted one after another,
//! submit to committed row; peak RSS of the engine. SQLite runs one worker
//! inside this process; PostgreSQL starts `--workers` worker processes.
//! `--crash` is in `bench_workflow_crash.rs`, the other workloads in
//! `bench_workflow_waiting.rs` and `bench_workflow_parallel.rs`.

use std::path::{Path, PathBuf};
use std::process::{Child, ExitCode};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{json, Value};
use storeops_app::bench::peak_rss_mb;
use storeops_app::AppError;
use storeops_runtime::{deploy_files, submit, Submission, SystemClock, Worker, WorkerConfig};
use storeops_store::{ConnectOptions, Store};

use super::bench_workflow_procs::{
    own_cpu_s, process_cpu_s, process_peak_rss_mb, terminate, wait_for_file,
};
use super::latency::{percentiles, round3, Percentiles};
use crate::cli_workflow::{BenchBackend, WorkflowBenchArgs};

/// The reference definition, as deployed by the demo.
const ORDER_TRIAGE: &str = include_str!("../../../../workflows/order-triage.yaml");

/// The entity the workload's `record` step writes.
pub const RECORD_ENTITY: &str = "order_triage";

/// Runs the benchmark and prints one JSON line.
pub async fn run(args: WorkflowBenchArgs) -> anyhow::Result<ExitCode> {
    if args.workload == "waiting" {
        println!("{}", super::bench_workflow_waiting::run(&args).await?);
        return Ok(ExitCode::SUCCESS);
    }
    if args.workload == "parallel" {
        println!("{}", super::bench_workflow_parallel::run(&args).await?);
        return Ok(ExitCode::SUCCESS);
    }
    if args.workload != "order-triage" {
        return Err(AppError::Usage(format!(
            "unknown --workload `{}` (known: order-triage, waiting, parallel)",
            args.workload
        ))
        .into());
    }
    if args.crash {
        return super::bench_workflow_crash::run(&args).await;
    }
    let mut bench = BenchDb::create(args.backend).await?;
    bench.max_chain = args.max_chain.max(1);
    let result = match args.backend {
        BenchBackend::Sqlite => in_process(&bench, &args).await,
        BenchBackend::Postgres => with_processes(&bench, &args).await,
    };
    bench.drop().await;
    println!("{}", result?);
    Ok(ExitCode::SUCCESS)
}

/// The input of order `i` of a phase: the peer harness' payload
/// (`../shared/bench/peers/workflow/README.md`) under `order`.
pub fn payload(prefix: &str, i: usize) -> (String, Value) {
    let id = format!("{prefix}-{i:05}");
    let total = ((i * 37) % 200) as f64 + 0.99;
    let country = ["US", "DE", "FR", "GB", "JP"][i % 5];
    let n = 1 + i % 3;
    let items: Vec<Value> = (0..n)
        .map(|k| {
            let price = (total / n as f64 * 100.0).round() / 100.0;
            json!({"sku": format!("SKU-{:03}", (i + k) % 50), "qty": 1 + (i + k) % 4, "price": price})
        })
        .collect();
    let input =
        json!({"order": {"id": id, "total": total, "shipping_country": country, "items": items}});
    (id, input)
}

/// Submissions for orders `range` of `prefix`, run id = order id.
pub fn submissions(prefix: &str, range: std::ops::Range<usize>) -> Vec<Submission> {
    range
        .map(|i| {
            let (id, input) = payload(prefix, i);
            Submission {
                id: Some(id),
                input,
            }
        })
        .collect()
}

/// A scratch database with order-triage deployed.
pub struct BenchDb {
    /// The store.
    pub store: Store,
    /// Its URL.
    pub url: String,
    /// PostgreSQL schema, when on PostgreSQL.
    pub schema: Option<String>,
    /// `--max-chain` of its workers.
    pub max_chain: usize,
    _dir: tempfile::TempDir,
}

impl BenchDb {
    /// Creates, migrates and deploys.
    pub async fn create(backend: BenchBackend) -> anyhow::Result<BenchDb> {
        let dir = tempfile::tempdir().context("creating a scratch directory")?;
        let (url, schema) = match backend {
            BenchBackend::Sqlite => (
                format!("sqlite://{}", dir.path().join("bench.db").display()),
                None,
            ),
            BenchBackend::Postgres => (
                std::env::var("STOREOPS_TEST_DATABASE_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string()),
                Some(format!("storeops_wfbench_{}", std::process::id())),
            ),
        };
        let options = ConnectOptions {
            pg_schema: schema.clone(),
            ..ConnectOptions::default()
        };
        let store = Store::connect_with(&url, &options)
            .await
            .map_err(AppError::from)?;
        store.migrate().await.map_err(AppError::from)?;
        let live = ORDER_TRIAGE.replace("mode: shadow", "mode: live");
        deploy_files(
            &store,
            &storeops_runtime::builtin_default(),
            &[("order-triage.yaml".to_string(), live)],
        )
        .await?;
        Ok(BenchDb {
            store,
            url,
            schema,
            max_chain: WorkerConfig::default().max_chain,
            _dir: dir,
        })
    }

    /// The scratch directory.
    pub fn dir(&self) -> &Path {
        self._dir.path()
    }

    /// Closes the store and drops the PostgreSQL schema.
    pub async fn drop(self) {
        self.store.close().await;
        if let Some(schema) = &self.schema {
            if let Err(e) = Store::drop_pg_schema(&self.url, schema).await {
                eprintln!("cannot drop schema {schema}: {e}");
            }
        }
    }

    /// Starts a `storeops worker` process on this database.
    pub fn spawn_worker(
        &self,
        owner: &str,
        step_log: Option<&Path>,
    ) -> anyhow::Result<(Child, PathBuf)> {
        let ready = self.dir().join(format!("{owner}.ready"));
        let _ = std::fs::remove_file(&ready);
        let mut command = std::process::Command::new(std::env::current_exe()?);
        command
            .args([
                "--database-url",
                &self.url,
                "worker",
                "--owner",
                owner,
                "--max-chain",
                &self.max_chain.to_string(),
                "--ready-file",
            ])
            .arg(&ready)
            .stdout(std::process::Stdio::null());
        if let Some(schema) = &self.schema {
            command.args(["--pg-schema", schema]);
        }
        if let Some(log) = step_log {
            command.arg("--step-log").arg(log);
        }
        let child = command.spawn().context("starting a worker process")?;
        Ok((child, ready))
    }
}

/// Waits until the workload's `record` rows number at least `n`.
pub async fn wait_for_rows(store: &Store, n: i64, timeout: Duration) -> anyhow::Result<i64> {
    let started = Instant::now();
    loop {
        let rows = store
            .count_outcomes(RECORD_ENTITY)
            .await
            .map_err(AppError::from)?;
        if rows >= n || started.elapsed() > timeout {
            return Ok(rows);
        }
        tokio::time::sleep(Duration::from_micros(500)).await;
    }
}

async fn in_process(bench: &BenchDb, args: &WorkflowBenchArgs) -> anyhow::Result<Value> {
    let (tx, mut finished) = tokio::sync::mpsc::unbounded_channel();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut wakers = Vec::new();
    let mut tasks = Vec::new();
    let workers = args.workers.max(1);
    for _ in 0..workers {
        let config = WorkerConfig {
            batch: WorkerConfig::default().batch / workers,
            max_chain: args.max_chain.max(1),
            ..WorkerConfig::default()
        };
        let mut worker = Worker::new(
            bench.store.clone(),
            storeops_runtime::builtin_default(),
            Arc::new(SystemClock),
            config,
        )?;
        worker.notify_finished(tx.clone());
        wakers.push(worker.waker());
        let mut stopped = stopped.clone();
        tasks.push(tokio::spawn(worker.run(async move {
            let _ = stopped.wait_for(|s| *s).await;
        })));
    }
    let wake = Wakers(wakers);
    let now = chrono::Utc::now;
    submit(
        &bench.store,
        "order-triage",
        submissions("warmup", 0..100),
        now(),
    )
    .await?;
    wake.notify_one();
    wait_finished(&mut finished, 100).await?;

    let cpu0 = own_cpu_s();
    let started = Instant::now();
    submit(
        &bench.store,
        "order-triage",
        submissions("throughput", 0..args.n),
        now(),
    )
    .await?;
    let submit_s = started.elapsed().as_secs_f64();
    wake.notify_one();
    wait_finished(&mut finished, args.n).await?;
    let elapsed = started.elapsed().as_secs_f64();
    let cpu_s = own_cpu_s() - cpu0;

    let mut latencies = Vec::with_capacity(args.latency_n);
    for i in 0..args.latency_n {
        let t0 = Instant::now();
        submit(
            &bench.store,
            "order-triage",
            submissions("latency", i..i + 1),
            now(),
        )
        .await?;
        wake.notify_one();
        wait_finished(&mut finished, 1).await?;
        latencies.push(t0.elapsed());
    }
    let _ = stop.send(true);
    for task in tasks {
        task.await.context("worker task")??;
    }
    Ok(json!({
        "workload": args.workload, "backend": "sqlite", "workers": workers, "n": args.n,
        "max_chain": args.max_chain,
        "workflows_per_s": round1(args.n as f64 / elapsed), "elapsed_s": round3(elapsed),
        "submit_s": round3(submit_s), "cpu_s": round3(cpu_s),
        "workflows_per_cpu_s": round1(args.n as f64 / cpu_s.max(1e-9)),
        "latency_n": args.latency_n, "p50_ms": summary(&latencies).p50_ms,
        "p99_ms": summary(&latencies).p99_ms, "peak_rss_mb": round1(peak_rss_mb()),
    }))
}

/// Wakes every in-process worker.
struct Wakers(Vec<Arc<tokio::sync::Notify>>);

impl Wakers {
    fn notify_one(&self) {
        for waker in &self.0 {
            waker.notify_one();
        }
    }
}

/// Waits for `n` finished runs from the worker.
async fn wait_finished(
    finished: &mut tokio::sync::mpsc::UnboundedReceiver<String>,
    n: usize,
) -> anyhow::Result<()> {
    for _ in 0..n {
        finished.recv().await.context("the worker stopped")?;
    }
    Ok(())
}

async fn with_processes(bench: &BenchDb, args: &WorkflowBenchArgs) -> anyhow::Result<Value> {
    let mut children = Vec::new();
    for w in 0..args.workers.max(1) {
        let (child, ready) = bench.spawn_worker(&format!("bench-worker-{w}"), None)?;
        children.push(child);
        wait_for_file(&ready, Duration::from_secs(30)).await?;
    }
    let pids: Vec<String> = children.iter().map(|c| c.id().to_string()).collect();
    let workers_cpu = || pids.iter().map(|p| process_cpu_s(p)).sum::<f64>();
    let timeout = Duration::from_secs(240);
    let now = chrono::Utc::now;
    let result = async {
        submit(&bench.store, "order-triage", submissions("warmup", 0..100), now()).await?;
        wait_for_rows(&bench.store, 100, timeout).await?;
        let cpu0 = workers_cpu();
        let started = Instant::now();
        submit(&bench.store, "order-triage", submissions("throughput", 0..args.n), now()).await?;
        let submit_s = started.elapsed().as_secs_f64();
        let total = 100 + args.n as i64;
        let rows = wait_for_rows(&bench.store, total, timeout).await?;
        let elapsed = started.elapsed().as_secs_f64();
        let cpu_s = workers_cpu() - cpu0;
        anyhow::ensure!(rows == total, "only {rows} of {total} rows after {timeout:?}");
        let mut latencies = Vec::with_capacity(args.latency_n);
        for i in 0..args.latency_n {
            let t0 = Instant::now();
            submit(&bench.store, "order-triage", submissions("latency", i..i + 1), now()).await?;
            wait_for_rows(&bench.store, total + 1 + i as i64, timeout).await?;
            latencies.push(t0.elapsed());
        }
        let rss: f64 = children.iter().map(|c| process_peak_rss_mb(c.id())).sum();
        anyhow::Ok(json!({
            "workload": args.workload, "backend": "postgres", "workers": children.len(), "n": args.n,
            "max_chain": args.max_chain,
            "workflows_per_s": round1(args.n as f64 / elapsed), "elapsed_s": round3(elapsed),
            "submit_s": round3(submit_s), "worker_cpu_s": round3(cpu_s),
            "workflows_per_worker_cpu_s": round1(args.n as f64 / cpu_s.max(1e-9)),
            "latency_n": args.latency_n, "p50_ms": summary(&latencies).p50_ms,
            "p99_ms": summary(&latencies).p99_ms, "peak_rss_mb": round1(rss),
        }))
    }
    .await;
    for child in &mut children {
        terminate(child);
    }
    result
}

/// Rounded to one decimal.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Percentiles of measured latencies.
fn summary(latencies: &[Duration]) -> Percentiles {
    percentiles(latencies.iter().map(|d| d.as_micros() as u64).collect())
}
