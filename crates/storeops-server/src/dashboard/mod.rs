//! The server-rendered dashboard: minijinja templates (HTML auto-escaped),
//! htmx and our CSS/JS vendored into the binary, session login with CSRF
//! tokens on every form.
//!
//! Adding a page: a template in `templates/`, registered in
//! [`render::templates`]; a handler that calls [`render::page`]; one line in
//! [`routes`] with the least role that may see it; and, for a top-level page,
//! one entry in [`NAV`]. A list page (search box, filters, keyset pager,
//! htmx search-as-you-type) is a [`listing::ListView`], a loader of
//! [`listing::Rows`] and a call to [`listing::respond`]; see `lists.rs`.

mod assets;
mod format;
mod links;
pub mod listing;
mod lists;
mod login;
mod overview;
mod readiness;
mod records;
pub mod render;

use axum::http::Method;
use axum::routing::{get, post};
use storeops_domain::Role;

use crate::routes::{Access, Routes};

/// A top-level page in the navigation bar.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct NavItem {
    /// Path.
    pub path: &'static str,
    /// Link text.
    pub title: &'static str,
    /// Least role that sees the link.
    #[serde(skip)]
    pub role: Role,
}

impl NavItem {
    const fn viewer(path: &'static str, title: &'static str) -> NavItem {
        NavItem {
            path,
            title,
            role: Role::Viewer,
        }
    }
}

/// The navigation bar, in order.
pub const NAV: &[NavItem] = &[
    NavItem::viewer("/", "Overview"),
    NavItem::viewer("/readiness", "Readiness"),
    NavItem::viewer("/orders", "Orders"),
    NavItem::viewer("/products", "Products"),
    NavItem::viewer("/customers", "Customers"),
    NavItem::viewer("/events", "Events"),
];

/// Registers every dashboard route.
pub fn routes(routes: Routes) -> Routes {
    let viewer = Access::Role(Role::Viewer);
    routes
        .page(Method::GET, "/login", Access::Public, get(login::form))
        .page(Method::POST, "/login", Access::Public, post(login::submit))
        .page(Method::POST, "/logout", viewer, post(login::logout))
        .page(
            Method::GET,
            "/assets/{name}",
            Access::Public,
            get(assets::asset),
        )
        .page(Method::GET, "/", viewer, get(overview::show))
        .page(Method::GET, "/readiness", viewer, get(readiness::show))
        .page(Method::GET, "/orders", viewer, get(lists::orders))
        .page(Method::GET, "/products", viewer, get(lists::products))
        .page(Method::GET, "/customers", viewer, get(lists::customers))
        .page(Method::GET, "/events", viewer, get(lists::events))
        .page(
            Method::GET,
            "/records/{kind}/{key}",
            viewer,
            get(records::show),
        )
}
