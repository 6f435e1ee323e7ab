//! The record list pages — orders, products, customers and the event log —
//! each a [`ListView`] plus a function from a stored item to table cells.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use serde_json::Value;
use storeops_domain::{EventStatus, FinancialStatus, FulfillmentStatus, ProductStatus};
use storeops_store::ListKind;

use super::format::{field, money, time};
use super::links::record_url;
use super::listing::{load, respond, Cell, Column, Filter, ListParams, ListView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

use axum::http::Method;
use axum::routing::get;
use storeops_domain::Role;

use super::pages::Page;
use crate::routes::Access;
/// The record lists.
pub(super) const PAGES: &[Page] = &[
    list_page("/orders", "Orders", || get(orders)),
    list_page("/products", "Products", || get(products)),
    list_page("/customers", "Customers", || get(customers)),
    list_page("/events", "Events", || get(events)),
];

const fn list_page(
    path: &'static str,
    title: &'static str,
    handler: fn() -> axum::routing::MethodRouter<crate::state::AppState>,
) -> Page {
    Page {
        method: Method::GET,
        path,
        access: Access::Role(Role::Viewer),
        nav: Some(title),
        templates: &[],
        handler,
    }
}

/// Shows one list page of `kind`.
async fn show(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    query: Result<Query<ListParams>, QueryRejection>,
    kind: ListKind,
    view: &ListView,
    row: fn(&Value) -> Vec<Cell>,
) -> Response {
    let (params, rows) = match query {
        Ok(Query(params)) => {
            let rows = load(state, kind, &params, row).await;
            (params, rows)
        }
        Err(e) => (
            ListParams::default(),
            Err(ApiError::bad_request("query", e.body_text())),
        ),
    };
    respond(caller, headers, view, &params, rows)
}

/// Writes the handler of one list page.
macro_rules! list_page {
    ($(#[$doc:meta])* $name:ident, $kind:expr, $view:expr, $row:expr) => {
        $(#[$doc])*
        pub async fn $name(
            State(state): State<AppState>,
            Extension(caller): Extension<Caller>,
            headers: HeaderMap,
            query: Result<Query<ListParams>, QueryRejection>,
        ) -> Response {
            show(&state, &caller, &headers, query, $kind, &$view, $row).await
        }
    };
}

list_page!(
    /// `GET /orders`.
    orders, ListKind::Orders, orders_view(), order_row
);
list_page!(
    /// `GET /products`.
    products, ListKind::Products, products_view(), product_row
);
list_page!(
    /// `GET /customers`.
    customers, ListKind::Customers, customers_view(), customer_row
);
list_page!(
    /// `GET /events`.
    events, ListKind::Events, events_view(), event_row
);

const ORDER_COLUMNS: &[Column] = &[
    Column::main("Order"),
    Column::main("Date"),
    Column::optional("Customer"),
    Column::main("Payment"),
    Column::optional("Fulfilment"),
    Column::main("Total"),
];

fn orders_view() -> ListView {
    let mut statuses: Vec<&'static str> = FinancialStatus::ALL.iter().map(|s| s.as_str()).collect();
    for s in FulfillmentStatus::ALL {
        if !statuses.contains(&s.as_str()) {
            statuses.push(s.as_str());
        }
    }
    ListView {
        path: "/orders",
        title: "Orders",
        columns: ORDER_COLUMNS,
        filters: vec![
            Filter::search("q", "Order name or e-mail"),
            Filter::select("status", "Status", statuses),
        ],
        empty: "No orders match.",
    }
}

fn order_row(order: &Value) -> Vec<Cell> {
    let name = field(order, "name");
    let customer = ["email", "customer_external_id", "phone"]
        .into_iter()
        .map(|f| field(order, f))
        .find(|v| !v.is_empty())
        .unwrap_or("—");
    vec![
        Cell::link(name, record_url(ListKind::Orders, name)),
        Cell::text(time(field(order, "created_at"))),
        Cell::text(customer),
        Cell::text(field(order, "financial_status")),
        Cell::text(field(order, "fulfillment_status")),
        Cell::num(money(&order["total"]).unwrap_or_default()),
    ]
}

const PRODUCT_COLUMNS: &[Column] = &[
    Column::main("Title"),
    Column::optional("Handle"),
    Column::main("Status"),
    Column::optional("Vendor"),
    Column::main("Variants"),
];

fn products_view() -> ListView {
    ListView {
        path: "/products",
        title: "Products",
        columns: PRODUCT_COLUMNS,
        filters: vec![
            Filter::search("q", "Title or handle"),
            Filter::select(
                "status",
                "Status",
                ProductStatus::ALL.iter().map(|s| s.as_str()).collect(),
            ),
        ],
        empty: "No products match.",
    }
}

fn product_row(product: &Value) -> Vec<Cell> {
    let handle = field(product, "handle");
    let title = match field(product, "title") {
        "" => "(no title)",
        title => title,
    };
    let status = field(product, "status");
    let class = if status == "active" { "ok" } else { "warn" };
    let variants = product["variants"].as_array().map_or(0, Vec::len);
    vec![
        Cell::link(title, record_url(ListKind::Products, handle)),
        Cell::text(handle),
        Cell::badge(status, class),
        Cell::text(field(product, "vendor")),
        Cell::num(variants.to_string()),
    ]
}

const CUSTOMER_COLUMNS: &[Column] = &[
    Column::main("Key"),
    Column::main("Name"),
    Column::main("E-mail"),
    Column::optional("Phone"),
];

fn customers_view() -> ListView {
    ListView {
        path: "/customers",
        title: "Customers",
        columns: CUSTOMER_COLUMNS,
        filters: vec![Filter::search("q", "Name, e-mail or key")],
        empty: "No customers match.",
    }
}

fn customer_row(customer: &Value) -> Vec<Cell> {
    let key = field(customer, "key");
    let name = format!(
        "{} {}",
        field(customer, "first_name"),
        field(customer, "last_name")
    );
    vec![
        Cell::link(key, record_url(ListKind::Customers, key)),
        Cell::text(name.trim()),
        Cell::text(field(customer, "email")),
        Cell::text(field(customer, "phone")),
    ]
}

const EVENT_COLUMNS: &[Column] = &[
    Column::main("Id"),
    Column::main("Received"),
    Column::main("Source"),
    Column::main("Topic"),
    Column::optional("External id"),
    Column::main("Status"),
    Column::optional("Error"),
];

fn events_view() -> ListView {
    ListView {
        path: "/events",
        title: "Events",
        columns: EVENT_COLUMNS,
        filters: vec![
            Filter::search("source", "Source"),
            Filter::search("topic", "Topic"),
            Filter::select(
                "status",
                "Status",
                EventStatus::ALL.iter().map(|s| s.as_str()).collect(),
            ),
        ],
        empty: "No events match.",
    }
}

/// Badge class of an event status: flagged red, needing attention amber.
pub fn event_badge(status: &str) -> &'static str {
    match status {
        "unparseable" | "invalid" => "bad",
        "needs_lookup" | "unknown_topic" => "warn",
        _ => "ok",
    }
}

fn event_row(event: &Value) -> Vec<Cell> {
    let id = event["id"]
        .as_i64()
        .map(|id| id.to_string())
        .unwrap_or_default();
    let status = field(event, "status");
    vec![
        Cell::link(id.clone(), record_url(ListKind::Events, &id)),
        Cell::text(time(field(event, "received_at"))),
        Cell::text(field(event, "source")),
        Cell::text(field(event, "topic")),
        Cell::text(field(event, "external_id")),
        Cell::badge(status, event_badge(status)),
        Cell::text(field(event, "error")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_have_one_cell_per_column() {
        let order = json!({"name": "#1001", "created_at": "2024-03-01T10:00:00Z",
            "email": "a@example.com", "financial_status": "paid",
            "fulfillment_status": "unfulfilled", "total": {"minor": 1999, "currency": "USD"}});
        let cells = order_row(&order);
        assert_eq!(cells.len(), ORDER_COLUMNS.len());
        assert_eq!(cells[0].href.as_deref(), Some("/records/orders/%231001"));
        assert_eq!(cells[1].text, "2024-03-01 10:00");
        assert_eq!(cells[5].text, "19.99 USD");
        assert_eq!(product_row(&json!({})).len(), PRODUCT_COLUMNS.len());
        assert_eq!(customer_row(&json!({})).len(), CUSTOMER_COLUMNS.len());
        let event = event_row(&json!({"id": 7, "status": "invalid"}));
        assert_eq!(event.len(), EVENT_COLUMNS.len());
        assert_eq!(event[5].badge, Some("bad"));
    }

    #[test]
    fn event_badges() {
        assert_eq!(event_badge("unparseable"), "bad");
        assert_eq!(event_badge("needs_lookup"), "warn");
        assert_eq!(event_badge("unknown_topic"), "warn");
        assert_eq!(event_badge("applied"), "ok");
        for status in EventStatus::ALL {
            assert_eq!(event_badge(status.as_str()) == "bad", status.is_flagged());
        }
    }
}
