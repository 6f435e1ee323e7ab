//! A workflow's own inbound webhook (`trigger: { webhook: {} }`):
//! `POST /webhooks/workflows/{name}`, signed like a generic webhook with the
//! secrets configured for source `<name>` in `webhooks.generic_secrets`. The
//! JSON body is the run's input; the run id is `hook-<name>-<delivery id>`
//! (delivery id from `X-Storeops-Event-Id`, else the body's SHA-256), so a
//! redelivery starts nothing new.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};
use storeops_engine::TriggerSpec;
use storeops_runtime::Submission;

use super::{delivery_id, read_body, verify_generic_source};
use crate::error::ApiError;
use crate::state::AppState;

/// Starts a run of a webhook-triggered workflow.
#[utoipa::path(post, path = "/webhooks/workflows/{name}", tag = "webhooks",
    request_body(content = Value, description = "The run's input (JSON)"),
    params(
        ("name" = String, Path, description = "Workflow with `trigger: { webhook: {} }`; its secrets are webhooks.generic_secrets of source <name>"),
        ("X-Storeops-Signature" = String, Header, description = "t=<unix>,v1=<hex hmac>"),
        ("X-Storeops-Event-Id" = Option<String>, Header, description = "delivery id"),
    ),
    responses(
        (status = 202, description = "`{\"run_id\", \"new\"}` (new false for a redelivery)", body = Value),
        (status = 401, description = "Bad, expired or missing signature", body = crate::error::ErrorBody),
        (status = 404, description = "No webhook-triggered workflow of that name", body = crate::error::ErrorBody),
        (status = 409, description = "The workflow is off", body = crate::error::ErrorBody),
        (status = 413, description = "Body too large", body = crate::error::ErrorBody),
        (status = 422, description = "Body is not JSON, or out of the workflow's scope", body = crate::error::ErrorBody)))]
pub(crate) async fn workflow_hook(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body = read_body(&state, body)?;
    verify_generic_source(&state, "workflow", &name, &headers, &body)?;
    let not_found = || ApiError::not_found(format!("no webhook-triggered workflow `{name}`"));
    let row = state.store.workflow(&name).await?.ok_or_else(not_found)?;
    let plan =
        storeops_runtime::launch::load_plan(&state.store, &row.name, &row.active_version).await?;
    if plan.launch.trigger != TriggerSpec::Webhook {
        return Err(not_found());
    }
    let input: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::invalid("body", format!("body is not JSON: {e}")))?;
    let delivery = delivery_id(&headers, &body);
    let submission = Submission {
        id: Some(format!("hook-{name}-{delivery}")),
        input,
    };
    let started = state.submissions.submit(name, submission).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"run_id": started.id, "new": started.new})),
    ))
}
