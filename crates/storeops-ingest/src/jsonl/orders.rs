//! JSONL wire format of orders with their lines.

use serde::{Deserialize, Serialize};
use storeops_domain::{Address, FinancialStatus, FulfillmentStatus, Order, OrderLine, Record};

use crate::error::IngestError;
use crate::format::Format;
use crate::jsonl::check::Check;
use crate::jsonl::Wire;
use crate::values::format_rfc3339;
use crate::values::{amount, opt_amount};

fn yes() -> bool {
    true
}

/// An order line.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct OrderWire {
    name: String,
    external_id: Option<String>,
    customer_external_id: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    created_at: String,
    cancelled_at: Option<String>,
    currency: Option<String>,
    financial_status: Option<String>,
    fulfillment_status: Option<String>,
    subtotal: Option<String>,
    shipping: Option<String>,
    taxes: Option<String>,
    discount: Option<String>,
    discount_code: Option<String>,
    total: Option<String>,
    #[serde(default)]
    shipping_address: Address,
    #[serde(default)]
    billing_address: Address,
    #[serde(default)]
    source: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    lines: Vec<LineWire>,
}

/// A line item.
#[derive(Debug, Serialize, Deserialize)]
struct LineWire {
    sku: Option<String>,
    #[serde(default)]
    name: String,
    quantity: i64,
    price: String,
    compare_at_price: Option<String>,
    discount: Option<String>,
    #[serde(default = "yes")]
    requires_shipping: bool,
    #[serde(default = "yes")]
    taxable: bool,
    fulfillment_status: Option<String>,
    #[serde(default)]
    vendor: String,
}

impl Wire for OrderWire {
    fn into_record(self, c: &mut Check) -> Record {
        c.key(("", "name"), &self.name);
        let currency = c.currency(("", "currency"), self.currency.as_deref());
        let lines = self
            .lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let at = format!("lines[{i}].");
                OrderLine {
                    sku: l.sku,
                    name: l.name,
                    quantity: c.positive((&at, "quantity"), l.quantity),
                    price: c.money((&at, "price"), &l.price, currency),
                    compare_at_price: c.opt_money(
                        (&at, "compare_at_price"),
                        l.compare_at_price.as_deref(),
                        currency,
                    ),
                    discount: c.money_or_zero((&at, "discount"), l.discount.as_deref(), currency),
                    requires_shipping: l.requires_shipping,
                    taxable: l.taxable,
                    fulfillment_status: c.label(
                        (&at, "fulfillment_status"),
                        l.fulfillment_status.as_deref(),
                        FulfillmentStatus::parse,
                        FulfillmentStatus::Unfulfilled,
                    ),
                    vendor: l.vendor,
                }
            })
            .collect();
        Record::Order(Order {
            name: self.name,
            external_id: self.external_id,
            customer_external_id: self.customer_external_id,
            email: self.email,
            phone: self.phone,
            created_at: c.time(("", "created_at"), &self.created_at),
            cancelled_at: c.opt_time(("", "cancelled_at"), self.cancelled_at.as_deref()),
            currency,
            financial_status: c.label(
                ("", "financial_status"),
                self.financial_status.as_deref(),
                FinancialStatus::parse,
                FinancialStatus::Pending,
            ),
            fulfillment_status: c.label(
                ("", "fulfillment_status"),
                self.fulfillment_status.as_deref(),
                FulfillmentStatus::parse,
                FulfillmentStatus::Unfulfilled,
            ),
            subtotal: c.money_or_zero(("", "subtotal"), self.subtotal.as_deref(), currency),
            shipping: c.money_or_zero(("", "shipping"), self.shipping.as_deref(), currency),
            taxes: c.money_or_zero(("", "taxes"), self.taxes.as_deref(), currency),
            discount: c.money_or_zero(("", "discount"), self.discount.as_deref(), currency),
            discount_code: self.discount_code,
            total: c.money_or_zero(("", "total"), self.total.as_deref(), currency),
            shipping_address: self.shipping_address,
            billing_address: self.billing_address,
            source: self.source,
            tags: self.tags,
            note: self.note,
            lines,
        })
    }
}

impl OrderWire {
    /// The wire form of an order.
    pub fn from_domain(o: &Order) -> Result<OrderWire, IngestError> {
        let cur = o.currency;
        let what = format!("order `{}`", o.name);
        let lines = o
            .lines
            .iter()
            .map(|l| {
                Ok(LineWire {
                    sku: l.sku.clone(),
                    name: l.name.clone(),
                    quantity: l.quantity,
                    price: amount(&l.price, cur, &what, Format::Jsonl)?,
                    compare_at_price: opt_amount(
                        l.compare_at_price.as_ref(),
                        cur,
                        &what,
                        Format::Jsonl,
                    )?,
                    discount: Some(amount(&l.discount, cur, &what, Format::Jsonl)?),
                    requires_shipping: l.requires_shipping,
                    taxable: l.taxable,
                    fulfillment_status: Some(l.fulfillment_status.as_str().to_string()),
                    vendor: l.vendor.clone(),
                })
            })
            .collect::<Result<_, IngestError>>()?;
        Ok(OrderWire {
            name: o.name.clone(),
            external_id: o.external_id.clone(),
            customer_external_id: o.customer_external_id.clone(),
            email: o.email.clone(),
            phone: o.phone.clone(),
            created_at: format_rfc3339(&o.created_at),
            cancelled_at: o.cancelled_at.as_ref().map(format_rfc3339),
            currency: Some(cur.code().to_string()),
            financial_status: Some(o.financial_status.as_str().to_string()),
            fulfillment_status: Some(o.fulfillment_status.as_str().to_string()),
            subtotal: Some(amount(&o.subtotal, cur, &what, Format::Jsonl)?),
            shipping: Some(amount(&o.shipping, cur, &what, Format::Jsonl)?),
            taxes: Some(amount(&o.taxes, cur, &what, Format::Jsonl)?),
            discount: Some(amount(&o.discount, cur, &what, Format::Jsonl)?),
            discount_code: o.discount_code.clone(),
            total: Some(amount(&o.total, cur, &what, Format::Jsonl)?),
            shipping_address: o.shipping_address.clone(),
            billing_address: o.billing_address.clone(),
            source: o.source.clone(),
            tags: o.tags.clone(),
            note: o.note.clone(),
            lines,
        })
    }
}
