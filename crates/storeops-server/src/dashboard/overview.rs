//! The overview page: store counts, ingest rates, recent events.

use axum::extract::State;
use axum::response::Response;
use axum::Extension;
use minijinja::context;
use storeops_store::{ListKind, ListQuery};

use super::render::{error_page, page};
use crate::auth::Caller;
use crate::state::AppState;

use axum::http::Method;
use axum::routing::get;
use storeops_domain::Role;

use super::pages::Page;
use crate::routes::Access;
/// The home page.
pub(super) const PAGES: &[Page] = &[Page {
    method: Method::GET,
    path: "/",
    access: Access::Role(Role::Viewer),
    nav: Some("Overview"),
    templates: &[(
        "overview.html",
        include_str!("../../templates/overview.html"),
    )],
    handler: || get(show),
}];

/// Events shown.
const RECENT: u32 = 10;

/// Loads and renders the page.
async fn load(state: &AppState, caller: &Caller) -> Result<Response, crate::ApiError> {
    let c = state.store.counts().await?;
    let counts = [
        ("Products", c.products),
        ("Variants", c.variants),
        ("Customers", c.customers),
        ("Orders", c.orders),
        ("Order lines", c.order_lines),
        ("Shipments", c.shipments),
        ("Returns", c.returns),
        ("Tickets", c.tickets),
        ("Knowledge docs", c.docs),
        ("Events", c.events),
    ]
    .map(|(label, value)| context! { label, value });
    let recent = state
        .store
        .list(
            ListKind::Events,
            &ListQuery {
                limit: RECENT,
                ..ListQuery::default()
            },
        )
        .await?;
    let ctx = context! {
        counts => counts,
        ingest => state.ingest.stats(),
        events => recent.items,
    };
    Ok(page(caller, "/", "overview.html", "Overview", ctx))
}

/// `GET /`.
pub async fn show(State(state): State<AppState>, Extension(caller): Extension<Caller>) -> Response {
    match load(&state, &caller).await {
        Ok(response) => response,
        Err(e) => error_page(Some(&caller), e),
    }
}
