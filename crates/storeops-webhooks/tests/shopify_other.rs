//! Shopify product, fulfilment, inventory, refund and return topics mapped
//! from the documentation's sample payloads (`tests/fixtures/shopify_*.json`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};
use storeops_domain::{
    Currency, Money, ProductStatus, Record, ReturnStatus, Shipment, ShipmentStatus,
};
use storeops_webhooks::{
    map_shopify, map_shopify_with, shopify_pending, MapOptions, Mapped, MappingError, Pending,
};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect(&path);
    serde_json::from_str(&text).unwrap()
}

fn payload(name: &str) -> Value {
    fixture(name)["payload"].take()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 10, 1, 12, 0, 0).unwrap()
}

fn sample_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2022, 1, 1, 0, 0, 0).unwrap()
}

fn usd_options() -> MapOptions {
    MapOptions::with_currency(Currency::USD)
}

fn one_record(topic: &str, payload: &Value) -> Record {
    match map_shopify_with(topic, payload, now(), &usd_options()) {
        Mapped::Records(mut records) if records.len() == 1 => records.remove(0),
        other => panic!("{topic}: expected one record, got {other:?}"),
    }
}

fn invalid(topic: &str, payload: &Value) -> MappingError {
    match map_shopify_with(topic, payload, now(), &usd_options()) {
        Mapped::Invalid(e) => e,
        other => panic!("{topic}: expected Invalid, got {other:?}"),
    }
}

fn lookup(topic: &str, payload: &Value) -> (&'static str, String) {
    match map_shopify(topic, payload, now()) {
        Mapped::NeedsLookup { kind, reason } => (kind, reason),
        other => panic!("{topic}: expected NeedsLookup, got {other:?}"),
    }
}

fn shipment(payload: &Value) -> Shipment {
    match one_record("fulfillments/create", payload) {
        Record::Shipment(s) => s,
        other => panic!("{other:?}"),
    }
}

#[test]
fn products_map_the_sample_product_with_the_shop_currency() {
    let sample = payload("shopify_product.json");
    let (kind, reason) = lookup("products/create", &sample);
    assert_eq!(kind, "shop_currency");
    assert!(reason.contains("example-t-shirt"), "{reason}");
    for topic in ["products/create", "products/update"] {
        let Record::Product(p) = one_record(topic, &sample) else {
            panic!()
        };
        assert_eq!(p.handle, "example-t-shirt");
        assert_eq!(p.title, "Example T-Shirt");
        assert_eq!(p.description_html, "An example T-Shirt");
        assert_eq!(
            (p.vendor.as_str(), p.product_type.as_str()),
            ("Acme", "Shirts")
        );
        assert_eq!(p.tags, vec!["example", "mens", "t-shirt"]);
        assert_eq!(p.status, ProductStatus::Active);
        assert!(p.published);
        assert!(p.images.is_empty() && p.option_names.is_empty());
        assert_eq!(p.variants.len(), 2);
        let small = &p.variants[0];
        assert_eq!(small.sku, None);
        assert_eq!(small.option_values, vec!["Small"]);
        assert_eq!(small.price, Some(Money::new(1999, Currency::USD)));
        assert_eq!(
            small.compare_at_price,
            Some(Money::new(2499, Currency::USD))
        );
        assert_eq!(small.inventory_qty, Some(75));
        assert_eq!((small.gtin.as_deref(), small.grams), (None, None));
        assert_eq!(p.variants[1].option_values, vec!["Medium"]);
        assert_eq!(p.variants[1].inventory_qty, Some(50));
    }
}

#[test]
fn product_skus_images_options_and_weights() {
    let mut p = payload("shopify_product.json");
    p["status"] = json!("draft");
    p["published_at"] = Value::Null;
    p["options"] = json!([{"id": 1, "name": "Size", "position": 1, "values": ["Small", "Medium"]}]);
    p["images"] =
        json!([{"id": 9, "position": 1, "alt": null, "src": "https://cdn.example/tee.png"}]);
    p["category"] = json!({"admin_graphql_api_id": "gid://shopify/TaxonomyCategory/aa-1-13-8", "name": "T-Shirts", "full_name": "Apparel & Accessories > Clothing > Clothing Tops > T-Shirts"});
    p["variants"][0]["sku"] = json!("TEE-S");
    p["variants"][0]["barcode"] = json!("4006381333931");
    p["variants"][0]["weight"] = json!(0.2);
    p["variants"][0]["weight_unit"] = json!("kg");
    p["variants"][1]["weight"] = json!(1.5);
    p["variants"][1]["weight_unit"] = json!("lb");
    p["variants"][1]["compare_at_price"] = Value::Null;
    let Record::Product(product) = one_record("products/update", &p) else {
        panic!()
    };
    assert_eq!(product.status, ProductStatus::Draft);
    assert!(!product.published);
    assert_eq!(product.option_names, vec!["Size"]);
    assert_eq!(product.images.len(), 1);
    assert_eq!(
        (product.images[0].src.as_str(), product.images[0].position),
        ("https://cdn.example/tee.png", 1)
    );
    assert_eq!(
        product.category,
        "Apparel & Accessories > Clothing > Clothing Tops > T-Shirts"
    );
    assert_eq!(product.variants[0].sku.as_deref(), Some("TEE-S"));
    assert_eq!(product.variants[0].gtin.as_deref(), Some("4006381333931"));
    assert_eq!(product.variants[0].grams, Some(200));
    assert_eq!(product.variants[1].grams, Some(680));
    assert_eq!(product.variants[1].compare_at_price, None);

    let mut bad = p.clone();
    bad["variants"][1]["price"] = json!("19.999");
    let e = invalid("products/update", &bad);
    assert_eq!(e.field, "variants[1].price");
    let mut bad = p.clone();
    bad["images"][0].as_object_mut().unwrap().remove("src");
    assert_eq!(invalid("products/update", &bad).field, "images[0].src");
    let mut bad = p.clone();
    bad["status"] = json!("live");
    assert_eq!(invalid("products/update", &bad).field, "status");
    let mut bad = p;
    bad.as_object_mut().unwrap().remove("handle");
    assert_eq!(invalid("products/create", &bad).field, "handle");
}

#[test]
fn fulfillments_map_to_shipments_of_the_named_order() {
    let sample = payload("shopify_fulfillment.json");
    for topic in ["fulfillments/create", "fulfillments/update"] {
        let Record::Shipment(s) = one_record(topic, &sample) else {
            panic!()
        };
        assert_eq!(s.id, "123456");
        assert_eq!(s.order_name, "#9999");
        assert_eq!(s.carrier, "UPS");
        assert_eq!(s.tracking_number, "1z827wk74630");
        assert_eq!(
            s.tracking_url,
            "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630"
        );
        assert_eq!(s.status, ShipmentStatus::LabelCreated);
        assert_eq!((s.shipped_at, s.delivered_at), (None, None));
        assert_eq!(s.origin_location, "");
        assert!(s.events.is_empty());
    }
}

#[test]
fn fulfillment_statuses_and_tracking() {
    let mut p = payload("shopify_fulfillment.json");
    p["status"] = json!("success");
    p["shipment_status"] = json!("delivered");
    p["updated_at"] = json!("2022-01-03T10:30:00-05:00");
    let delivered_at = Utc.with_ymd_and_hms(2022, 1, 3, 15, 30, 0).unwrap();
    let s = shipment(&p);
    assert_eq!(s.status, ShipmentStatus::Delivered);
    assert_eq!(s.shipped_at, Some(sample_time()));
    assert_eq!(s.delivered_at, Some(delivered_at));
    assert_eq!(s.events.len(), 1);
    assert_eq!(
        (s.events[0].at, s.events[0].message.as_str()),
        (delivered_at, "delivered")
    );
    for (label, status) in [
        ("in_transit", ShipmentStatus::InTransit),
        ("out_for_delivery", ShipmentStatus::OutForDelivery),
        ("ready_for_pickup", ShipmentStatus::OutForDelivery),
        ("attempted_delivery", ShipmentStatus::Exception),
        ("label_purchased", ShipmentStatus::LabelCreated),
        ("failure", ShipmentStatus::Exception),
    ] {
        p["shipment_status"] = json!(label);
        assert_eq!(shipment(&p).status, status, "{label}");
    }
    p["status"] = json!("cancelled");
    assert_eq!(shipment(&p).status, ShipmentStatus::Exception);

    p["tracking_number"] = Value::Null;
    p["tracking_numbers"] = json!(["", "1ZA", "1ZB"]);
    assert_eq!(shipment(&p).tracking_number, "1ZA");

    p["shipment_status"] = json!("teleported");
    let e = invalid("fulfillments/update", &p);
    assert_eq!(e.field, "shipment_status");
    p["shipment_status"] = Value::Null;
    p.as_object_mut().unwrap().remove("name");
    let (kind, reason) = lookup("fulfillments/update", &p);
    assert_eq!(kind, "order_name");
    assert!(reason.contains("order_id 820982911946154508"), "{reason}");
    p.as_object_mut().unwrap().remove("created_at");
    assert_eq!(invalid("fulfillments/update", &p).field, "created_at");
}

#[test]
fn inventory_levels_need_a_sku_lookup() {
    let sample = payload("shopify_inventory_level.json");
    let (kind, reason) = lookup("inventory_levels/update", &sample);
    assert_eq!(kind, "inventory_item_sku");
    assert!(
        reason.contains("271878346596884015") && reason.contains("24826418"),
        "{reason}"
    );
    let pending = shopify_pending("inventory_levels/update", &sample)
        .unwrap()
        .unwrap();
    assert_eq!(
        pending,
        Pending::InventoryLevel {
            inventory_item_id: "271878346596884015".into(),
            location_id: "24826418".into(),
            available: 10,
            updated_at: sample_time(),
        }
    );
    let mut bad = sample;
    bad.as_object_mut().unwrap().remove("location_id");
    assert_eq!(
        invalid("inventory_levels/update", &bad).field,
        "location_id"
    );
    assert!(shopify_pending("orders/create", &bad).is_none());
}

#[test]
fn refunds_need_the_stored_return() {
    let sample = payload("shopify_refund.json");
    let (kind, reason) = lookup("refunds/create", &sample);
    assert_eq!(kind, "stored_return");
    assert!(reason.contains("order_id 820982911946154508"), "{reason}");
    let Pending::Refund {
        order_id,
        return_id,
        refund,
    } = shopify_pending("refunds/create", &sample).unwrap().unwrap()
    else {
        panic!()
    };
    assert_eq!(order_id, "820982911946154508");
    assert_eq!(return_id, None);
    assert_eq!(refund.id, "890088186047892319");
    assert_eq!(refund.order_name, "");
    // The two successful refund transactions: 75.00 + 10.00.
    assert_eq!(refund.amount, Money::new(8500, Currency::USD));
    assert_eq!(refund.created_at, sample_time());
    assert_eq!(refund.reason, "Things were damaged");

    let mut p = sample.clone();
    p["transactions"][1]["status"] = json!("failure");
    p["return"] = json!({"id": 555, "admin_graphql_api_id": "gid://shopify/Return/555"});
    let Some(Ok(Pending::Refund {
        return_id, refund, ..
    })) = shopify_pending("refunds/create", &p)
    else {
        panic!()
    };
    assert_eq!(
        (return_id.as_deref(), refund.amount.minor),
        (Some("555"), 7500)
    );
    let mut bad = sample;
    bad["transactions"][0]["amount"] = json!("seventy");
    assert_eq!(
        invalid("refunds/create", &bad).field,
        "transactions[0].amount"
    );
}

#[test]
fn returns_carry_the_status_their_topic_implies() {
    let samples = fixture("shopify_returns.json");
    for (topic, status, kind) in [
        ("returns/request", ReturnStatus::Requested, "order_name"),
        ("returns/approve", ReturnStatus::Approved, "stored_return"),
        ("returns/decline", ReturnStatus::Rejected, "stored_return"),
        ("returns/cancel", ReturnStatus::Cancelled, "stored_return"),
        ("returns/close", ReturnStatus::Closed, "stored_return"),
        ("returns/reopen", ReturnStatus::Approved, "stored_return"),
    ] {
        let payload = &samples["payloads"][topic];
        let (got_kind, reason) = lookup(topic, payload);
        assert_eq!(got_kind, kind, "{topic}");
        assert!(
            reason.contains("123134564567890") && reason.contains("4783296544821"),
            "{reason}"
        );
        let Some(Ok(Pending::ReturnStatus {
            return_id,
            order_id,
            status: got,
            note,
        })) = shopify_pending(topic, payload)
        else {
            panic!("{topic}")
        };
        assert_eq!(
            (return_id.as_str(), order_id.as_str(), got),
            ("123134564567890", "4783296544821", status)
        );
        if topic == "returns/decline" {
            assert_eq!(
                note,
                "As discussed on the phone, the 30-day return window has ended."
            );
        }
    }
    let mut bad = samples["payloads"]["returns/close"].clone();
    bad.as_object_mut().unwrap().remove("order_id");
    assert_eq!(invalid("returns/close", &bad).field, "order_id");
}
