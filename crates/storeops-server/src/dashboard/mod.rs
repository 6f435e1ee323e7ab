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
mod review;
mod runs;
mod workflow_text;
mod workflows;

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

    const fn reviewer(path: &'static str, title: &'static str) -> NavItem {
        NavItem {
            path,
            title,
            role: Role::Reviewer,
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
    NavItem::reviewer("/review", "Review"),
    NavItem::viewer("/runs", "Runs"),
    NavItem::viewer("/workflows", "Workflows"),
];

/// Registers every dashboard route.
pub fn routes(routes: Routes) -> Routes {
    let viewer = Access::Role(Role::Viewer);
    let reviewer = Access::Role(Role::Reviewer);
    let operator = Access::Role(Role::Operator);
    let admin = Access::Role(Role::Admin);
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
        .page(Method::GET, "/review", reviewer, get(review::show))
        .page(
            Method::POST,
            "/review/decide",
            reviewer,
            post(review::decide),
        )
        .page(Method::GET, "/runs", viewer, get(runs::list))
        .page(Method::GET, "/runs/{id}", viewer, get(runs::show))
        .page(Method::GET, "/workflows", viewer, get(workflows::list))
        .page(
            Method::POST,
            "/workflows/{name}/pause",
            operator,
            post(workflows::pause),
        )
        .page(
            Method::POST,
            "/workflows/{name}/resume",
            operator,
            post(workflows::resume),
        )
        .page(
            Method::POST,
            "/workflows/{name}/mode",
            admin,
            post(workflows::mode),
        )
}
