//! Signed webhook ingestion: Shopify, WooCommerce and generic sources.
//!
//! Each handler checks the signature over the raw body first (401 and
//! nothing stored when it fails), reads topic and delivery id from the
//! headers, maps the payload into domain records (`storeops-webhooks`) and
//! hands event + records to the group-commit [`IngestQueue`]; the 200 goes
//! out only after the commit. A redelivery (same source and delivery id) is
//! answered 200 and stored once. Unknown topics, bodies that are not JSON
//! and payloads of the wrong shape are stored raw with their status, never
//! dropped.

mod queue;
mod rates;
mod workflow_hook;

use workflow_hook::{__path_workflow_hook, workflow_hook};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use storeops_app::server_config::Secret;
use storeops_domain::{Event, EventStatus};
use storeops_store::Ingest;
use storeops_webhooks::{MapOptions, Mapped, SignatureError};

pub use queue::IngestQueue;
pub use rates::IngestStats;

use crate::error::ApiError;
use crate::metrics::{DUPLICATES, EVENTS, REFUSED};
use crate::routes::{Access, Routes};
use crate::state::AppState;

/// What happened to a delivery.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Receipt {
    /// `stored`, or `duplicate` for a delivery seen before.
    pub result: &'static str,
    /// What became of the event (`applied`, `unknown_topic`, `unparseable`, …).
    pub status: String,
    /// Why it could not be applied, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Registers the three webhook endpoints.
pub fn routes(routes: Routes) -> Routes {
    routes
        .api(Access::Signed, utoipa_axum::routes!(shopify))
        .api(Access::Signed, utoipa_axum::routes!(woocommerce))
        .api(Access::Signed, utoipa_axum::routes!(generic))
        .api(Access::Signed, utoipa_axum::routes!(workflow_hook))
}

/// A Shopify webhook (`X-Shopify-Hmac-Sha256` over the raw body).
#[utoipa::path(post, path = "/webhooks/shopify", tag = "webhooks",
    request_body(content = serde_json::Value, description = "Shopify webhook payload"),
    params(
        ("X-Shopify-Hmac-Sha256" = String, Header, description = "base64 HMAC-SHA256 of the body"),
        ("X-Shopify-Topic" = String, Header, description = "e.g. orders/create"),
        ("X-Shopify-Webhook-Id" = String, Header, description = "delivery id (or X-Shopify-Event-Id)"),
    ),
    responses(
        (status = 200, description = "Stored (or a duplicate)", body = Receipt),
        (status = 400, description = "Missing topic or delivery id", body = crate::error::ErrorBody),
        (status = 401, description = "Bad or missing signature; nothing stored", body = crate::error::ErrorBody),
        (status = 413, description = "Body too large", body = crate::error::ErrorBody),
        (status = 503, description = "Not stored; retry", body = crate::error::ErrorBody)))]
async fn shopify(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Receipt>, ApiError> {
    let body = read_body(&state, body)?;
    let secrets = &state.server.webhooks.shopify;
    let checked = storeops_webhooks::verify_shopify(
        &exposed(secrets),
        &body,
        header(&headers, "x-shopify-hmac-sha256"),
    );
    verified("shopify", checked)?;
    let topic = required(&headers, "X-Shopify-Topic")?;
    let id = header(&headers, "x-shopify-webhook-id")
        .or_else(|| header(&headers, "x-shopify-event-id"))
        .ok_or_else(|| {
            ApiError::bad_request("X-Shopify-Webhook-Id", "X-Shopify-Webhook-Id is missing")
        })?;
    receive(
        &state,
        "shopify",
        topic,
        id,
        &body,
        storeops_webhooks::map_shopify_with,
    )
    .await
}

/// A WooCommerce webhook (`X-WC-Webhook-Signature` over the raw body).
#[utoipa::path(post, path = "/webhooks/woocommerce", tag = "webhooks",
    request_body(content = serde_json::Value, description = "WooCommerce webhook payload"),
    params(
        ("X-WC-Webhook-Signature" = String, Header, description = "base64 HMAC-SHA256 of the body"),
        ("X-WC-Webhook-Topic" = String, Header, description = "e.g. order.created"),
        ("X-WC-Webhook-Delivery-ID" = String, Header, description = "delivery id"),
    ),
    responses(
        (status = 200, description = "Stored (or a duplicate)", body = Receipt),
        (status = 400, description = "Missing topic or delivery id", body = crate::error::ErrorBody),
        (status = 401, description = "Bad or missing signature; nothing stored", body = crate::error::ErrorBody),
        (status = 413, description = "Body too large", body = crate::error::ErrorBody),
        (status = 503, description = "Not stored; retry", body = crate::error::ErrorBody)))]
async fn woocommerce(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Receipt>, ApiError> {
    let body = read_body(&state, body)?;
    let secrets = &state.server.webhooks.woocommerce;
    let checked = storeops_webhooks::verify_woocommerce(
        &exposed(secrets),
        &body,
        header(&headers, "x-wc-webhook-signature"),
    );
    verified("woocommerce", checked)?;
    let topic = required(&headers, "X-WC-Webhook-Topic")?;
    let id = required(&headers, "X-WC-Webhook-Delivery-ID")?;
    receive(
        &state,
        "woocommerce",
        topic,
        id,
        &body,
        storeops_webhooks::map_woocommerce_with,
    )
    .await
}

/// Any other system: `X-Storeops-Signature: t=<unix>,v1=<hex HMAC of "t.body">`,
/// accepted within `webhooks.tolerance_seconds`. Topic from `X-Storeops-Topic`
/// (default `event`), delivery id from `X-Storeops-Event-Id` (default: the
/// body's SHA-256, so a replayed body is a duplicate).
#[utoipa::path(post, path = "/webhooks/generic/{source}", tag = "webhooks",
    request_body(content = serde_json::Value, description = "Any JSON payload"),
    params(
        ("source" = String, Path, description = "Source name configured in webhooks.generic_secrets"),
        ("X-Storeops-Signature" = String, Header, description = "t=<unix>,v1=<hex hmac>"),
        ("X-Storeops-Topic" = Option<String>, Header, description = "topic"),
        ("X-Storeops-Event-Id" = Option<String>, Header, description = "delivery id"),
    ),
    responses(
        (status = 200, description = "Stored (or a duplicate)", body = Receipt),
        (status = 401, description = "Bad, expired or missing signature, or unknown source", body = crate::error::ErrorBody),
        (status = 413, description = "Body too large", body = crate::error::ErrorBody),
        (status = 503, description = "Not stored; retry", body = crate::error::ErrorBody)))]
async fn generic(
    State(state): State<AppState>,
    Path(source): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Receipt>, ApiError> {
    let body = read_body(&state, body)?;
    verify_generic_source(&state, "generic", &source, &headers, &body)?;
    let topic = header(&headers, "x-storeops-topic").unwrap_or("event");
    let id = delivery_id(&headers, &body);
    let source = format!("generic:{source}");
    receive(&state, &source, topic, &id, &body, |_, _, _, _| {
        Mapped::Records(Vec::new())
    })
    .await
}

/// Maps, stores and answers one verified delivery.
async fn receive(
    state: &AppState,
    source: &str,
    topic: &str,
    external_id: &str,
    body: &[u8],
    map: fn(&str, &serde_json::Value, DateTime<Utc>, &MapOptions) -> Mapped,
) -> Result<Json<Receipt>, ApiError> {
    let received_at = Utc::now();
    let options = MapOptions::with_currency(state.config.import_currency);
    let (payload, status, error, records) = match serde_json::from_slice(body) {
        Err(e) => (
            serde_json::Value::String(String::from_utf8_lossy(body).into_owned()),
            EventStatus::Unparseable,
            Some(format!("body is not JSON: {e}")),
            Vec::new(),
        ),
        Ok(payload) => match map(topic, &payload, received_at, &options) {
            Mapped::Records(records) if records.is_empty() => {
                (payload, EventStatus::Stored, None, records)
            }
            Mapped::Records(records) => (payload, EventStatus::Applied, None, records),
            Mapped::UnknownTopic => (payload, EventStatus::UnknownTopic, None, Vec::new()),
            Mapped::NeedsLookup { kind, reason } => (
                payload,
                EventStatus::NeedsLookup,
                Some(format!("{kind}: {reason}")),
                Vec::new(),
            ),
            Mapped::Invalid(e) => (
                payload,
                EventStatus::Invalid,
                Some(format!("{}: {}", e.field, e.message)),
                Vec::new(),
            ),
        },
    };
    let event = Event {
        source: source.to_string(),
        topic: topic.to_string(),
        external_id: external_id.to_string(),
        payload,
        received_at,
        status,
        error: error.clone(),
    };
    let item = Ingest::new(event, records)
        .map_err(|e| ApiError::internal("encoding a webhook event", &e))?;
    let new = state.ingest.submit(item).await?;
    let source_label = source.split(':').next().unwrap_or(source).to_string();
    if new {
        metrics::counter!(EVENTS, "source" => source_label, "topic" => topic.to_string(), "status" => status.as_str())
            .increment(1);
    } else {
        metrics::counter!(DUPLICATES, "source" => source_label).increment(1);
    }
    Ok(Json(Receipt {
        result: if new { "stored" } else { "duplicate" },
        status: status.as_str().to_string(),
        error,
    }))
}

/// The body, or 413 when it passed the size limit.
fn read_body(state: &AppState, body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(state.server.max_body_bytes as u64)
        } else {
            ApiError::bad_request("body", rejection.body_text())
        }
    })
}

/// 401 for a failed signature check, counted; the reason is logged at
/// debug level only (it never contains the secret).
fn verified(source: &'static str, checked: Result<(), SignatureError>) -> Result<(), ApiError> {
    checked.map_err(|e| {
        metrics::counter!(REFUSED, "source" => source).increment(1);
        tracing::debug!(source, reason = %e, "webhook refused");
        ApiError::unauthorized(format!("webhook signature refused: {e}"))
    })
}

/// Checks the generic-scheme signature of `body` against the secrets of
/// `source` in `webhooks.generic_secrets` (none configured: refused);
/// refusals are counted under `label`.
fn verify_generic_source(
    state: &AppState,
    label: &'static str,
    source: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), ApiError> {
    let webhooks = &state.server.webhooks;
    let secrets = webhooks
        .generic
        .get(source)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let checked = storeops_webhooks::verify_generic(
        &exposed(secrets),
        body,
        header(headers, "x-storeops-signature"),
        Utc::now().timestamp(),
        webhooks.tolerance_seconds,
    );
    verified(label, checked)
}

/// The delivery id: `X-Storeops-Event-Id`, else the body's SHA-256 (so a
/// replayed body is the same delivery).
fn delivery_id(headers: &HeaderMap, body: &[u8]) -> String {
    header(headers, "x-storeops-event-id").map_or_else(
        || format!("sha256:{}", crate::auth::secrets::hash_bytes(body)),
        str::to_string,
    )
}

fn exposed(secrets: &[Secret]) -> Vec<&[u8]> {
    secrets.iter().map(|s| s.expose().as_bytes()).collect()
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// A header that must be present (400 naming it otherwise).
fn required<'a>(headers: &'a HeaderMap, name: &str) -> Result<&'a str, ApiError> {
    header(headers, &name.to_ascii_lowercase())
        .ok_or_else(|| ApiError::bad_request(name, format!("{name} is missing")))
}
