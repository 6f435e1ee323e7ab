//! What mapping a webhook payload produces: domain records, "not a topic we
//! map", "needs a lookup first", or a field error naming the JSON path.

use storeops_domain::{Currency, Record};

/// Result of mapping one webhook payload.
// Records dominate and are returned once per delivery; boxing would only add
// an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Mapped {
    /// Domain changes to upsert (full records, replacing the stored ones by
    /// natural key).
    Records(Vec<Record>),
    /// Topic not mapped by storeops (store raw, count).
    UnknownTopic,
    /// The payload is well-formed for its topic, but turning it into records
    /// needs data the payload does not carry (a SKU for an inventory item id,
    /// an order name for an order id, the shop currency, the stored return a
    /// status change applies to). `kind` names what is missing
    /// (`inventory_item_sku`, `order_name`, `shop_currency`, `stored_return`,
    /// `stored_order`, `woocommerce_variations`); `reason` says why, with the
    /// ids to look up. [`crate::pending::shopify_pending`] gives the typed
    /// data for the Shopify cases.
    NeedsLookup {
        /// What must be looked up.
        kind: &'static str,
        /// Why, with the ids involved.
        reason: String,
    },
    /// The payload does not have the shape the topic promises.
    Invalid(MappingError),
}

impl Mapped {
    /// The records, when the payload mapped to records.
    pub fn records(&self) -> Option<&[Record]> {
        match self {
            Mapped::Records(records) => Some(records),
            _ => None,
        }
    }
}

/// A payload field that is missing or not what its topic promises.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct MappingError {
    /// JSON path of the field, like `line_items[0].price` (`$` for the
    /// payload itself).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl MappingError {
    /// An error at `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> MappingError {
        MappingError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Store settings the payloads do not carry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MapOptions {
    /// Currency of product prices. Shopify and WooCommerce product payloads
    /// carry plain decimal prices without a currency (orders do carry one);
    /// without this, product topics answer [`Mapped::NeedsLookup`] with kind
    /// `shop_currency`. The server passes the `import.currency` setting.
    pub shop_currency: Option<Currency>,
}

impl MapOptions {
    /// Options with the shop currency set.
    pub fn with_currency(currency: Currency) -> MapOptions {
        MapOptions {
            shop_currency: Some(currency),
        }
    }
}

/// Turns a mapping result into [`Mapped`].
pub(crate) fn finish(result: Result<Mapped, MappingError>) -> Mapped {
    result.unwrap_or_else(Mapped::Invalid)
}
