//! `storeops bench api`: latency of the JSON API's list endpoints against a
//! running server (one connection, requests one after another, after a
//! warm-up), as JSON: per endpoint and over all of them.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;
use storeops_app::AppError;

use super::latency::{percentiles, Percentiles};
use crate::cli::ApiBenchArgs;

/// The list calls measured: every kind's first page, and the filtered
/// queries the dashboard and integrations use most.
const PATHS: &[&str] = &[
    "/api/v1/orders",
    "/api/v1/orders?status=paid",
    "/api/v1/orders?since=2026-01-01&until=2026-02-01",
    "/api/v1/orders?q=example",
    "/api/v1/orders?sku=APP-0086-XXL-HGR",
    "/api/v1/products",
    "/api/v1/products?q=shirt",
    "/api/v1/variants",
    "/api/v1/inventory",
    "/api/v1/customers",
    "/api/v1/customers?q=gmail",
    "/api/v1/shipments?status=delivered",
    "/api/v1/returns",
    "/api/v1/tickets",
    "/api/v1/docs",
    "/api/v1/events",
];

/// Warm-up requests per endpoint (not measured).
const WARMUP: usize = 5;

#[derive(Serialize)]
struct EndpointLatency {
    path: &'static str,
    items: usize,
    #[serde(flatten)]
    latency: Percentiles,
}

#[derive(Serialize)]
struct ApiBench {
    url: String,
    requests_per_endpoint: usize,
    endpoints: Vec<EndpointLatency>,
    #[serde(flatten)]
    overall: Percentiles,
}

/// Runs the measurement and prints one JSON object.
pub async fn run(args: ApiBenchArgs) -> anyhow::Result<ExitCode> {
    if args.n == 0 {
        return Err(AppError::Usage("--n must be at least 1".into()).into());
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(30))
        .build()
        .context("building the HTTP client")?;
    let base = args.url.trim_end_matches('/').to_string();
    let mut all = Vec::new();
    let mut endpoints = Vec::new();
    for path in PATHS {
        let url = format!("{base}{path}");
        let mut micros = Vec::with_capacity(args.n);
        let mut items = 0;
        for i in 0..WARMUP + args.n {
            let start = Instant::now();
            let response = client
                .get(&url)
                .bearer_auth(&args.token)
                .send()
                .await
                .with_context(|| format!("GET {url}"))?;
            let status = response.status();
            let body: serde_json::Value = response
                .json()
                .await
                .with_context(|| format!("GET {url}"))?;
            let took = start.elapsed().as_micros() as u64;
            if !status.is_success() {
                anyhow::bail!("GET {url}: {status}: {body}");
            }
            if i >= WARMUP {
                micros.push(took);
                items = body["items"].as_array().map_or(0, Vec::len);
            }
        }
        all.extend_from_slice(&micros);
        endpoints.push(EndpointLatency {
            path,
            items,
            latency: percentiles(micros),
        });
    }
    let result = ApiBench {
        url: args.url,
        requests_per_endpoint: args.n,
        endpoints,
        overall: percentiles(all),
    };
    println!("{}", serde_json::to_string(&result)?);
    Ok(ExitCode::SUCCESS)
}
