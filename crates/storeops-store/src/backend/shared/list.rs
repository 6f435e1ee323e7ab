//! Listing and point reads for the JSON API (`Store::list`, `Store::get`):
//! one SELECT per call (two when a shipments page runs past the last shipped
//! row) with keyset pagination (the cursor's sort key in a row-value
//! comparison that the sort-order indexes of migration 0002 serve), filters
//! bound as parameters and column names only from the constants below. The
//! filter matrix and orders are documented on `ListKind`.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sqlx::Row as _;
use storeops_domain::EventStatus;

use super::select::{Row, Select};
use super::Engine;
use crate::cursor::After;
use crate::error::StoreError;
use crate::list::{page, ListKind, ListQuery, Page};
use crate::list_query::Checked;

/// The fixed SQL of one kind.
struct Spec {
    /// `SELECT … FROM table` (the columns `decode` reads, in order).
    head: &'static str,
    /// `ORDER BY` of the listing (matches the cursor comparison).
    order: &'static str,
    /// Columns `q` searches.
    search: &'static [&'static str],
    /// Column `since`/`until` bound.
    time: &'static str,
    /// Trimmed platform-id and normalised e-mail expressions `customer`
    /// matches (indexed by migration 0002).
    customer: (&'static str, &'static str),
}

/// The fixed SQL of `kind`.
fn spec(kind: ListKind) -> Spec {
    let spec = |head, order, search, time| Spec {
        head,
        order,
        search,
        time,
        customer: ("", ""),
    };
    match kind {
        ListKind::Products => spec(
            "SELECT handle, data FROM products",
            "handle",
            &["title", "handle"],
            "",
        ),
        ListKind::Variants => spec(
            "SELECT handle, position, sku, price_minor, compare_at_minor, cost_minor, currency, gtin \
             FROM variants",
            "handle, position",
            &["sku", "handle"],
            "",
        ),
        ListKind::Inventory => spec(
            "SELECT sku, location, data FROM inventory_levels",
            "sku, location",
            &["location"],
            "",
        ),
        ListKind::Customers => spec(
            "SELECT key, data FROM customers",
            "key",
            &["email", "name", "key"],
            "",
        ),
        ListKind::Orders => Spec {
            customer: ("trim(customer_external_id)", "lower(trim(email))"),
            ..spec(
                "SELECT created_at, name, data FROM orders",
                "created_at DESC, name DESC",
                &["name", "email"],
                "created_at",
            )
        },
        ListKind::Shipments => spec(
            "SELECT shipped_at, id, data FROM shipments",
            "shipped_at DESC NULLS LAST, id DESC",
            &[],
            "shipped_at",
        ),
        ListKind::Returns => spec(
            "SELECT requested_at, id, data FROM returns",
            "requested_at DESC, id DESC",
            &[],
            "requested_at",
        ),
        ListKind::Tickets => Spec {
            customer: ("trim(customer_external_id)", "customer_email_normalized"),
            ..spec(
                "SELECT created_at, id, data FROM tickets",
                "created_at DESC, id DESC",
                &["subject"],
                "created_at",
            )
        },
        ListKind::Docs => spec(
            "SELECT key, version, data FROM docs",
            "key, version",
            &["title", "key"],
            "",
        ),
        ListKind::Events => spec(
            "SELECT id, source, topic, external_id, status, error, received_at, payload FROM events",
            "id DESC",
            &[],
            "received_at",
        ),
    }
}

/// Adds the filters of a checked query (only those `kind` supports are set).
fn filter(select: &mut Select, kind: ListKind, spec: &Spec, q: &Checked) {
    if let Some(pattern) = &q.pattern {
        select.like(spec.search, pattern);
    }
    if let Some(m) = q.status {
        if kind == ListKind::Orders {
            select.status("financial_status", "fulfillment_status", m);
        } else {
            select.status("status", "status", m);
        }
    }
    select.between(spec.time, q.since, q.until);
    if let Some(sku) = &q.sku {
        if kind == ListKind::Orders {
            select
                .and()
                .push("name IN (SELECT order_name FROM order_lines WHERE sku = ")
                .push_bind(sku.clone())
                .push(")");
        } else {
            select.eq("sku", sku);
        }
    }
    if let Some(m) = &q.customer {
        select.customer(spec.customer, m);
    }
    if let Some(order) = &q.order {
        select.eq("order_name", order);
    }
    if let Some(source) = &q.source {
        select.eq("source", source);
    }
    if let Some(topic) = &q.topic {
        select.eq("topic", topic);
    }
}

impl Engine {
    /// One page of `kind`.
    pub(crate) async fn list(&self, kind: ListKind, query: &ListQuery) -> Result<Page, StoreError> {
        let checked = query.check(kind)?;
        let spec = spec(kind);
        let select = |after: Option<&After>| -> Result<Select, StoreError> {
            let mut select = Select::new(spec.head);
            filter(&mut select, kind, &spec, &checked);
            if let Some(after) = after {
                select.after(kind, after)?;
            }
            Ok(select)
        };
        let mut rows = select(checked.after.as_ref())?
            .fetch(self, spec.order, checked.fetch)
            .await?;
        // After a shipped row, the unshipped ones follow once the shipped run
        // out: a second index-friendly query rather than an OR in the first.
        if let Some(After::MaybeAtKey(Some(_), _)) = &checked.after {
            let missing = checked.fetch - i64::try_from(rows.len()).unwrap_or(i64::MAX);
            if missing > 0 {
                let mut unshipped = select(None)?;
                unshipped.and().push("shipped_at IS NULL");
                rows.extend(unshipped.fetch(self, spec.order, missing).await?);
            }
        }
        let decoded = rows
            .iter()
            .map(|row| decode(kind, row))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(page(kind, decoded, checked.fetch))
    }

    /// One item of `kind` by its key (see `ListKind`).
    pub(crate) async fn get(&self, kind: ListKind, key: &str) -> Result<Option<Value>, StoreError> {
        let mut select = Select::new(spec(kind).head);
        let order = match kind {
            ListKind::Products => {
                select.eq("handle", key);
                "handle"
            }
            ListKind::Variants => {
                select.eq("sku", key);
                "handle, position"
            }
            ListKind::Inventory => {
                let Some((sku, location)) = key.split_once('@') else {
                    return Ok(None);
                };
                select.eq("sku", sku);
                select.eq("location", location);
                "sku"
            }
            ListKind::Customers => {
                select.eq("key", key);
                "key"
            }
            ListKind::Orders => {
                select.eq("name", key);
                "name"
            }
            ListKind::Shipments | ListKind::Returns | ListKind::Tickets => {
                select.eq("id", key);
                "id"
            }
            ListKind::Docs => {
                select.eq("key", key);
                "version DESC"
            }
            ListKind::Events => {
                let Ok(id) = key.parse::<i64>() else {
                    return Ok(None);
                };
                select.and().push("id = ").push_bind(id);
                "id"
            }
        };
        let rows = select.fetch(self, order, 1).await?;
        rows.first()
            .map(|row| decode(kind, row).map(|(_, item)| item))
            .transpose()
    }
}

/// Parses a `data` column.
fn data(table: &'static str, key: &str, text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        table,
        key: key.to_string(),
        message: e.to_string(),
    })
}

/// A row of `kind`'s head as (sort key, API item).
fn decode(kind: ListKind, row: &Row) -> Result<(After, Value), StoreError> {
    let text = |i: usize| row.try_get::<String, _>(i);
    Ok(match kind {
        ListKind::Products => {
            let handle = text(0)?;
            let item = data("products", &handle, &text(1)?)?;
            (After::Key(handle), item)
        }
        ListKind::Customers => {
            let key = text(0)?;
            let mut item = data("customers", &key, &text(1)?)?;
            if let Some(object) = item.as_object_mut() {
                object.insert("key".to_string(), Value::String(key.clone()));
            }
            (After::Key(key), item)
        }
        ListKind::Inventory => {
            let (sku, location) = (text(0)?, text(1)?);
            let item = data("inventory_levels", &format!("{sku}@{location}"), &text(2)?)?;
            (After::KeyKey(sku, location), item)
        }
        ListKind::Docs => {
            let (key, version) = (text(0)?, row.try_get::<i64, _>(1)?);
            let item = data("docs", &format!("{key} v{version}"), &text(2)?)?;
            (After::KeyNum(key, version), item)
        }
        ListKind::Variants => {
            let handle = text(0)?;
            let position: i64 = row.try_get(1)?;
            let item = json!({
                "handle": handle,
                "position": position,
                "sku": row.try_get::<Option<String>, _>(2)?,
                "price_minor": row.try_get::<Option<i64>, _>(3)?,
                "compare_at_minor": row.try_get::<Option<i64>, _>(4)?,
                "cost_minor": row.try_get::<Option<i64>, _>(5)?,
                "currency": row.try_get::<Option<String>, _>(6)?,
                "gtin": row.try_get::<Option<String>, _>(7)?,
            });
            (After::KeyNum(handle, position), item)
        }
        ListKind::Orders | ListKind::Returns | ListKind::Tickets => {
            let at: DateTime<Utc> = row.try_get(0)?;
            let id = text(1)?;
            let item = data(kind.as_str(), &id, &text(2)?)?;
            (After::AtKey(at, id), item)
        }
        ListKind::Shipments => {
            let at: Option<DateTime<Utc>> = row.try_get(0)?;
            let id = text(1)?;
            let item = data("shipments", &id, &text(2)?)?;
            (After::MaybeAtKey(at, id), item)
        }
        ListKind::Events => {
            let id: i64 = row.try_get(0)?;
            let status = text(4)?;
            let status = EventStatus::parse(&status).map_err(|e| StoreError::Corrupt {
                table: "events",
                key: id.to_string(),
                message: e.to_string(),
            })?;
            let received_at: DateTime<Utc> = row.try_get(6)?;
            let payload: sqlx::types::Json<Value> = row.try_get(7)?;
            let item = json!({
                "id": id,
                "source": text(1)?,
                "topic": text(2)?,
                "external_id": text(3)?,
                "status": status.as_str(),
                "error": row.try_get::<Option<String>, _>(5)?,
                "received_at": received_at,
                "payload": payload.0,
            });
            (After::Num(id), item)
        }
    })
}
