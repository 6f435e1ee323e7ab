//! `storeops bench workflow --workload waiting --n 100000`: N runs that each
//! stop at an approval, driven by one in-process worker on SQLite until all
//! of them wait; prints the process' peak and current RSS. Waiting runs are
//! released by the worker (their state lives in the database), so memory is
//! bounded by the worker's batch, not by the number of waiting runs.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{json, Value};
use storeops_app::bench::{peak_rss_mb, proc_status_mb};
use storeops_runtime::{deploy_files, submit, Submission, SystemClock, Worker, WorkerConfig};

use super::bench_workflow::{round1, BenchDb};
use super::latency::round3;
use crate::cli_workflow::{BenchBackend, WorkflowBenchArgs};

/// A run that asks a reviewer and waits.
const GATE: &str = "name: gate\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: check\n    uses: core.set\n    with: { values: { order: '${{ input.order }}' } }\n  - id: review\n    approval: { role: reviewer, sla: 2d }\n";

/// Submissions per transaction: the server's group-commit batch
/// (`SubmitQueue`), so the benchmark holds what a server would.
const CHUNK: usize = 512;

/// Runs the benchmark; one JSON value.
pub async fn run(args: &WorkflowBenchArgs) -> anyhow::Result<Value> {
    let bench = BenchDb::create(BenchBackend::Sqlite).await?;
    deploy_files(
        &bench.store,
        &storeops_runtime::builtin_default(),
        &[("gate.yaml".to_string(), GATE.to_string())],
    )
    .await?;
    let worker = Worker::new(
        bench.store.clone(),
        storeops_runtime::builtin_default(),
        Arc::new(SystemClock),
        WorkerConfig::default(),
    )?;
    let wake = worker.waker();
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(worker.run(async move {
        let _ = stopped.wait_for(|s| *s).await;
    }));
    let started = Instant::now();
    for start in (0..args.n).step_by(CHUNK) {
        let chunk: Vec<Submission> = (start..(start + CHUNK).min(args.n))
            .map(|i| Submission {
                id: Some(format!("gate-{i:07}")),
                input: json!({"order": format!("#{i}")}),
            })
            .collect();
        submit(&bench.store, "gate", chunk, chrono::Utc::now()).await?;
        wake.notify_one();
    }
    let deadline = Instant::now() + Duration::from_secs(600);
    let waiting = loop {
        let counts = bench.store.count_runs_by_status(Some("gate")).await?;
        let waiting = counts
            .iter()
            .find(|(s, _)| s == "waiting")
            .map_or(0, |(_, n)| *n);
        if waiting as usize >= args.n || Instant::now() > deadline {
            break waiting;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let seconds = started.elapsed().as_secs_f64();
    let rss_now = proc_status_mb("self", "VmRSS");
    let _ = stop.send(true);
    task.await.context("worker task")??;
    bench.drop().await;
    Ok(json!({
        "workload": "waiting", "backend": "sqlite", "n": args.n, "waiting": waiting,
        "seconds": round3(seconds), "peak_rss_mb": round1(peak_rss_mb()), "rss_when_all_wait_mb": round1(rss_now),
    }))
}
