//! `storeops bench ingest`: posts signed Shopify `orders/create` webhooks
//! (Shopify's own sample payload, ~11 KB, with a fresh order id, name and
//! delivery id each time) to a running server over N connections, and
//! prints accepted/s and latency percentiles as JSON. Bounded by
//! `--duration` and `--max-events`.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;
use storeops_app::AppError;

use super::latency::{percentiles, round3, Percentiles};
use crate::cli::IngestBenchArgs;

/// Shopify's documented orders/create sample (source URL inside the file).
const SAMPLE: &str = include_str!("../../../storeops-webhooks/tests/fixtures/shopify_order.json");
/// Placeholders swapped per event.
const ID_MARK: &str = "987654321012345";
const NAME_MARK: &str = "#BENCH-NAME";

/// What one run measured.
#[derive(Debug, Serialize)]
struct IngestBench {
    url: String,
    connections: usize,
    rate_target: u32,
    duration_s: f64,
    sent: u64,
    accepted: u64,
    duplicates: u64,
    errors: u64,
    /// Failed requests by HTTP status (`connect` when no answer came).
    errors_by_status: BTreeMap<String, u64>,
    accepted_per_s: f64,
    #[serde(flatten)]
    latency: Percentiles,
    body_bytes: usize,
}

/// Counts shared by the workers.
#[derive(Default)]
struct Tally {
    next: AtomicU64,
    accepted: AtomicU64,
    duplicates: AtomicU64,
    errors: AtomicU64,
    errors_by_status: Mutex<BTreeMap<String, u64>>,
}

impl Tally {
    fn failed(&self, status: String) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut map) = self.errors_by_status.lock() {
            *map.entry(status).or_default() += 1;
        }
    }
}

/// Runs the load and prints the JSON line.
pub async fn run(args: IngestBenchArgs) -> anyhow::Result<ExitCode> {
    if args.connections == 0 || args.connections > 4096 {
        return Err(AppError::Usage("--connections must be in 1..=4096".into()).into());
    }
    if args.secret.is_empty() {
        return Err(AppError::Usage("--secret must not be empty".into()).into());
    }
    let template = Arc::new(template()?);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.connections)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(30))
        .build()
        .context("building the HTTP client")?;
    let endpoint = format!("{}/webhooks/shopify", args.url.trim_end_matches('/'));
    let run_id = std::process::id();
    let tally = Arc::new(Tally::default());
    let start = Instant::now();
    let deadline = start + Duration::from_secs(args.duration);
    let mut workers = Vec::with_capacity(args.connections);
    for _ in 0..args.connections {
        let worker = Worker {
            client: client.clone(),
            endpoint: endpoint.clone(),
            secret: args.secret.clone().into_bytes(),
            template: template.clone(),
            tally: tally.clone(),
            start,
            deadline,
            rate: args.rate,
            max_events: args.max_events,
            run_id,
        };
        workers.push(tokio::spawn(worker.run()));
    }
    let mut latencies = Vec::new();
    for w in workers {
        latencies.extend(w.await.context("bench worker")?);
    }
    let elapsed = start.elapsed().as_secs_f64();
    let accepted = tally.accepted.load(Ordering::Relaxed);
    let result = IngestBench {
        url: args.url,
        connections: args.connections,
        rate_target: args.rate,
        duration_s: round3(elapsed),
        sent: latencies.len() as u64 + tally.errors.load(Ordering::Relaxed),
        accepted,
        duplicates: tally.duplicates.load(Ordering::Relaxed),
        errors: tally.errors.load(Ordering::Relaxed),
        errors_by_status: tally
            .errors_by_status
            .lock()
            .map(|m| m.clone())
            .unwrap_or_default(),
        accepted_per_s: round3(accepted as f64 / elapsed.max(1e-9)),
        latency: percentiles(latencies),
        body_bytes: render(&template, run_id, 0).len(),
    };
    println!("{}", serde_json::to_string(&result)?);
    Ok(if result.errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A piece of the payload template.
enum Piece {
    /// Literal JSON text.
    Text(String),
    /// The order id (a JSON number).
    Id,
    /// The order name (inside a JSON string).
    Name,
}

/// The sample payload cut at the placeholders of id and name.
fn template() -> anyhow::Result<Vec<Piece>> {
    let fixture: serde_json::Value = serde_json::from_str(SAMPLE).context("bench sample")?;
    let mut payload = fixture
        .get("payload")
        .cloned()
        .context("bench sample has no payload")?;
    payload["id"] = serde_json::json!(ID_MARK.parse::<u64>()?);
    payload["name"] = serde_json::json!(NAME_MARK);
    let mut rest = serde_json::to_string(&payload)?;
    let mut pieces = Vec::new();
    loop {
        let next = [(ID_MARK, Piece::Id), (NAME_MARK, Piece::Name)]
            .into_iter()
            .filter_map(|(mark, piece)| rest.find(mark).map(|at| (at, mark.len(), piece)))
            .min_by_key(|(at, _, _)| *at);
        let Some((at, len, piece)) = next else {
            pieces.push(Piece::Text(rest));
            return Ok(pieces);
        };
        pieces.push(Piece::Text(rest[..at].to_string()));
        pieces.push(piece);
        rest = rest[at + len..].to_string();
    }
}

/// Bytes of the template's literal text.
fn template_len(pieces: &[Piece]) -> usize {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => t.len(),
            Piece::Id | Piece::Name => 0,
        })
        .sum()
}

/// One connection's loop.
struct Worker {
    client: reqwest::Client,
    endpoint: String,
    secret: Vec<u8>,
    template: Arc<Vec<Piece>>,
    tally: Arc<Tally>,
    start: Instant,
    deadline: Instant,
    rate: u32,
    max_events: u64,
    run_id: u32,
}

impl Worker {
    /// Sends until time or count runs out; returns latencies in µs.
    async fn run(self) -> Vec<u64> {
        let mut latencies = Vec::new();
        loop {
            let i = self.tally.next.fetch_add(1, Ordering::Relaxed);
            if i >= self.max_events || Instant::now() >= self.deadline {
                return latencies;
            }
            if self.rate > 0 {
                let due = self.start + Duration::from_secs_f64(i as f64 / f64::from(self.rate));
                if due >= self.deadline {
                    return latencies;
                }
                tokio::time::sleep_until(due.into()).await;
            }
            let body = self.body(i);
            let signature = storeops_webhooks::sign_shopify(&self.secret, body.as_bytes());
            let sent = Instant::now();
            let answer = self
                .client
                .post(&self.endpoint)
                .header("content-type", "application/json")
                .header("x-shopify-topic", "orders/create")
                .header("x-shopify-hmac-sha256", signature)
                .header("x-shopify-webhook-id", format!("bench-{}-{i}", self.run_id))
                .body(body)
                .send()
                .await;
            match answer {
                Ok(response) if response.status().is_success() => {
                    let text = response.text().await.unwrap_or_default();
                    latencies.push(sent.elapsed().as_micros() as u64);
                    if text.contains("\"duplicate\"") {
                        self.tally.duplicates.fetch_add(1, Ordering::Relaxed);
                    } else {
                        self.tally.accepted.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Ok(response) => self.tally.failed(response.status().as_u16().to_string()),
                Err(_) => self.tally.failed("connect".to_string()),
            }
        }
    }

    /// The payload of event `i`.
    fn body(&self, i: u64) -> String {
        render(&self.template, self.run_id, i)
    }
}

/// The payload of event `i` of run `run_id`: unique order id and name.
fn render(template: &[Piece], run_id: u32, i: u64) -> String {
    let id = (9_000_000_000_000 + u64::from(run_id) * 10_000_000 + i).to_string();
    let name = format!("#B{run_id}-{i}");
    let mut out = String::with_capacity(template_len(template) + id.len() + name.len());
    for piece in template {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Id => out.push_str(&id),
            Piece::Name => out.push_str(&name),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn every_event_is_a_valid_order_with_its_own_id_and_name() {
        let template = template().unwrap();
        let first: serde_json::Value = serde_json::from_str(&render(&template, 7, 0)).unwrap();
        let second: serde_json::Value = serde_json::from_str(&render(&template, 7, 1)).unwrap();
        assert_eq!(first["id"], 9_000_070_000_000_u64);
        assert_eq!(first["name"], "#B7-0");
        assert_eq!(second["name"], "#B7-1");
        assert_eq!(first["line_items"], second["line_items"]);
        let mapped = storeops_webhooks::map_shopify("orders/create", &second, chrono::Utc::now());
        let records = mapped.records().expect("the sample maps to records");
        assert!(matches!(&records[0], storeops_domain::Record::Order(o) if o.name == "#B7-1"));
    }
}
