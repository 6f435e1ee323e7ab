//! The JSON API under `/api/v1`: records (list and get for every kind),
//! imports, the data-readiness report and the caller's identity.

mod actions;
mod import;
mod params;
mod readiness;
mod records;
mod review;
pub mod submit_queue;
pub mod workflows;

use axum::Extension;
use axum::Json;
use serde::Serialize;
use storeops_domain::Role;

use crate::auth::{Caller, Via};
use crate::routes::{Access, Routes};

/// Registers every API route.
pub fn routes(routes: Routes) -> Routes {
    let routes = routes.api(Access::Role(Role::Viewer), utoipa_axum::routes!(me));
    let routes = records::routes(routes);
    let routes = import::routes(routes);
    let routes = readiness::routes(routes);
    let routes = workflows::routes(routes);
    let routes = actions::routes(routes);
    let routes = crate::openapi::routes(routes);
    crate::metrics::routes(routes)
}

/// Who the caller is.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    /// Username or token name.
    pub name: String,
    /// Role.
    pub role: String,
    /// `token` or `session`.
    pub via: &'static str,
}

/// The authenticated caller.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, description = "The caller", body = Me),
              (status = 401, description = "No credentials", body = crate::error::ErrorBody)))]
async fn me(Extension(caller): Extension<Caller>) -> Json<Me> {
    Json(Me {
        name: caller.name,
        role: caller.role.as_str().to_string(),
        via: match caller.via {
            Via::Token => "token",
            Via::Session { .. } => "session",
        },
    })
}
