//! `GET /records/{kind}/{key}`: one stored record of any list kind — its key
//! fields, links to related records, and the stored JSON pretty-printed.
//!
//! Besides the store's keys, two forms used by readiness findings resolve
//! here: a variant label `handle#position` (a variant without SKU) shows its
//! product, and a document name `key@vN` shows that version.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use minijinja::context;
use serde_json::Value;
use storeops_store::{ListKind, ListQuery};

use super::format::{field, key_fields};
use super::links::{doc_version, record_url, variant_label};
use super::render::{error_page, page};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

use axum::http::Method;
use axum::routing::get;
use storeops_domain::Role;

use super::pages::Page;
use crate::routes::Access;
/// One record's page.
pub(super) const PAGES: &[Page] = &[Page {
    method: Method::GET,
    path: "/records/{kind}/{key}",
    access: Access::Role(Role::Viewer),
    nav: None,
    templates: &[("record.html", include_str!("../../templates/record.html"))],
    handler: || get(show),
}];

/// Pages of documents searched for an older version.
const MAX_DOC_PAGES: usize = 20;

/// `GET /records/{kind}/{key}`.
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let result = match path {
        Ok(Path((kind, key))) => load(&state, &caller, &kind, &key).await,
        Err(e) => Err(ApiError::bad_request("path", e.body_text())),
    };
    result.unwrap_or_else(|e| error_page(Some(&caller), e))
}

/// Finds the record and renders it.
async fn load(
    state: &AppState,
    caller: &Caller,
    kind: &str,
    key: &str,
) -> Result<Response, ApiError> {
    let kind: ListKind = kind
        .parse()
        .map_err(|_| ApiError::not_found(format!("there is no record kind `{kind}`")))?;
    if let Some(item) = state.store.get(kind, key).await? {
        return Ok(render(caller, kind, key, &item, None));
    }
    if kind == ListKind::Variants {
        if let Some((handle, position)) = variant_label(key) {
            if let Some(product) = state.store.get(ListKind::Products, handle).await? {
                let note =
                    format!("`{key}` is variant {position} of product `{handle}`; it has no SKU.");
                return Ok(render(
                    caller,
                    ListKind::Products,
                    handle,
                    &product,
                    Some(note),
                ));
            }
        }
    }
    if kind == ListKind::Docs {
        if let Some((doc_key, version)) = doc_version(key) {
            if let Some(doc) = find_doc(state, doc_key, version).await? {
                return Ok(render(caller, kind, key, &doc, None));
            }
        }
    }
    Err(ApiError::not_found(format!(
        "no {} with key `{key}`",
        singular(kind)
    )))
}

/// Version `version` of document `key` (the store's point read gives only
/// the latest).
async fn find_doc(state: &AppState, key: &str, version: i64) -> Result<Option<Value>, ApiError> {
    let mut query = ListQuery {
        limit: ListQuery::MAX_LIMIT,
        q: Some(key.to_string()),
        ..ListQuery::default()
    };
    for _ in 0..MAX_DOC_PAGES {
        let page = state.store.list(ListKind::Docs, &query).await?;
        let found = page
            .items
            .into_iter()
            .find(|d| field(d, "key") == key && d["version"].as_i64() == Some(version));
        if found.is_some() || page.next.is_none() {
            return Ok(found);
        }
        query.cursor = page.next;
    }
    Ok(None)
}

/// The record page.
fn render(
    caller: &Caller,
    kind: ListKind,
    key: &str,
    item: &Value,
    note: Option<String>,
) -> Response {
    let list = list_path(kind);
    let json = serde_json::to_string_pretty(item).unwrap_or_default();
    let title = format!("{} {key}", capitalised(singular(kind)));
    let ctx = context! {
        kind => kind.as_str(),
        key => key,
        note => note,
        fields => key_fields(item).into_iter().map(|(name, value)| context! { name, value }).collect::<Vec<_>>(),
        related => related(kind, item).into_iter().map(|(label, href)| context! { label, href }).collect::<Vec<_>>(),
        json => json,
        list => list,
    };
    page(caller, list.unwrap_or(""), "record.html", &title, ctx)
}

/// The list page of `kind`, where there is one.
fn list_path(kind: ListKind) -> Option<&'static str> {
    match kind {
        ListKind::Orders => Some("/orders"),
        ListKind::Products => Some("/products"),
        ListKind::Customers => Some("/customers"),
        ListKind::Events => Some("/events"),
        _ => None,
    }
}

/// Links to the records this one names: its product, order, customer and
/// SKUs.
fn related(kind: ListKind, item: &Value) -> Vec<(String, String)> {
    let mut links: Vec<(String, String)> = Vec::new();
    let mut add = |label: String, href: String| {
        if !links.iter().any(|(_, h)| *h == href) {
            links.push((label, href));
        }
    };
    let mut record = |label: String, kind: ListKind, key: &str| {
        if !key.trim().is_empty() {
            add(label, record_url(kind, key));
        }
    };
    for name in ["handle", "product_handle"] {
        if kind != ListKind::Products {
            let handle = field(item, name);
            record(format!("Product {handle}"), ListKind::Products, handle);
        }
    }
    let order = field(item, "order_name");
    record(format!("Order {order}"), ListKind::Orders, order);
    if kind != ListKind::Variants {
        let sku = field(item, "sku");
        record(format!("Variant {sku}"), ListKind::Variants, sku);
    }
    let customer_id = field(item, "customer_external_id").trim();
    if kind == ListKind::Orders && !customer_id.is_empty() {
        record(
            format!("Customer id:{customer_id}"),
            ListKind::Customers,
            &format!("id:{customer_id}"),
        );
    }
    for list in ["variants", "lines"] {
        for sku in item[list]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| field(v, "sku"))
        {
            record(format!("Variant {sku}"), ListKind::Variants, sku);
        }
    }
    let email = field(item, "email").trim();
    if kind == ListKind::Orders && !email.is_empty() {
        // The customer's key is `email:…` only when it has no platform id.
        let query = serde_urlencoded::to_string([("q", email)]).unwrap_or_default();
        links.push((
            format!("Customers with {email}"),
            format!("/customers?{query}"),
        ));
    }
    links
}

/// `order`, `product`, …: one record of `kind`.
fn singular(kind: ListKind) -> &'static str {
    match kind {
        ListKind::Products => "product",
        ListKind::Variants => "variant",
        ListKind::Inventory => "inventory level",
        ListKind::Customers => "customer",
        ListKind::Orders => "order",
        ListKind::Shipments => "shipment",
        ListKind::Returns => "return",
        ListKind::Tickets => "ticket",
        ListKind::Docs => "document",
        ListKind::Events => "event",
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn related_links_name_products_orders_customers_and_skus() {
        let order = json!({"name": "#1", "customer_external_id": "42", "email": "a@b.c",
            "lines": [{"sku": "S-1"}, {"sku": "S-1"}, {"sku": null}]});
        let links = related(ListKind::Orders, &order);
        let hrefs: Vec<&str> = links.iter().map(|(_, h)| h.as_str()).collect();
        assert_eq!(
            hrefs,
            [
                "/records/customers/id%3A42",
                "/records/variants/S-1",
                "/customers?q=a%40b.c"
            ]
        );
        let shipment = json!({"order_name": "#1"});
        assert_eq!(
            related(ListKind::Shipments, &shipment)[0].1,
            "/records/orders/%231"
        );
        let variant = json!({"handle": "hat", "sku": "S-1"});
        let links = related(ListKind::Variants, &variant);
        assert_eq!(
            links,
            [(
                "Product hat".to_string(),
                "/records/products/hat".to_string()
            )]
        );
        assert_eq!(
            capitalised(singular(ListKind::Inventory)),
            "Inventory level"
        );
    }
}
