//! Shopify payloads that are valid but cannot become domain records on their
//! own: what they carry, typed, so the server can finish the job after a
//! lookup (`inventory_levels/update`, `refunds/create`, `returns/*`).
//!
//! - `inventory_levels/update` names the item by `inventory_item_id` and the
//!   location by `location_id`; an [`InventoryLevel`](storeops_domain::InventoryLevel)
//!   needs the SKU and the location name. Kind `inventory_item_sku`.
//! - `refunds/create`: storeops keeps refunds inside a return request
//!   (`ReturnRequest::refunds`; there is no stand-alone refund record), and
//!   the payload names its order by `order_id` only. Kind `stored_return`.
//! - `returns/*`: the payloads carry the return id, the order id and the new
//!   status, but no order name, request time or (for status changes) lines,
//!   so they apply to a stored return (`stored_return`), or, for
//!   `returns/request`, need the order name first (`order_name`).

use chrono::{DateTime, Utc};
use serde_json::Value;
use storeops_domain::{Currency, Money, Refund, ReturnStatus};

use crate::json::Node;
use crate::mapped::{Mapped, MappingError};

/// The typed content of a Shopify payload that needs a lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// `inventory_levels/update`: the new available quantity of an inventory
    /// item at a location.
    InventoryLevel {
        /// Shopify inventory item id (look up its SKU).
        inventory_item_id: String,
        /// Shopify location id (look up its name).
        location_id: String,
        /// Units available now.
        available: i64,
        /// When the level changed.
        updated_at: DateTime<Utc>,
    },
    /// `refunds/create`: money paid back on an order.
    Refund {
        /// Shopify order id (look up its name and stored return).
        order_id: String,
        /// Shopify return id, when the refund belongs to a return.
        return_id: Option<String>,
        /// The refund; `order_name` is empty until looked up. The amount is
        /// the sum of the successful `refund` transactions.
        refund: Refund,
    },
    /// `returns/*`: a return request was made or changed status.
    ReturnStatus {
        /// Shopify return id.
        return_id: String,
        /// Shopify order id.
        order_id: String,
        /// The status the topic implies.
        status: ReturnStatus,
        /// The merchant's note (`decline.note` on `returns/decline`).
        note: String,
    },
}

impl Pending {
    /// What must be looked up (the `kind` of [`Mapped::NeedsLookup`]).
    pub fn kind(&self) -> &'static str {
        match self {
            Pending::InventoryLevel { .. } => "inventory_item_sku",
            Pending::Refund { .. } => "stored_return",
            Pending::ReturnStatus {
                status: ReturnStatus::Requested,
                ..
            } => "order_name",
            Pending::ReturnStatus { .. } => "stored_return",
        }
    }

    /// Why, with the ids to look up.
    pub fn reason(&self) -> String {
        match self {
            Pending::InventoryLevel {
                inventory_item_id,
                location_id,
                available,
                ..
            } => format!(
                "inventory_levels/update names inventory item {inventory_item_id} at location {location_id} (available {available}); an inventory level needs the item's SKU and the location's name"
            ),
            Pending::Refund {
                order_id,
                return_id,
                refund,
            } => format!(
                "refund {} of {} names its order by id only (order_id {order_id}{}); storeops keeps refunds inside the order's return request, so add it to the stored return",
                refund.id,
                refund.amount,
                return_id
                    .as_ref()
                    .map(|id| format!(", return {id}"))
                    .unwrap_or_default()
            ),
            Pending::ReturnStatus {
                return_id,
                order_id,
                status: ReturnStatus::Requested,
                ..
            } => format!(
                "return {return_id} was requested on order id {order_id}; the payload has no order name or request time, so the return is created once the order's name is looked up"
            ),
            Pending::ReturnStatus {
                return_id,
                order_id,
                status,
                ..
            } => format!(
                "return {return_id} (order id {order_id}) is now `{status}`; the payload has no order name, lines or dates, so the status applies to the stored return"
            ),
        }
    }

    /// The [`Mapped::NeedsLookup`] for this payload.
    pub(crate) fn needs_lookup(self) -> Mapped {
        Mapped::NeedsLookup {
            kind: self.kind(),
            reason: self.reason(),
        }
    }
}

/// The typed content of a Shopify payload whose topic needs a lookup:
/// `None` for any other topic, an error naming the field when the payload
/// does not have the topic's shape.
pub fn shopify_pending(topic: &str, payload: &Value) -> Option<Result<Pending, MappingError>> {
    let topic = topic.trim();
    let pending = topic == "inventory_levels/update"
        || topic == "refunds/create"
        || return_status(topic).is_some();
    pending.then(|| Node::root(payload).and_then(|root| shopify_node(topic, &root)))
}

/// The status a `returns/*` topic implies. Shopify's own `status` field says
/// `open` for approved and reopened returns, which storeops calls approved.
fn return_status(topic: &str) -> Option<ReturnStatus> {
    Some(match topic {
        "returns/request" => ReturnStatus::Requested,
        "returns/approve" | "returns/reopen" => ReturnStatus::Approved,
        "returns/decline" => ReturnStatus::Rejected,
        "returns/cancel" => ReturnStatus::Cancelled,
        "returns/close" => ReturnStatus::Closed,
        _ => return None,
    })
}

/// [`shopify_pending`] on a payload root.
pub(crate) fn shopify_node(topic: &str, root: &Node<'_>) -> Result<Pending, MappingError> {
    if topic == "inventory_levels/update" {
        return Ok(Pending::InventoryLevel {
            inventory_item_id: root.id("inventory_item_id")?,
            location_id: root.id("location_id")?,
            available: root.int("available")?,
            updated_at: root.time("updated_at")?,
        });
    }
    if topic == "refunds/create" {
        return refund(root);
    }
    let Some(status) = return_status(topic) else {
        return Err(MappingError::new(
            "$",
            format!("topic `{topic}` needs no lookup"),
        ));
    };
    let order_id = match root.object("order")? {
        Some(order) => order.id("id")?,
        None => root.id("order_id")?,
    };
    let note = match root.object("decline")? {
        Some(decline) => decline.text("note")?,
        None => String::new(),
    };
    Ok(Pending::ReturnStatus {
        return_id: root.id("id")?,
        order_id,
        status,
        note,
    })
}

/// A `refunds/create` payload.
fn refund(root: &Node<'_>) -> Result<Pending, MappingError> {
    let id = root.id("id")?;
    let order_id = root.id("order_id")?;
    let created_at = match root.opt_time("processed_at")? {
        Some(t) => t,
        None => root.time("created_at")?,
    };
    let return_id = match root.object("return")? {
        Some(ret) => ret.opt_id("id")?,
        None => None,
    };
    let transactions = root.items("transactions")?;
    let currency = refund_currency(root, &transactions)?;
    let mut minor: i64 = 0;
    for tx in &transactions {
        let tx = tx.as_object()?;
        let refunded =
            tx.opt_str("kind")? == Some("refund") && tx.opt_str("status")? == Some("success");
        if refunded {
            let amount = tx.money("amount", currency)?;
            minor = minor
                .checked_add(amount.minor)
                .ok_or_else(|| tx.fail("amount", "the refund total overflows"))?;
        }
    }
    Ok(Pending::Refund {
        order_id,
        return_id,
        refund: Refund {
            id,
            order_name: String::new(),
            amount: Money::new(minor, currency),
            created_at,
            reason: root.text("note")?,
        },
    })
}

/// The refund's currency: a transaction's `currency`, else the shop money of
/// a refunded line, else of `total_duties_set` (transactions often say
/// `null`).
fn refund_currency(root: &Node<'_>, transactions: &[Node<'_>]) -> Result<Currency, MappingError> {
    let parse = |node: &Node<'_>, key: &str| -> Result<Option<Currency>, MappingError> {
        match node.opt_str(key)? {
            Some(code) => Currency::parse(code)
                .map(Some)
                .map_err(|e| node.fail(key, e.to_string())),
            None => Ok(None),
        }
    };
    for tx in transactions {
        if let Some(c) = parse(tx.as_object()?, "currency")? {
            return Ok(c);
        }
    }
    let shop_money = |node: &Node<'_>, key: &str| -> Result<Option<Currency>, MappingError> {
        match node.object(key)?.map(|set| set.object("shop_money")) {
            Some(Ok(Some(shop))) => parse(&shop, "currency_code"),
            Some(Err(e)) => Err(e),
            _ => Ok(None),
        }
    };
    for line in root.items("refund_line_items")? {
        if let Some(c) = shop_money(line.as_object()?, "subtotal_set")? {
            return Ok(c);
        }
    }
    if let Some(c) = shop_money(root, "total_duties_set")? {
        return Ok(c);
    }
    Err(root.fail(
        "transactions",
        "no currency given (transactions[*].currency, refund_line_items[*].subtotal_set or total_duties_set)",
    ))
}
