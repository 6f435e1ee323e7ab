//! Upserts of return requests with their lines and refunds.

use std::collections::HashMap;

use storeops_domain::{Refund, ReturnRequest};

use super::insert::{delete_in, insert_values, plan_by_key, replaced_keys, Conn};
use crate::counts::UpsertCounts;
use crate::error::StoreError;
use crate::plan::Keyed;

/// Upserts return requests; lines and refunds of updated returns are
/// replaced. Refunds are keyed by their own id: when two returns carry the
/// same refund id, the one written last owns it.
pub(crate) async fn returns(
    conn: &mut Conn,
    items: Vec<Keyed<'_, String, ReturnRequest>>,
) -> Result<UpsertCounts, StoreError> {
    if items.is_empty() {
        return Ok(UpsertCounts::default());
    }
    let (counts, writes) = plan_by_key(
        conn,
        "SELECT id, content_hash FROM returns WHERE id IN ",
        items,
    )
    .await?;
    let changed = replaced_keys(&writes);
    delete_in(
        conn,
        "DELETE FROM return_lines WHERE return_id IN ",
        &changed,
    )
    .await?;
    delete_in(conn, "DELETE FROM refunds WHERE return_id IN ", &changed).await?;
    insert_values(
        conn,
        "INSERT INTO returns (id, order_name, status, requested_at, received_at, resolution, restock, \
         content_hash, data) ",
        9,
        " ON CONFLICT (id) DO UPDATE SET order_name = excluded.order_name, status = excluded.status, \
         requested_at = excluded.requested_at, received_at = excluded.received_at, \
         resolution = excluded.resolution, restock = excluded.restock, \
         content_hash = excluded.content_hash, data = excluded.data",
        &writes,
        |values, w| {
            let r = w.record;
            values
                .push_bind(&r.id)
                .push_bind(&r.order_name)
                .push_bind(r.status.as_str())
                .push_bind(r.requested_at)
                .push_bind(r.received_at)
                .push_bind(r.resolution.map(|res| res.as_str()))
                .push_bind(r.restock)
                .push_bind(&w.hash)
                .push_bind(&w.json);
        },
    )
    .await?;
    let lines: Vec<_> = writes
        .iter()
        .flat_map(|w| {
            w.record
                .lines
                .iter()
                .enumerate()
                .map(move |(i, l)| (&w.record.id, i as i64 + 1, l))
        })
        .collect();
    insert_values(
        conn,
        "INSERT INTO return_lines (return_id, position, sku, quantity, reason) ",
        5,
        "",
        &lines,
        |values, (id, position, line)| {
            values
                .push_bind(*id)
                .push_bind(*position)
                .push_bind(&line.sku)
                .push_bind(line.quantity)
                .push_bind(line.reason.as_str());
        },
    )
    .await?;
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut refunds: Vec<(&str, &Refund)> = Vec::new();
    for w in &writes {
        for refund in &w.record.refunds {
            match by_id.get(refund.id.as_str()) {
                Some(&slot) => refunds[slot] = (w.record.id.as_str(), refund),
                None => {
                    by_id.insert(&refund.id, refunds.len());
                    refunds.push((w.record.id.as_str(), refund));
                }
            }
        }
    }
    insert_values(
        conn,
        "INSERT INTO refunds (id, return_id, order_name, amount_minor, currency, created_at, reason) ",
        7,
        " ON CONFLICT (id) DO UPDATE SET return_id = excluded.return_id, order_name = excluded.order_name, \
         amount_minor = excluded.amount_minor, currency = excluded.currency, \
         created_at = excluded.created_at, reason = excluded.reason",
        &refunds,
        |values, (return_id, refund)| {
            values
                .push_bind(&refund.id)
                .push_bind(*return_id)
                .push_bind(&refund.order_name)
                .push_bind(refund.amount.minor)
                .push_bind(refund.amount.currency.code())
                .push_bind(refund.created_at)
                .push_bind(&refund.reason);
        },
    )
    .await?;
    Ok(counts)
}
