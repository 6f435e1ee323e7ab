//! Shopify order payloads (`orders/create`, `orders/updated`,
//! `orders/cancelled`, …) into an [`Order`] and, when the payload has a
//! customer with an id or e-mail, a [`Customer`](storeops_domain::Customer).

use storeops_domain::{
    Currency, FinancialStatus, FulfillmentStatus, Money, Order, OrderLine, Record,
};

use crate::json::{clip, tags, Node};
use crate::mapped::{Mapped, MappingError};
use crate::shopify::{address_at, customer};

/// Maps an order payload.
pub(super) fn order(root: &Node<'_>) -> Result<Mapped, MappingError> {
    let name = root.req_str("name")?.to_string();
    let currency_text = root.req_str("currency")?;
    let currency =
        Currency::parse(currency_text).map_err(|e| root.fail("currency", e.to_string()))?;
    let zero = Money::new(0, currency);
    let lines = root
        .items("line_items")?
        .iter()
        .map(|item| line(item, currency))
        .collect::<Result<Vec<_>, _>>()?;
    let order = Order {
        name,
        external_id: root.opt_id("id")?,
        customer_external_id: match root.object("customer")? {
            Some(c) => c.opt_id("id")?,
            None => None,
        },
        email: match root.opt_str("email")? {
            Some(email) => Some(email.to_string()),
            None => root.opt_str("contact_email")?.map(str::to_string),
        },
        phone: root.opt_str("phone")?.map(str::to_string),
        created_at: root.time("created_at")?,
        cancelled_at: root.opt_time("cancelled_at")?,
        currency,
        financial_status: match root.opt_str("financial_status")? {
            Some(status) => FinancialStatus::parse(status)
                .map_err(|e| root.fail("financial_status", e.to_string()))?,
            None => FinancialStatus::Pending,
        },
        fulfillment_status: fulfillment(root, "fulfillment_status")?,
        subtotal: root.opt_money("subtotal_price", currency)?.unwrap_or(zero),
        shipping: shipping(root, currency)?,
        taxes: root.opt_money("total_tax", currency)?.unwrap_or(zero),
        discount: root.opt_money("total_discounts", currency)?.unwrap_or(zero),
        discount_code: match root.items("discount_codes")?.first() {
            Some(code) => code.as_object()?.opt_str("code")?.map(str::to_string),
            None => None,
        },
        total: root.money("total_price", currency)?,
        shipping_address: address_at(root, "shipping_address")?,
        billing_address: address_at(root, "billing_address")?,
        source: root.text("source_name")?,
        tags: tags(&root.text("tags")?),
        note: root.text("note")?,
        lines,
    };
    let mut records = vec![Record::Order(order)];
    if let Some(node) = root.object("customer")? {
        let customer = customer(&node)?;
        if customer.key().is_some() {
            records.push(Record::Customer(customer));
        }
    }
    Ok(Mapped::Records(records))
}

/// One `line_items[i]`.
fn line(item: &Node<'_>, currency: Currency) -> Result<OrderLine, MappingError> {
    let item = item.as_object()?;
    let quantity = item.int("quantity")?;
    if quantity < 1 {
        return Err(item.fail(
            "quantity",
            format!("`{quantity}` is not a quantity (expected 1 or more)"),
        ));
    }
    let name = match item.opt_str("name")? {
        Some(name) => name.to_string(),
        None => item.text("title")?,
    };
    Ok(OrderLine {
        sku: item.opt_str("sku")?.map(str::to_string),
        name,
        quantity,
        price: item.money("price", currency)?,
        compare_at_price: None,
        discount: item
            .opt_money("total_discount", currency)?
            .unwrap_or(Money::new(0, currency)),
        requires_shipping: item.flag("requires_shipping", true)?,
        taxable: item.flag("taxable", true)?,
        fulfillment_status: fulfillment(item, "fulfillment_status")?,
        vendor: item.text("vendor")?,
    })
}

/// An order's or a line's fulfilment status; `null` is unfulfilled.
/// `not_eligible` (a line with nothing to ship, e.g. a gift card or a removed
/// item) counts as fulfilled so it is never reported as late.
fn fulfillment(node: &Node<'_>, key: &str) -> Result<FulfillmentStatus, MappingError> {
    match node.opt_str(key)? {
        None => Ok(FulfillmentStatus::Unfulfilled),
        Some("not_eligible") => Ok(FulfillmentStatus::Fulfilled),
        Some(text) => FulfillmentStatus::parse(text).map_err(|e| node.fail(key, e.to_string())),
    }
}

/// Shipping charged: `total_shipping_price_set.shop_money.amount`, else the
/// sum of `shipping_lines[*].price`, else zero.
fn shipping(root: &Node<'_>, currency: Currency) -> Result<Money, MappingError> {
    if let Some(set) = root.object("total_shipping_price_set")? {
        if let Some(shop) = set.object("shop_money")? {
            if let Some(code) = shop.opt_str("currency_code")? {
                if !code.eq_ignore_ascii_case(currency.code()) {
                    return Err(shop.fail(
                        "currency_code",
                        format!(
                            "`{}` differs from the order currency {currency}",
                            clip(code)
                        ),
                    ));
                }
            }
            if let Some(amount) = shop.opt_money("amount", currency)? {
                return Ok(amount);
            }
        }
    }
    let mut minor: i64 = 0;
    for line in root.items("shipping_lines")? {
        let line = line.as_object()?;
        if let Some(price) = line.opt_money("price", currency)? {
            minor = minor
                .checked_add(price.minor)
                .ok_or_else(|| line.fail("price", "the shipping total overflows"))?;
        }
    }
    Ok(Money::new(minor, currency))
}
