//! The review queue over the API: open approvals and exceptions, and one
//! endpoint to decide or resolve an item (the caller's role must allow the
//! item's role; a rejection needs a reason).

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{json, Value};
use storeops_domain::Role;
use storeops_store::ItemFilter;

use super::workflows::{act_on_item, caller, open_items};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::routes::{Access, Routes};
use crate::state::AppState;

/// Registers the review routes.
pub fn routes(routes: Routes) -> Routes {
    routes
        .api(Access::Role(Role::Reviewer), utoipa_axum::routes!(list))
        .api(Access::Role(Role::Reviewer), utoipa_axum::routes!(decide))
}

/// Queue filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// `approval` or `exception` (default both).
    pub kind: Option<String>,
    /// Only items for this role.
    pub role: Option<String>,
    /// Only this workflow.
    pub workflow: Option<String>,
}

/// Open review items, oldest first.
#[utoipa::path(get, path = "/api/v1/review", tag = "review", params(QueueParams),
    responses((status = 200, description = "`{\"items\": [item…]}`", body = Value),
              (status = 400, description = "Bad parameter", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    query: Result<Query<QueueParams>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(params) = query.map_err(|e| ApiError::bad_request("query", e.body_text()))?;
    if let Some(kind) = &params.kind {
        if kind != "approval" && kind != "exception" {
            return Err(ApiError::bad_request(
                "kind",
                format!("`{kind}` is not approval or exception"),
            ));
        }
    }
    let items = open_items(
        &state,
        ItemFilter {
            kind: params.kind,
            role: params.role,
            workflow: params.workflow,
            status: Some("open".into()),
        },
    )
    .await?;
    Ok(Json(json!({ "items": items })))
}

/// A decision on one item.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decide {
    /// The item's key.
    pub key: String,
    /// Approvals: one of the item's options; exceptions: retry, skip or cancel.
    pub decision: String,
    /// Why (required to reject).
    pub reason: Option<String>,
}

/// Decides an approval or resolves an exception; the run continues.
#[utoipa::path(post, path = "/api/v1/review/decide", tag = "review", request_body = Decide,
    responses((status = 200, description = "The closed item", body = Value),
              (status = 403, description = "The item needs a higher role", body = ErrorBody),
              (status = 404, description = "Unknown item", body = ErrorBody),
              (status = 422, description = "Not an option, missing reason, or already closed", body = ErrorBody)))]
async fn decide(
    State(state): State<AppState>,
    ext: Option<Extension<Caller>>,
    body: Result<Json<Decide>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let caller = caller(ext)?;
    let Json(body) = body.map_err(|e| ApiError::bad_request("body", e.body_text()))?;
    let item = act_on_item(
        &state,
        &caller,
        &body.key,
        &body.decision,
        body.reason.as_deref(),
    )
    .await?;
    Ok(Json(json!({ "item": item })))
}
