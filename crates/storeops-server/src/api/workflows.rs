//! Workflow API: deployed workflows (list, mode, kill switch, moving runs
//! between versions), starting runs, runs with their timelines, and the
//! review queue (approvals and exceptions) — the same operations as the CLI, through
//! `storeops-runtime`, so every interface checks the same rules.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{json, Value};
use storeops_domain::Role;
use storeops_runtime::control;
use storeops_runtime::review;
use storeops_runtime::Submission;
use storeops_store::{ItemFilter, RunFilter};

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::routes::{Access, Routes};
use crate::state::AppState;

/// Registers the workflow routes.
pub fn routes(routes: Routes) -> Routes {
    let routes = routes
        .api(
            Access::Role(Role::Viewer),
            utoipa_axum::routes!(list_workflows),
        )
        .api(
            Access::Role(Role::Operator),
            utoipa_axum::routes!(start_run),
        )
        .api(Access::Role(Role::Operator), utoipa_axum::routes!(pause))
        .api(Access::Role(Role::Operator), utoipa_axum::routes!(resume))
        .api(Access::Role(Role::Operator), utoipa_axum::routes!(migrate))
        .api(Access::Role(Role::Admin), utoipa_axum::routes!(set_mode))
        .api(Access::Role(Role::Viewer), utoipa_axum::routes!(list_runs))
        .api(Access::Role(Role::Viewer), utoipa_axum::routes!(get_run));
    super::review::routes(routes)
}

fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(b)| b)
        .map_err(|e| ApiError::bad_request("body", e.body_text()))
}

/// Deployed workflows with mode, pause state, active version and trigger
/// counts by outcome (`started`, `filtered`, `out_of_scope`, `paused`, `error`).
#[utoipa::path(get, path = "/api/v1/workflows", tag = "workflows",
    responses((status = 200, description = "`{\"items\": [workflow… with \"triggers\": {outcome: count}]}`", body = Value),
              (status = 401, description = "No credentials", body = ErrorBody)))]
async fn list_workflows(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let workflows = state.store.workflows().await?;
    let counts = state.store.trigger_counts_by_workflow().await?;
    let items: Vec<Value> = workflows
        .into_iter()
        .map(|w| {
            let mut item = json!(w);
            item["triggers"] = json!(counts.get(&w.name).cloned().unwrap_or_default());
            item
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// A run to start.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRun {
    /// Run id; the same id starts one run (idempotent). Random when absent.
    pub id: Option<String>,
    /// Trigger input (default `{}`).
    pub input: Option<Value>,
}

/// Starts a run on the workflow's active version and mode; answers once
/// the start is durable.
#[utoipa::path(post, path = "/api/v1/workflows/{name}/runs", tag = "workflows",
    params(("name" = String, Path, description = "Workflow name")),
    request_body = StartRun,
    responses((status = 202, description = "`{\"id\", \"new\"}`; `new` is false for a repeated id", body = Value),
              (status = 404, description = "Unknown workflow", body = ErrorBody),
              (status = 409, description = "Workflow is off", body = ErrorBody),
              (status = 422, description = "Bad id", body = ErrorBody)))]
async fn start_run(
    State(state): State<AppState>,
    Path(name): Path<String>,
    body: Result<Json<StartRun>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body = json_body(body)?;
    let submission = Submission {
        id: body.id,
        input: body.input.unwrap_or_else(|| json!({})),
    };
    let started = state.submissions.submit(name, submission).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"id": started.id, "new": started.new})),
    ))
}

/// Kill switch: no new runs; running ones stop at their next step.
#[utoipa::path(post, path = "/api/v1/workflows/{name}/pause", tag = "workflows",
    params(("name" = String, Path, description = "Workflow name")),
    responses((status = 200, description = "`{\"name\", \"paused\": true}`", body = Value),
              (status = 404, description = "Unknown workflow", body = ErrorBody)))]
async fn pause(
    State(state): State<AppState>,
    Path(name): Path<String>,
    ext: Option<Extension<Caller>>,
) -> Result<Json<Value>, ApiError> {
    set_paused(&state, &caller(ext)?, &name, true, None).await?;
    Ok(Json(json!({"name": name, "paused": true})))
}

/// Lets a paused workflow continue.
#[utoipa::path(post, path = "/api/v1/workflows/{name}/resume", tag = "workflows",
    params(("name" = String, Path, description = "Workflow name")),
    responses((status = 200, description = "`{\"name\", \"paused\": false}`", body = Value),
              (status = 404, description = "Unknown workflow", body = ErrorBody)))]
async fn resume(
    State(state): State<AppState>,
    Path(name): Path<String>,
    ext: Option<Extension<Caller>>,
) -> Result<Json<Value>, ApiError> {
    set_paused(&state, &caller(ext)?, &name, false, None).await?;
    Ok(Json(json!({"name": name, "paused": false})))
}

/// Which runs to move where.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MigrateRuns {
    /// Only runs on this version (hash or unique prefix; default: every
    /// version but the target).
    pub from: Option<String>,
    /// Target version (hash or unique prefix; default: the active one).
    pub to: Option<String>,
    /// Check only; change nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Moves the workflow's unfinished runs to another version, each checked
/// (every step it touched exists in the target with the same kind) and
/// written only while no worker holds it; the others are listed with why.
#[utoipa::path(post, path = "/api/v1/workflows/{name}/migrate", tag = "workflows",
    params(("name" = String, Path, description = "Workflow name")),
    request_body = MigrateRuns,
    responses((status = 200, description = "`{\"workflow\", \"to\", \"dry_run\", \"migrated\", \"failed\", \"runs\": [{\"id\", \"from\", \"verdict\", \"reason\", \"step\"}]}`; `failed` > 0: some runs stayed where they were", body = Value),
              (status = 404, description = "Unknown workflow or version", body = ErrorBody),
              (status = 422, description = "Ambiguous version prefix", body = ErrorBody)))]
async fn migrate(
    State(state): State<AppState>,
    Path(name): Path<String>,
    ext: Option<Extension<Caller>>,
    body: Result<Json<MigrateRuns>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let caller = caller(ext)?;
    let body = json_body(body)?;
    let actor = format!("user:{}", caller.name);
    let request = storeops_runtime::MigrateRequest {
        workflow: &name,
        from: body.from.as_deref(),
        to: body.to.as_deref(),
        dry_run: body.dry_run,
        actor: &actor,
    };
    let migration = storeops_runtime::migrate(&state.store, &request, chrono::Utc::now()).await?;
    Ok(Json(json!(migration)))
}

/// A mode switch.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetMode {
    /// `off`, `shadow` or `live`.
    pub mode: String,
    /// Why (recorded in the audit entry of the change).
    pub reason: Option<String>,
}

/// Switches the mode new runs start in.
#[utoipa::path(put, path = "/api/v1/workflows/{name}/mode", tag = "workflows",
    params(("name" = String, Path, description = "Workflow name")),
    request_body = SetMode,
    responses((status = 200, description = "`{\"name\", \"mode\"}`", body = Value),
              (status = 404, description = "Unknown workflow", body = ErrorBody),
              (status = 422, description = "Unknown mode", body = ErrorBody)))]
async fn set_mode(
    State(state): State<AppState>,
    Path(name): Path<String>,
    ext: Option<Extension<Caller>>,
    body: Result<Json<SetMode>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let body = json_body(body)?;
    let caller = caller(ext)?;
    change_mode(&state, &caller, &name, &body.mode, body.reason.as_deref()).await?;
    Ok(Json(json!({"name": name, "mode": body.mode})))
}

/// Pauses or resumes workflow `name` as `caller` (audited; a resume wakes
/// the workers); 404 for an unknown name. Shared by the API and the dashboard.
pub async fn set_paused(
    state: &AppState,
    caller: &Caller,
    name: &str,
    paused: bool,
    reason: Option<&str>,
) -> Result<(), ApiError> {
    let actor = format!("user:{}", caller.name);
    let by = control::By::now(&actor, reason);
    control::set_paused(&state.store, name, paused, by).await?;
    if !paused {
        state.workflow_wake.notify_one();
    }
    Ok(())
}

/// Switches the mode new runs of `name` start in (`off`, `shadow`, `live`)
/// as `caller`, audited.
pub async fn change_mode(
    state: &AppState,
    caller: &Caller,
    name: &str,
    mode: &str,
    reason: Option<&str>,
) -> Result<(), ApiError> {
    let actor = format!("user:{}", caller.name);
    let by = control::By::now(&actor, reason);
    control::set_mode(&state.store, name, mode, by).await?;
    Ok(())
}

/// Run filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunParams {
    /// Only this workflow.
    pub workflow: Option<String>,
    /// Only this status (running, waiting, completed, failed, cancelled).
    pub status: Option<String>,
    /// At most this many (1..=500, default 50).
    pub limit: Option<u32>,
}

/// Runs, newest first.
#[utoipa::path(get, path = "/api/v1/runs", tag = "workflows", params(RunParams),
    responses((status = 200, description = "`{\"items\": [run…]}`", body = Value),
              (status = 400, description = "Bad parameter", body = ErrorBody)))]
async fn list_runs(
    State(state): State<AppState>,
    query: Result<Query<RunParams>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(params) = query.map_err(|e| ApiError::bad_request("query", e.body_text()))?;
    let limit = params.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::bad_request(
            "limit",
            format!("`{limit}` is not in 1..=500"),
        ));
    }
    let runs = state
        .store
        .list_runs(&RunFilter {
            workflow: params.workflow,
            status: params.status,
            limit,
            before: None,
        })
        .await?;
    Ok(Json(json!({ "items": runs })))
}

/// One run and its timeline (every history event, in order).
#[utoipa::path(get, path = "/api/v1/runs/{id}", tag = "workflows",
    params(("id" = String, Path, description = "Run id")),
    responses((status = 200, description = "`{\"run\", \"timeline\"}`", body = Value),
              (status = 404, description = "Unknown run", body = ErrorBody)))]
async fn get_run(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let run = state
        .store
        .run(&id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("run `{id}` does not exist")))?;
    let timeline = timeline(&state, &id).await?;
    Ok(Json(json!({ "run": run, "timeline": timeline })))
}

/// Every history event of run `id`, in order (an unreadable chunk is an
/// error naming it).
pub async fn timeline(
    state: &AppState,
    id: &str,
) -> Result<Vec<storeops_engine::HistoryEvent>, ApiError> {
    Ok(storeops_runtime::timeline::history(&state.store, id).await?)
}

/// Checks that `caller` may act on `item` (the runtime's rule).
pub fn may_review(caller: &Caller, item: &storeops_store::ItemRow) -> Result<(), ApiError> {
    if review::may_decide(caller.role, item)? {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "this item needs role {} or higher",
            item.role
        )))
    }
}

/// Open review items (approvals and exceptions).
pub async fn open_items(
    state: &AppState,
    filter: ItemFilter,
) -> Result<Vec<storeops_store::ItemRow>, ApiError> {
    Ok(state.store.list_items(&filter).await?)
}

/// Decides or resolves one item as `caller` (the runtime's rules, with the
/// caller's role), then wakes the workers.
pub async fn act_on_item(
    state: &AppState,
    caller: &Caller,
    key: &str,
    decision: &str,
    reason: Option<&str>,
) -> Result<storeops_store::ItemRow, ApiError> {
    let actor = format!("user:{}", caller.name);
    let by = review::Reviewer {
        actor: &actor,
        role: caller.role,
    };
    let closed =
        review::decide(&state.store, key, decision, by, reason, chrono::Utc::now()).await?;
    state.workflow_wake.notify_one();
    Ok(closed)
}

/// Rejects callers without a session or token (used by the review routes).
pub fn caller(ext: Option<Extension<Caller>>) -> Result<Caller, ApiError> {
    ext.map(|Extension(c)| c)
        .ok_or_else(|| ApiError::unauthorized("no credentials"))
}
