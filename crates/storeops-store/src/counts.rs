//! Result types: what an upsert did, how many rows the store holds, and what
//! a migration run applied.

use std::ops::AddAssign;

use serde::Serialize;

/// Outcome of an upsert, per top-level record (an order with its lines counts
/// once; an inventory level or ledger entry counts once).
#[derive(Default, Serialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpsertCounts {
    /// Records whose natural key was not stored before.
    pub imported: u64,
    /// Records whose key was stored with different content.
    pub updated: u64,
    /// Records identical to what was stored.
    pub unchanged: u64,
}

impl UpsertCounts {
    /// Total number of records counted.
    pub fn total(&self) -> u64 {
        self.imported + self.updated + self.unchanged
    }
}

impl AddAssign for UpsertCounts {
    fn add_assign(&mut self, other: UpsertCounts) {
        self.imported += other.imported;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// Number of rows per table.
#[derive(Default, Serialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreCounts {
    /// Products.
    pub products: u64,
    /// Variants (SKUs) of all products.
    pub variants: u64,
    /// Distinct location names seen.
    pub locations: u64,
    /// Inventory levels.
    pub inventory_levels: u64,
    /// Ledger entries.
    pub inventory_adjustments: u64,
    /// Customers.
    pub customers: u64,
    /// Orders.
    pub orders: u64,
    /// Lines of all orders.
    pub order_lines: u64,
    /// Shipments.
    pub shipments: u64,
    /// Return requests.
    pub returns: u64,
    /// Refunds.
    pub refunds: u64,
    /// Support tickets.
    pub tickets: u64,
    /// Knowledge document versions.
    pub docs: u64,
    /// Ingested events.
    pub events: u64,
}

/// What [`crate::Store::migrate`] did.
#[derive(Default, Serialize, Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    /// Versions applied by this run, in order.
    pub applied: Vec<i64>,
    /// Highest version applied now (0 for an empty database).
    pub current: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up() {
        let mut a = UpsertCounts {
            imported: 1,
            updated: 2,
            unchanged: 3,
        };
        a += UpsertCounts {
            imported: 10,
            updated: 20,
            unchanged: 30,
        };
        assert_eq!(
            a,
            UpsertCounts {
                imported: 11,
                updated: 22,
                unchanged: 33
            }
        );
        assert_eq!(a.total(), 66);
    }
}
