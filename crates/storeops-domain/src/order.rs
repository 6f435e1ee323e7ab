//! Orders and their line items.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::customer::Address;
use crate::label_enum;
use crate::money::{Currency, Money};

label_enum! {
    /// Payment state of an order (Shopify's `Financial Status`).
    pub enum FinancialStatus {
        /// Awaiting payment.
        Pending => "pending",
        /// Payment authorised, not captured.
        Authorized => "authorized",
        /// Partly paid.
        PartiallyPaid => "partially_paid",
        /// Paid in full.
        Paid => "paid",
        /// Partly refunded.
        PartiallyRefunded => "partially_refunded",
        /// Refunded in full.
        Refunded => "refunded",
        /// Authorisation voided.
        Voided => "voided",
        /// Authorisation expired.
        Expired => "expired",
    }
}

label_enum! {
    /// Fulfilment state of an order or line (Shopify's `Fulfillment Status`).
    pub enum FulfillmentStatus {
        /// Nothing shipped yet.
        Unfulfilled => "unfulfilled" | "pending" | "null",
        /// Some lines shipped.
        Partial => "partial" | "partially_fulfilled",
        /// Everything shipped.
        Fulfilled => "fulfilled",
        /// Items were put back into stock.
        Restocked => "restocked",
    }
}

/// An order, identified by its name (`#1001`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// Order name, unique per store (natural key).
    pub name: String,
    /// Platform order id.
    pub external_id: Option<String>,
    /// Platform id of the customer.
    pub customer_external_id: Option<String>,
    /// Customer e-mail.
    pub email: Option<String>,
    /// Customer phone.
    pub phone: Option<String>,
    /// When the order was placed (UTC).
    pub created_at: DateTime<Utc>,
    /// When it was cancelled, if it was.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Order currency.
    pub currency: Currency,
    /// Payment state.
    pub financial_status: FinancialStatus,
    /// Fulfilment state.
    pub fulfillment_status: FulfillmentStatus,
    /// Sum of lines after discounts, before shipping and tax (Shopify's `Subtotal`).
    pub subtotal: Money,
    /// Shipping charged.
    pub shipping: Money,
    /// Taxes charged.
    pub taxes: Money,
    /// Discount given.
    pub discount: Money,
    /// Discount code used.
    pub discount_code: Option<String>,
    /// Total charged.
    pub total: Money,
    /// Shipping address.
    pub shipping_address: Address,
    /// Billing address.
    pub billing_address: Address,
    /// Sales channel (`web`, `pos`, `marketplace`, …).
    pub source: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Free-text note.
    pub note: String,
    /// Line items in file order.
    pub lines: Vec<OrderLine>,
}

/// One line item of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// SKU sold, when known.
    pub sku: Option<String>,
    /// Line title as shown to the customer.
    pub name: String,
    /// Units ordered (> 0).
    pub quantity: i64,
    /// Unit price.
    pub price: Money,
    /// Unit reference price.
    pub compare_at_price: Option<Money>,
    /// Discount on the line.
    pub discount: Money,
    /// Needs shipping.
    pub requires_shipping: bool,
    /// Charged tax.
    pub taxable: bool,
    /// Line fulfilment state.
    pub fulfillment_status: FulfillmentStatus,
    /// Vendor of the item.
    pub vendor: String,
}

impl Order {
    /// True when the order carries any way to reach or identify a customer.
    pub fn has_customer(&self) -> bool {
        [&self.customer_external_id, &self.email, &self.phone]
            .iter()
            .any(|v| v.as_deref().is_some_and(|s| !s.trim().is_empty()))
    }

    /// Total units across lines.
    pub fn units(&self) -> i64 {
        self.lines.iter().map(|l| l.quantity).sum()
    }
}
