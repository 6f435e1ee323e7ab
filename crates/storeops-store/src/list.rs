//! Listing stored items for the JSON API: [`ListKind`] (with the filter
//! matrix), [`ListQuery`] and [`Page`]. Checking a query against its kind
//! lives in `list_query.rs`.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::Serialize;
use storeops_domain::labels::{normalize_label, UnknownLabel};

use crate::cursor::{self, After};

/// What [`crate::Store::list`] and [`crate::Store::get`] can list.
///
/// | kind | item | `get` key | order | filters |
/// |---|---|---|---|---|
/// | `products` | stored product JSON | handle | handle ASC | `q` (title, handle), `status` |
/// | `variants` | `{handle, position, sku, price_minor, compare_at_minor, cost_minor, currency, gtin}` | sku (first by handle, position) | handle, position ASC | `q` (sku, handle), `sku` |
/// | `inventory` | stored level JSON | `<sku>@<location>` (split at the first `@`) | sku, location ASC | `sku`, `q` (location) |
/// | `customers` | stored customer JSON + `"key"` | key (`id:…` / `email:…`) | key ASC | `q` (email, name, key) |
/// | `orders` | stored order JSON | name | created_at DESC, name DESC | `q` (name, email), `status` (financial or fulfillment), `since`/`until` (created_at), `sku` (has a line with it), `customer` |
/// | `shipments` | stored shipment JSON | id | shipped_at DESC (unshipped last), id DESC | `status`, `order`, `since`/`until` (shipped_at) |
/// | `returns` | stored return JSON | id | requested_at DESC, id DESC | `status`, `order`, `since`/`until` (requested_at) |
/// | `tickets` | stored ticket JSON | id | created_at DESC, id DESC | `status`, `order`, `customer`, `q` (subject), `since`/`until` (created_at) |
/// | `docs` | stored doc JSON, every version | key (latest version) | key, version ASC | `q` (title, key) |
/// | `events` | `{id, source, topic, external_id, status, error, received_at, payload}` | numeric id as text | id DESC | `source`, `topic`, `status`, `since`/`until` (received_at) |
///
/// Filter semantics: `q` is a case-insensitive substring of any listed
/// column (an empty `q` filters nothing); `status` is a label of the kind's
/// status enum (case-insensitive, aliases accepted; orders: a financial or
/// fulfillment label); `since` is inclusive and `until` exclusive; `sku`,
/// `order`, `source` and `topic` match exactly; `customer` matches the
/// platform customer id or the e-mail (both trimmed, the e-mail
/// case-insensitively), or only one of them when given as a customer key
/// `id:…` / `email:…`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// Products.
    Products,
    /// Variants of all products.
    Variants,
    /// Inventory levels.
    Inventory,
    /// Customers.
    Customers,
    /// Orders.
    Orders,
    /// Shipments.
    Shipments,
    /// Return requests.
    Returns,
    /// Support tickets.
    Tickets,
    /// Knowledge document versions.
    Docs,
    /// Ingested events.
    Events,
}

impl ListKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [ListKind] = &[
        ListKind::Products,
        ListKind::Variants,
        ListKind::Inventory,
        ListKind::Customers,
        ListKind::Orders,
        ListKind::Shipments,
        ListKind::Returns,
        ListKind::Tickets,
        ListKind::Docs,
        ListKind::Events,
    ];

    /// The kind's name in URLs (`products`, …, `events`).
    pub fn as_str(&self) -> &'static str {
        match self {
            ListKind::Products => "products",
            ListKind::Variants => "variants",
            ListKind::Inventory => "inventory",
            ListKind::Customers => "customers",
            ListKind::Orders => "orders",
            ListKind::Shipments => "shipments",
            ListKind::Returns => "returns",
            ListKind::Tickets => "tickets",
            ListKind::Docs => "docs",
            ListKind::Events => "events",
        }
    }

    /// Filters (ListQuery field names) this kind accepts; `limit` and
    /// `cursor` are always accepted.
    pub fn filters(self) -> &'static [&'static str] {
        match self {
            ListKind::Products => &["q", "status"],
            ListKind::Variants => &["q", "sku"],
            ListKind::Inventory => &["q", "sku"],
            ListKind::Customers => &["q"],
            ListKind::Orders => &["q", "status", "since", "until", "sku", "customer"],
            ListKind::Shipments | ListKind::Returns => &["status", "order", "since", "until"],
            ListKind::Tickets => &["q", "status", "order", "customer", "since", "until"],
            ListKind::Docs => &["q"],
            ListKind::Events => &["source", "topic", "status", "since", "until"],
        }
    }
}

impl fmt::Display for ListKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ListKind {
    type Err = UnknownLabel;

    /// Parses a kind name (case-insensitive).
    fn from_str(text: &str) -> Result<ListKind, UnknownLabel> {
        let wanted = normalize_label(text);
        ListKind::ALL
            .iter()
            .copied()
            .find(|kind| kind.as_str() == wanted)
            .ok_or_else(|| UnknownLabel {
                value: text.trim().to_string(),
                expected: ListKind::ALL
                    .iter()
                    .map(ListKind::as_str)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

/// One page request. `limit` must be 1..=500 (`Default` leaves it 0, so set
/// it, e.g. to [`ListQuery::DEFAULT_LIMIT`]).
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    /// Items per page, 1..=500.
    pub limit: u32,
    /// Opaque, from [`Page::next`] of the same listing.
    pub cursor: Option<String>,
    /// Case-insensitive substring search.
    pub q: Option<String>,
    /// Status label.
    pub status: Option<String>,
    /// Inclusive lower bound of the kind's timestamp.
    pub since: Option<DateTime<Utc>>,
    /// Exclusive upper bound of the kind's timestamp.
    pub until: Option<DateTime<Utc>>,
    /// Exact SKU.
    pub sku: Option<String>,
    /// Platform customer id, e-mail, or customer key.
    pub customer: Option<String>,
    /// Exact order name.
    pub order: Option<String>,
    /// Exact event source.
    pub source: Option<String>,
    /// Exact event topic.
    pub topic: Option<String>,
}

impl ListQuery {
    /// A sensible page size for callers that were given none.
    pub const DEFAULT_LIMIT: u32 = 50;
    /// The largest page size.
    pub const MAX_LIMIT: u32 = 500;
}

/// One page of a listing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Page {
    /// The items, in the kind's order.
    pub items: Vec<serde_json::Value>,
    /// Cursor of the next page; `None` on the last page.
    pub next: Option<String>,
}

/// Turns fetched rows (at most `fetch` = limit + 1) into a page: the extra
/// row only tells that a next page exists.
pub(crate) fn page(kind: ListKind, mut rows: Vec<(After, serde_json::Value)>, fetch: i64) -> Page {
    let limit = usize::try_from(fetch - 1).unwrap_or(0);
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|(after, _)| cursor::encode(kind, after))
    } else {
        None
    };
    Page {
        items: rows.into_iter().map(|(_, item)| item).collect(),
        next,
    }
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;
