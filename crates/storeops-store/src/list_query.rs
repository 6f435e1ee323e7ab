//! Checking a [`ListQuery`] against its [`ListKind`] before any SQL: limit,
//! cursor, which filters the kind accepts, status labels (canonical, aliases
//! accepted), time bounds, the escaped search pattern and the customer
//! filter. The result, [`Checked`], is what the backends turn into SQL.

use chrono::{DateTime, Utc};
use storeops_domain::labels::{normalize_label, UnknownLabel};
use storeops_domain::normalize::normalize_email;
use storeops_domain::{
    EventStatus, FinancialStatus, FulfillmentStatus, ProductStatus, ReturnStatus, ShipmentStatus,
    TicketStatus,
};

use crate::cursor::{self, After};
use crate::error::StoreError;
use crate::list::{ListKind, ListQuery};

/// Which status columns a `status` filter compares with, and with what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StatusMatch {
    /// Label for the kind's status column (orders: financial status).
    pub first: Option<&'static str>,
    /// Orders only: label for the fulfillment status column.
    pub second: Option<&'static str>,
}

/// Who a `customer` filter means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CustomerMatch {
    /// `id:…`: the platform customer id only.
    Id(String),
    /// `email:…`: the e-mail only (normalised: trimmed, lower-cased).
    Email(String),
    /// Plain text: the platform id or the e-mail (lower-cased).
    Either {
        /// Compared with the platform id.
        id: String,
        /// Compared with the normalised e-mail.
        email: String,
    },
}

/// A query checked against its kind, ready to become SQL.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    /// Rows to fetch: the page size plus one, to learn whether more follow.
    pub fetch: i64,
    /// Where the previous page ended.
    pub after: Option<After>,
    /// `LIKE`/`ILIKE` pattern of `q` (escaped with `\`).
    pub pattern: Option<String>,
    /// Status filter.
    pub status: Option<StatusMatch>,
    /// Inclusive lower time bound.
    pub since: Option<DateTime<Utc>>,
    /// Exclusive upper time bound.
    pub until: Option<DateTime<Utc>>,
    /// Exact SKU.
    pub sku: Option<String>,
    /// Customer filter.
    pub customer: Option<CustomerMatch>,
    /// Exact order name.
    pub order: Option<String>,
    /// Exact event source.
    pub source: Option<String>,
    /// Exact event topic.
    pub topic: Option<String>,
}

impl ListQuery {
    /// Checks the query against `kind`: the limit, the cursor, that every
    /// filter given is one the kind supports, status labels and time bounds.
    pub(crate) fn check(&self, kind: ListKind) -> Result<Checked, StoreError> {
        if !(1..=ListQuery::MAX_LIMIT).contains(&self.limit) {
            return Err(StoreError::invalid(
                "limit",
                format!("must be between 1 and {}", ListQuery::MAX_LIMIT),
            ));
        }
        let given = [
            ("q", self.q.is_some()),
            ("status", self.status.is_some()),
            ("since", self.since.is_some()),
            ("until", self.until.is_some()),
            ("sku", self.sku.is_some()),
            ("customer", self.customer.is_some()),
            ("order", self.order.is_some()),
            ("source", self.source.is_some()),
            ("topic", self.topic.is_some()),
        ];
        for (field, present) in given {
            if present && !kind.filters().contains(&field) {
                return Err(StoreError::invalid(
                    field,
                    format!(
                        "{kind} cannot be filtered by {field}; filters: {}",
                        kind.filters().join(", ")
                    ),
                ));
            }
        }
        if let (Some(since), Some(until)) = (self.since, self.until) {
            if until < since {
                return Err(StoreError::invalid("until", "is before since"));
            }
        }
        Ok(Checked {
            fetch: i64::from(self.limit) + 1,
            after: self
                .cursor
                .as_deref()
                .map(|text| cursor::decode(kind, text))
                .transpose()?,
            pattern: self
                .q
                .as_deref()
                .filter(|q| !q.is_empty())
                .map(like_pattern),
            status: self
                .status
                .as_deref()
                .map(|s| status_match(kind, s))
                .transpose()?,
            since: self.since,
            until: self.until,
            sku: self.sku.clone(),
            customer: self.customer.as_deref().map(customer_match),
            order: self.order.clone(),
            source: self.source.clone(),
            topic: self.topic.clone(),
        })
    }
}

/// `%text%` with `\`, `%` and `_` escaped by `\` (for `ESCAPE '\'`).
pub(crate) fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Reads a `customer` filter value.
fn customer_match(text: &str) -> CustomerMatch {
    let text = text.trim();
    if let Some(id) = text.strip_prefix("id:") {
        CustomerMatch::Id(id.trim().to_string())
    } else if let Some(email) = text.strip_prefix("email:") {
        CustomerMatch::Email(normalize_email(email))
    } else {
        CustomerMatch::Either {
            id: text.to_string(),
            email: normalize_email(text),
        }
    }
}

/// The canonical label of `text` in one label enum: an exact canonical match
/// first, then `parse` (aliases).
fn label<T: Copy>(
    all: &[T],
    as_str: fn(&T) -> &'static str,
    parse: fn(&str) -> Result<T, UnknownLabel>,
    text: &str,
) -> Result<&'static str, UnknownLabel> {
    let wanted = normalize_label(text);
    match all.iter().find(|v| as_str(v) == wanted) {
        Some(v) => Ok(as_str(v)),
        None => parse(text).map(|v| as_str(&v)),
    }
}

/// Checks a `status` filter value against the kind's status labels.
fn status_match(kind: ListKind, text: &str) -> Result<StatusMatch, StoreError> {
    let one = |label: Result<&'static str, UnknownLabel>| {
        label
            .map(|l| StatusMatch {
                first: Some(l),
                second: None,
            })
            .map_err(|e| StoreError::invalid("status", e.to_string()))
    };
    match kind {
        ListKind::Products => one(label(
            ProductStatus::ALL,
            ProductStatus::as_str,
            ProductStatus::parse,
            text,
        )),
        ListKind::Shipments => one(label(
            ShipmentStatus::ALL,
            ShipmentStatus::as_str,
            ShipmentStatus::parse,
            text,
        )),
        ListKind::Returns => one(label(
            ReturnStatus::ALL,
            ReturnStatus::as_str,
            ReturnStatus::parse,
            text,
        )),
        ListKind::Tickets => one(label(
            TicketStatus::ALL,
            TicketStatus::as_str,
            TicketStatus::parse,
            text,
        )),
        ListKind::Events => one(label(
            EventStatus::ALL,
            EventStatus::as_str,
            EventStatus::parse,
            text,
        )),
        ListKind::Orders => order_status(text),
        _ => Err(StoreError::invalid(
            "status",
            format!("{kind} cannot be filtered by status"),
        )),
    }
}

/// An order status filter: financial or fulfillment label. A canonical
/// label of either enum matches only that (`pending` is the financial
/// status, not the fulfillment alias); otherwise aliases of both apply.
fn order_status(text: &str) -> Result<StatusMatch, StoreError> {
    let wanted = normalize_label(text);
    let financial = FinancialStatus::ALL
        .iter()
        .find(|s| s.as_str() == wanted)
        .map(FinancialStatus::as_str);
    let fulfillment = FulfillmentStatus::ALL
        .iter()
        .find(|s| s.as_str() == wanted)
        .map(FulfillmentStatus::as_str);
    let found = if financial.is_some() || fulfillment.is_some() {
        StatusMatch {
            first: financial,
            second: fulfillment,
        }
    } else {
        StatusMatch {
            first: FinancialStatus::parse(text).ok().map(|s| s.as_str()),
            second: FulfillmentStatus::parse(text).ok().map(|s| s.as_str()),
        }
    };
    if found.first.is_none() && found.second.is_none() {
        let expected: Vec<&str> = FinancialStatus::ALL
            .iter()
            .map(FinancialStatus::as_str)
            .chain(FulfillmentStatus::ALL.iter().map(FulfillmentStatus::as_str))
            .collect();
        return Err(StoreError::invalid(
            "status",
            format!("`{}` is not one of: {}", text.trim(), expected.join(", ")),
        ));
    }
    Ok(found)
}
