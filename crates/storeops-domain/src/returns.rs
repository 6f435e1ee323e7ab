//! Return requests, their lines, and refunds.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::label_enum;
use crate::money::Money;

label_enum! {
    /// State of a return request.
    pub enum ReturnStatus {
        /// Asked for by the customer.
        Requested => "requested" | "open",
        /// Accepted; waiting for the parcel.
        Approved => "approved",
        /// Refused.
        Rejected => "rejected" | "declined",
        /// Parcel on its way back.
        InTransit => "in_transit",
        /// Parcel received at a location.
        Received => "received",
        /// Settled (refund, exchange or credit issued).
        Closed => "closed" | "completed" | "refunded",
        /// Withdrawn by the customer.
        Cancelled => "cancelled" | "canceled",
    }
}

label_enum! {
    /// Why the customer returns an item.
    pub enum ReturnReason {
        /// Wrong size.
        SizeTooSmall => "size_too_small",
        /// Wrong size.
        SizeTooLarge => "size_too_large",
        /// Does not work.
        Defective => "defective",
        /// Arrived damaged.
        DamagedInTransit => "damaged_in_transit" | "damaged",
        /// Not as pictured or described.
        NotAsDescribed => "not_as_described",
        /// Wrong item sent.
        WrongItem => "wrong_item",
        /// Customer changed their mind.
        ChangedMind => "changed_mind" | "unwanted",
        /// Arrived too late to be useful.
        ArrivedLate => "arrived_late",
        /// Anything else.
        Other => "other",
    }
}

label_enum! {
    /// How a return was settled.
    pub enum ReturnResolution {
        /// Money back.
        Refund => "refund",
        /// Another item instead.
        Exchange => "exchange",
        /// Credit to spend later.
        StoreCredit => "store_credit",
        /// Nothing given.
        None => "none",
    }
}

/// One returned item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnLine {
    /// SKU returned.
    pub sku: String,
    /// Units returned (> 0).
    pub quantity: i64,
    /// Customer's reason.
    pub reason: ReturnReason,
    /// Customer's words.
    #[serde(default)]
    pub note: String,
    /// Photo URLs.
    #[serde(default)]
    pub photos: Vec<String>,
}

/// Money paid back to a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
    /// Unique id in the source system (natural key).
    pub id: String,
    /// Order refunded.
    pub order_name: String,
    /// Amount refunded.
    pub amount: Money,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// A return request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnRequest {
    /// Unique id in the source system (natural key).
    pub id: String,
    /// Order the items came from.
    pub order_name: String,
    /// Current state.
    pub status: ReturnStatus,
    /// When the customer asked.
    pub requested_at: DateTime<Utc>,
    /// When the parcel arrived back, if it did.
    pub received_at: Option<DateTime<Utc>>,
    /// How it was settled.
    pub resolution: Option<ReturnResolution>,
    /// Whether received items are meant to go back to stock.
    pub restock: bool,
    /// Customer's message.
    pub customer_note: String,
    /// Items returned.
    pub lines: Vec<ReturnLine>,
    /// Refunds issued for this return.
    pub refunds: Vec<Refund>,
}
