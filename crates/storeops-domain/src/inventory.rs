//! Inventory: levels per SKU and location, and the adjustment ledger.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::label_enum;

label_enum! {
    /// Why stock changed.
    pub enum AdjustmentReason {
        /// Sold (negative).
        Sale => "sale",
        /// Returned by a customer and restocked (positive).
        Return => "return" | "restock",
        /// Order cancelled, stock released (positive).
        Cancel => "cancel" | "cancellation",
        /// Received from a supplier (positive).
        Receive => "receive" | "received",
        /// Correction after a physical count.
        Count => "count" | "cycle_count",
        /// Damaged or lost (negative).
        Damage => "damage" | "damaged",
        /// Moved between locations.
        Transfer => "transfer",
    }
}

/// Stock of one SKU at one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryLevel {
    /// SKU.
    pub sku: String,
    /// Location name.
    pub location: String,
    /// Physically on hand.
    pub on_hand: i64,
    /// Reserved for open orders.
    pub committed: i64,
    /// Sellable now.
    pub available: i64,
    /// On order from suppliers.
    pub incoming: i64,
    /// When the level was last counted physically.
    pub counted_at: Option<DateTime<Utc>>,
}

/// One entry of the inventory ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryAdjustment {
    /// Unique id of the entry in its source system (natural key).
    pub id: String,
    /// SKU.
    pub sku: String,
    /// Location name.
    pub location: String,
    /// Change in on-hand units.
    pub delta: i64,
    /// Why; missing reasons are a data-quality finding.
    pub reason: Option<AdjustmentReason>,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// What it refers to (order name, return id, purchase order).
    pub reference: Option<String>,
}

/// One record of the `inventory` import kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InventoryRecord {
    /// A level snapshot.
    Level(InventoryLevel),
    /// A ledger entry.
    Adjustment(InventoryAdjustment),
}
