//! Actions API: the registered actions (`GET /api/v1/actions`, one with
//! `GET /api/v1/actions/{name}`) and one action run outside a workflow
//! (`POST /api/v1/actions/{name}`) through the same use case as
//! `storeops action run` (`storeops_runtime::call`): the caller's role
//! decides (viewer for read-only actions, operator for side-effecting ones,
//! dry runs too), the input is checked against the action's schema, and the
//! call is audited on chain `actions` with the caller as actor.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{json, Value};
use storeops_domain::Role;
use storeops_runtime::call::{call_action, Call, CallError};

use super::workflows::caller;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::routes::{Access, Routes};
use crate::state::AppState;

/// Registers the action routes (the use case checks the role per action).
pub fn routes(routes: Routes) -> Routes {
    routes
        .api(
            Access::Role(Role::Viewer),
            utoipa_axum::routes!(list_actions),
        )
        .api(
            Access::Role(Role::Viewer),
            utoipa_axum::routes!(get_action, run_action),
        )
}

/// Every registered action.
#[utoipa::path(get, path = "/api/v1/actions", tag = "actions",
    responses((status = 200, description = "`{\"actions\": [{name, side_effects, input_schema, output_schema, errors, doc}]}`", body = Value),
              (status = 401, description = "No credentials", body = ErrorBody)))]
async fn list_actions(State(state): State<AppState>) -> Json<Value> {
    let actions: Vec<Value> = state
        .registry
        .actions()
        .map(|a| storeops_actions::describe(a.spec()))
        .collect();
    Json(json!({ "actions": actions }))
}

/// One registered action.
#[utoipa::path(get, path = "/api/v1/actions/{name}", tag = "actions",
    params(("name" = String, Path, description = "Action name, e.g. `store.query`")),
    responses((status = 200, description = "`{name, side_effects, input_schema, output_schema, errors, doc}`", body = Value),
              (status = 404, description = "Unknown action (the message names the closest)", body = ErrorBody)))]
async fn get_action(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    match state.registry.get(&name) {
        Some(a) => Ok(Json(storeops_actions::describe(a.spec()))),
        None => Err(unknown(&state, &name)),
    }
}

/// One call of an action.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunAction {
    /// The action's input (checked against its input schema); default `{}`.
    #[schema(value_type = Object)]
    pub input: Option<Value>,
    /// Describe a side effect instead of performing it (shadow semantics).
    #[serde(default)]
    pub dry_run: bool,
    /// Handed to the action as its idempotency key (1–200 characters); fresh when null.
    pub idempotency_key: Option<String>,
}

/// Runs one action outside a workflow, audited on chain `actions`.
#[utoipa::path(post, path = "/api/v1/actions/{name}", tag = "actions",
    params(("name" = String, Path, description = "Action name, e.g. `store.query`")),
    request_body = RunAction,
    responses((status = 200, description = "`{\"action\", \"output\", \"dry_run\", \"idempotency_key\", \"audit_entry\"}`", body = Value),
              (status = 403, description = "A side-effecting action needs the operator role", body = ErrorBody),
              (status = 404, description = "Unknown action, or the record the action needs (`not_found`)", body = ErrorBody),
              (status = 422, description = "Input does not match the action's schema (`field` names it)", body = ErrorBody),
              (status = 502, description = "The action failed (`code` is its error kind)", body = ErrorBody)))]
async fn run_action(
    State(state): State<AppState>,
    Path(name): Path<String>,
    ext: Option<Extension<Caller>>,
    body: Result<Json<RunAction>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let caller = caller(ext)?;
    let Json(body) = body.map_err(|e| ApiError::bad_request("body", e.body_text()))?;
    let call = Call {
        action: name.clone(),
        input: body.input.unwrap_or_else(|| json!({})),
        dry_run: body.dry_run,
        idempotency_key: body.idempotency_key,
        actor: format!("user:{}", caller.name),
        role: caller.role,
    };
    let called = call_action(&state.store, &state.registry, call, chrono::Utc::now())
        .await
        .map_err(|e| match e {
            CallError::Unknown { .. } => unknown(&state, &name),
            e @ CallError::Forbidden { .. } => ApiError::forbidden(e.to_string()),
            CallError::Invalid { field, message } => ApiError::invalid(&field, message),
            CallError::Failed(e) => ApiError::action_failed(&e.kind, e.message),
            CallError::Store(e) => e.into(),
        })?;
    Ok(Json(json!(called)))
}

fn unknown(state: &AppState, name: &str) -> ApiError {
    let hint = state
        .registry
        .closest(name)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default();
    ApiError::new(
        StatusCode::NOT_FOUND,
        "unknown_action",
        format!("unknown action `{name}`{hint}"),
    )
    .with_field("name")
}
