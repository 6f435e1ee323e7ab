//! `/review`: one queue of open approvals and exceptions, oldest first,
//! filtered by kind, role and workflow (a plain GET form). Each item shows
//! its run context and one decision form per option; a decision posts to
//! `/review/decide`, which calls the API's [`act_on_item`] (same role and
//! reason rules) and redirects back with a notice, or shows the refusal on
//! the item.

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use chrono::Utc;
use minijinja::context;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use storeops_domain::Role;
use storeops_store::{ItemFilter, ItemRow, ITEM_KINDS};

use super::links::encode_segment;
use super::render::{error_page, page};
use super::workflow_text::{due_text, when};
use crate::api::workflows::{act_on_item, may_review, open_items};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

use axum::http::Method;
use axum::routing::{get, post};

use super::pages::Page;
use crate::routes::Access;
/// The review queue and its decision form.
pub(super) const PAGES: &[Page] = &[
    Page {
        method: Method::GET,
        path: "/review",
        access: Access::Role(Role::Reviewer),
        nav: Some("Review"),
        templates: &[("review.html", include_str!("../../templates/review.html"))],
        handler: || get(show),
    },
    Page {
        method: Method::POST,
        path: "/review/decide",
        access: Access::Role(Role::Reviewer),
        nav: None,
        templates: &[],
        handler: || post(decide),
    },
];

/// Query of the queue page.
#[derive(Debug, Default, Deserialize)]
pub struct QueueParams {
    /// `approval` or `exception`.
    #[serde(default)]
    kind: String,
    /// Only items for this role.
    #[serde(default)]
    role: String,
    /// Only this workflow.
    #[serde(default)]
    workflow: String,
    /// Key of the item just decided (for the notice).
    #[serde(default)]
    decided: String,
}

/// A decision form.
#[derive(Debug, Deserialize)]
pub struct DecideForm {
    key: String,
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    workflow: String,
}

/// A refusal shown on the item it concerns.
struct Refusal {
    key: String,
    message: String,
    reason: String,
}

/// One decision button.
#[derive(Debug, Serialize)]
struct Choice {
    value: String,
    label: String,
}

/// `GET /review`.
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    query: Result<Query<QueueParams>, QueryRejection>,
) -> Response {
    match query {
        Ok(Query(params)) => render(&state, &caller, &params, None).await,
        Err(e) => error_page(Some(&caller), ApiError::bad_request("query", e.body_text())),
    }
}

/// `POST /review/decide`.
pub async fn decide(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    form: Result<Form<DecideForm>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(e) => {
            return error_page(Some(&caller), ApiError::bad_request("form", e.body_text()));
        }
    };
    let reason = Some(form.reason.as_str()).filter(|r| !r.trim().is_empty());
    let params = QueueParams {
        kind: form.kind,
        role: form.role,
        workflow: form.workflow,
        decided: String::new(),
    };
    match act_on_item(&state, &caller, &form.key, &form.decision, reason).await {
        Ok(item) => {
            let params = QueueParams {
                decided: item.key,
                ..params
            };
            Redirect::to(&queue_url(&params)).into_response()
        }
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let message = match &e.field {
                Some(field) => format!("{field}: {}", e.message),
                None => e.message,
            };
            let refusal = Refusal {
                key: form.key,
                message,
                reason: form.reason,
            };
            let mut response = render(&state, &caller, &params, Some(refusal)).await;
            if response.status().is_success() {
                *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            }
            response
        }
        Err(e) => error_page(Some(&caller), e),
    }
}

/// `/review` with the filters (and the notice) in `params`.
fn queue_url(params: &QueueParams) -> String {
    let pairs: Vec<(&str, &str)> = [
        ("kind", params.kind.as_str()),
        ("role", params.role.as_str()),
        ("workflow", params.workflow.as_str()),
        ("decided", params.decided.as_str()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    match serde_urlencoded::to_string(pairs) {
        Ok(query) if !query.is_empty() => format!("/review?{query}"),
        _ => "/review".to_string(),
    }
}

fn some(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// The queue page.
async fn render(
    state: &AppState,
    caller: &Caller,
    params: &QueueParams,
    refusal: Option<Refusal>,
) -> Response {
    match load(state, caller, params, refusal).await {
        Ok(ctx) => page(caller, "/review", "review.html", "Review queue", ctx),
        Err(e) => error_page(Some(caller), e),
    }
}

async fn load(
    state: &AppState,
    caller: &Caller,
    params: &QueueParams,
    refusal: Option<Refusal>,
) -> Result<minijinja::Value, ApiError> {
    let kind = some(&params.kind);
    if let Some(kind) = &kind {
        if !ITEM_KINDS.contains(&kind.as_str()) {
            return Err(ApiError::bad_request(
                "kind",
                format!("`{kind}` is not approval or exception"),
            ));
        }
    }
    let filter = ItemFilter {
        kind,
        role: some(&params.role),
        workflow: some(&params.workflow),
        status: Some("open".into()),
    };
    let items = open_items(state, filter).await?;
    let workflows: Vec<String> = state
        .store
        .workflows()
        .await?
        .into_iter()
        .map(|w| w.name)
        .collect();
    let notice = match some(&params.decided) {
        Some(key) => notice(state, &key).await?,
        None => None,
    };
    let now = Utc::now();
    let mut unplaced = refusal.as_ref().map(|r| r.message.clone());
    let views: Vec<minijinja::Value> = items
        .iter()
        .map(|item| {
            let here = refusal.as_ref().filter(|r| r.key == item.key);
            if here.is_some() {
                unplaced = None;
            }
            item_view(caller, item, here, now)
        })
        .collect();
    Ok(context! {
        items => views,
        notice => notice,
        error => unplaced,
        kinds => ITEM_KINDS,
        roles => Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        workflows => workflows,
        chosen => context! { kind => params.kind, role => params.role, workflow => params.workflow },
    })
}

/// "Approved a1/review/0" for a closed item.
async fn notice(state: &AppState, key: &str) -> Result<Option<String>, ApiError> {
    let Some(item) = state.store.item(key).await? else {
        return Ok(None);
    };
    let Some(decision) = item.decision.filter(|_| item.status == "closed") else {
        return Ok(None);
    };
    let done = match decision.as_str() {
        "approve" => "Approved".to_string(),
        "reject" => "Rejected".to_string(),
        "retry" => "Retried".to_string(),
        "skip" => "Skipped".to_string(),
        "cancel" => "Cancelled the run of".to_string(),
        other => format!("Decided `{other}` on"),
    };
    Ok(Some(format!("{done} {}", item.key)))
}

/// The decisions an item offers (the runtime's rule; none, and an error
/// logged naming the item, when its stored options are unreadable).
fn choices(item: &ItemRow) -> Vec<Choice> {
    let values = storeops_runtime::review::choices(item).unwrap_or_else(|e| {
        tracing::error!(item = %item.key, error = %e, "review item without readable options");
        Vec::new()
    });
    values
        .into_iter()
        .map(|value| {
            let label = match value.as_str() {
                "cancel" => "Cancel run".to_string(),
                other => {
                    let mut chars = other.chars();
                    chars.next().map_or_else(String::new, |first| {
                        first.to_uppercase().chain(chars).collect::<String>()
                    })
                }
            }
            .replace('_', " ");
            Choice { value, label }
        })
        .collect()
}

/// Pretty JSON of `value`.
fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// One queue item for the template.
fn item_view(
    caller: &Caller,
    item: &ItemRow,
    refusal: Option<&Refusal>,
    now: chrono::DateTime<Utc>,
) -> minijinja::Value {
    let context: Value = serde_json::from_str(&item.context).unwrap_or(Value::Null);
    let outputs: Vec<minijinja::Value> = context["outputs"]
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(step, output)| context! { step, output => pretty(output) })
                .collect()
        })
        .unwrap_or_default();
    let failures = match &context["failures"] {
        Value::Null => None,
        Value::Object(o) if o.is_empty() => None,
        Value::Array(a) if a.is_empty() => None,
        other => Some(pretty(other)),
    };
    context! {
        key => item.key,
        kind => item.kind,
        workflow => item.workflow,
        step => item.step,
        title => item.title,
        role => item.role,
        run_id => item.run_id,
        run_href => format!("/runs/{}", encode_segment(&item.run_id)),
        created => when(&item.created_at),
        due => item.due_at.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        due_text => item.due_at.map(|d| due_text(d, now)),
        overdue => item.due_at.is_some_and(|d| d < now),
        input => pretty(&context["input"]),
        outputs => outputs,
        failures => failures,
        choices => choices(item),
        may => may_review(caller, item).is_ok(),
        error => refusal.map(|r| r.message.clone()),
        reason => refusal.map(|r| r.reason.clone()).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_urls_keep_filters() {
        let params = QueueParams {
            kind: "approval".into(),
            workflow: "re fund".into(),
            decided: "a1/review/0".into(),
            ..QueueParams::default()
        };
        assert_eq!(
            queue_url(&params),
            "/review?kind=approval&workflow=re+fund&decided=a1%2Freview%2F0"
        );
        assert_eq!(queue_url(&QueueParams::default()), "/review");
    }
}
