//! Shopify fulfilment payloads (`fulfillments/create`, `fulfillments/update`)
//! into a [`Shipment`].

use storeops_domain::{Record, Shipment, ShipmentStatus, TrackingEvent};

use crate::json::{clip, Node};
use crate::mapped::{Mapped, MappingError};

/// Maps a fulfilment payload. The order is named by the fulfilment's `name`
/// (`#1001.1` → `#1001`); without one the payload only has `order_id`, which
/// needs a lookup.
pub(super) fn shipment(root: &Node<'_>) -> Result<Mapped, MappingError> {
    let id = root.id("id")?;
    let order_id = root.opt_id("order_id")?;
    let created_at = root.time("created_at")?;
    let updated_at = root.opt_time("updated_at")?.unwrap_or(created_at);
    let fulfillment_status = root.opt_str("status")?;
    let shipment_status = root.opt_str("shipment_status")?;
    let status = status(root, fulfillment_status, shipment_status)?;
    let tracking_number = first_of(root, "tracking_number", "tracking_numbers")?;
    let tracking_url = first_of(root, "tracking_url", "tracking_urls")?;
    let Some(order_name) = root.opt_str("name")?.and_then(order_name) else {
        return Ok(Mapped::NeedsLookup {
            kind: "order_name",
            reason: format!(
                "fulfillment {id} has no `name` like `#1001.1`; its order is order_id {}, whose name must be looked up",
                order_id.as_deref().unwrap_or("(none)")
            ),
        });
    };
    let events = match shipment_status {
        Some(label) => vec![TrackingEvent {
            at: updated_at,
            status,
            message: label.to_string(),
            location: String::new(),
        }],
        None => Vec::new(),
    };
    Ok(Mapped::Records(vec![Record::Shipment(Shipment {
        id,
        order_name,
        carrier: root.text("tracking_company")?,
        tracking_number,
        tracking_url,
        status,
        // The payload names the location by id only (`location_id`);
        // storeops keys locations by name, so this stays empty.
        origin_location: String::new(),
        shipped_at: (fulfillment_status == Some("success")).then_some(created_at),
        estimated_delivery_at: None,
        delivered_at: (status == ShipmentStatus::Delivered).then_some(updated_at),
        events,
    })]))
}

/// The order name inside a fulfilment name: `#1001.1` → `#1001`.
pub(crate) fn order_name(fulfillment_name: &str) -> Option<String> {
    let (order, index) = fulfillment_name.rsplit_once('.')?;
    let valid =
        !order.trim().is_empty() && !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| order.trim().to_string())
}

/// Shipment status from the carrier's `shipment_status`, falling back to the
/// fulfilment `status`.
///
/// Shopify has states storeops does not: `attempted_delivery` and a
/// fulfilment that `failure`d, errored or was `cancelled` become
/// `exception`; `ready_for_pickup` becomes `out_for_delivery` (the last step
/// before delivery); `label_printed`, `label_purchased`, `confirmed` and no
/// carrier status at all become `label_created`.
fn status(
    root: &Node<'_>,
    fulfillment_status: Option<&str>,
    shipment_status: Option<&str>,
) -> Result<ShipmentStatus, MappingError> {
    let carrier = match shipment_status {
        None | Some("label_printed" | "label_purchased" | "confirmed") => {
            ShipmentStatus::LabelCreated
        }
        Some("in_transit") => ShipmentStatus::InTransit,
        Some("out_for_delivery" | "ready_for_pickup") => ShipmentStatus::OutForDelivery,
        Some("delivered") => ShipmentStatus::Delivered,
        Some("attempted_delivery" | "failure") => ShipmentStatus::Exception,
        Some(other) => {
            return Err(root.fail(
                "shipment_status",
                format!(
                    "`{}` is not one of: label_printed, label_purchased, attempted_delivery, ready_for_pickup, confirmed, in_transit, out_for_delivery, delivered, failure",
                    clip(other)
                ),
            ))
        }
    };
    if matches!(fulfillment_status, Some("cancelled" | "error" | "failure")) {
        return Ok(ShipmentStatus::Exception);
    }
    Ok(carrier)
}

/// `single` when set, else the first of the array `many`, else empty.
/// storeops keeps one tracking number and URL per shipment; further ones in
/// `tracking_numbers` are not kept.
fn first_of(root: &Node<'_>, single: &str, many: &str) -> Result<String, MappingError> {
    if let Some(value) = root.opt_str(single)? {
        return Ok(value.to_string());
    }
    for item in root.items(many)? {
        let text = item.as_str()?.trim();
        if !text.is_empty() {
            return Ok(text.to_string());
        }
    }
    Ok(String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_names_come_from_fulfilment_names() {
        assert_eq!(order_name("#1001.1").as_deref(), Some("#1001"));
        assert_eq!(order_name("#9999.12").as_deref(), Some("#9999"));
        assert_eq!(order_name("SHOP.1001.2").as_deref(), Some("SHOP.1001"));
        assert_eq!(order_name("#1001"), None);
        assert_eq!(order_name("#1001.a"), None);
        assert_eq!(order_name(".1"), None);
        assert_eq!(order_name("#1001."), None);
    }
}
