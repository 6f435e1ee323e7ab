//! The server-rendered dashboard: minijinja templates (HTML auto-escaped),
//! htmx and our CSS/JS vendored into the binary, session login with CSRF
//! tokens on every form.
//!
//! Adding a page: a template in `templates/`, a handler that calls
//! [`render::page`], and one [`pages::Page`] entry in its module's `PAGES`
//! (method, path, least role, navigation title for a top-level page,
//! templates, handler); a new module's `PAGES` is listed once in
//! [`pages::all`]. Router, navigation bar and template set come from those
//! entries. A list page (search box, filters, keyset pager, htmx
//! search-as-you-type) is a [`listing::ListView`], a loader of
//! [`listing::Rows`] and a call to [`listing::respond`]; see `lists.rs`.

mod assets;
mod format;
mod links;
pub mod listing;
mod lists;
mod login;
mod overview;
pub mod pages;
mod readiness;
mod records;
pub mod render;
mod review;
mod runs;
mod workflow_text;
mod workflows;

use crate::routes::Routes;

pub use pages::NavItem;

/// Registers every dashboard page ([`pages::all`]) with its access rule.
pub fn routes(routes: Routes) -> Routes {
    pages::all().fold(routes, |routes, p| {
        routes.page(p.method.clone(), p.path, p.access, (p.handler)())
    })
}
