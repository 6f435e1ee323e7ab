//! WooCommerce webhook payloads (REST API v3 order and product JSON, as
//! delivered with `X-WC-Webhook-Topic`) mapped into storeops domain records.
//! See `MAPPING.md` for the table of topics, fields used and what is not
//! mapped.
//!
//! Order names are `wc-<number>` (`wc-727`): WooCommerce numbers are plain
//! integers that would collide with other channels' orders in one store
//! (Shopify's are `#1001`), and the prefix says where an order came from.
//! Customer ids get the same prefix (`wc-12`).

mod orders;
mod products;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::json::Node;
use crate::mapped::{finish, MapOptions, Mapped, MappingError};

/// WooCommerce topics storeops maps (anything else is
/// [`Mapped::UnknownTopic`]).
pub const WOOCOMMERCE_TOPICS: &[&str] = &[
    "order.created",
    "order.updated",
    "product.created",
    "product.updated",
];

/// Prefix of WooCommerce order names and customer ids.
pub const WOOCOMMERCE_PREFIX: &str = "wc-";

/// Maps a WooCommerce webhook payload for `topic` (the `X-WC-Webhook-Topic`
/// header) into domain records. Product topics need the shop currency: use
/// [`map_woocommerce_with`] to pass it, or they answer `NeedsLookup`.
/// `received_at` is when storeops accepted the delivery; the mapped payloads
/// carry their own times, so no mapping uses it today.
pub fn map_woocommerce(topic: &str, payload: &Value, received_at: DateTime<Utc>) -> Mapped {
    map_woocommerce_with(topic, payload, received_at, &MapOptions::default())
}

/// [`map_woocommerce`] with store settings the payloads do not carry.
pub fn map_woocommerce_with(
    topic: &str,
    payload: &Value,
    _received_at: DateTime<Utc>,
    options: &MapOptions,
) -> Mapped {
    let topic = topic.trim();
    if !WOOCOMMERCE_TOPICS.contains(&topic) {
        return Mapped::UnknownTopic;
    }
    finish(Node::root(payload).and_then(|root| dispatch(topic, &root, options)))
}

fn dispatch(topic: &str, root: &Node<'_>, options: &MapOptions) -> Result<Mapped, MappingError> {
    if topic.starts_with("order.") {
        orders::order(root)
    } else {
        products::product(root, options)
    }
}

/// The order name storeops gives WooCommerce order `number`.
pub fn woocommerce_order_name(number: &str) -> String {
    format!("{WOOCOMMERCE_PREFIX}{}", number.trim())
}
