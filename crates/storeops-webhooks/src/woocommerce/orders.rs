//! WooCommerce order payloads (`order.created`, `order.updated`) into an
//! [`Order`] named `wc-<number>`.

use storeops_domain::{
    Address, Currency, FinancialStatus, FulfillmentStatus, Money, Order, OrderLine, Record,
};

use crate::json::{clip, Node};
use crate::mapped::{Mapped, MappingError};
use crate::woocommerce::{woocommerce_order_name, WOOCOMMERCE_PREFIX};

/// Maps an order payload.
pub(super) fn order(root: &Node<'_>) -> Result<Mapped, MappingError> {
    let number = match root.opt_str("number")? {
        Some(number) => number.to_string(),
        None => root.id("id")?,
    };
    let currency_text = root.req_str("currency")?;
    let currency =
        Currency::parse(currency_text).map_err(|e| root.fail("currency", e.to_string()))?;
    let zero = Money::new(0, currency);
    let status = root.req_str("status")?;
    let created_at = root
        .opt_gmt_time("date_created_gmt")?
        .ok_or_else(|| root.fail("date_created_gmt", "required"))?;
    let modified_at = root
        .opt_gmt_time("date_modified_gmt")?
        .unwrap_or(created_at);
    let completed = root.opt_gmt_time("date_completed_gmt")?.is_some();
    let refunded = !root.items("refunds")?.is_empty();
    let (financial_status, cancelled) = financial(root, status, refunded)?;
    let fulfillment_status = if completed || status == "completed" {
        FulfillmentStatus::Fulfilled
    } else {
        FulfillmentStatus::Unfulfilled
    };
    let mut lines = Vec::new();
    let mut subtotal: i64 = 0;
    for item in root.items("line_items")? {
        let (line, total) = line(&item, currency, fulfillment_status)?;
        subtotal = subtotal
            .checked_add(total)
            .ok_or_else(|| item.fail("total", "the order subtotal overflows"))?;
        lines.push(line);
    }
    let billing = root.object("billing")?;
    let contact = |key: &str| -> Result<Option<String>, MappingError> {
        match &billing {
            Some(b) => Ok(b.opt_str(key)?.map(str::to_string)),
            None => Ok(None),
        }
    };
    let order = Order {
        name: woocommerce_order_name(&number),
        external_id: root.opt_id("id")?,
        customer_external_id: root
            .opt_id("customer_id")?
            .map(|id| format!("{WOOCOMMERCE_PREFIX}{id}")),
        email: contact("email")?,
        phone: contact("phone")?,
        created_at,
        cancelled_at: cancelled.then_some(modified_at),
        currency,
        financial_status,
        fulfillment_status,
        subtotal: Money::new(subtotal, currency),
        shipping: root.opt_money("shipping_total", currency)?.unwrap_or(zero),
        taxes: root.opt_money("total_tax", currency)?.unwrap_or(zero),
        discount: root.opt_money("discount_total", currency)?.unwrap_or(zero),
        discount_code: match root.items("coupon_lines")?.first() {
            Some(coupon) => coupon.as_object()?.opt_str("code")?.map(str::to_string),
            None => None,
        },
        total: root.money("total", currency)?,
        shipping_address: match root.object("shipping")? {
            Some(a) => address(&a)?,
            None => Address::default(),
        },
        billing_address: match &billing {
            Some(a) => address(a)?,
            None => Address::default(),
        },
        source: root.text("created_via")?,
        tags: Vec::new(),
        note: root.text("customer_note")?,
        lines,
    };
    Ok(Mapped::Records(vec![Record::Order(order)]))
}

/// Payment state and whether the order is cancelled, from the order
/// `status`. WooCommerce has one status for payment and handling; custom
/// statuses added by plugins are refused with the list of known ones.
fn financial(
    root: &Node<'_>,
    status: &str,
    refunded: bool,
) -> Result<(FinancialStatus, bool), MappingError> {
    let paid = if refunded {
        FinancialStatus::PartiallyRefunded
    } else {
        FinancialStatus::Paid
    };
    Ok(match status {
        "pending" | "on-hold" | "checkout-draft" => (FinancialStatus::Pending, false),
        "processing" | "completed" => (paid, false),
        "refunded" => (FinancialStatus::Refunded, false),
        "failed" => (FinancialStatus::Voided, false),
        "cancelled" | "trash" => (FinancialStatus::Voided, true),
        other => {
            return Err(root.fail(
                "status",
                format!(
                    "`{}` is not one of: pending, processing, on-hold, completed, cancelled, refunded, failed, trash, checkout-draft",
                    clip(other)
                ),
            ))
        }
    })
}

/// One `line_items[i]` and its total after discounts in minor units.
///
/// The unit price is `subtotal / quantity` (both exact) when it divides
/// evenly, else the line's `price`, which WooCommerce sends as a JSON number
/// and is read from its decimal text; the discount is `subtotal - total`.
fn line(
    item: &Node<'_>,
    currency: Currency,
    fulfillment_status: FulfillmentStatus,
) -> Result<(OrderLine, i64), MappingError> {
    let item = item.as_object()?;
    let quantity = item.int("quantity")?;
    if quantity < 1 {
        return Err(item.fail(
            "quantity",
            format!("`{quantity}` is not a quantity (expected 1 or more)"),
        ));
    }
    let subtotal = item.money("subtotal", currency)?;
    let total = item.money("total", currency)?;
    let price = if subtotal.minor % quantity == 0 {
        Money::new(subtotal.minor / quantity, currency)
    } else {
        item.opt_money_lenient("price", currency)?.ok_or_else(|| {
            item.fail(
                "price",
                "required when subtotal / quantity is not a whole amount",
            )
        })?
    };
    let discount = Money::new(subtotal.minor.saturating_sub(total.minor).max(0), currency);
    let line = OrderLine {
        sku: item.opt_str("sku")?.map(str::to_string),
        name: item.text("name")?,
        quantity,
        price,
        compare_at_price: None,
        discount,
        requires_shipping: true,
        taxable: true,
        fulfillment_status,
        vendor: String::new(),
    };
    Ok((line, total.minor))
}

/// A WooCommerce `billing` or `shipping` object.
fn address(node: &Node<'_>) -> Result<Address, MappingError> {
    let name = [node.text("first_name")?, node.text("last_name")?]
        .iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Address {
        name,
        company: node.text("company")?,
        address1: node.text("address_1")?,
        address2: node.text("address_2")?,
        city: node.text("city")?,
        province_code: node.text("state")?,
        country_code: node.text("country")?,
        zip: node.text("postcode")?,
        phone: node.text("phone")?,
    })
}
