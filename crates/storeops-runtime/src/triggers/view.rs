//! What a workflow sees of a stored event: its domain topic (Shopify's
//! `orders/create` is `order.created`, WooCommerce topics already are
//! domain topics, generic sources name their own) and the trigger input —
//! the event's envelope, its raw payload, and the domain record it maps to
//! under the record's name (`order`, `customer`, `product`, `shipment`,
//! `return`, …) with money as decimal numbers in major units. Pure.

use serde_json::{json, Map, Value};
use storeops_domain::Record;
use storeops_store::PendingEvent;
use storeops_webhooks::{map_shopify, map_woocommerce, Mapped};

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
    let mapped = match event.source.as_str() {
        "shopify" => Some(map_shopify(&event.topic, &event.payload, event.received_at)),
        "woocommerce" => Some(map_woocommerce(
            &event.topic,
            &event.payload,
            event.received_at,
        )),
        _ => None,
    };
    match mapped {
        Some(Mapped::Records(records)) => {
            for record in &records {
                let (name, value) = record_view(record);
                input.entry(name).or_insert(value);
            }
        }
        // A generic source's payload is its own record.
        None if !noun.is_empty() && event.payload.is_object() => {
            input.insert(noun, event.payload.clone());
        }
        _ => {}
    }
    input.insert("payload".into(), event.payload.clone());
    Value::Object(input)
}

/// The record's name and its JSON with money in major units; orders also
/// get `id` (their name) and `shipping_country`.
fn record_view(record: &Record) -> (String, Value) {
    let name = match record {
        Record::Product(_) => "product",
        Record::Customer(_) => "customer",
        Record::Order(_) => "order",
        Record::Inventory(_) => "inventory",
        Record::Shipment(_) => "shipment",
        Record::Return(_) => "return",
        Record::Ticket(_) => "ticket",
        Record::Doc(_) => "doc",
    };
    let mut value = match record {
        Record::Product(r) => serde_json::to_value(r),
        Record::Customer(r) => serde_json::to_value(r),
        Record::Order(r) => serde_json::to_value(r),
        Record::Inventory(r) => serde_json::to_value(r),
        Record::Shipment(r) => serde_json::to_value(r),
        Record::Return(r) => serde_json::to_value(r),
        Record::Ticket(r) => serde_json::to_value(r),
        Record::Doc(r) => serde_json::to_value(r),
    }
    .unwrap_or(Value::Null);
    decimal_money(&mut value);
    if let (Record::Order(order), Value::Object(map)) = (record, &mut value) {
        map.insert("id".into(), json!(order.name));
        map.insert(
            "shipping_country".into(),
            json!(order.shipping_address.country_code),
        );
    }
    (name.to_string(), value)
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
