//! Upserts of orders (with lines) and shipments (with tracking events).

use storeops_domain::{Order, Shipment};

use super::insert::{delete_in, insert_values, plan_by_key, replaced_keys, Conn};
use crate::counts::UpsertCounts;
use crate::error::StoreError;
use crate::plan::Keyed;

/// Upserts orders; lines of updated orders are replaced. Each line carries
/// the order's `created_at` for per-SKU demand queries.
pub(crate) async fn orders(
    conn: &mut Conn,
    items: Vec<Keyed<'_, String, Order>>,
) -> Result<UpsertCounts, StoreError> {
    if items.is_empty() {
        return Ok(UpsertCounts::default());
    }
    let (counts, writes) = plan_by_key(
        conn,
        "SELECT name, content_hash FROM orders WHERE name IN ",
        items,
    )
    .await?;
    let changed = replaced_keys(&writes);
    delete_in(
        conn,
        "DELETE FROM order_lines WHERE order_name IN ",
        &changed,
    )
    .await?;
    insert_values(
        conn,
        "INSERT INTO orders (name, external_id, customer_external_id, email, phone, has_customer, created_at, \
         cancelled_at, currency, financial_status, fulfillment_status, total_minor, content_hash, data) ",
        14,
        " ON CONFLICT (name) DO UPDATE SET external_id = excluded.external_id, \
         customer_external_id = excluded.customer_external_id, email = excluded.email, phone = excluded.phone, \
         has_customer = excluded.has_customer, created_at = excluded.created_at, \
         cancelled_at = excluded.cancelled_at, currency = excluded.currency, \
         financial_status = excluded.financial_status, fulfillment_status = excluded.fulfillment_status, \
         total_minor = excluded.total_minor, content_hash = excluded.content_hash, data = excluded.data",
        &writes,
        |values, w| {
            let o = w.record;
            values
                .push_bind(&o.name)
                .push_bind(o.external_id.as_deref())
                .push_bind(o.customer_external_id.as_deref())
                .push_bind(o.email.as_deref())
                .push_bind(o.phone.as_deref())
                .push_bind(o.has_customer())
                .push_bind(o.created_at)
                .push_bind(o.cancelled_at)
                .push_bind(o.currency.code())
                .push_bind(o.financial_status.as_str())
                .push_bind(o.fulfillment_status.as_str())
                .push_bind(o.total.minor)
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
                .map(move |(i, l)| (w.record, i as i64 + 1, l))
        })
        .collect();
    insert_values(
        conn,
        "INSERT INTO order_lines (order_name, position, sku, quantity, price_minor, currency, created_at) ",
        7,
        "",
        &lines,
        |values, (order, position, line)| {
            values
                .push_bind(&order.name)
                .push_bind(*position)
                .push_bind(line.sku.as_deref())
                .push_bind(line.quantity)
                .push_bind(line.price.minor)
                .push_bind(line.price.currency.code())
                .push_bind(order.created_at);
        },
    )
    .await?;
    Ok(counts)
}

/// Upserts shipments; tracking events of updated shipments are replaced. An
/// empty origin location is stored as NULL.
pub(crate) async fn shipments(
    conn: &mut Conn,
    items: Vec<Keyed<'_, String, Shipment>>,
) -> Result<UpsertCounts, StoreError> {
    if items.is_empty() {
        return Ok(UpsertCounts::default());
    }
    let (counts, writes) = plan_by_key(
        conn,
        "SELECT id, content_hash FROM shipments WHERE id IN ",
        items,
    )
    .await?;
    let changed = replaced_keys(&writes);
    delete_in(
        conn,
        "DELETE FROM tracking_events WHERE shipment_id IN ",
        &changed,
    )
    .await?;
    insert_values(
        conn,
        "INSERT INTO shipments (id, order_name, carrier, tracking_number, status, origin_location, shipped_at, \
         estimated_delivery_at, delivered_at, content_hash, data) ",
        11,
        " ON CONFLICT (id) DO UPDATE SET order_name = excluded.order_name, carrier = excluded.carrier, \
         tracking_number = excluded.tracking_number, status = excluded.status, \
         origin_location = excluded.origin_location, shipped_at = excluded.shipped_at, \
         estimated_delivery_at = excluded.estimated_delivery_at, delivered_at = excluded.delivered_at, \
         content_hash = excluded.content_hash, data = excluded.data",
        &writes,
        |values, w| {
            let s = w.record;
            values
                .push_bind(&s.id)
                .push_bind(&s.order_name)
                .push_bind(&s.carrier)
                .push_bind(&s.tracking_number)
                .push_bind(s.status.as_str())
                .push_bind(Some(s.origin_location.as_str()).filter(|name| !name.is_empty()))
                .push_bind(s.shipped_at)
                .push_bind(s.estimated_delivery_at)
                .push_bind(s.delivered_at)
                .push_bind(&w.hash)
                .push_bind(&w.json);
        },
    )
    .await?;
    let events: Vec<_> = writes
        .iter()
        .flat_map(|w| {
            w.record
                .events
                .iter()
                .enumerate()
                .map(move |(i, e)| (&w.record.id, i as i64 + 1, e))
        })
        .collect();
    insert_values(
        conn,
        "INSERT INTO tracking_events (shipment_id, position, at, status, message, location) ",
        6,
        "",
        &events,
        |values, (id, position, event)| {
            values
                .push_bind(*id)
                .push_bind(*position)
                .push_bind(event.at)
                .push_bind(event.status.as_str())
                .push_bind(&event.message)
                .push_bind(&event.location);
        },
    )
    .await?;
    Ok(counts)
}
