//! Shipments and carrier tracking events.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::label_enum;

label_enum! {
    /// Where a shipment is in its journey.
    pub enum ShipmentStatus {
        /// Label printed, not yet handed over.
        LabelCreated => "label_created" | "confirmed",
        /// With the carrier.
        InTransit => "in_transit",
        /// On the vehicle for delivery today.
        OutForDelivery => "out_for_delivery",
        /// Delivered.
        Delivered => "delivered",
        /// Delayed beyond the estimate.
        Delayed => "delayed",
        /// Carrier reported a problem (address, damage, customs).
        Exception => "exception" | "failure",
        /// On its way back to the store.
        ReturnedToSender => "returned_to_sender",
    }
}

/// One carrier scan or status change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingEvent {
    /// When the carrier recorded it.
    pub at: DateTime<Utc>,
    /// Status after the event.
    pub status: ShipmentStatus,
    /// Carrier's message.
    #[serde(default)]
    pub message: String,
    /// Where it happened.
    #[serde(default)]
    pub location: String,
}

/// A parcel sent for an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shipment {
    /// Unique id in the source system (natural key).
    pub id: String,
    /// Name of the order shipped.
    pub order_name: String,
    /// Carrier name.
    pub carrier: String,
    /// Tracking number.
    pub tracking_number: String,
    /// Tracking URL.
    pub tracking_url: String,
    /// Current status.
    pub status: ShipmentStatus,
    /// Location it left from.
    pub origin_location: String,
    /// When it was handed to the carrier.
    pub shipped_at: Option<DateTime<Utc>>,
    /// Promised delivery time.
    pub estimated_delivery_at: Option<DateTime<Utc>>,
    /// Actual delivery time.
    pub delivered_at: Option<DateTime<Utc>>,
    /// Tracking events, oldest first.
    pub events: Vec<TrackingEvent>,
}
