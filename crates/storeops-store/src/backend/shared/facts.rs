//! `audit_facts`: the data-readiness read model, read in one snapshot. Joins
//! and aggregates (ledger sums, restocked returns) run in SQL; ordering and
//! ticket linking happen in `crate::facts`, shared by both backends.

use chrono::{DateTime, Utc};
use sqlx::{Database, FromRow};
use storeops_domain::facts::{
    AuditFacts, IdentityFacts, LevelFacts, ProductFacts, ReturnFacts, VariantFacts,
};
use storeops_domain::{IdentityKind, KnowledgeDoc, ProductStatus, ReturnStatus};

use super::insert::{from_json, Conn};
use super::{Db, Engine, BEGIN_SNAPSHOT};
use crate::error::StoreError;
use crate::facts::{sort_facts, tickets_unlinked, TicketLinks};

/// Runs a query without binds and decodes every row.
async fn all<R>(conn: &mut Conn, sql: &'static str) -> Result<Vec<R>, StoreError>
where
    R: for<'r> FromRow<'r, <Db as Database>::Row> + Send + Unpin,
{
    Ok(sqlx::query_as::<Db, R>(sql).fetch_all(&mut *conn).await?)
}

/// Runs a `SELECT COUNT(*)`.
async fn count(conn: &mut Conn, sql: &'static str) -> Result<u64, StoreError> {
    let n: i64 = sqlx::query_scalar::<Db, i64>(sql)
        .fetch_one(&mut *conn)
        .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// A label column that must parse as `T`.
fn label<T>(
    table: &'static str,
    key: &str,
    text: &str,
    parse: fn(&str) -> Result<T, storeops_domain::labels::UnknownLabel>,
) -> Result<T, StoreError> {
    parse(text).map_err(|e| StoreError::Corrupt {
        table,
        key: key.to_string(),
        message: e.to_string(),
    })
}

/// A non-negative count column.
fn unsigned<T: TryFrom<i64>>(table: &'static str, key: &str, value: i64) -> Result<T, StoreError> {
    T::try_from(value).map_err(|_| StoreError::Corrupt {
        table,
        key: key.to_string(),
        message: format!("{value} is out of range"),
    })
}

type LevelRow = (String, String, i64, i64, Option<DateTime<Utc>>, i64, i64);
type ReturnRow = (String, String, Option<DateTime<Utc>>, bool, bool);
type TicketRow = (String, Option<String>, Option<String>, Option<String>);
type VariantRow = (
    String,
    i64,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

impl Engine {
    /// Computes the audit facts (same definition as
    /// `storeops_insights::facts_from_records`).
    pub(crate) async fn audit_facts(&self) -> Result<AuditFacts, StoreError> {
        let mut tx = self.reader.begin_with(BEGIN_SNAPSHOT).await?;
        let conn: &mut Conn = &mut tx;
        let mut facts = AuditFacts::default();
        let products: Vec<(String, String, i64, i64, String, bool)> = all(
            conn,
            "SELECT handle, title, description_len, image_count, status, regulated FROM products",
        )
        .await?;
        for (handle, title, description_len, image_count, status, regulated) in products {
            facts.products.push(ProductFacts {
                description_len: unsigned("products", &handle, description_len)?,
                image_count: unsigned("products", &handle, image_count)?,
                status: label("products", &handle, &status, ProductStatus::parse)?,
                regulated,
                title,
                handle,
            });
        }
        let variants: Vec<VariantRow> = all(
            conn,
            "SELECT handle, position, sku, price_minor, compare_at_minor, cost_minor, gtin FROM variants",
        )
        .await?;
        for (handle, position, sku, price_minor, compare_at_minor, cost_minor, gtin) in variants {
            facts.variants.push(VariantFacts {
                position: unsigned("variants", &handle, position)?,
                handle,
                sku,
                price_minor,
                compare_at_minor,
                cost_minor,
                gtin,
            });
        }
        let levels: Vec<LevelRow> = all(
            conn,
            "SELECT l.sku, l.location, l.on_hand, l.available, l.counted_at, COUNT(a.id), \
             CAST(COALESCE(SUM(a.delta), 0) AS BIGINT) \
             FROM inventory_levels l LEFT JOIN inventory_adjustments a ON a.sku = l.sku AND a.location = l.location \
             GROUP BY l.sku, l.location, l.on_hand, l.available, l.counted_at",
        )
        .await?;
        for (sku, location, on_hand, available, counted_at, entries, ledger_sum) in levels {
            facts.levels.push(LevelFacts {
                ledger_entries: unsigned("inventory_levels", &sku, entries)?,
                sku,
                location,
                on_hand,
                available,
                counted_at,
                ledger_sum,
            });
        }
        facts.adjustments_total = count(conn, "SELECT COUNT(*) FROM inventory_adjustments").await?;
        facts.adjustments_without_reason = sqlx::query_scalar::<Db, String>(
            "SELECT id FROM inventory_adjustments WHERE reason IS NULL",
        )
        .fetch_all(&mut *conn)
        .await?;
        let returns: Vec<ReturnRow> = all(
            conn,
            "SELECT r.id, r.status, r.received_at, r.restock, EXISTS (SELECT 1 FROM inventory_adjustments a \
             WHERE a.reference = r.id AND a.reason = 'return') FROM returns r",
        )
        .await?;
        for (id, status, received_at, restock, restocked_in_ledger) in returns {
            facts.returns.push(ReturnFacts {
                status: label("returns", &id, &status, ReturnStatus::parse)?,
                id,
                received_at,
                restock,
                restocked_in_ledger,
            });
        }
        facts.orders_total = count(conn, "SELECT COUNT(*) FROM orders").await?;
        facts.orders_without_customer =
            sqlx::query_scalar::<Db, String>("SELECT name FROM orders WHERE NOT has_customer")
                .fetch_all(&mut *conn)
                .await?;
        facts.customers_total = count(conn, "SELECT COUNT(*) FROM customers").await?;
        let identities: Vec<(String, String, String)> = all(
            conn,
            "SELECT customer_key, kind, normalized FROM customer_identities \
             WHERE kind IN ('email', 'phone') AND normalized <> ''",
        )
        .await?;
        for (customer_key, kind, normalized) in identities {
            facts.identities.push(IdentityFacts {
                kind: label(
                    "customer_identities",
                    &customer_key,
                    &kind,
                    IdentityKind::parse,
                )?,
                customer_key,
                normalized,
            });
        }
        facts.tickets_total = count(conn, "SELECT COUNT(*) FROM tickets").await?;
        let tickets: Vec<TicketRow> = all(
            conn,
            "SELECT id, customer_external_id, customer_email, order_name FROM tickets",
        )
        .await?;
        let tickets: Vec<TicketLinks> = tickets
            .into_iter()
            .map(
                |(id, customer_external_id, customer_email, order_name)| TicketLinks {
                    id,
                    customer_external_id,
                    customer_email,
                    order_name,
                },
            )
            .collect();
        let external_ids = sqlx::query_scalar::<Db, String>(
            "SELECT external_id FROM customers WHERE external_id IS NOT NULL",
        )
        .fetch_all(&mut *conn)
        .await?;
        let order_names = sqlx::query_scalar::<Db, String>("SELECT name FROM orders")
            .fetch_all(&mut *conn)
            .await?;
        facts.tickets_unlinked =
            tickets_unlinked(&tickets, &external_ids, &facts.identities, &order_names);
        let docs: Vec<(String, String)> = all(conn, "SELECT key, data FROM docs").await?;
        for (key, data) in docs {
            facts
                .docs
                .push(from_json::<KnowledgeDoc>("docs", &key, &data)?);
        }
        tx.commit().await?;
        sort_facts(&mut facts);
        Ok(facts)
    }
}
