//! One importable record of any kind, as parsers hand it to storage.

use crate::catalog::Product;
use crate::customer::Customer;
use crate::inventory::InventoryRecord;
use crate::kind::RecordKind;
use crate::knowledge::KnowledgeDoc;
use crate::order::Order;
use crate::returns::ReturnRequest;
use crate::shipment::Shipment;
use crate::ticket::Ticket;

/// A parsed record of one of the importable kinds.
// Orders are the largest and by far the most frequent variant, so boxing them
// would add an allocation to the hottest import path without saving memory.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A product with its variants.
    Product(Product),
    /// A customer.
    Customer(Customer),
    /// An order with its lines.
    Order(Order),
    /// An inventory level or a ledger entry.
    Inventory(InventoryRecord),
    /// A shipment with its tracking events.
    Shipment(Shipment),
    /// A return request with its lines and refunds.
    Return(ReturnRequest),
    /// A support ticket with its messages.
    Ticket(Ticket),
    /// A version of a knowledge document.
    Doc(KnowledgeDoc),
}

impl Record {
    /// The kind this record belongs to.
    pub fn kind(&self) -> RecordKind {
        match self {
            Record::Product(_) => RecordKind::Products,
            Record::Customer(_) => RecordKind::Customers,
            Record::Order(_) => RecordKind::Orders,
            Record::Inventory(_) => RecordKind::Inventory,
            Record::Shipment(_) => RecordKind::Shipments,
            Record::Return(_) => RecordKind::Returns,
            Record::Ticket(_) => RecordKind::Tickets,
            Record::Doc(_) => RecordKind::Docs,
        }
    }
}
