//! `GET /api/v1/readiness`: the data-readiness report over the store.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use storeops_app::readiness::{midday, readiness};
use storeops_domain::Role;
use storeops_insights::ReadinessReport;

use crate::error::{ApiError, ErrorBody};
use crate::routes::{Access, Routes};
use crate::state::AppState;

/// Report options.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadinessParams {
    /// Audit as of this date (YYYY-MM-DD; default today).
    pub as_of: Option<String>,
    /// Affected ids listed per finding (default `readiness.max_listed_ids`).
    pub max_ids: Option<String>,
}

/// Registers the report endpoint.
pub fn routes(routes: Routes) -> Routes {
    routes.api(Access::Role(Role::Viewer), utoipa_axum::routes!(report))
}

/// The data-readiness report: scores per area, verdicts per workflow, and
/// findings with fix text and affected record ids.
#[utoipa::path(get, path = "/api/v1/readiness", tag = "readiness", params(ReadinessParams),
    responses(
        (status = 200, description = "The report", body = serde_json::Value),
        (status = 400, description = "Bad as_of or max_ids", body = ErrorBody),
        (status = 401, description = "No credentials", body = ErrorBody)))]
async fn report(
    State(state): State<AppState>,
    query: Result<Query<ReadinessParams>, QueryRejection>,
) -> Result<Json<ReadinessReport>, ApiError> {
    let Query(params) = query.map_err(|e| ApiError::bad_request("query", e.body_text()))?;
    let day = match params.as_of.as_deref() {
        Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
            ApiError::bad_request("as_of", format!("`{text}` is not a date (YYYY-MM-DD)"))
        })?,
        None => Utc::now().date_naive(),
    };
    let max_ids = match params.max_ids.as_deref() {
        Some(text) => text
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request("max_ids", format!("`{text}` is not in 1..=10000"))
            })?,
        None => state.config.max_listed_ids,
    };
    let report = readiness(&state.store, &state.config, midday(day)).await?;
    Ok(Json(report.truncated(max_ids)))
}
