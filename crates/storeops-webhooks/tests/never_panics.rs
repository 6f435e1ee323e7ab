//! Mapping arbitrary JSON for every topic never panics, and every field
//! error names a path.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use storeops_domain::Currency;
use storeops_webhooks::{
    map_shopify_with, map_woocommerce_with, shopify_pending, MapOptions, Mapped, SHOPIFY_TOPICS,
    WOOCOMMERCE_TOPICS,
};

/// Keys the mappers read, so random objects reach past the first check.
const KEYS: &[&str] = &[
    "id",
    "name",
    "currency",
    "created_at",
    "total_price",
    "line_items",
    "price",
    "quantity",
    "sku",
    "handle",
    "variants",
    "status",
    "order_id",
    "order",
    "transactions",
    "amount",
    "kind",
    "inventory_item_id",
    "location_id",
    "available",
    "updated_at",
    "slug",
    "number",
    "date_created_gmt",
    "total",
    "subtotal",
    "customer",
    "shipment_status",
    "tracking_numbers",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        "[0-9]{1,4}(\\.[0-9]{0,4})?".prop_map(Value::String),
        "\\PC{0,12}".prop_map(Value::String),
        Just(json!("2021-12-31T19:00:00-05:00")),
        Just(json!("USD")),
        Just(json!("#1001.1")),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(|pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn mapping_never_panics(payload in json_value()) {
        let at = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        let options = MapOptions::with_currency(Currency::USD);
        let results = SHOPIFY_TOPICS
            .iter()
            .map(|t| map_shopify_with(t, &payload, at, &options))
            .chain(WOOCOMMERCE_TOPICS.iter().map(|t| map_woocommerce_with(t, &payload, at, &options)));
        for mapped in results {
            if let Mapped::Invalid(e) = mapped {
                prop_assert!(!e.field.is_empty());
            }
        }
        for topic in SHOPIFY_TOPICS {
            let _ = shopify_pending(topic, &payload);
        }
    }
}
