//! JSONL wire formats of shipments (with tracking events) and return
//! requests (with lines and refunds).

use serde::{Deserialize, Serialize};
use storeops_domain::{
    Record, Refund, ReturnLine, ReturnReason, ReturnRequest, ReturnResolution, ReturnStatus,
    Shipment, ShipmentStatus, TrackingEvent,
};

use crate::error::IngestError;
use crate::format::Format;
use crate::jsonl::check::Check;
use crate::jsonl::Wire;
use crate::values::amount;
use crate::values::format_rfc3339;

/// A shipment line.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct ShipmentWire {
    id: String,
    order_name: String,
    #[serde(default)]
    carrier: String,
    #[serde(default)]
    tracking_number: String,
    #[serde(default)]
    tracking_url: String,
    status: String,
    #[serde(default)]
    origin_location: String,
    shipped_at: Option<String>,
    estimated_delivery_at: Option<String>,
    delivered_at: Option<String>,
    #[serde(default)]
    events: Vec<EventWire>,
}

/// A tracking event.
#[derive(Debug, Serialize, Deserialize)]
struct EventWire {
    at: String,
    status: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    location: String,
}

impl Wire for ShipmentWire {
    fn into_record(self, c: &mut Check) -> Record {
        c.key(("", "id"), &self.id);
        let events = self
            .events
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                let at = format!("events[{i}].");
                TrackingEvent {
                    at: c.time((&at, "at"), &e.at),
                    status: c.label(
                        (&at, "status"),
                        Some(&e.status),
                        ShipmentStatus::parse,
                        ShipmentStatus::InTransit,
                    ),
                    message: e.message,
                    location: e.location,
                }
            })
            .collect();
        Record::Shipment(Shipment {
            id: self.id,
            order_name: self.order_name,
            carrier: self.carrier,
            tracking_number: self.tracking_number,
            tracking_url: self.tracking_url,
            status: c.label(
                ("", "status"),
                Some(&self.status),
                ShipmentStatus::parse,
                ShipmentStatus::InTransit,
            ),
            origin_location: self.origin_location,
            shipped_at: c.opt_time(("", "shipped_at"), self.shipped_at.as_deref()),
            estimated_delivery_at: c.opt_time(
                ("", "estimated_delivery_at"),
                self.estimated_delivery_at.as_deref(),
            ),
            delivered_at: c.opt_time(("", "delivered_at"), self.delivered_at.as_deref()),
            events,
        })
    }
}

impl ShipmentWire {
    /// The wire form of a shipment.
    pub fn from_domain(s: &Shipment) -> ShipmentWire {
        ShipmentWire {
            id: s.id.clone(),
            order_name: s.order_name.clone(),
            carrier: s.carrier.clone(),
            tracking_number: s.tracking_number.clone(),
            tracking_url: s.tracking_url.clone(),
            status: s.status.as_str().to_string(),
            origin_location: s.origin_location.clone(),
            shipped_at: s.shipped_at.as_ref().map(format_rfc3339),
            estimated_delivery_at: s.estimated_delivery_at.as_ref().map(format_rfc3339),
            delivered_at: s.delivered_at.as_ref().map(format_rfc3339),
            events: s
                .events
                .iter()
                .map(|e| EventWire {
                    at: format_rfc3339(&e.at),
                    status: e.status.as_str().to_string(),
                    message: e.message.clone(),
                    location: e.location.clone(),
                })
                .collect(),
        }
    }
}

/// A return request line.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct ReturnWire {
    id: String,
    order_name: String,
    status: String,
    requested_at: String,
    received_at: Option<String>,
    resolution: Option<String>,
    #[serde(default)]
    restock: bool,
    #[serde(default)]
    customer_note: String,
    currency: Option<String>,
    #[serde(default)]
    lines: Vec<ReturnLineWire>,
    #[serde(default)]
    refunds: Vec<RefundWire>,
}

/// A returned item.
#[derive(Debug, Serialize, Deserialize)]
struct ReturnLineWire {
    sku: String,
    quantity: i64,
    reason: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    photos: Vec<String>,
}

/// A refund; `order_name` defaults to the return's.
#[derive(Debug, Serialize, Deserialize)]
struct RefundWire {
    id: String,
    order_name: Option<String>,
    amount: String,
    created_at: String,
    #[serde(default)]
    reason: String,
}

impl Wire for ReturnWire {
    fn into_record(self, c: &mut Check) -> Record {
        c.key(("", "id"), &self.id);
        let currency = c.currency(("", "currency"), self.currency.as_deref());
        let lines = self
            .lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let at = format!("lines[{i}].");
                ReturnLine {
                    sku: l.sku,
                    quantity: c.positive((&at, "quantity"), l.quantity),
                    reason: c.label(
                        (&at, "reason"),
                        Some(&l.reason),
                        ReturnReason::parse,
                        ReturnReason::Other,
                    ),
                    note: l.note,
                    photos: l.photos,
                }
            })
            .collect();
        let refunds = self
            .refunds
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let at = format!("refunds[{i}].");
                c.key((&at, "id"), &r.id);
                Refund {
                    id: r.id,
                    order_name: r.order_name.unwrap_or_else(|| self.order_name.clone()),
                    amount: c.money((&at, "amount"), &r.amount, currency),
                    created_at: c.time((&at, "created_at"), &r.created_at),
                    reason: r.reason,
                }
            })
            .collect();
        Record::Return(ReturnRequest {
            id: self.id,
            status: c.label(
                ("", "status"),
                Some(&self.status),
                ReturnStatus::parse,
                ReturnStatus::Requested,
            ),
            requested_at: c.time(("", "requested_at"), &self.requested_at),
            received_at: c.opt_time(("", "received_at"), self.received_at.as_deref()),
            resolution: c.opt_label(
                ("", "resolution"),
                self.resolution.as_deref(),
                ReturnResolution::parse,
            ),
            restock: self.restock,
            customer_note: self.customer_note,
            order_name: self.order_name,
            lines,
            refunds,
        })
    }
}

impl ReturnWire {
    /// The wire form of a return request.
    pub fn from_domain(r: &ReturnRequest) -> Result<ReturnWire, IngestError> {
        let currency = r.refunds.first().map(|f| f.amount.currency);
        let what = format!("return `{}`", r.id);
        let refunds = r
            .refunds
            .iter()
            .map(|f| {
                Ok(RefundWire {
                    id: f.id.clone(),
                    order_name: Some(f.order_name.clone()),
                    amount: amount(
                        &f.amount,
                        currency.unwrap_or(f.amount.currency),
                        &what,
                        Format::Jsonl,
                    )?,
                    created_at: format_rfc3339(&f.created_at),
                    reason: f.reason.clone(),
                })
            })
            .collect::<Result<_, IngestError>>()?;
        Ok(ReturnWire {
            id: r.id.clone(),
            order_name: r.order_name.clone(),
            status: r.status.as_str().to_string(),
            requested_at: format_rfc3339(&r.requested_at),
            received_at: r.received_at.as_ref().map(format_rfc3339),
            resolution: r.resolution.map(|x| x.as_str().to_string()),
            restock: r.restock,
            customer_note: r.customer_note.clone(),
            currency: currency.map(|c| c.code().to_string()),
            lines: r
                .lines
                .iter()
                .map(|l| ReturnLineWire {
                    sku: l.sku.clone(),
                    quantity: l.quantity,
                    reason: l.reason.as_str().to_string(),
                    note: l.note.clone(),
                    photos: l.photos.clone(),
                })
                .collect(),
            refunds,
        })
    }
}
