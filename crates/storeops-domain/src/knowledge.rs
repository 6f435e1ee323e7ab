//! Knowledge documents: policies, FAQs, shipping information, product guides.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::label_enum;

label_enum! {
    /// What a document is about.
    pub enum DocKind {
        /// Return and refund policy.
        ReturnPolicy => "return_policy" | "returns" | "refund_policy",
        /// Shipping and delivery policy.
        ShippingPolicy => "shipping_policy" | "shipping",
        /// Warranty terms.
        WarrantyPolicy => "warranty_policy" | "warranty",
        /// Frequently asked questions.
        Faq => "faq",
        /// How to choose, use or care for a product.
        ProductGuide => "product_guide" | "guide",
        /// Anything else.
        Other => "other",
    }
}

/// One version of a knowledge document. Natural key: `(key, version)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowledgeDoc {
    /// Stable document key (`return-policy`).
    pub key: String,
    /// Version number (≥ 1).
    pub version: i64,
    /// What it is about.
    pub kind: DocKind,
    /// Title.
    pub title: String,
    /// Text (Markdown or plain).
    pub body: String,
    /// First day this version applies.
    pub effective_from: NaiveDate,
    /// Last day it applies, if superseded.
    pub effective_to: Option<NaiveDate>,
    /// When it must be reviewed again.
    pub review_by: Option<NaiveDate>,
    /// Product it belongs to, for guides.
    pub product_handle: Option<String>,
    /// Public URL.
    pub url: Option<String>,
}

impl KnowledgeDoc {
    /// Whether this version applies on `day`.
    pub fn is_effective_on(&self, day: NaiveDate) -> bool {
        self.effective_from <= day && self.effective_to.is_none_or(|end| day <= end)
    }
}
