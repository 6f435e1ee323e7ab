//! Shopify order and customer topics mapped from the documentation's sample
//! payloads (`tests/fixtures/shopify_order.json`, `shopify_customer.json`),
//! with specific expected values, plus field errors that name their path.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};
use storeops_domain::{
    Currency, Customer, FinancialStatus, FulfillmentStatus, Money, Order, Record,
};
use storeops_webhooks::{map_shopify, Mapped, MappingError, SHOPIFY_TOPICS};

fn payload(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect(&path);
    let mut fixture: Value = serde_json::from_str(&text).unwrap();
    fixture["payload"].take()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 10, 1, 12, 0, 0).unwrap()
}

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

fn records(topic: &str, payload: &Value) -> Vec<Record> {
    match map_shopify(topic, payload, now()) {
        Mapped::Records(records) => records,
        other => panic!("{topic}: expected records, got {other:?}"),
    }
}

fn order_and_customer(topic: &str, payload: &Value) -> (Order, Option<Customer>) {
    let mut records = records(topic, payload).into_iter();
    let Some(Record::Order(order)) = records.next() else {
        panic!("first record is not an order");
    };
    let customer = records.next().map(|r| match r {
        Record::Customer(c) => c,
        other => panic!("expected a customer, got {other:?}"),
    });
    assert!(records.next().is_none());
    (order, customer)
}

fn invalid(topic: &str, payload: &Value) -> MappingError {
    match map_shopify(topic, payload, now()) {
        Mapped::Invalid(e) => e,
        other => panic!("{topic}: expected Invalid, got {other:?}"),
    }
}

#[test]
fn orders_create_maps_the_sample_order() {
    let (order, customer) = order_and_customer("orders/create", &payload("shopify_order.json"));
    let at = Utc.with_ymd_and_hms(2022, 1, 1, 0, 0, 0).unwrap();
    assert_eq!(order.name, "#9999");
    assert_eq!(order.external_id.as_deref(), Some("820982911946154508"));
    assert_eq!(
        order.customer_external_id.as_deref(),
        Some("115310627314723954")
    );
    assert_eq!(order.email.as_deref(), Some("jon@example.com"));
    assert_eq!(order.phone, None);
    assert_eq!(order.created_at, at);
    assert_eq!(order.cancelled_at, Some(at));
    assert_eq!(order.currency, Currency::USD);
    assert_eq!(order.financial_status, FinancialStatus::Voided);
    assert_eq!(order.fulfillment_status, FulfillmentStatus::Unfulfilled);
    assert_eq!(order.subtotal, usd(40495));
    assert_eq!(order.shipping, usd(1000));
    assert_eq!(order.taxes, usd(0));
    assert_eq!(order.discount, usd(2000));
    assert_eq!(order.discount_code, None);
    assert_eq!(order.total, usd(40495));
    assert_eq!(order.source, "web");
    assert_eq!(order.tags, vec!["tag1", "tag2"]);
    assert_eq!(order.note, "");
    assert_eq!(order.lines.len(), 5);
    assert_eq!(order.units(), 5);
    let skus: Vec<_> = order
        .lines
        .iter()
        .map(|l| l.sku.as_deref().unwrap())
        .collect();
    assert_eq!(
        skus,
        [
            "SKU2006-001",
            "LENS-PROTECT-2YR",
            "CASE-LEATHER-PREM",
            "SKU2006-020",
            "SKU2006-035"
        ]
    );
    let first = &order.lines[0];
    assert_eq!(first.name, "Aviator sunglasses");
    assert_eq!(
        (first.quantity, first.price, first.discount),
        (1, usd(8999), usd(0))
    );
    assert!(first.requires_shipping && first.taxable);
    assert_eq!(first.fulfillment_status, FulfillmentStatus::Unfulfilled);
    assert_eq!(first.vendor, "");
    assert_eq!(
        order.lines.iter().map(|l| l.price.minor).sum::<i64>(),
        41495
    );
    let ship = &order.shipping_address;
    assert_eq!(
        (
            ship.name.as_str(),
            ship.company.as_str(),
            ship.address1.as_str()
        ),
        ("Steve Shipper", "Shipping Company", "123 Shipping Street")
    );
    assert_eq!(
        (
            ship.city.as_str(),
            ship.province_code.as_str(),
            ship.country_code.as_str(),
            ship.zip.as_str()
        ),
        ("Shippington", "KY", "US", "40003")
    );
    assert_eq!(ship.phone, "555-555-SHIP");
    assert_eq!(order.billing_address, order.shipping_address);

    let customer = customer.expect("the order has a customer");
    assert_eq!(customer.key().as_deref(), Some("id:115310627314723954"));
    assert_eq!(
        (customer.first_name.as_str(), customer.last_name.as_str()),
        ("John", "Smith")
    );
    assert_eq!(customer.email.as_deref(), Some("john@example.com"));
    assert_eq!(customer.default_address.city, "Ottawa");
    assert_eq!(customer.default_address.province_code, "ON");
    assert_eq!(customer.source, "shopify");
}

#[test]
fn every_full_order_topic_maps_the_same_way() {
    let sample = payload("shopify_order.json");
    let created = records("orders/create", &sample);
    for topic in [
        "orders/updated",
        "orders/cancelled",
        "orders/paid",
        "orders/fulfilled",
        "orders/partially_fulfilled",
    ] {
        assert_eq!(records(topic, &sample), created, "{topic}");
    }
}

#[test]
fn amounts_use_the_currency_exponent() {
    let mut sample = payload("shopify_order.json");
    sample["currency"] = json!("KWD");
    sample["total_shipping_price_set"]["shop_money"]["currency_code"] = json!("KWD");
    let (order, _) = order_and_customer("orders/create", &sample);
    let kwd = Currency::parse("KWD").unwrap();
    assert_eq!(order.total, Money::new(404_950, kwd));
    assert_eq!(order.lines[0].price, Money::new(89_990, kwd));

    sample["currency"] = json!("JPY");
    sample["total_shipping_price_set"]["shop_money"]["currency_code"] = json!("JPY");
    let e = invalid("orders/create", &sample);
    assert_eq!(e.field, "line_items[0].price");
    assert!(
        e.message.contains("more than 0 decimal places for JPY"),
        "{e}"
    );
}

#[test]
fn statuses_and_optional_parts() {
    let mut sample = payload("shopify_order.json");
    sample["fulfillment_status"] = json!("partial");
    sample["financial_status"] = json!("partially_refunded");
    sample["line_items"][0]["fulfillment_status"] = json!("fulfilled");
    sample["line_items"][1]["fulfillment_status"] = json!("not_eligible");
    sample["discount_codes"] =
        json!([{"code": "SPRING", "amount": "20.00", "type": "fixed_amount"}]);
    sample["cancelled_at"] = Value::Null;
    sample["customer"] = Value::Null;
    sample["email"] = Value::Null;
    sample
        .as_object_mut()
        .unwrap()
        .remove("total_shipping_price_set");
    let (order, customer) = order_and_customer("orders/updated", &sample);
    assert_eq!(order.fulfillment_status, FulfillmentStatus::Partial);
    assert_eq!(order.financial_status, FinancialStatus::PartiallyRefunded);
    assert_eq!(
        order.lines[0].fulfillment_status,
        FulfillmentStatus::Fulfilled
    );
    assert_eq!(
        order.lines[1].fulfillment_status,
        FulfillmentStatus::Fulfilled
    );
    assert_eq!(order.discount_code.as_deref(), Some("SPRING"));
    assert_eq!(order.cancelled_at, None);
    // Falls back to contact_email, and to the shipping lines for shipping.
    assert_eq!(order.email.as_deref(), Some("jon@example.com"));
    assert_eq!(order.shipping, usd(1000));
    assert_eq!(order.customer_external_id, None);
    assert!(customer.is_none());

    // A customer with neither id nor e-mail is no customer record.
    sample["customer"] = json!({"first_name": "Anon"});
    let (_, customer) = order_and_customer("orders/updated", &sample);
    assert!(customer.is_none());
}

#[test]
fn order_field_errors_name_the_json_path() {
    let sample = payload("shopify_order.json");
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut p = sample.clone();
        edit(&mut p);
        invalid("orders/create", &p)
    };
    let e = with(&|p| {
        p.as_object_mut().unwrap().remove("name");
    });
    assert_eq!((e.field.as_str(), e.message.as_str()), ("name", "required"));
    let e = with(&|p| {
        p["line_items"][1].as_object_mut().unwrap().remove("price");
    });
    assert_eq!(
        (e.field.as_str(), e.message.as_str()),
        ("line_items[1].price", "required")
    );
    let e = with(&|p| p["line_items"][0]["price"] = json!("12,99"));
    assert_eq!(e.field, "line_items[0].price");
    assert!(e.message.contains("`12,99` is not a decimal amount"), "{e}");
    let e = with(&|p| p["line_items"][0]["price"] = json!(89.99));
    assert_eq!(e.field, "line_items[0].price");
    assert!(e.message.contains("found a number"), "{e}");
    let e = with(&|p| p["line_items"][2]["quantity"] = json!(0));
    assert_eq!(e.field, "line_items[2].quantity");
    let e = with(&|p| p["created_at"] = json!("yesterday"));
    assert_eq!(e.field, "created_at");
    let e = with(&|p| p["financial_status"] = json!("maybe"));
    assert_eq!(e.field, "financial_status");
    assert!(e.message.contains("pending, authorized"), "{e}");
    let e = with(&|p| p["currency"] = json!("XYZ"));
    assert_eq!(e.field, "currency");
    let e = with(&|p| p["total_price"] = json!("-1.00"));
    assert_eq!(
        (e.field.as_str(), e.message.as_str()),
        ("total_price", "`-1.00` is negative")
    );
    let e = with(&|p| p["total_shipping_price_set"]["shop_money"]["amount"] = json!("ten"));
    assert_eq!(e.field, "total_shipping_price_set.shop_money.amount");
    let e = with(&|p| p["total_shipping_price_set"]["shop_money"]["currency_code"] = json!("EUR"));
    assert_eq!(e.field, "total_shipping_price_set.shop_money.currency_code");
    let e = with(&|p| p["customer"]["default_address"]["zip"] = json!(40003));
    assert_eq!(e.field, "customer.default_address.zip");
    let e = with(&|p| p["line_items"] = json!({"0": {}}));
    assert_eq!(e.field, "line_items");
    assert_eq!(
        e.to_string(),
        "line_items: expected an array, found an object"
    );
    let e = invalid("orders/create", &json!([1, 2]));
    assert_eq!(e.field, "$");
}

#[test]
fn customers_map_the_sample_customer() {
    let sample = payload("shopify_customer.json");
    for topic in [
        "customers/create",
        "customers/update",
        "customers/enable",
        "customers/disable",
    ] {
        let recs = records(topic, &sample);
        let [Record::Customer(c)] = recs.as_slice() else {
            panic!("{topic}: {recs:?}");
        };
        assert_eq!(c.external_id.as_deref(), Some("706405506930370084"));
        assert_eq!(
            (c.first_name.as_str(), c.last_name.as_str()),
            ("Bob", "Biller")
        );
        assert_eq!(c.email.as_deref(), Some("bob@biller.com"));
        assert_eq!(c.phone, None);
        assert_eq!(c.note, "This customer loves ice cream");
        assert!(!c.accepts_marketing && !c.tax_exempt);
        assert_eq!(c.default_address.name, "Bob Biller");
        assert_eq!(c.default_address.address1, "151 O'Connor Street");
        assert_eq!(c.default_address.zip, "K2P 2L8");
        assert_eq!(c.default_address.country_code, "CA");
        assert!(c.tags.is_empty());
    }
    let mut subscribed = sample.clone();
    subscribed["email_marketing_consent"] =
        json!({"state": "subscribed", "opt_in_level": "single_opt_in"});
    subscribed["tags"] = json!("vip, wholesale");
    let recs = records("customers/update", &subscribed);
    let [Record::Customer(c)] = recs.as_slice() else {
        panic!()
    };
    assert!(c.accepts_marketing);
    assert_eq!(c.tags, vec!["vip", "wholesale"]);

    let mut no_id = sample;
    no_id.as_object_mut().unwrap().remove("id");
    assert_eq!(invalid("customers/create", &no_id).field, "id");
}

#[test]
fn unknown_topics_are_reported_as_such() {
    let sample = payload("shopify_order.json");
    for topic in [
        "orders/edited",
        "orders/delete",
        "carts/create",
        "returns/update",
        "",
        "ORDERS/CREATE",
    ] {
        assert_eq!(
            map_shopify(topic, &sample, now()),
            Mapped::UnknownTopic,
            "{topic:?}"
        );
    }
    // Every listed topic is handled: an empty object is never "unknown".
    for topic in SHOPIFY_TOPICS {
        assert_ne!(
            map_shopify(topic, &json!({}), now()),
            Mapped::UnknownTopic,
            "{topic}"
        );
    }
}
