//! `/workflows`: deployed workflows with their active version, mode, pause
//! switch and run counts by status. Operators get pause/resume forms and
//! admins a mode switch; the forms post to routes with the same least roles
//! as the API's (`/api/v1/workflows/{name}/pause|resume|mode`) and call the
//! same helpers, then redirect back with a notice.

use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use minijinja::context;
use serde::Deserialize;
use storeops_domain::Role;
use storeops_store::{MODES, RUN_STATUSES};

use super::links::encode_segment;
use super::render::{error_page, page};
use super::workflow_text::{short_version, when};
use crate::api::workflows::{change_mode, set_paused};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

use axum::http::Method;
use axum::routing::{get, post};

use super::pages::Page;
use crate::routes::Access;
/// Deployed workflows and their pause, resume and mode forms.
pub(super) const PAGES: &[Page] = &[
    Page {
        method: Method::GET,
        path: "/workflows",
        access: Access::Role(Role::Viewer),
        nav: Some("Workflows"),
        templates: &[(
            "workflows.html",
            include_str!("../../templates/workflows.html"),
        )],
        handler: || get(list),
    },
    Page {
        method: Method::POST,
        path: "/workflows/{name}/pause",
        access: Access::Role(Role::Operator),
        nav: None,
        templates: &[],
        handler: || post(pause),
    },
    Page {
        method: Method::POST,
        path: "/workflows/{name}/resume",
        access: Access::Role(Role::Operator),
        nav: None,
        templates: &[],
        handler: || post(resume),
    },
    Page {
        method: Method::POST,
        path: "/workflows/{name}/mode",
        access: Access::Role(Role::Admin),
        nav: None,
        templates: &[],
        handler: || post(mode),
    },
];

/// Query of the page: what was just changed.
#[derive(Debug, Default, Deserialize)]
pub struct Changed {
    /// `paused`, `resumed` or `mode`.
    #[serde(default)]
    done: String,
    /// Which workflow.
    #[serde(default)]
    name: String,
}

/// The mode form.
#[derive(Debug, Deserialize)]
pub struct ModeForm {
    mode: String,
}

/// `GET /workflows`.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    query: Result<Query<Changed>, QueryRejection>,
) -> Response {
    let changed = query.map(|Query(c)| c).unwrap_or_default();
    match load(&state, &caller, &changed).await {
        Ok(ctx) => page(&caller, "/workflows", "workflows.html", "Workflows", ctx),
        Err(e) => error_page(Some(&caller), e),
    }
}

async fn load(
    state: &AppState,
    caller: &Caller,
    changed: &Changed,
) -> Result<minijinja::Value, ApiError> {
    let workflows = state.store.workflows().await?;
    let triggers = state.store.trigger_counts_by_workflow().await?;
    let mut rows = Vec::with_capacity(workflows.len());
    let mut notice = None;
    for w in &workflows {
        let counts = state.store.count_runs_by_status(Some(&w.name)).await?;
        let count = |status: &str| {
            counts
                .iter()
                .find(|(s, _)| s == status)
                .map_or(0, |(_, n)| *n)
        };
        if w.name == changed.name {
            notice = match changed.done.as_str() {
                "paused" => Some(format!("Paused {}", w.name)),
                "resumed" => Some(format!("Resumed {}", w.name)),
                "mode" => Some(format!("{} now starts runs in mode {}", w.name, w.mode)),
                _ => None,
            };
        }
        rows.push(context! {
            name => w.name,
            path => encode_segment(&w.name),
            runs_href => serde_urlencoded::to_string([("workflow", w.name.as_str())])
                .map(|q| format!("/runs?{q}")).unwrap_or_default(),
            version => short_version(&w.active_version),
            full_version => w.active_version,
            mode => w.mode,
            paused => w.paused,
            updated => when(&w.updated_at),
            counts => RUN_STATUSES.iter().map(|s| count(s)).collect::<Vec<_>>(),
            triggers => triggers
                .get(&w.name)
                .into_iter()
                .flatten()
                .map(|(outcome, n)| format!("{} {n}", outcome.replace('_', " ")))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(context! {
        workflows => rows,
        statuses => RUN_STATUSES,
        modes => MODES,
        notice => notice,
        operator => caller.role.allows(Role::Operator),
        admin => caller.role.allows(Role::Admin),
    })
}

/// Back to the list, saying what changed.
fn back(done: &str, name: &str) -> Response {
    let query = serde_urlencoded::to_string([("done", done), ("name", name)]).unwrap_or_default();
    Redirect::to(&format!("/workflows?{query}")).into_response()
}

/// The workflow name from the path.
fn name_of(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(name)| name)
        .map_err(|e| ApiError::bad_request("path", e.body_text()))
}

/// `POST /workflows/{name}/pause`.
pub async fn pause(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    switch(&state, &caller, path, true).await
}

/// `POST /workflows/{name}/resume`.
pub async fn resume(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    switch(&state, &caller, path, false).await
}

async fn switch(
    state: &AppState,
    caller: &Caller,
    path: Result<Path<String>, PathRejection>,
    paused: bool,
) -> Response {
    let name = match name_of(path) {
        Ok(name) => name,
        Err(e) => return error_page(Some(caller), e),
    };
    match set_paused(state, caller, &name, paused, None).await {
        Ok(()) => back(if paused { "paused" } else { "resumed" }, &name),
        Err(e) => error_page(Some(caller), e),
    }
}

/// `POST /workflows/{name}/mode`.
pub async fn mode(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    form: Result<Form<ModeForm>, FormRejection>,
) -> Response {
    let name = match name_of(path) {
        Ok(name) => name,
        Err(e) => return error_page(Some(&caller), e),
    };
    let result = match form {
        Ok(Form(form)) => change_mode(&state, &caller, &name, &form.mode, None).await,
        Err(e) => Err(ApiError::bad_request("form", e.body_text())),
    };
    match result {
        Ok(()) => back("mode", &name),
        Err(e) => error_page(Some(&caller), e),
    }
}
