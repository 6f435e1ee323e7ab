//! Slim read models that analyses consume.
//!
//! The store answers factual questions ("which orders carry no customer
//! identity?", "what does the ledger sum to per SKU and location?") and hands
//! the answers over in these types; judgement (severity, scores, fixes) stays
//! in the pure analysis crates.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::ProductStatus;
use crate::customer::IdentityKind;
use crate::knowledge::KnowledgeDoc;
use crate::returns::ReturnStatus;

/// What the data-readiness audit reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFacts {
    /// Every product.
    pub products: Vec<ProductFacts>,
    /// Every variant.
    pub variants: Vec<VariantFacts>,
    /// Every inventory level with its ledger sum.
    pub levels: Vec<LevelFacts>,
    /// Number of ledger entries.
    pub adjustments_total: u64,
    /// Ids of ledger entries that carry no reason.
    pub adjustments_without_reason: Vec<String>,
    /// Every return request.
    pub returns: Vec<ReturnFacts>,
    /// Number of orders.
    pub orders_total: u64,
    /// Names of orders with no customer id, e-mail or phone.
    pub orders_without_customer: Vec<String>,
    /// Number of customers.
    pub customers_total: u64,
    /// E-mail and phone identities of every customer.
    pub identities: Vec<IdentityFacts>,
    /// Number of tickets.
    pub tickets_total: u64,
    /// Ids of tickets that match no known customer and no known order.
    pub tickets_unlinked: Vec<String>,
    /// Every version of every knowledge document.
    pub docs: Vec<KnowledgeDoc>,
}

/// Catalog facts about one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductFacts {
    /// Handle.
    pub handle: String,
    /// Title (may be empty).
    pub title: String,
    /// Characters of visible description text (see `normalize::visible_text`).
    pub description_len: usize,
    /// Number of images.
    pub image_count: usize,
    /// Status.
    pub status: ProductStatus,
    /// Regulated flag.
    pub regulated: bool,
}

/// Catalog facts about one variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantFacts {
    /// Handle of its product.
    pub handle: String,
    /// 1-based position within the product.
    pub position: u32,
    /// SKU.
    pub sku: Option<String>,
    /// Price in minor units.
    pub price_minor: Option<i64>,
    /// Compare-at price in minor units.
    pub compare_at_minor: Option<i64>,
    /// Cost in minor units.
    pub cost_minor: Option<i64>,
    /// Barcode.
    pub gtin: Option<String>,
}

impl VariantFacts {
    /// How findings name a variant: its SKU, or `handle#position` without one.
    pub fn label(&self) -> String {
        match &self.sku {
            Some(sku) => sku.clone(),
            None => format!("{}#{}", self.handle, self.position),
        }
    }
}

/// An inventory level next to what its ledger says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelFacts {
    /// SKU.
    pub sku: String,
    /// Location name.
    pub location: String,
    /// On hand per the level.
    pub on_hand: i64,
    /// Available per the level.
    pub available: i64,
    /// Last physical count.
    pub counted_at: Option<DateTime<Utc>>,
    /// Number of ledger entries for this SKU and location.
    pub ledger_entries: u64,
    /// Sum of their deltas.
    pub ledger_sum: i64,
}

impl LevelFacts {
    /// How findings name a level: `sku@location`.
    pub fn label(&self) -> String {
        format!("{}@{}", self.sku, self.location)
    }
}

/// Facts about one return request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnFacts {
    /// Return id.
    pub id: String,
    /// Status.
    pub status: ReturnStatus,
    /// When it was received back.
    pub received_at: Option<DateTime<Utc>>,
    /// Whether its items are meant to go back to stock.
    pub restock: bool,
    /// Whether the ledger has a `return` entry that references it.
    pub restocked_in_ledger: bool,
}

/// One normalised identity of a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityFacts {
    /// Customer natural key.
    pub customer_key: String,
    /// Identity kind.
    pub kind: IdentityKind,
    /// Normalised value.
    pub normalized: String,
}
