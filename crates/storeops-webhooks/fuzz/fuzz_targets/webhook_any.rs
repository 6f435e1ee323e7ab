//! Fuzzes everything in storeops-webhooks that reads outside input: the
//! bytes are parsed as JSON and mapped for every Shopify and WooCommerce
//! topic (with and without a shop currency, and as the `pending` typed
//! content), and used as a generic signature header and as Shopify/WooCommerce
//! signature values. Nothing may panic; every field error must name a path
//! and every record must carry the currency the payload declared or the one
//! passed in.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use storeops_domain::{Currency, Record};
use storeops_webhooks::{
    map_shopify_with, map_woocommerce_with, parse_generic_header, shopify_pending,
    verify_generic, verify_shopify, verify_woocommerce, MapOptions, Mapped, SHOPIFY_TOPICS,
    WOOCOMMERCE_TOPICS,
};

fuzz_target!(|data: &[u8]| {
    let received_at = Utc.timestamp_opt(1_700_000_000, 0).single().unwrap_or_default();
    if let Ok(payload) = serde_json::from_slice::<serde_json::Value>(data) {
        for options in [MapOptions::default(), MapOptions::with_currency(Currency::USD)] {
            for topic in SHOPIFY_TOPICS {
                check(map_shopify_with(topic, &payload, received_at, &options));
                if let Some(Err(e)) = shopify_pending(topic, &payload) {
                    assert!(!e.field.is_empty());
                }
            }
            for topic in WOOCOMMERCE_TOPICS {
                check(map_woocommerce_with(topic, &payload, received_at, &options));
            }
        }
        check(map_shopify_with("unknown/topic", &payload, received_at, &MapOptions::default()));
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_generic_header(text);
        let secrets: [&[u8]; 2] = [b"whsec_fuzz", b"whsec_other"];
        let _ = verify_generic(&secrets, data, Some(text), 1_700_000_000, 300);
        // A random header never verifies against a fixed secret.
        assert!(verify_shopify(&secrets, b"{}", Some(text)).is_err());
        assert!(verify_woocommerce(&secrets, b"{}", Some(text)).is_err());
    }
});

fn check(mapped: Mapped) {
    match mapped {
        Mapped::Invalid(e) => assert!(!e.field.is_empty(), "error without a path: {e}"),
        Mapped::NeedsLookup { kind, reason } => assert!(!kind.is_empty() && !reason.is_empty()),
        Mapped::Records(records) => {
            assert!(!records.is_empty());
            for record in records {
                if let Record::Order(order) = record {
                    assert!(order.lines.iter().all(|l| l.quantity >= 1));
                    assert!(order.total.currency == order.currency);
                    assert!(order.total.minor >= 0);
                }
            }
        }
        Mapped::UnknownTopic => {}
    }
}
