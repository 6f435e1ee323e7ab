//! A small hand-built store for the dashboard tests: two products (one
//! without a description, a readiness finding), a customer and two orders
//! (one without any customer, another finding).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use storeops_domain::{
    Address, Currency, Customer, FinancialStatus, FulfillmentStatus, Image, Money, Order,
    OrderLine, Product, Record, Variant,
};

/// US dollars.
pub fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

/// A product with one priced, costed, barcoded variant and an image;
/// `described` decides whether it has a description.
pub fn product(handle: &str, title: &str, sku: &str, described: bool) -> Product {
    let mut p = Product::new(handle, title);
    if described {
        p.description_html = "<p>A sturdy everyday thing.</p>".into();
    }
    p.vendor = "Acme".into();
    p.images = vec![Image {
        src: format!("https://cdn.example/{handle}.jpg"),
        position: 1,
        alt: String::new(),
    }];
    let mut v = Variant::new(Some(sku.to_string()), Some(usd(1999)));
    v.cost = Some(usd(800));
    v.gtin = Some("4006381333931".into());
    p.variants = vec![v];
    p
}

/// A customer with a platform id and an e-mail.
pub fn customer(id: &str, email: &str) -> Customer {
    Customer {
        external_id: Some(id.into()),
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        email: Some(email.into()),
        phone: None,
        accepts_marketing: false,
        source: "web".into(),
        default_address: Address::default(),
        tags: vec![],
        note: String::new(),
        tax_exempt: false,
        identities: vec![],
    }
}

/// An order of one line of `sku`, placed on 2024-03-`day`, from `email`
/// (or from nobody).
pub fn order(name: &str, day: u32, email: Option<&str>, sku: &str) -> Order {
    let line = OrderLine {
        sku: Some(sku.into()),
        name: "Item".into(),
        quantity: 2,
        price: usd(1999),
        compare_at_price: None,
        discount: usd(0),
        requires_shipping: true,
        taxable: true,
        fulfillment_status: FulfillmentStatus::Unfulfilled,
        vendor: "Acme".into(),
    };
    Order {
        name: name.into(),
        external_id: None,
        customer_external_id: None,
        email: email.map(str::to_string),
        phone: None,
        created_at: Utc.with_ymd_and_hms(2024, 3, day, 10, 0, 0).unwrap(),
        cancelled_at: None,
        currency: Currency::USD,
        financial_status: FinancialStatus::Paid,
        fulfillment_status: FulfillmentStatus::Unfulfilled,
        subtotal: usd(3998),
        shipping: usd(500),
        taxes: usd(0),
        discount: usd(0),
        discount_code: None,
        total: usd(4498),
        shipping_address: Address::default(),
        billing_address: Address::default(),
        source: "web".into(),
        tags: vec![],
        note: String::new(),
        lines: vec![line],
    }
}

/// Title of the readiness finding the store plants (the mug has no description).
pub const MISSING_DESCRIPTION: &str = "Products whose description has no visible text";

/// The store: 2 products, 1 customer, 2 orders.
pub fn store() -> Vec<Record> {
    vec![
        Record::Product(product("wool-hat", "Wool hat", "HAT-1", true)),
        Record::Product(product("plain-mug", "Plain mug", "MUG-1", false)),
        Record::Customer(customer("42", "ada@example.com")),
        Record::Order(order("#1001", 1, Some("ada@example.com"), "HAT-1")),
        Record::Order(order("#1002", 2, None, "MUG-1")),
    ]
}
