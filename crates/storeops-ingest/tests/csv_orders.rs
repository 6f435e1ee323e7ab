//! Shopify order CSV fixture: grouping rows into orders, UTC conversion,
//! bad rows, duplicates and continuation-row errors.

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use storeops_domain::{Currency, FinancialStatus, FulfillmentStatus, Money, Record, RecordKind};
use storeops_ingest::Format;

fn order(record: Record) -> storeops_domain::Order {
    match record {
        Record::Order(o) => o,
        other => panic!("not an order: {other:?}"),
    }
}

#[test]
fn fixture_groups_lines_and_rejects_bad_orders() {
    let items = read_all(
        RecordKind::Orders,
        Format::ShopifyCsv,
        fixture("orders.csv"),
    );
    assert_eq!(outline(&items), vec![2, -4, 5, -6, -7, -8, -9]);
    assert_rejections(
        &items,
        &[
            (
                4,
                &[
                    ("Created at", "`yesterday` is not a date-time"),
                    (
                        "Financial Status",
                        "`sorta_paid` is not one of: pending, authorized, partially_paid, paid",
                    ),
                ],
            ),
            (
                6,
                &[
                    (
                        "Lineitem quantity",
                        "`0` is not a quantity (expected 1 or more)",
                    ),
                    ("Lineitem price", "`abc` is not a decimal amount"),
                ],
            ),
            (7, &[("Name", "missing")]),
            (8, &[("Name", "`#1001` duplicates the record at line 2")]),
            (9, &[("Lineitem price", "`12,99` is not a decimal amount")]),
        ],
    );
    let last = match items.last().unwrap() {
        storeops_ingest::Parsed::Rejected(r) => r.errors[0].message.clone(),
        other => panic!("{other:?}"),
    };
    assert!(last.ends_with("(line 10)"), "{last}");

    let usd = |minor| Money::new(minor, Currency::USD);
    let first = order(record_at(&items, 2));
    assert_eq!(first.name, "#1001");
    assert_eq!(
        first.created_at,
        Utc.with_ymd_and_hms(2024, 3, 5, 19, 22, 11).unwrap()
    );
    assert_eq!(first.email.as_deref(), Some("ada@example.com"));
    assert_eq!(first.phone.as_deref(), Some("+1 555 010 2030"));
    assert_eq!(first.external_id.as_deref(), Some("5550001"));
    assert_eq!(first.customer_external_id, None);
    assert_eq!(first.financial_status, FinancialStatus::Paid);
    assert_eq!(first.fulfillment_status, FulfillmentStatus::Fulfilled);
    assert_eq!(first.subtotal, usd(3498));
    assert_eq!(first.shipping, usd(500));
    assert_eq!(first.taxes, usd(240));
    assert_eq!(first.discount, usd(100));
    assert_eq!(first.total, usd(4138));
    assert_eq!(first.discount_code.as_deref(), Some("WELCOME"));
    assert_eq!(first.billing_address.zip, "02134");
    assert_eq!(first.billing_address.province_code, "MA");
    assert_eq!(first.shipping_address.country_code, "US");
    assert_eq!(first.shipping_address.name, "Ada Lovelace");
    assert_eq!(first.tags, vec!["vip", "repeat"]);
    assert_eq!(first.note, "Leave at the door");
    assert_eq!(first.source, "web");
    assert_eq!(first.lines.len(), 2);
    assert_eq!(first.lines[0].quantity, 2);
    assert_eq!(first.lines[0].price, usd(1299));
    assert_eq!(first.lines[0].compare_at_price, Some(usd(1500)));
    assert_eq!(first.lines[0].discount, usd(100));
    assert_eq!(
        first.lines[0].fulfillment_status,
        FulfillmentStatus::Fulfilled
    );
    assert_eq!(first.lines[0].vendor, "Knitco");
    assert_eq!(first.lines[1].sku.as_deref(), Some("BAT-1"));
    assert!(!first.lines[1].taxable);
    assert_eq!(
        first.lines[1].fulfillment_status,
        FulfillmentStatus::Unfulfilled
    );
    assert_eq!(first.units(), 3);

    let yen = order(record_at(&items, 5));
    let jpy = Currency::parse("JPY").unwrap();
    assert_eq!(yen.currency, jpy);
    assert_eq!(yen.total, Money::new(1500, jpy));
    assert_eq!(yen.lines[0].price, Money::new(1500, jpy));
    assert_eq!(
        yen.created_at,
        Utc.with_ymd_and_hms(2024, 4, 1, 1, 0, 0).unwrap()
    );
    assert_eq!(
        yen.cancelled_at,
        Some(Utc.with_ymd_and_hms(2024, 4, 1, 23, 0, 0).unwrap())
    );
    assert_eq!(yen.email, None);
    assert!(!yen.has_customer());
    assert_eq!(yen.financial_status, FinancialStatus::Refunded);
}

#[test]
fn customer_id_column_links_the_customer() {
    let csv = "Name,Customer Id,Created at,Lineitem quantity,Lineitem price\n#1,'42,2024-01-01 00:00:00 +0000,1,1.00\n";
    let items = read_all(
        RecordKind::Orders,
        Format::ShopifyCsv,
        csv.as_bytes().to_vec(),
    );
    let o = order(record_at(&items, 2));
    assert_eq!(o.customer_external_id.as_deref(), Some("42"));
    assert_eq!(o.lines.len(), 1);
}

#[test]
fn missing_created_at_and_line_price_are_reported() {
    let csv = "Name,Created at,Lineitem quantity,Lineitem name,Lineitem price\n#1,,1,Thing,\n";
    let items = read_all(
        RecordKind::Orders,
        Format::ShopifyCsv,
        csv.as_bytes().to_vec(),
    );
    assert_rejections(
        &items,
        &[(
            2,
            &[
                ("Lineitem price", "required on line-item rows"),
                ("Created at", "required on the order's first row"),
            ],
        )],
    );
}
