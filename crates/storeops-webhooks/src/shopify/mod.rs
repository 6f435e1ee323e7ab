//! Shopify webhook payloads (REST Admin API JSON, as delivered with
//! `X-Shopify-Topic`) mapped into storeops domain records. See `MAPPING.md`
//! for the table of topics, fields used and what is not mapped.

mod catalog;
mod fulfilment;
mod orders;

use chrono::{DateTime, Utc};
use serde_json::Value;
use storeops_domain::{Address, Customer};

use crate::json::{tags, Node};
use crate::mapped::{finish, MapOptions, Mapped, MappingError};
use crate::pending;

/// Shopify topics storeops handles (anything else is [`Mapped::UnknownTopic`]).
/// `inventory_levels/update`, `refunds/create` and `returns/*` are validated
/// and answer [`Mapped::NeedsLookup`]; see [`crate::pending`].
pub const SHOPIFY_TOPICS: &[&str] = &[
    "orders/create",
    "orders/updated",
    "orders/cancelled",
    "orders/paid",
    "orders/fulfilled",
    "orders/partially_fulfilled",
    "customers/create",
    "customers/update",
    "customers/enable",
    "customers/disable",
    "products/create",
    "products/update",
    "fulfillments/create",
    "fulfillments/update",
    "inventory_levels/update",
    "refunds/create",
    "returns/request",
    "returns/approve",
    "returns/decline",
    "returns/cancel",
    "returns/close",
    "returns/reopen",
];

/// Maps a Shopify webhook payload for `topic` (the `X-Shopify-Topic` header)
/// into domain records. Product topics need the shop currency: use
/// [`map_shopify_with`] to pass it, or they answer `NeedsLookup`.
/// `received_at` is when storeops accepted the delivery. Every mapped
/// Shopify payload carries its own times, so no mapping uses it today; it is
/// part of the signature so a future topic without times can.
pub fn map_shopify(topic: &str, payload: &Value, received_at: DateTime<Utc>) -> Mapped {
    map_shopify_with(topic, payload, received_at, &MapOptions::default())
}

/// [`map_shopify`] with store settings the payloads do not carry.
pub fn map_shopify_with(
    topic: &str,
    payload: &Value,
    _received_at: DateTime<Utc>,
    options: &MapOptions,
) -> Mapped {
    let topic = topic.trim();
    if !SHOPIFY_TOPICS.contains(&topic) {
        return Mapped::UnknownTopic;
    }
    finish(Node::root(payload).and_then(|root| dispatch(topic, &root, options)))
}

fn dispatch(topic: &str, root: &Node<'_>, options: &MapOptions) -> Result<Mapped, MappingError> {
    match topic {
        "orders/create"
        | "orders/updated"
        | "orders/cancelled"
        | "orders/paid"
        | "orders/fulfilled"
        | "orders/partially_fulfilled" => orders::order(root),
        "customers/create" | "customers/update" | "customers/enable" | "customers/disable" => {
            let customer = customer(root)?;
            if customer.external_id.is_none() {
                return Err(root.fail("id", "required"));
            }
            Ok(Mapped::Records(vec![storeops_domain::Record::Customer(
                customer,
            )]))
        }
        "products/create" | "products/update" => catalog::product(root, options),
        "fulfillments/create" | "fulfillments/update" => fulfilment::shipment(root),
        _ => pending::shopify_node(topic, root).map(|p| p.needs_lookup()),
    }
}

/// A Shopify address object (`shipping_address`, `billing_address`,
/// `default_address`, `destination`).
pub(crate) fn address(node: &Node<'_>) -> Result<Address, MappingError> {
    let name = match node.opt_str("name")? {
        Some(name) => name.to_string(),
        None => [node.text("first_name")?, node.text("last_name")?]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" "),
    };
    Ok(Address {
        name,
        company: node.text("company")?,
        address1: node.text("address1")?,
        address2: node.text("address2")?,
        city: node.text("city")?,
        province_code: match node.opt_str("province_code")? {
            Some(code) => code.to_string(),
            None => node.text("province")?,
        },
        country_code: match node.opt_str("country_code")? {
            Some(code) => code.to_string(),
            None => node.text("country")?,
        },
        zip: node.text("zip")?,
        phone: node.text("phone")?,
    })
}

/// The address object `key` of `node`, empty when absent.
pub(crate) fn address_at(node: &Node<'_>, key: &str) -> Result<Address, MappingError> {
    match node.object(key)? {
        Some(a) => address(&a),
        None => Ok(Address::default()),
    }
}

/// A Shopify customer object (a `customers/*` payload, or an order's
/// `customer`).
pub(crate) fn customer(node: &Node<'_>) -> Result<Customer, MappingError> {
    let subscribed = match node.object("email_marketing_consent")? {
        Some(consent) => consent.opt_str("state")? == Some("subscribed"),
        None => false,
    };
    Ok(Customer {
        external_id: node.opt_id("id")?,
        first_name: node.text("first_name")?,
        last_name: node.text("last_name")?,
        email: node.opt_str("email")?.map(str::to_string),
        phone: node.opt_str("phone")?.map(str::to_string),
        accepts_marketing: subscribed || node.flag("accepts_marketing", false)?,
        source: "shopify".to_string(),
        default_address: address_at(node, "default_address")?,
        tags: tags(&node.text("tags")?),
        note: node.text("note")?,
        tax_exempt: node.flag("tax_exempt", false)?,
        identities: Vec::new(),
    })
}
