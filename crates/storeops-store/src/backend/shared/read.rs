//! Point reads (product, order, customer), table counts and event appends.

use storeops_domain::{Customer, Event, Order, Product};

use super::insert::from_json;
use super::{Db, Engine};
use crate::counts::StoreCounts;
use crate::error::StoreError;

/// Row counts of every table, in `StoreCounts` field order.
type CountRow = (
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
);

impl Engine {
    /// Reads the `data` column of the row whose key column equals `key`.
    async fn data(&self, sql: &'static str, key: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar::<Db, String>(sql)
            .bind(key)
            .fetch_optional(&self.reader)
            .await?)
    }

    /// The product with this handle.
    pub(crate) async fn product(&self, handle: &str) -> Result<Option<Product>, StoreError> {
        let data = self
            .data("SELECT data FROM products WHERE handle = $1", handle)
            .await?;
        data.map(|d| from_json("products", handle, &d)).transpose()
    }

    /// The order with this name.
    pub(crate) async fn order(&self, name: &str) -> Result<Option<Order>, StoreError> {
        let data = self
            .data("SELECT data FROM orders WHERE name = $1", name)
            .await?;
        data.map(|d| from_json("orders", name, &d)).transpose()
    }

    /// The customer with this natural key (`id:…` or `email:…`).
    pub(crate) async fn customer(&self, key: &str) -> Result<Option<Customer>, StoreError> {
        let data = self
            .data("SELECT data FROM customers WHERE key = $1", key)
            .await?;
        data.map(|d| from_json("customers", key, &d)).transpose()
    }

    /// Number of rows per table.
    pub(crate) async fn counts(&self) -> Result<StoreCounts, StoreError> {
        let row: CountRow = sqlx::query_as::<Db, CountRow>(
            "SELECT (SELECT COUNT(*) FROM products), (SELECT COUNT(*) FROM variants), \
             (SELECT COUNT(*) FROM locations), (SELECT COUNT(*) FROM inventory_levels), \
             (SELECT COUNT(*) FROM inventory_adjustments), (SELECT COUNT(*) FROM customers), \
             (SELECT COUNT(*) FROM orders), (SELECT COUNT(*) FROM order_lines), \
             (SELECT COUNT(*) FROM shipments), (SELECT COUNT(*) FROM returns), \
             (SELECT COUNT(*) FROM refunds), (SELECT COUNT(*) FROM tickets), \
             (SELECT COUNT(*) FROM docs), (SELECT COUNT(*) FROM events)",
        )
        .fetch_one(&self.reader)
        .await?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok(StoreCounts {
            products: n(row.0),
            variants: n(row.1),
            locations: n(row.2),
            inventory_levels: n(row.3),
            inventory_adjustments: n(row.4),
            customers: n(row.5),
            orders: n(row.6),
            order_lines: n(row.7),
            shipments: n(row.8),
            returns: n(row.9),
            refunds: n(row.10),
            tickets: n(row.11),
            docs: n(row.12),
            events: n(row.13),
        })
    }

    /// Stores an event (with its status and error) unless one with the same
    /// (source, external id) exists; true when it was new.
    pub(crate) async fn append_event(&self, event: &Event) -> Result<bool, StoreError> {
        let result = sqlx::query::<Db>(
            "INSERT INTO events (source, topic, external_id, payload, received_at, status, error) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source, external_id) DO NOTHING",
        )
        .bind(&event.source)
        .bind(&event.topic)
        .bind(&event.external_id)
        .bind(sqlx::types::Json(&event.payload))
        .bind(event.received_at)
        .bind(event.status.as_str())
        .bind(event.error.as_deref())
        .execute(&self.writer)
        .await?;
        Ok(result.rows_affected() == 1)
    }
}
