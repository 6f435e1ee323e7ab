//! Read models of the `store.query` workflow action: SKUs at or below their
//! reorder point, and the rows the `store.update` action wrote
//! (`wf_outcomes`). Orders and returns are read with [`crate::Store::get`].

use chrono::{DateTime, Utc};
use serde::Serialize;

/// How reorder points are derived. There is no stored reorder point: a
/// SKU's reorder point is the demand expected over the supplier lead time,
/// `ceil(units sold in the window × lead_time_days / window_days)`, with
/// units sold = the quantities of order lines with that SKU created in
/// `(as_of − window_days, as_of]` of orders that are not cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReorderPolicy {
    /// End of the demand window.
    pub as_of: DateTime<Utc>,
    /// Length of the demand window in days (≥ 1).
    pub window_days: u32,
    /// Supplier lead time in days.
    pub lead_time_days: u32,
}

/// One SKU at or below its reorder point (`available ≤ reorder_point`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LowStockRow {
    /// SKU.
    pub sku: String,
    /// Units available, summed over its locations.
    pub available: i64,
    /// Its reorder point (see [`ReorderPolicy`]).
    pub reorder_point: i64,
    /// Units sold in the demand window.
    pub sold: i64,
    /// Locations holding a level for it, by name.
    pub locations: Vec<String>,
}

/// One row of `wf_outcomes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeRow {
    /// Entity name.
    pub entity: String,
    /// Key within the entity.
    pub key: String,
    /// Fields, JSON text.
    pub fields: String,
    /// Run that wrote it.
    pub run_id: String,
    /// Step that wrote it.
    pub step: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
}
