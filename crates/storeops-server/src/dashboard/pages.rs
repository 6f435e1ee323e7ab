//! Dashboard pages as data: a [`Page`] is one entry — method, path, the
//! access it needs, its navigation-bar title (if it is a top-level page),
//! the templates it renders and its handler. Each page module lists its own
//! (`PAGES`), so a skill's pages are one module of entries; the router, the
//! navigation bar and the template set are all built from [`all`], and a
//! page cannot exist without its access rule.

use std::sync::OnceLock;

use axum::http::Method;
use axum::routing::MethodRouter;
use storeops_domain::Role;

use crate::routes::Access;
use crate::state::AppState;

/// One page or form endpoint.
pub struct Page {
    /// HTTP method.
    pub method: Method,
    /// Path template (axum syntax).
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
    /// Title in the navigation bar, for top-level pages.
    pub nav: Option<&'static str>,
    /// Templates it renders: `(name, source)`, names ending in `.html`
    /// auto-escaped.
    pub templates: &'static [(&'static str, &'static str)],
    /// Builds its handler.
    pub handler: fn() -> MethodRouter<AppState>,
}

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

/// Every page, in navigation order.
pub fn all() -> impl Iterator<Item = &'static Page> {
    [
        super::login::PAGES,
        super::assets::PAGES,
        super::overview::PAGES,
        super::readiness::PAGES,
        super::lists::PAGES,
        super::records::PAGES,
        super::review::PAGES,
        super::runs::PAGES,
        super::workflows::PAGES,
    ]
    .into_iter()
    .flatten()
}

/// The navigation bar: the pages with a title, in order.
pub fn nav() -> &'static [NavItem] {
    static NAV: OnceLock<Vec<NavItem>> = OnceLock::new();
    NAV.get_or_init(|| {
        all()
            .filter_map(|p| {
                p.nav.map(|title| NavItem {
                    path: p.path,
                    title,
                    role: p.access.role().unwrap_or(Role::Viewer),
                })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_navigation_bar_comes_from_the_pages_in_order() {
        let bar: Vec<(&str, &str, Role)> =
            nav().iter().map(|n| (n.path, n.title, n.role)).collect();
        assert_eq!(
            bar,
            [
                ("/", "Overview", Role::Viewer),
                ("/readiness", "Readiness", Role::Viewer),
                ("/orders", "Orders", Role::Viewer),
                ("/products", "Products", Role::Viewer),
                ("/customers", "Customers", Role::Viewer),
                ("/events", "Events", Role::Viewer),
                ("/review", "Review", Role::Reviewer),
                ("/runs", "Runs", Role::Viewer),
                ("/workflows", "Workflows", Role::Viewer),
            ]
        );
    }

    #[test]
    fn every_page_path_and_method_is_unique_and_protected_unless_public_by_design() {
        let mut seen = std::collections::BTreeSet::new();
        for p in all() {
            assert!(
                seen.insert((p.method.to_string(), p.path)),
                "{} {}",
                p.method,
                p.path
            );
            let public = ["/login", "/assets/{name}"].contains(&p.path);
            assert_eq!(p.access == Access::Public, public, "{}", p.path);
        }
    }
}
