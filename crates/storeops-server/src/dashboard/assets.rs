//! Static assets compiled into the binary: htmx, our CSS and JS.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use axum::http::Method;
use axum::routing::get;

use super::pages::Page;
use crate::routes::Access;
/// The vendored scripts and styles.
pub(super) const PAGES: &[Page] = &[Page {
    method: Method::GET,
    path: "/assets/{name}",
    access: Access::Public,
    nav: None,
    templates: &[],
    handler: || get(asset),
}];

/// name → (content type, bytes).
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/htmx-2.0.11.min.js"),
    ),
    (
        "storeops.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/storeops.css"),
    ),
    (
        "storeops.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/storeops.js"),
    ),
];

/// Serves one asset (cached for an hour).
pub async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=3600"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}
