//! List and get endpoints for every record kind and the event log. One
//! macro writes each kind's pair of documented handlers; the store does the
//! filtering, ordering and keyset pagination.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Serialize;
use storeops_domain::Role;
use storeops_store::ListKind;

use super::params::{list_query, ListParams};
use crate::error::{ApiError, ErrorBody};
use crate::routes::{Access, Routes};
use crate::state::AppState;

/// One page of a list.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PageBody {
    /// The records, as stored.
    pub items: Vec<serde_json::Value>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

async fn list(
    state: &AppState,
    kind: ListKind,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<PageBody>, ApiError> {
    let query = list_query(query)?;
    let page = state.store.list(kind, &query).await?;
    Ok(Json(PageBody {
        items: page.items,
        next_cursor: page.next,
    }))
}

async fn get(
    state: &AppState,
    kind: ListKind,
    key: &str,
) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .store
        .get(kind, key)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no {} with key `{key}`", kind.as_str())))
}

/// Writes the list and get handlers of one kind.
macro_rules! record_endpoints {
    ($list:ident, $get:ident, $kind:expr, $path:literal, $item:literal, $key:literal, $filters:literal) => {
        #[doc = concat!("List (filters: ", $filters, "). Keyset-paginated with `cursor`.")]
        #[utoipa::path(get, path = $path, tag = "records", params(ListParams),
            responses(
                (status = 200, description = "One page", body = PageBody),
                (status = 400, description = "Malformed parameter", body = ErrorBody),
                (status = 401, description = "No credentials", body = ErrorBody),
                (status = 422, description = "Filter not supported by this kind, or bad cursor", body = ErrorBody)))]
        async fn $list(
            State(state): State<AppState>,
            query: Result<Query<ListParams>, QueryRejection>,
        ) -> Result<Json<PageBody>, ApiError> {
            list(&state, $kind, query).await
        }

        #[doc = concat!("One item by ", $key, ".")]
        #[utoipa::path(get, path = $item, tag = "records",
            params(("key" = String, Path, description = $key)),
            responses(
                (status = 200, description = "The item", body = serde_json::Value),
                (status = 401, description = "No credentials", body = ErrorBody),
                (status = 404, description = "No such item", body = ErrorBody)))]
        async fn $get(
            State(state): State<AppState>,
            Path(key): Path<String>,
        ) -> Result<Json<serde_json::Value>, ApiError> {
            get(&state, $kind, &key).await
        }
    };
}

record_endpoints!(
    list_products,
    get_product,
    ListKind::Products,
    "/api/v1/products",
    "/api/v1/products/{key}",
    "handle",
    "q, status"
);
record_endpoints!(
    list_variants,
    get_variant,
    ListKind::Variants,
    "/api/v1/variants",
    "/api/v1/variants/{key}",
    "SKU",
    "q, sku"
);
record_endpoints!(
    list_inventory,
    get_inventory,
    ListKind::Inventory,
    "/api/v1/inventory",
    "/api/v1/inventory/{key}",
    "`<sku>@<location>`",
    "q, sku"
);
record_endpoints!(
    list_customers,
    get_customer,
    ListKind::Customers,
    "/api/v1/customers",
    "/api/v1/customers/{key}",
    "customer key (`id:…` or `email:…`)",
    "q"
);
record_endpoints!(
    list_orders,
    get_order,
    ListKind::Orders,
    "/api/v1/orders",
    "/api/v1/orders/{key}",
    "order name (URL-encode `#`)",
    "q, status, since, until, sku, customer"
);
record_endpoints!(
    list_shipments,
    get_shipment,
    ListKind::Shipments,
    "/api/v1/shipments",
    "/api/v1/shipments/{key}",
    "shipment id",
    "status, order, since, until"
);
record_endpoints!(
    list_returns,
    get_return,
    ListKind::Returns,
    "/api/v1/returns",
    "/api/v1/returns/{key}",
    "return id",
    "status, order, since, until"
);
record_endpoints!(
    list_tickets,
    get_ticket,
    ListKind::Tickets,
    "/api/v1/tickets",
    "/api/v1/tickets/{key}",
    "ticket id",
    "q, status, order, customer, since, until"
);
record_endpoints!(
    list_docs,
    get_doc,
    ListKind::Docs,
    "/api/v1/docs",
    "/api/v1/docs/{key}",
    "document key (latest version)",
    "q"
);
record_endpoints!(
    list_events,
    get_event,
    ListKind::Events,
    "/api/v1/events",
    "/api/v1/events/{key}",
    "event id",
    "source, topic, status, since, until"
);

/// Registers every kind's endpoints (viewer and up).
pub fn routes(routes: Routes) -> Routes {
    let viewer = Access::Role(Role::Viewer);
    routes
        .api(viewer, utoipa_axum::routes!(list_products))
        .api(viewer, utoipa_axum::routes!(get_product))
        .api(viewer, utoipa_axum::routes!(list_variants))
        .api(viewer, utoipa_axum::routes!(get_variant))
        .api(viewer, utoipa_axum::routes!(list_inventory))
        .api(viewer, utoipa_axum::routes!(get_inventory))
        .api(viewer, utoipa_axum::routes!(list_customers))
        .api(viewer, utoipa_axum::routes!(get_customer))
        .api(viewer, utoipa_axum::routes!(list_orders))
        .api(viewer, utoipa_axum::routes!(get_order))
        .api(viewer, utoipa_axum::routes!(list_shipments))
        .api(viewer, utoipa_axum::routes!(get_shipment))
        .api(viewer, utoipa_axum::routes!(list_returns))
        .api(viewer, utoipa_axum::routes!(get_return))
        .api(viewer, utoipa_axum::routes!(list_tickets))
        .api(viewer, utoipa_axum::routes!(get_ticket))
        .api(viewer, utoipa_axum::routes!(list_docs))
        .api(viewer, utoipa_axum::routes!(get_doc))
        .api(viewer, utoipa_axum::routes!(list_events))
        .api(viewer, utoipa_axum::routes!(get_event))
}
