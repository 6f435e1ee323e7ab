//! `GET /readiness`: the data-readiness report — overall and area scores,
//! workflow verdicts with their reasons, and findings with fix text and the
//! affected ids linked to their record pages.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Extension;
use chrono::{NaiveDate, Utc};
use minijinja::{context, Value};
use serde::Deserialize;
use storeops_app::readiness::{midday, readiness};
use storeops_insights::{Finding, ReadinessReport, Severity, Verdict};

use super::links::{affected_kind, record_url};
use super::render::{error_page, page};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

use axum::http::Method;
use axum::routing::get;
use storeops_domain::Role;

use super::pages::Page;
use crate::routes::Access;
/// The readiness report.
pub(super) const PAGES: &[Page] = &[Page {
    method: Method::GET,
    path: "/readiness",
    access: Access::Role(Role::Viewer),
    nav: Some("Readiness"),
    templates: &[(
        "readiness.html",
        include_str!("../../templates/readiness.html"),
    )],
    handler: || get(show),
}];

/// Query string of the page.
#[derive(Debug, Default, Deserialize)]
pub struct ReadinessParams {
    /// Audit as of this date (YYYY-MM-DD; default today, UTC).
    pub as_of: Option<String>,
}

/// `GET /readiness`.
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    query: Result<Query<ReadinessParams>, QueryRejection>,
) -> Response {
    match load(&state, &caller, query).await {
        Ok(response) => response,
        Err(e) => error_page(Some(&caller), e),
    }
}

async fn load(
    state: &AppState,
    caller: &Caller,
    query: Result<Query<ReadinessParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = query.map_err(|e| ApiError::bad_request("query", e.body_text()))?;
    let day = as_of(params.as_of.as_deref())?;
    let report = readiness(&state.store, &state.config, midday(day)).await?;
    let report = report.truncated(state.config.max_listed_ids);
    Ok(page(
        caller,
        "/readiness",
        "readiness.html",
        "Data readiness",
        report_context(&report, day),
    ))
}

/// The audit date: `as_of` or today (UTC).
fn as_of(text: Option<&str>) -> Result<NaiveDate, ApiError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(Utc::now().date_naive()),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            ApiError::bad_request("as_of", format!("`{text}` is not a date (YYYY-MM-DD)"))
        }),
    }
}

/// Badge class of a 0–100 score.
fn score_class(score: u8) -> &'static str {
    match score {
        90..=100 => "ok",
        60..=89 => "warn",
        _ => "bad",
    }
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "bad",
        Severity::Medium => "warn",
        Severity::Low => "muted",
    }
}

fn verdict_class(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Ready => "ok",
        Verdict::NeedsWork => "warn",
        Verdict::Blocked => "bad",
    }
}

/// The template context of a (truncated) report.
fn report_context(report: &ReadinessReport, day: NaiveDate) -> Value {
    let areas: Vec<Value> = report
        .areas
        .iter()
        .map(|a| {
            context! {
                area => a.area.as_str(), score => a.score, class => score_class(a.score),
                checked => a.checked, findings => a.findings,
            }
        })
        .collect();
    let workflows: Vec<Value> = report
        .workflows
        .iter()
        .map(|w| {
            context! {
                workflow => w.workflow.as_str(), verdict => w.verdict.as_str().replace('_', " "),
                class => verdict_class(w.verdict), reasons => w.reasons,
            }
        })
        .collect();
    let findings: Vec<Value> = report.findings.iter().map(finding).collect();
    context! {
        as_of => day.to_string(),
        overall => report.overall_score,
        overall_class => score_class(report.overall_score),
        areas => areas,
        workflows => workflows,
        findings => findings,
    }
}

/// One finding with its ids linked.
fn finding(f: &Finding) -> Value {
    let kind = affected_kind(&f.check);
    let ids: Vec<Value> = f
        .ids
        .iter()
        .map(|id| context! { id => id, href => kind.map(|k| record_url(k, id)) })
        .collect();
    let more = f.count.saturating_sub(f.ids.len() as u64);
    context! {
        check => f.check, area => f.area.as_str(), severity => f.severity.as_str(),
        class => severity_class(f.severity), title => f.title, count => f.count,
        population => f.population, fix => f.fix, detail => f.detail, ids => ids, more => more,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn dates_and_classes() {
        assert_eq!(as_of(Some("2024-03-01")).unwrap().to_string(), "2024-03-01");
        assert_eq!(as_of(Some(" ")).unwrap(), Utc::now().date_naive());
        assert_eq!(
            as_of(Some("01/03/2024")).unwrap_err().field.as_deref(),
            Some("as_of")
        );
        assert_eq!(score_class(100), "ok");
        assert_eq!(score_class(75), "warn");
        assert_eq!(score_class(10), "bad");
        assert_eq!(verdict_class(Verdict::Blocked), "bad");
        assert_eq!(severity_class(Severity::Medium), "warn");
    }
}
