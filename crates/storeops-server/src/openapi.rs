//! The OpenAPI 3.1 document: its header and security schemes here, its
//! paths from the handlers' `#[utoipa::path]` annotations via the route
//! table, served at `/api/v1/openapi.json`.

use axum::extract::State;
use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, InfoBuilder, OpenApi, OpenApiBuilder, SecurityRequirement,
};

use crate::error::ApiError;
use crate::routes::{Access, Routes};
use crate::state::AppState;

/// Name of the bearer-token scheme.
const BEARER: &str = "bearer";
/// Name of the session-cookie scheme.
const SESSION: &str = "session";

/// The document before any path is added.
pub fn base() -> OpenApi {
    let components = ComponentsBuilder::new()
        .security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("API token from `storeops token create`"))
                    .build(),
            ),
        )
        .security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        )
        .build();
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("storeops API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Operations automation for online stores. Errors are \
                     {\"error\": {\"code\", \"message\", \"field\"}}.",
                ))
                .build(),
        )
        .components(Some(components))
        .build()
}

/// Either a bearer token or a session cookie.
pub fn security() -> Vec<SecurityRequirement> {
    vec![
        SecurityRequirement::new(BEARER, Vec::<String>::new()),
        SecurityRequirement::new(SESSION, Vec::<String>::new()),
    ]
}

/// Stores the finished document in the state for the handler below.
pub fn publish(state: &AppState, openapi: OpenApi) {
    match serde_json::to_value(&openapi) {
        Ok(value) => {
            // A second `app()` over the same state publishes the same document.
            let _ = state.openapi.set(value);
        }
        Err(e) => tracing::error!(error = %e, "cannot serialise the OpenAPI document"),
    }
}

/// Registers the document's own route.
pub fn routes(routes: Routes) -> Routes {
    routes.api(
        Access::Role(storeops_domain::Role::Viewer),
        utoipa_axum::routes!(openapi_json),
    )
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
async fn openapi_json(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .openapi
        .get()
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::unavailable("the API document is not built yet"))
}
