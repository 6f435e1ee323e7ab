//! Inventory level rows in Shopify's classic layout, plus `Counted at`.

use storeops_domain::InventoryLevel;

use crate::csv_in::header::Column;
use crate::csv_in::inventory::I;
use crate::csv_out::Cells;
use crate::values::format_rfc3339;

/// The inventory columns.
pub(crate) const SPEC: &[Column] = I::SPEC;

/// The written columns: the classic layout (no 2025 `Bin name` or
/// `On hand (new)`) plus `Counted at`.
pub(crate) fn columns() -> Vec<usize> {
    (0..SPEC.len())
        .filter(|&id| id != usize::from(I::BinName) && id != usize::from(I::OnHandNew))
        .collect()
}

/// Fills the row of one level.
pub(crate) fn write(l: &InventoryLevel, cells: &mut Cells) {
    cells.set(I::Sku, &l.sku);
    cells.set(I::Location, &l.location);
    cells.set(I::Incoming, &l.incoming.to_string());
    cells.set(I::Unavailable, "0");
    cells.set(I::Committed, &l.committed.to_string());
    cells.set(I::Available, &l.available.to_string());
    cells.set(I::OnHand, &l.on_hand.to_string());
    if let Some(t) = &l.counted_at {
        cells.set(I::CountedAt, &format_rfc3339(t));
    }
}
