//! The canonical storeops domain model (SPEC.md "Domain").
//!
//! Plain data types for catalog, inventory, customers, orders, shipments,
//! returns, refunds, tickets, knowledge documents and ingested events, plus the
//! pure helpers every other crate shares: money in integer minor units,
//! identity normalisation, content hashing and the slim read models ("facts")
//! that analyses consume. This crate performs no I/O and knows nothing about
//! file formats, databases or HTTP.

pub mod access;
pub mod audit_chain;
pub mod catalog;
pub mod customer;
pub mod event;
pub mod facts;
pub mod hash;
pub mod inventory;
pub mod kind;
pub mod knowledge;
pub mod labels;
pub mod linking;
pub mod money;
pub mod normalize;
pub mod order;
pub mod record;
pub mod returns;
pub mod shipment;
pub mod ticket;

pub use access::Role;
pub use catalog::{Image, Product, ProductStatus, Variant};
pub use customer::{Address, Customer, Identity, IdentityKind};
pub use event::{Event, EventStatus};
pub use hash::content_hash;
pub use inventory::{AdjustmentReason, InventoryAdjustment, InventoryLevel, InventoryRecord};
pub use kind::RecordKind;
pub use knowledge::{DocKind, KnowledgeDoc};
pub use money::{Currency, Money, MoneyError};
pub use order::{FinancialStatus, FulfillmentStatus, Order, OrderLine};
pub use record::Record;
pub use returns::{
    Refund, ReturnLine, ReturnReason, ReturnRequest, ReturnResolution, ReturnStatus,
};
pub use shipment::{Shipment, ShipmentStatus, TrackingEvent};
pub use ticket::{MessageAuthor, Ticket, TicketMessage, TicketStatus};

#[doc(hidden)]
pub use serde as __serde;
