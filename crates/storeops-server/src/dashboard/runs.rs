//! `/runs`: recent runs, newest first, filtered by workflow and status,
//! with an "Older runs" link carrying the keyset cursor; `/runs/{id}`: one
//! run's header, the timeline of every history event (the API's
//! [`timeline`]) and the run's open review items.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Extension;
use chrono::{DateTime, Utc};
use minijinja::context;
use serde::Deserialize;
use storeops_store::{ItemFilter, RunCursor, RunFilter, RunRow, RUN_STATUSES};

use super::links::encode_segment;
use super::render::{error_page, page};
use super::workflow_text::{due_text, short_version, timeline_row, when};
use crate::api::workflows::{open_items, timeline};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

use axum::http::Method;
use axum::routing::get;
use storeops_domain::Role;

use super::pages::Page;
use crate::routes::Access;
/// Runs and one run's timeline.
pub(super) const PAGES: &[Page] = &[
    Page {
        method: Method::GET,
        path: "/runs",
        access: Access::Role(Role::Viewer),
        nav: Some("Runs"),
        templates: &[("runs.html", include_str!("../../templates/runs.html"))],
        handler: || get(list),
    },
    Page {
        method: Method::GET,
        path: "/runs/{id}",
        access: Access::Role(Role::Viewer),
        nav: None,
        templates: &[("run.html", include_str!("../../templates/run.html"))],
        handler: || get(show),
    },
];

/// Runs per page.
const RUNS_PAGE: u32 = 50;

/// Query of the runs page.
#[derive(Debug, Default, Deserialize)]
pub struct RunsParams {
    #[serde(default)]
    workflow: String,
    #[serde(default)]
    status: String,
    /// Cursor: `created_at` of the last run seen (RFC 3339) …
    #[serde(default)]
    before: String,
    /// … and its id.
    #[serde(default)]
    before_id: String,
}

/// Badge class of a run status.
pub fn status_badge(status: &str) -> &'static str {
    match status {
        "completed" => "ok",
        "failed" => "bad",
        "cancelled" | "waiting" => "warn",
        _ => "",
    }
}

fn some(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// Path of a run's page.
pub fn run_url(id: &str) -> String {
    format!("/runs/{}", encode_segment(id))
}

/// `GET /runs`.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    query: Result<Query<RunsParams>, QueryRejection>,
) -> Response {
    let result = match query {
        Ok(Query(params)) => load_list(&state, &params).await,
        Err(e) => Err(ApiError::bad_request("query", e.body_text())),
    };
    match result {
        Ok(ctx) => page(&caller, "/runs", "runs.html", "Runs", ctx),
        Err(e) => error_page(Some(&caller), e),
    }
}

async fn load_list(state: &AppState, params: &RunsParams) -> Result<minijinja::Value, ApiError> {
    let status = some(&params.status);
    if let Some(status) = &status {
        if !RUN_STATUSES.contains(&status.as_str()) {
            return Err(ApiError::bad_request(
                "status",
                format!("`{status}` is not one of {}", RUN_STATUSES.join(", ")),
            ));
        }
    }
    let before = match some(&params.before) {
        None => None,
        Some(at) => {
            let created_at = DateTime::parse_from_rfc3339(&at)
                .map_err(|_| ApiError::bad_request("before", format!("`{at}` is not a time")))?
                .with_timezone(&Utc);
            Some(RunCursor {
                created_at,
                id: params.before_id.clone(),
            })
        }
    };
    let runs = state
        .store
        .list_runs(&RunFilter {
            workflow: some(&params.workflow),
            status,
            limit: RUNS_PAGE,
            before,
        })
        .await?;
    let older = match runs.last() {
        Some(last) if runs.len() == RUNS_PAGE as usize => {
            let at = last
                .created_at
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
            let pairs = [
                ("workflow", params.workflow.as_str()),
                ("status", params.status.as_str()),
                ("before", at.as_str()),
                ("before_id", last.id.as_str()),
            ];
            serde_urlencoded::to_string(pairs)
                .ok()
                .map(|q| format!("/runs?{q}"))
        }
        _ => None,
    };
    let workflows: Vec<String> = state
        .store
        .workflows()
        .await?
        .into_iter()
        .map(|w| w.name)
        .collect();
    Ok(context! {
        runs => runs.iter().map(run_view).collect::<Vec<_>>(),
        older => older,
        first => some(&params.before).map(|_| "/runs"),
        statuses => RUN_STATUSES,
        workflows => workflows,
        chosen => context! { workflow => params.workflow, status => params.status },
    })
}

/// A run for the templates.
fn run_view(run: &RunRow) -> minijinja::Value {
    context! {
        id => run.id,
        href => run_url(&run.id),
        workflow => run.workflow,
        version => short_version(&run.version),
        mode => run.mode,
        status => run.status,
        badge => status_badge(&run.status),
        created => when(&run.created_at),
        updated => when(&run.updated_at),
        error => run.error,
    }
}

/// `GET /runs/{id}`.
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let result = match path {
        Ok(Path(id)) => load_run(&state, &id).await,
        Err(e) => Err(ApiError::bad_request("path", e.body_text())),
    };
    match result {
        Ok((title, ctx)) => page(&caller, "/runs", "run.html", &title, ctx),
        Err(e) => error_page(Some(&caller), e),
    }
}

async fn load_run(state: &AppState, id: &str) -> Result<(String, minijinja::Value), ApiError> {
    let run = state
        .store
        .run(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("run `{id}` does not exist")))?;
    let events = timeline(state, id).await?;
    let items = open_items(
        state,
        ItemFilter {
            workflow: Some(run.workflow.clone()),
            status: Some("open".into()),
            ..ItemFilter::default()
        },
    )
    .await?;
    let now = Utc::now();
    let items: Vec<minijinja::Value> = items
        .iter()
        .filter(|i| i.run_id == run.id)
        .map(|i| {
            context! {
                key => i.key,
                kind => i.kind,
                title => i.title,
                role => i.role,
                created => when(&i.created_at),
                due_text => i.due_at.map(|d| due_text(d, now)),
                due => i.due_at.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            }
        })
        .collect();
    let review = serde_urlencoded::to_string([("workflow", run.workflow.as_str())])
        .map(|q| format!("/review?{q}"))
        .unwrap_or_else(|_| "/review".into());
    let ctx = context! {
        run => run_view(&run),
        full_version => run.version,
        timeline => events.iter().map(timeline_row).collect::<Vec<_>>(),
        items => items,
        review => review,
    };
    Ok((format!("Run {}", run.id), ctx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_and_urls() {
        assert_eq!(status_badge("failed"), "bad");
        assert_eq!(status_badge("running"), "");
        assert_eq!(run_url("a 1/2"), "/runs/a%201%2F2");
    }
}
