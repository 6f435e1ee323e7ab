//! Pure webhook logic for storeops: signature checks and payload mapping.
//! No I/O, no async, no HTTP framework; the server calls these functions
//! with the raw body, the headers it read and the parsed JSON.
//!
//! - [`signature`]: `verify_shopify`, `verify_woocommerce`, `verify_generic`
//!   (HMAC-SHA256, constant-time, several secrets for rotation, replay
//!   window for the generic scheme) and the matching signers.
//! - [`shopify`] / [`woocommerce`]: `map_shopify(topic, payload, received_at)`
//!   and `map_woocommerce(…)` turn a payload into [`Mapped`]: full domain
//!   records to upsert, an unknown topic, a payload that needs a lookup
//!   first, or a field error naming the JSON path (`line_items[0].price`).
//!   The `_with` variants take [`MapOptions`] (the shop currency product
//!   payloads lack).
//! - [`pending`]: the typed content of Shopify payloads that need a lookup
//!   (inventory levels by inventory item id, refunds, return status changes).
//!
//! The topic table (what each topic maps to, the fields used and what is
//! not mapped, and why) is `crates/storeops-webhooks/MAPPING.md`.

mod json;
pub mod mapped;
pub mod pending;
pub mod shopify;
pub mod signature;
pub mod woocommerce;

pub use mapped::{MapOptions, Mapped, MappingError};
pub use pending::{shopify_pending, Pending};
pub use shopify::{map_shopify, map_shopify_with, SHOPIFY_TOPICS};
pub use signature::{
    parse_generic_header, sign_generic, sign_shopify, sign_woocommerce, verify_generic,
    verify_shopify, verify_woocommerce, GenericSignature, SignatureError,
};
pub use woocommerce::{map_woocommerce, map_woocommerce_with, WOOCOMMERCE_TOPICS};
