//! WooCommerce order and product topics mapped from the REST API
//! documentation's examples (`tests/fixtures/woocommerce_*.json`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};
use storeops_domain::{
    Currency, FinancialStatus, FulfillmentStatus, Money, Order, ProductStatus, Record,
};
use storeops_webhooks::{
    map_woocommerce, map_woocommerce_with, MapOptions, Mapped, MappingError, WOOCOMMERCE_TOPICS,
};

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

fn map(topic: &str, payload: &Value) -> Mapped {
    map_woocommerce_with(
        topic,
        payload,
        now(),
        &MapOptions::with_currency(Currency::USD),
    )
}

fn order(payload: &Value) -> Order {
    match map("order.updated", payload) {
        Mapped::Records(records) => match records.as_slice() {
            [Record::Order(order)] => order.clone(),
            other => panic!("{other:?}"),
        },
        other => panic!("expected an order, got {other:?}"),
    }
}

fn invalid(topic: &str, payload: &Value) -> MappingError {
    match map(topic, payload) {
        Mapped::Invalid(e) => e,
        other => panic!("{topic}: expected Invalid, got {other:?}"),
    }
}

#[test]
fn orders_map_the_documented_order() {
    let sample = payload("woocommerce_order.json");
    let created = map_woocommerce("order.created", &sample, now());
    assert_eq!(map_woocommerce("order.updated", &sample, now()), created);
    let o = order(&sample);
    assert_eq!(o.name, "wc-727");
    assert_eq!(o.external_id.as_deref(), Some("727"));
    assert_eq!(o.customer_external_id, None);
    assert_eq!(o.email.as_deref(), Some("john.doe@example.com"));
    assert_eq!(o.phone.as_deref(), Some("(555) 555-5555"));
    assert_eq!(
        o.created_at,
        Utc.with_ymd_and_hms(2017, 3, 22, 19, 28, 2).unwrap()
    );
    assert_eq!(o.cancelled_at, None);
    assert_eq!(o.currency, Currency::USD);
    assert_eq!(o.financial_status, FinancialStatus::Paid);
    assert_eq!(o.fulfillment_status, FulfillmentStatus::Unfulfilled);
    assert_eq!(o.subtotal, usd(1800));
    assert_eq!(o.shipping, usd(1000));
    assert_eq!(o.taxes, usd(135));
    assert_eq!(o.discount, usd(0));
    assert_eq!(o.discount_code, None);
    assert_eq!(o.total, usd(2935));
    assert_eq!(o.source, "rest-api");
    assert_eq!(o.lines.len(), 2);
    assert_eq!(o.units(), 3);
    let (single, idea) = (&o.lines[0], &o.lines[1]);
    assert_eq!(
        (single.sku.as_deref(), single.name.as_str()),
        (None, "Woo Single #1")
    );
    assert_eq!(
        (single.quantity, single.price, single.discount),
        (2, usd(300), usd(0))
    );
    assert_eq!(idea.sku.as_deref(), Some("Bar3"));
    assert_eq!((idea.quantity, idea.price), (1, usd(1200)));
    let ship = &o.shipping_address;
    assert_eq!(
        (
            ship.name.as_str(),
            ship.address1.as_str(),
            ship.city.as_str()
        ),
        ("John Doe", "969 Market", "San Francisco")
    );
    assert_eq!(
        (
            ship.province_code.as_str(),
            ship.country_code.as_str(),
            ship.zip.as_str()
        ),
        ("CA", "US", "94103")
    );
    assert_eq!(o.billing_address.phone, "(555) 555-5555");
}

#[test]
fn order_status_drives_payment_fulfilment_and_cancellation() {
    let mut p = payload("woocommerce_order.json");
    p["status"] = json!("completed");
    p["date_completed_gmt"] = json!("2017-03-25T10:00:00");
    let o = order(&p);
    assert_eq!(
        (o.financial_status, o.fulfillment_status),
        (FinancialStatus::Paid, FulfillmentStatus::Fulfilled)
    );
    assert!(o
        .lines
        .iter()
        .all(|l| l.fulfillment_status == FulfillmentStatus::Fulfilled));

    p["refunds"] = json!([{"id": 730, "reason": "", "total": "-5.00"}]);
    assert_eq!(
        order(&p).financial_status,
        FinancialStatus::PartiallyRefunded
    );
    p["status"] = json!("refunded");
    assert_eq!(order(&p).financial_status, FinancialStatus::Refunded);

    let mut p = payload("woocommerce_order.json");
    p["status"] = json!("cancelled");
    let o = order(&p);
    assert_eq!(o.financial_status, FinancialStatus::Voided);
    assert_eq!(
        o.cancelled_at,
        Some(Utc.with_ymd_and_hms(2017, 3, 22, 19, 28, 8).unwrap())
    );
    for (status, financial) in [
        ("pending", FinancialStatus::Pending),
        ("on-hold", FinancialStatus::Pending),
        ("failed", FinancialStatus::Voided),
    ] {
        p["status"] = json!(status);
        let o = order(&p);
        assert_eq!(
            (o.financial_status, o.cancelled_at),
            (financial, None),
            "{status}"
        );
    }
    p["status"] = json!("shipped");
    let e = invalid("order.updated", &p);
    assert_eq!(e.field, "status");
    assert!(
        e.message
            .contains("`shipped` is not one of: pending, processing"),
        "{e}"
    );
}

#[test]
fn order_customers_coupons_discounts_and_prices() {
    let mut p = payload("woocommerce_order.json");
    p["customer_id"] = json!(12);
    p["coupon_lines"] =
        json!([{"id": 320, "code": "10off", "discount": "1.20", "discount_tax": "0"}]);
    p["discount_total"] = json!("1.20");
    // A line whose subtotal does not divide by its quantity: the unit price
    // comes from `price`, read from its decimal text.
    p["line_items"][0]["subtotal"] = json!("10.00");
    p["line_items"][0]["total"] = json!("8.80");
    p["line_items"][0]["quantity"] = json!(3);
    p["line_items"][0]["price"] = json!(3.33);
    let o = order(&p);
    assert_eq!(o.customer_external_id.as_deref(), Some("wc-12"));
    assert_eq!(o.discount_code.as_deref(), Some("10off"));
    assert_eq!(o.discount, usd(120));
    assert_eq!(
        (o.lines[0].price, o.lines[0].discount),
        (usd(333), usd(120))
    );
    assert_eq!(o.subtotal, usd(880 + 1200));

    // A float price with more decimals than the currency has is refused.
    p["line_items"][0]["price"] = json!(3.3333333333333335);
    let e = invalid("order.created", &p);
    assert_eq!(e.field, "line_items[0].price");
    assert!(e.message.contains("more than 2 decimal places"), "{e}");
}

#[test]
fn order_field_errors_name_the_json_path() {
    let sample = payload("woocommerce_order.json");
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut p = sample.clone();
        edit(&mut p);
        invalid("order.created", &p)
    };
    let e = with(&|p| {
        p.as_object_mut().unwrap().remove("date_created_gmt");
    });
    assert_eq!(
        (e.field.as_str(), e.message.as_str()),
        ("date_created_gmt", "required")
    );
    let e = with(&|p| p["date_created_gmt"] = json!("22/03/2017"));
    assert_eq!(e.field, "date_created_gmt");
    let e = with(&|p| p["line_items"][1]["subtotal"] = json!("twelve"));
    assert_eq!(e.field, "line_items[1].subtotal");
    let e = with(&|p| {
        p["line_items"][1].as_object_mut().unwrap().remove("total");
    });
    assert_eq!(
        (e.field.as_str(), e.message.as_str()),
        ("line_items[1].total", "required")
    );
    let e = with(&|p| p["total"] = json!(29.35));
    assert_eq!(e.field, "total");
    let e = with(&|p| p["currency"] = json!("BTC"));
    assert_eq!(e.field, "currency");
    let e = with(&|p| p["billing"]["email"] = json!(["a@b.c"]));
    assert_eq!(e.field, "billing.email");
}

#[test]
fn products_map_the_documented_product() {
    let sample = payload("woocommerce_product.json");
    match map_woocommerce("product.updated", &sample, now()) {
        Mapped::NeedsLookup { kind, reason } => {
            assert_eq!(kind, "shop_currency");
            assert!(reason.contains("premium-quality-19"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    for topic in ["product.created", "product.updated"] {
        let Mapped::Records(records) = map(topic, &sample) else {
            panic!("{topic}")
        };
        let [Record::Product(p)] = records.as_slice() else {
            panic!()
        };
        assert_eq!(p.handle, "premium-quality-19");
        assert_eq!(p.title, "Premium Quality");
        assert!(p.description_html.starts_with("<p>Pellentesque habitant"));
        assert_eq!(p.category, "Clothing");
        assert!(p.tags.is_empty());
        assert_eq!((p.status, p.published), (ProductStatus::Active, true));
        assert_eq!(p.images.len(), 2);
        assert_eq!(
            p.images[1].src,
            "https://example.com/wp-content/uploads/2017/03/T_2_back-2.jpg"
        );
        assert_eq!(p.images[1].position, 2);
        assert_eq!(p.variants.len(), 1);
        let v = &p.variants[0];
        assert_eq!(
            (v.sku.as_deref(), v.price, v.compare_at_price),
            (None, Some(usd(2454)), None)
        );
        assert_eq!(
            (v.inventory_qty, v.requires_shipping, v.taxable),
            (None, true, true)
        );
    }
}

#[test]
fn product_sales_stock_status_and_variable_products() {
    let mut p = payload("woocommerce_product.json");
    p["sku"] = json!("PQ-19");
    p["price"] = json!("19.99");
    p["sale_price"] = json!("19.99");
    p["manage_stock"] = json!(true);
    p["stock_quantity"] = json!(7);
    p["virtual"] = json!(true);
    p["status"] = json!("private");
    p["tags"] = json!([{"id": 1, "name": "summer", "slug": "summer"}]);
    let Mapped::Records(records) = map("product.updated", &p) else {
        panic!()
    };
    let [Record::Product(product)] = records.as_slice() else {
        panic!()
    };
    let v = &product.variants[0];
    assert_eq!(v.sku.as_deref(), Some("PQ-19"));
    assert_eq!(
        (v.price, v.compare_at_price),
        (Some(usd(1999)), Some(usd(2454)))
    );
    assert_eq!((v.inventory_qty, v.requires_shipping), (Some(7), false));
    assert_eq!(
        (product.status, product.published),
        (ProductStatus::Draft, false)
    );
    assert_eq!(product.tags, vec!["summer"]);

    p["type"] = json!("variable");
    p["variations"] = json!([801, 802]);
    match map("product.updated", &p) {
        Mapped::NeedsLookup { kind, reason } => {
            assert_eq!(kind, "woocommerce_variations");
            assert!(reason.contains("2 of them"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    p["type"] = json!("simple");
    p["price"] = json!("19.999");
    assert_eq!(invalid("product.updated", &p).field, "price");
    p.as_object_mut().unwrap().remove("slug");
    assert_eq!(invalid("product.updated", &p).field, "slug");
}

#[test]
fn unknown_topics_are_reported_as_such() {
    let sample = payload("woocommerce_order.json");
    for topic in [
        "order.deleted",
        "order.restored",
        "coupon.created",
        "action.woocommerce_add_to_cart",
        "",
    ] {
        assert_eq!(
            map_woocommerce(topic, &sample, now()),
            Mapped::UnknownTopic,
            "{topic:?}"
        );
    }
    for topic in WOOCOMMERCE_TOPICS {
        assert_ne!(
            map_woocommerce(topic, &json!({}), now()),
            Mapped::UnknownTopic,
            "{topic}"
        );
    }
}
