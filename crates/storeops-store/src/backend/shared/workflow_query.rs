//! Reads of the `store.query` workflow action (`crate::query`): SKUs at or
//! below their demand-derived reorder point (one grouped SELECT, filtered and
//! limited in SQL, then the locations of the SKUs returned), outcome rows of
//! an entity, and an order's name by its platform id.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::insert::select_in;
use super::{Db, Engine};
use crate::error::StoreError;
use crate::query::{LowStockRow, OutcomeRow, ReorderPolicy};

/// `sku, available, sold, reorder_point` of SKUs at or below their reorder
/// point. `$1`/`$2` bound the demand window, `$3` is the lead time, `$4` the
/// window length in days, `$5` the limit.
const LOW_STOCK: &str = "SELECT sku, available, sold, reorder_point FROM (\
     SELECT i.sku AS sku, CAST(SUM(i.available) AS BIGINT) AS available, \
     CAST(COALESCE(MAX(d.sold), 0) AS BIGINT) AS sold, \
     (CAST(COALESCE(MAX(d.sold), 0) AS BIGINT) * $3 + $4 - 1) / $4 AS reorder_point \
     FROM inventory_levels i LEFT JOIN (\
     SELECT l.sku AS sku, CAST(SUM(l.quantity) AS BIGINT) AS sold \
     FROM order_lines l JOIN orders o ON o.name = l.order_name \
     WHERE l.sku IS NOT NULL AND o.cancelled_at IS NULL \
     AND l.created_at > $1 AND l.created_at <= $2 GROUP BY l.sku) d ON d.sku = i.sku \
     GROUP BY i.sku) t WHERE available <= reorder_point ORDER BY sku LIMIT $5";

impl Engine {
    /// SKUs at or below their reorder point, by SKU, at most `limit`.
    pub(crate) async fn low_stock(
        &self,
        policy: ReorderPolicy,
        limit: u32,
    ) -> Result<Vec<LowStockRow>, StoreError> {
        if policy.window_days == 0 {
            return Err(StoreError::invalid("window_days", "must be at least 1"));
        }
        let since = policy.as_of - TimeDelta::days(i64::from(policy.window_days));
        let found: Vec<(String, i64, i64, i64)> =
            sqlx::query_as::<Db, (String, i64, i64, i64)>(LOW_STOCK)
                .bind(since)
                .bind(policy.as_of)
                .bind(i64::from(policy.lead_time_days))
                .bind(i64::from(policy.window_days))
                .bind(i64::from(limit))
                .fetch_all(&self.reader)
                .await?;
        let skus: Vec<String> = found.iter().map(|r| r.0.clone()).collect();
        let mut conn = self.reader.acquire().await?;
        let places: Vec<(String, String)> = select_in(
            &mut conn,
            "SELECT sku, location FROM inventory_levels WHERE sku IN ",
            &skus,
            " ORDER BY sku, location",
        )
        .await?;
        let mut locations: HashMap<String, Vec<String>> = HashMap::new();
        for (sku, location) in places {
            locations.entry(sku).or_default().push(location);
        }
        Ok(found
            .into_iter()
            .map(|(sku, available, sold, reorder_point)| LowStockRow {
                locations: locations.remove(&sku).unwrap_or_default(),
                sku,
                available,
                reorder_point,
                sold,
            })
            .collect())
    }

    /// Outcome rows of `entity`, by key, at most `limit`.
    pub(crate) async fn outcome_rows(
        &self,
        entity: &str,
        limit: u32,
    ) -> Result<Vec<OutcomeRow>, StoreError> {
        type Raw = (String, String, String, String, String, DateTime<Utc>);
        let rows: Vec<Raw> = sqlx::query_as::<Db, Raw>(
            "SELECT entity, key, fields, run_id, step, created_at FROM wf_outcomes \
             WHERE entity = $1 ORDER BY key LIMIT $2",
        )
        .bind(entity)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(entity, key, fields, run_id, step, created_at)| OutcomeRow {
                    entity,
                    key,
                    fields,
                    run_id,
                    step,
                    created_at,
                },
            )
            .collect())
    }

    /// The name of the order with this platform id (`external_id`).
    pub(crate) async fn order_name_by_id(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar::<Db, String>(
            "SELECT name FROM orders WHERE external_id = $1 ORDER BY name LIMIT 1",
        )
        .bind(id)
        .fetch_optional(&self.reader)
        .await?)
    }
}
