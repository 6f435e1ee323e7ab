//! Prometheus metrics: request counts and latency by route and status,
//! webhook events by source/topic/status, database pool sizes; rendered at
//! `/metrics` in the Prometheus text format.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::{from_fn, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::routes::{Access, Routes};
use crate::state::AppState;

/// Request latency histogram.
const REQUEST_SECONDS: &str = "storeops_http_request_duration_seconds";
/// Request counter.
const REQUESTS: &str = "storeops_http_requests_total";
/// Webhook events stored, by source, topic and status.
pub const EVENTS: &str = "storeops_events_ingested_total";
/// Webhook deliveries recognised as duplicates, by source.
pub const DUPLICATES: &str = "storeops_events_duplicate_total";
/// Webhook deliveries refused for their signature, by source.
pub const REFUSED: &str = "storeops_webhooks_refused_total";

/// Latency buckets in seconds (1 ms … 10 s).
const BUCKETS: &[f64] = &[
    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// The process-wide recorder (installed once, shared by every app).
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new();
        let builder = builder
            .set_buckets_for_metric(Matcher::Full(REQUEST_SECONDS.to_string()), BUCKETS)
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was installed already; /metrics may be empty");
        }
        handle
    })
}

/// Adds request metrics, request tracing and panic → 500 to every route.
pub fn layer(router: Router<AppState>) -> Router<AppState> {
    handle();
    router
        .layer(from_fn(track))
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::new())
}

/// Counts and times one request under its route template.
async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = request.method().to_string();
    let start = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!(REQUESTS, &labels).increment(1);
    metrics::histogram!(REQUEST_SECONDS, &labels).record(start.elapsed().as_secs_f64());
    response
}

/// Registers `/metrics`.
pub fn routes(routes: Routes) -> Routes {
    routes.api(Access::Metrics, utoipa_axum::routes!(metrics_text))
}

/// Prometheus metrics.
#[utoipa::path(get, path = "/metrics", tag = "health",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
async fn metrics_text(State(state): State<AppState>) -> impl IntoResponse {
    let pools = state.store.pool_stats();
    metrics::gauge!("storeops_db_pool_connections", "pool" => "writer")
        .set(f64::from(pools.writer_size));
    metrics::gauge!("storeops_db_pool_idle", "pool" => "writer").set(f64::from(pools.writer_idle));
    metrics::gauge!("storeops_db_pool_connections", "pool" => "reader")
        .set(f64::from(pools.reader_size));
    metrics::gauge!("storeops_db_pool_idle", "pool" => "reader").set(f64::from(pools.reader_idle));
    metrics::gauge!("storeops_ingest_queue_depth").set(state.ingest.depth() as f64);
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle().render(),
    )
}
