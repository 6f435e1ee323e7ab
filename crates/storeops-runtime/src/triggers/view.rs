//! What a workflow sees of a stored event: its domain topic (Shopify's
//! `orders/create` is `order.created`, WooCommerce topics already are
//! domain topics, generic sources name their own) and the trigger input —
//! the event's envelope, its raw payload, and the domain records ingest
//! stored for it (`events.records`, mapped with the server's options, so a
//! product carries its shop currency) under their names (`order`,
//! `customer`, `product`, `shipment`, `return`, …) with money as decimal
//! numbers in major units. Pure.

use serde_json::{json, Map, Value};
use storeops_store::PendingEvent;

/// The domain topic of a source topic.
pub fn domain_topic(source: &str, topic: &str) -> String {
    if source != "shopify" {
        return topic.to_string();
    }
    let Some((noun, verb)) = topic.split_once('/') else {
        return topic.to_string();
    };
    let noun = match noun {
        "fulfillments" => "shipment",
        "inventory_levels" => "inventory",
        other => other.strip_suffix('s').unwrap_or(other),
    };
    let verb = match verb {
        "create" => "created",
        "update" | "updated" => "updated",
        "delete" => "deleted",
        "request" => "requested",
        "approve" => "approved",
        "decline" => "declined",
        "close" => "closed",
        "reopen" => "reopened",
        "enable" => "enabled",
        "disable" => "disabled",
        other => other,
    };
    format!("{noun}.{verb}")
}

/// The trigger input for `event`: `{id, source, topic, source_topic,
/// external_id, received_at, payload, <record>: {...}}`.
pub fn event_input(event: &PendingEvent) -> Value {
    let topic = domain_topic(&event.source, &event.topic);
    let mut input = Map::new();
    input.insert("id".into(), json!(event.id));
    input.insert("source".into(), json!(event.source));
    input.insert("topic".into(), json!(topic));
    input.insert("source_topic".into(), json!(event.topic));
    input.insert("external_id".into(), json!(event.external_id));
    input.insert("received_at".into(), json!(event.received_at.to_rfc3339()));
    let noun = topic.split('.').next().unwrap_or_default().to_string();
    for (name, record) in &event.records {
        input.insert(name.clone(), record_view(name, record));
    }
    // A generic source's payload is its own record.
    let generic = !matches!(event.source.as_str(), "shopify" | "woocommerce");
    if event.records.is_empty() && generic && !noun.is_empty() && event.payload.is_object() {
        input.insert(noun, event.payload.clone());
    }
    input.insert("payload".into(), event.payload.clone());
    Value::Object(input)
}

/// A stored record's JSON with money in major units; orders also get `id`
/// (their name) and `shipping_country`.
fn record_view(name: &str, record: &Value) -> Value {
    let mut value = record.clone();
    decimal_money(&mut value);
    if let (true, Value::Object(map)) = (name == "order", &mut value) {
        let id = map.get("name").cloned().unwrap_or(Value::Null);
        let country = map
            .get("shipping_address")
            .and_then(|a| a.get("country_code"))
            .cloned()
            .unwrap_or(Value::Null);
        map.insert("id".into(), id);
        map.insert("shipping_country".into(), country);
    }
    value
}

/// Replaces every `{minor, currency}` object by its amount in major units.
fn decimal_money(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let money = map.len() == 2 && map.contains_key("minor") && map.contains_key("currency");
            if money {
                let minor = map.get("minor").and_then(Value::as_i64).unwrap_or_default();
                let exponent = map
                    .get("currency")
                    .and_then(Value::as_str)
                    .and_then(|c| storeops_domain::Currency::parse(c).ok())
                    .map_or(2, |c| c.minor_digits());
                *value = json!(minor as f64 / 10f64.powi(i32::from(exponent)));
            } else {
                map.values_mut().for_each(decimal_money);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(decimal_money),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shopify_topics_become_domain_topics() {
        let cases = [
            ("orders/create", "order.created"),
            ("orders/updated", "order.updated"),
            ("orders/cancelled", "order.cancelled"),
            ("fulfillments/create", "shipment.created"),
            ("customers/enable", "customer.enabled"),
            ("inventory_levels/update", "inventory.updated"),
            ("returns/request", "return.requested"),
            ("refunds/create", "refund.created"),
        ];
        for (source_topic, domain) in cases {
            assert_eq!(domain_topic("shopify", source_topic), domain);
        }
        assert_eq!(
            domain_topic("woocommerce", "order.created"),
            "order.created"
        );
        assert_eq!(domain_topic("generic:erp", "stock/low"), "stock/low");
    }

    #[test]
    fn money_becomes_major_units() {
        let mut v = json!({"total": {"minor": 12345, "currency": "USD"},
                           "lines": [{"price": {"minor": 500, "currency": "JPY"}}]});
        decimal_money(&mut v);
        assert_eq!(v, json!({"total": 123.45, "lines": [{"price": 500.0}]}));
    }
}
