//! The shared "list page with search and pager".
//!
//! A page describes itself with a [`ListView`] (columns, filter controls,
//! text for an empty list), loads one page of [`Rows`] (from the store with
//! [`load`], or from anywhere else), and answers with [`respond`]: the full
//! page, or — for an htmx request — only the table body, which is what
//! search-as-you-type swaps in. The page works without JavaScript: the
//! filters are a plain GET form and "Next page" is a plain link carrying
//! the keyset `cursor`.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use minijinja::context;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use storeops_store::{ListKind, ListQuery};

use super::render::{error_page, html, page};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

/// Rows per page unless `limit` says otherwise.
pub const PAGE_SIZE: u32 = 50;
/// The largest `limit` a page accepts.
const MAX_PAGE: u32 = 200;

/// A table column.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Column {
    /// Header text.
    pub title: &'static str,
    /// Hidden on phone-width screens.
    pub optional: bool,
}

impl Column {
    /// A column shown on every screen.
    pub const fn main(title: &'static str) -> Column {
        Column {
            title,
            optional: false,
        }
    }

    /// A column hidden on narrow screens.
    pub const fn optional(title: &'static str) -> Column {
        Column {
            title,
            optional: true,
        }
    }
}

/// One table cell: text (escaped by the template), optionally a link or a
/// status badge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// The text.
    pub text: String,
    /// Link target.
    pub href: Option<String>,
    /// Badge class (`ok`, `warn`, `bad`).
    pub badge: Option<&'static str>,
    /// Right-aligned number.
    pub num: bool,
}

impl Cell {
    /// Plain text.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            ..Cell::default()
        }
    }

    /// A link.
    pub fn link(text: impl Into<String>, href: String) -> Cell {
        Cell {
            href: Some(href),
            ..Cell::text(text)
        }
    }

    /// A status badge of class `class`.
    pub fn badge(text: impl Into<String>, class: &'static str) -> Cell {
        Cell {
            badge: Some(class),
            ..Cell::text(text)
        }
    }

    /// A right-aligned amount or count.
    pub fn num(text: impl Into<String>) -> Cell {
        Cell {
            num: true,
            ..Cell::text(text)
        }
    }
}

/// A filter control of the search form.
#[derive(Debug, Clone, Serialize)]
pub struct Filter {
    /// Query parameter (`q`, `status`, `source`, `topic`).
    pub name: &'static str,
    /// Label (also the placeholder of a text box).
    pub label: &'static str,
    /// Choices of a select; empty for a search box.
    pub options: Vec<&'static str>,
}

impl Filter {
    /// A search box for parameter `name`.
    pub fn search(name: &'static str, label: &'static str) -> Filter {
        Filter {
            name,
            label,
            options: Vec::new(),
        }
    }

    /// A select of `options` (plus "any") for parameter `name`.
    pub fn select(name: &'static str, label: &'static str, options: Vec<&'static str>) -> Filter {
        Filter {
            name,
            label,
            options,
        }
    }
}

/// What a list page shows.
#[derive(Debug, Clone)]
pub struct ListView {
    /// The page's path (form action, pager links, htmx requests).
    pub path: &'static str,
    /// Heading and title.
    pub title: &'static str,
    /// Columns, in order; each row has one cell per column.
    pub columns: &'static [Column],
    /// Filter controls.
    pub filters: Vec<Filter>,
    /// Shown when nothing matches.
    pub empty: &'static str,
}

/// The query string of a list page. Empty values count as absent (a plain
/// form submits every field).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListParams {
    /// Search text.
    pub q: Option<String>,
    /// Status label.
    pub status: Option<String>,
    /// Event source.
    pub source: Option<String>,
    /// Event topic.
    pub topic: Option<String>,
    /// Keyset cursor of this page.
    pub cursor: Option<String>,
    /// Rows per page.
    pub limit: Option<String>,
}

impl ListParams {
    /// The value of parameter `name`, trimmed, if not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        let value = match name {
            "q" => &self.q,
            "status" => &self.status,
            "source" => &self.source,
            "topic" => &self.topic,
            "cursor" => &self.cursor,
            "limit" => &self.limit,
            _ => return None,
        };
        value.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }

    /// Rows per page.
    fn limit(&self) -> Result<u32, ApiError> {
        match self.get("limit") {
            None => Ok(PAGE_SIZE),
            Some(text) => text
                .parse()
                .ok()
                .filter(|n| (1..=MAX_PAGE).contains(n))
                .ok_or_else(|| {
                    ApiError::bad_request("limit", format!("`{text}` is not in 1..={MAX_PAGE}"))
                }),
        }
    }

    /// The store query of this page; only the given `filters` are passed on.
    pub fn query(&self, filters: &[&str]) -> Result<ListQuery, ApiError> {
        let take = |name: &str| {
            filters
                .contains(&name)
                .then(|| self.get(name).map(str::to_string))
                .flatten()
        };
        Ok(ListQuery {
            limit: self.limit()?,
            cursor: self.get("cursor").map(str::to_string),
            q: take("q"),
            status: take("status"),
            source: take("source"),
            topic: take("topic"),
            ..ListQuery::default()
        })
    }

    /// The link to the page after `cursor` with the same filters.
    fn href(&self, path: &str, cursor: Option<&str>) -> String {
        let mut pairs: Vec<(&str, &str)> = ["q", "status", "source", "topic", "limit"]
            .into_iter()
            .filter_map(|name| self.get(name).map(|v| (name, v)))
            .collect();
        if let Some(cursor) = cursor {
            pairs.push(("cursor", cursor));
        }
        match serde_urlencoded::to_string(&pairs) {
            Ok(query) if !query.is_empty() => format!("{path}?{query}"),
            _ => path.to_string(),
        }
    }
}

/// One page of table rows.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// One cell per column in each row.
    pub rows: Vec<Vec<Cell>>,
    /// Cursor of the next page, if there is one.
    pub next: Option<String>,
}

/// Loads one page of `kind` with the filters in `params` that `kind`
/// accepts, and turns each item into cells with `row`.
pub async fn load(
    state: &AppState,
    kind: ListKind,
    params: &ListParams,
    row: fn(&Value) -> Vec<Cell>,
) -> Result<Rows, ApiError> {
    let query = params.query(kind.filters())?;
    let page = state.store.list(kind, &query).await?;
    Ok(Rows {
        rows: page.items.iter().map(row).collect(),
        next: page.next,
    })
}

/// Whether the request is an htmx request for part of the page (a history
/// restore after a cache miss needs the whole page).
pub fn is_fragment_request(headers: &HeaderMap) -> bool {
    let set = |name: &str| headers.get(name).is_some_and(|v| v.as_bytes() == b"true");
    set("hx-request") && !set("hx-history-restore-request")
}

/// The full page, or for htmx only the rows. A refused query (bad status
/// label, stale cursor) shows its message in the table; other errors get
/// the error page.
pub fn respond(
    caller: &Caller,
    headers: &HeaderMap,
    view: &ListView,
    params: &ListParams,
    rows: Result<Rows, ApiError>,
) -> Response {
    let (rows, error, status) = match rows {
        Ok(rows) => (rows, None, StatusCode::OK),
        Err(e) if e.status.is_client_error() => (Rows::default(), Some(e.message), e.status),
        Err(e) => return error_page(Some(caller), e),
    };
    let current: std::collections::BTreeMap<&str, &str> = view
        .filters
        .iter()
        .map(|f| (f.name, params.get(f.name).unwrap_or("")))
        .collect();
    let next = rows
        .next
        .as_deref()
        .map(|c| params.href(view.path, Some(c)));
    let first = params.get("cursor").map(|_| params.href(view.path, None));
    let ctx = context! {
        path => view.path,
        columns => view.columns,
        filters => view.filters,
        current => current,
        rows => rows.rows,
        empty => view.empty,
        error => error,
        next => next,
        first => first,
    };
    let mut response = if is_fragment_request(headers) {
        // htmx swaps only 2xx answers: the message must arrive as rows.
        html(StatusCode::OK, "list_rows.html", ctx)
    } else {
        let mut response = page(caller, view.path, "list.html", view.title, ctx);
        *response.status_mut() = status;
        response
    };
    response.headers_mut().insert(
        axum::http::header::VARY,
        HeaderValue::from_static("HX-Request"),
    );
    response
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn params(pairs: &str) -> ListParams {
        serde_urlencoded::from_str(pairs).unwrap()
    }

    #[test]
    fn empty_values_are_absent_and_only_accepted_filters_pass() {
        let p = params("q=+wool+&status=&source=shopify&cursor=abc");
        let query = p.query(ListKind::Products.filters()).unwrap();
        assert_eq!(query.q.as_deref(), Some("wool"));
        assert_eq!(query.status, None);
        assert_eq!(query.source, None);
        assert_eq!(query.cursor.as_deref(), Some("abc"));
        assert_eq!(query.limit, PAGE_SIZE);
        assert!(params("limit=0").query(&[]).is_err());
        assert_eq!(params("limit=7").query(&[]).unwrap().limit, 7);
    }

    #[test]
    fn pager_links_keep_the_filters() {
        let p = params("q=a%26b&status=paid&cursor=old");
        assert_eq!(
            p.href("/orders", Some("n/1")),
            "/orders?q=a%26b&status=paid&cursor=n%2F1"
        );
        assert_eq!(p.href("/orders", None), "/orders?q=a%26b&status=paid");
        assert_eq!(params("").href("/orders", None), "/orders");
    }

    #[test]
    fn fragments_only_for_htmx_and_not_for_history_restores() {
        let mut h = HeaderMap::new();
        assert!(!is_fragment_request(&h));
        h.insert("hx-request", HeaderValue::from_static("true"));
        assert!(is_fragment_request(&h));
        h.insert(
            "hx-history-restore-request",
            HeaderValue::from_static("true"),
        );
        assert!(!is_fragment_request(&h));
    }
}
