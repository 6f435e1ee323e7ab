//! `storeops bench workflow --workload parallel`: what concurrent `parallel`
//! branches buy. Two workflows make the same three `http.request` calls to
//! a loopback server that answers each after `--call-ms` (default 20): `fanout` in three
//! branches of one `parallel` step, `chain` as three steps one after
//! another. Each runs `--latency-n` times one after another (submit to
//! finished run) and `--n` times submitted at once, on SQLite with one
//! in-process worker; prints the latencies and throughputs of both and the
//! ratio of their medians.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{json, Value};
use storeops_runtime::{deploy_files, submit, Submission, SystemClock, Worker, WorkerConfig};
use storeops_store::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::UnboundedReceiver;

use super::bench_workflow::{round1, BenchDb};
use super::latency::{percentiles, round3};
use crate::cli_workflow::{BenchBackend, WorkflowBenchArgs};

/// Calls per run.
const CALLS: usize = 3;

/// The two workflows, each making `CALLS` calls per run.
const WORKFLOWS: [&str; 2] = ["fanout", "chain"];

/// Runs the benchmark; one JSON value.
pub async fn run(args: &WorkflowBenchArgs) -> anyhow::Result<Value> {
    let delay = Duration::from_millis(args.call_ms);
    let (port, calls) = slow_server(delay).await?;
    let bench = BenchDb::create(BenchBackend::Sqlite).await?;
    deploy_files(
        &bench.store,
        &storeops_runtime::builtin_default(),
        &[
            ("fanout.yaml".to_string(), fanout(port)),
            ("chain.yaml".to_string(), chain(port)),
        ],
    )
    .await?;
    let (tx, mut finished) = tokio::sync::mpsc::unbounded_channel();
    let mut worker = Worker::new(
        bench.store.clone(),
        storeops_runtime::builtin_default(),
        Arc::new(SystemClock),
        WorkerConfig::default(),
    )?;
    worker.notify_finished(tx);
    let wake = worker.waker();
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(worker.run(async move {
        let _ = stopped.wait_for(|s| *s).await;
    }));
    let mut measured = serde_json::Map::new();
    for workflow in WORKFLOWS {
        let mut phase = Phase {
            store: &bench.store,
            wake: &wake,
            finished: &mut finished,
            workflow,
        };
        let mut latencies = Vec::with_capacity(args.latency_n);
        for i in 0..args.latency_n {
            let started = Instant::now();
            phase.submit(format!("{workflow}-latency-{i}"), 1).await?;
            latencies.push(started.elapsed().as_micros() as u64);
        }
        let started = Instant::now();
        phase
            .submit(format!("{workflow}-throughput"), args.n)
            .await?;
        let elapsed = started.elapsed().as_secs_f64();
        let summary = percentiles(latencies);
        measured.insert(
            workflow.to_string(),
            json!({
                "p50_ms": summary.p50_ms, "p99_ms": summary.p99_ms,
                "workflows_per_s": round1(args.n as f64 / elapsed), "elapsed_s": round3(elapsed),
            }),
        );
    }
    let _ = stop.send(true);
    task.await.context("worker task")??;
    bench.drop().await;
    let p50 = |w: &str| measured[w]["p50_ms"].as_f64().unwrap_or(0.0);
    let expected = (args.latency_n + args.n) * CALLS * WORKFLOWS.len();
    Ok(json!({
        "workload": "parallel", "backend": "sqlite", "branches": CALLS, "call_ms": args.call_ms,
        "n": args.n, "latency_n": args.latency_n,
        "fanout": measured["fanout"], "chain": measured["chain"],
        "chain_over_fanout_p50": round3(p50("chain") / p50("fanout").max(1e-9)),
        "calls_answered": calls.load(Ordering::SeqCst), "calls_expected": expected,
    }))
}

/// One workflow's runs: submit, wake the worker, wait until they finished.
struct Phase<'a> {
    store: &'a Store,
    wake: &'a tokio::sync::Notify,
    finished: &'a mut UnboundedReceiver<String>,
    workflow: &'static str,
}

impl Phase<'_> {
    async fn submit(&mut self, prefix: String, n: usize) -> anyhow::Result<()> {
        let submissions = (0..n)
            .map(|i| Submission {
                id: Some(format!("{prefix}-{i:05}")),
                input: json!({"order": i}),
            })
            .collect();
        submit(self.store, self.workflow, submissions, chrono::Utc::now()).await?;
        self.wake.notify_one();
        for _ in 0..n {
            tokio::time::timeout(Duration::from_secs(300), self.finished.recv())
                .await
                .context("runs did not finish in 300 s")?
                .context("the worker stopped")?;
        }
        Ok(())
    }
}

/// A `http.request` step calling the server.
fn call(id: &str, port: u16, indent: &str) -> String {
    format!(
        "{indent}- id: {id}\n{indent}  uses: http.request\n{indent}  with: {{ url: 'http://127.0.0.1:{port}/{id}', method: POST, body: {{ order: '${{{{ input.order }}}}' }} }}\n"
    )
}

fn fanout(port: u16) -> String {
    let branches: String = (0..CALLS)
        .map(|b| format!("      -\n{}", call(&format!("call{b}"), port, "        ")))
        .collect();
    format!(
        "name: fanout\nmode: live\ntrigger: {{ manual: {{}} }}\nsteps:\n  - id: all\n    parallel:\n{branches}"
    )
}

fn chain(port: u16) -> String {
    let steps: String = (0..CALLS)
        .map(|b| call(&format!("call{b}"), port, "  "))
        .collect();
    format!("name: chain\nmode: live\ntrigger: {{ manual: {{}} }}\nsteps:\n{steps}")
}

/// A loopback HTTP server answering every request `{"ok":true}` after
/// `delay`, one request per connection; its port and answer count.
async fn slow_server(delay: Duration) -> anyhow::Result<(u16, Arc<AtomicUsize>)> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("binding the loopback server")?;
    let port = listener.local_addr()?.port();
    let answered = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&answered);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let count = Arc::clone(&count);
            tokio::spawn(async move {
                if answer(socket, delay).await.is_ok() {
                    count.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
    });
    Ok((port, answered))
}

/// Reads one request (head, then `content-length` bytes), waits, answers.
async fn answer(mut socket: TcpStream, delay: Duration) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    tokio::time::sleep(delay).await;
    socket
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nconnection: close\r\n\r\n{\"ok\":true}")
        .await?;
    socket.shutdown().await
}
