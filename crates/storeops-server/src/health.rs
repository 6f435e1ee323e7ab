//! Liveness and readiness probes (public).

use axum::extract::State;
use axum::Json;
use serde::Serialize;

use crate::error::ApiError;
use crate::routes::{Access, Routes};
use crate::state::AppState;

/// Probe answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
}

/// Registers `/healthz` and `/readyz`.
pub fn routes(routes: Routes) -> Routes {
    routes
        .api(Access::Public, utoipa_axum::routes!(healthz))
        .api(Access::Public, utoipa_axum::routes!(readyz))
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, description = "Process is up", body = Health)))]
async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The database answers and its schema is current.
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses(
        (status = 200, description = "Ready to serve", body = Health),
        (status = 503, description = "Database unreachable or migrations pending", body = crate::error::ErrorBody)))]
async fn readyz(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state
        .store
        .ping()
        .await
        .map_err(|e| ApiError::unavailable(format!("database unreachable: {e}")))?;
    let pending = state
        .store
        .pending_migrations()
        .await
        .map_err(|e| ApiError::unavailable(format!("cannot read migrations: {e}")))?;
    if pending > 0 {
        return Err(ApiError::unavailable(format!(
            "{pending} migration(s) pending; run `storeops migrate`"
        )));
    }
    Ok(Json(Health { status: "ok" }))
}
