//! The kinds of records that can be imported.

use crate::label_enum;

label_enum! {
    /// A kind of importable record.
    pub enum RecordKind {
        /// Products with variants.
        Products => "products",
        /// Customers.
        Customers => "customers",
        /// Orders with lines.
        Orders => "orders",
        /// Inventory levels and ledger entries.
        Inventory => "inventory",
        /// Shipments with tracking.
        Shipments => "shipments",
        /// Return requests with refunds.
        Returns => "returns",
        /// Support tickets.
        Tickets => "tickets",
        /// Knowledge documents.
        Docs => "docs",
    }
}

impl RecordKind {
    /// Whether Shopify exports this kind as CSV.
    pub fn has_shopify_csv(&self) -> bool {
        matches!(
            self,
            RecordKind::Products
                | RecordKind::Customers
                | RecordKind::Orders
                | RecordKind::Inventory
        )
    }
}
