//! Upserts of inventory levels and ledger entries.

use std::collections::HashMap;

use storeops_domain::{InventoryAdjustment, InventoryLevel};

use super::insert::{insert_values, plan_by_key, select_in, Conn};
use crate::counts::UpsertCounts;
use crate::error::StoreError;
use crate::plan::{distinct_keys, plan, Keyed};

/// Upserts inventory levels, keyed by (sku, location).
pub(crate) async fn levels(
    conn: &mut Conn,
    items: Vec<Keyed<'_, (String, String), InventoryLevel>>,
) -> Result<UpsertCounts, StoreError> {
    if items.is_empty() {
        return Ok(UpsertCounts::default());
    }
    let mut skus: Vec<String> = distinct_keys(&items)
        .into_iter()
        .map(|(sku, _)| sku)
        .collect();
    skus.sort_unstable();
    skus.dedup();
    let rows: Vec<(String, String, String)> = select_in(
        conn,
        "SELECT sku, location, content_hash FROM inventory_levels WHERE sku IN ",
        &skus,
        "",
    )
    .await?;
    let stored: HashMap<(String, String), String> =
        rows.into_iter().map(|(s, l, h)| ((s, l), h)).collect();
    let (counts, writes) = plan(items, &stored);
    insert_values(
        conn,
        "INSERT INTO inventory_levels (sku, location, on_hand, committed, available, incoming, counted_at, \
         content_hash, data) ",
        9,
        " ON CONFLICT (sku, location) DO UPDATE SET on_hand = excluded.on_hand, committed = excluded.committed, \
         available = excluded.available, incoming = excluded.incoming, counted_at = excluded.counted_at, \
         content_hash = excluded.content_hash, data = excluded.data",
        &writes,
        |values, w| {
            let l = w.record;
            values
                .push_bind(&l.sku)
                .push_bind(&l.location)
                .push_bind(l.on_hand)
                .push_bind(l.committed)
                .push_bind(l.available)
                .push_bind(l.incoming)
                .push_bind(l.counted_at)
                .push_bind(&w.hash)
                .push_bind(&w.json);
        },
    )
    .await?;
    Ok(counts)
}

/// Upserts ledger entries, keyed by id.
pub(crate) async fn adjustments(
    conn: &mut Conn,
    items: Vec<Keyed<'_, String, InventoryAdjustment>>,
) -> Result<UpsertCounts, StoreError> {
    if items.is_empty() {
        return Ok(UpsertCounts::default());
    }
    let (counts, writes) = plan_by_key(
        conn,
        "SELECT id, content_hash FROM inventory_adjustments WHERE id IN ",
        items,
    )
    .await?;
    insert_values(
        conn,
        "INSERT INTO inventory_adjustments (id, sku, location, delta, reason, occurred_at, reference, \
         content_hash, data) ",
        9,
        " ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, location = excluded.location, \
         delta = excluded.delta, reason = excluded.reason, occurred_at = excluded.occurred_at, \
         reference = excluded.reference, content_hash = excluded.content_hash, data = excluded.data",
        &writes,
        |values, w| {
            let a = w.record;
            values
                .push_bind(&a.id)
                .push_bind(&a.sku)
                .push_bind(&a.location)
                .push_bind(a.delta)
                .push_bind(a.reason.map(|r| r.as_str()))
                .push_bind(a.occurred_at)
                .push_bind(a.reference.as_deref())
                .push_bind(&w.hash)
                .push_bind(&w.json);
        },
    )
    .await?;
    Ok(counts)
}
