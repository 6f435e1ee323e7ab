//! Proptest generators of the JSONL-only kinds: inventory adjustments,
//! shipments, returns, tickets and knowledge documents.
// Test support: panics are its way of failing a test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;
use storeops_domain::*;

use crate::gen::{any_text, currency, day, key, label, money, time};

pub fn adjustment() -> impl Strategy<Value = InventoryAdjustment> {
    (
        key(),
        key(),
        key(),
        any::<i64>(),
        of(label(AdjustmentReason::ALL)),
        time(),
        of(any_text()),
    )
        .prop_map(
            |(id, sku, location, delta, reason, occurred_at, reference)| InventoryAdjustment {
                id,
                sku,
                location,
                delta,
                reason,
                occurred_at,
                reference,
            },
        )
}

pub fn shipment() -> impl Strategy<Value = Shipment> {
    let event = (time(), label(ShipmentStatus::ALL), any_text(), any_text()).prop_map(
        |(at, status, message, location)| TrackingEvent {
            at,
            status,
            message,
            location,
        },
    );
    (
        (
            key(),
            any_text(),
            any_text(),
            any_text(),
            any_text(),
            label(ShipmentStatus::ALL),
        ),
        (
            any_text(),
            of(time()),
            of(time()),
            of(time()),
            vec(event, 0..3),
        ),
    )
        .prop_map(
            |(
                (id, order_name, carrier, tracking_number, tracking_url, status),
                (origin_location, shipped_at, estimated_delivery_at, delivered_at, events),
            )| Shipment {
                id,
                order_name,
                carrier,
                tracking_number,
                tracking_url,
                status,
                origin_location,
                shipped_at,
                estimated_delivery_at,
                delivered_at,
                events,
            },
        )
}

pub fn return_request() -> impl Strategy<Value = ReturnRequest> {
    currency().prop_flat_map(|cur| {
        let line = (
            any_text(),
            1i64..100,
            label(ReturnReason::ALL),
            any_text(),
            vec(any_text(), 0..2),
        )
            .prop_map(|(sku, quantity, reason, note, photos)| ReturnLine {
                sku,
                quantity,
                reason,
                note,
                photos,
            });
        let refund = (key(), any_text(), money(cur), time(), any_text()).prop_map(
            |(id, order_name, amount, created_at, reason)| Refund {
                id,
                order_name,
                amount,
                created_at,
                reason,
            },
        );
        (
            (
                key(),
                any_text(),
                label(ReturnStatus::ALL),
                time(),
                of(time()),
                of(label(ReturnResolution::ALL)),
            ),
            (
                any::<bool>(),
                any_text(),
                vec(line, 0..3),
                vec(refund, 0..3),
            ),
        )
            .prop_map(
                |(
                    (id, order_name, status, requested_at, received_at, resolution),
                    (restock, customer_note, lines, refunds),
                )| ReturnRequest {
                    id,
                    order_name,
                    status,
                    requested_at,
                    received_at,
                    resolution,
                    restock,
                    customer_note,
                    lines,
                    refunds,
                },
            )
    })
}

pub fn ticket() -> impl Strategy<Value = Ticket> {
    let message =
        (label(MessageAuthor::ALL), any_text(), time()).prop_map(|(author, body, sent_at)| {
            TicketMessage {
                author,
                body,
                sent_at,
            }
        });
    (
        (
            key(),
            any_text(),
            any_text(),
            label(TicketStatus::ALL),
            of(any_text()),
        ),
        (
            of(any_text()),
            of(any_text()),
            of(any_text()),
            time(),
            vec(message, 0..3),
        ),
    )
        .prop_map(
            |(
                (id, channel, subject, status, intent),
                (customer_external_id, customer_email, order_name, created_at, messages),
            )| Ticket {
                id,
                channel,
                subject,
                status,
                intent,
                customer_external_id,
                customer_email,
                order_name,
                created_at,
                messages,
            },
        )
}

pub fn doc() -> impl Strategy<Value = KnowledgeDoc> {
    (
        (
            key(),
            1i64..1000,
            label(DocKind::ALL),
            any_text(),
            any_text(),
        ),
        (day(), of(day()), of(day()), of(any_text()), of(any_text())),
    )
        .prop_map(
            |(
                (key, version, kind, title, body),
                (effective_from, effective_to, review_by, product_handle, url),
            )| KnowledgeDoc {
                key,
                version,
                kind,
                title,
                body,
                effective_from,
                effective_to,
                review_by,
                product_handle,
                url,
            },
        )
}
