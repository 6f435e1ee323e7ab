//! JSONL reading: key paths in errors, defaults, blank lines, every kind.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::*;
use storeops_domain::{
    AdjustmentReason, Currency, FulfillmentStatus, InventoryRecord, Money, Record, RecordKind,
    ReturnStatus, ShipmentStatus, TicketStatus,
};
use storeops_ingest::Format;

#[test]
fn order_lines_report_key_paths() {
    let items = read_all(RecordKind::Orders, Format::Jsonl, fixture("orders.jsonl"));
    assert_eq!(outline(&items), vec![1, -3, -4, -5, -6, -7, -8, -9]);
    assert_rejections(
        &items,
        &[
            (
                3,
                &[(
                    "lines[0].quantity",
                    "invalid type: string \"two\", expected i64",
                )],
            ),
            (
                4,
                &[
                    (
                        "lines[1].quantity",
                        "`-1` is not a quantity (expected 1 or more)",
                    ),
                    ("lines[1].price", "`12,99` is not a decimal amount"),
                    ("financial_status", "`sorta_paid` is not one of: pending"),
                ],
            ),
            (5, &[("", "EOF while parsing a value at column 13")]),
            (6, &[("name", "missing field `name`")]),
            (7, &[("", "expected a JSON object")]),
            (8, &[("lines[0].price", "missing field `price`")]),
            (
                9,
                &[
                    ("currency", "`XYZ` is not an ISO 4217 currency code"),
                    ("created_at", "`not a time` is not a date-time"),
                    ("total", "`$5` is not a decimal amount"),
                ],
            ),
        ],
    );
    let Record::Order(o) = record_at(&items, 1) else {
        panic!("not an order")
    };
    let eur = |minor| Money::new(minor, Currency::EUR);
    assert_eq!(
        o.created_at,
        Utc.with_ymd_and_hms(2024, 3, 5, 19, 22, 11).unwrap()
    );
    assert_eq!(o.total, eur(3350));
    assert_eq!(o.taxes, eur(0), "absent amounts are zero");
    assert_eq!(o.shipping_address.city, "Berlin");
    assert_eq!(o.lines[0].discount, eur(100));
    assert!(o.lines[0].requires_shipping && o.lines[0].taxable);
    assert!(!o.lines[1].taxable);
    assert_eq!(o.lines[1].fulfillment_status, FulfillmentStatus::Fulfilled);
}

#[test]
fn every_kind_reads_its_documented_example() {
    let cases: &[(RecordKind, &str)] = &[
        (
            RecordKind::Products,
            r##"{"handle":"mug","title":"Mug","tags":["regulated"],"variants":[{"sku":"MUG-1","price":"8.00"}],"images":[{"src":"https://x/m.jpg"}]}"##,
        ),
        (
            RecordKind::Customers,
            r##"{"email":"a@example.com","identities":[{"kind":"helpdesk","value":"zd-7"}]}"##,
        ),
        (
            RecordKind::Inventory,
            r##"{"type":"adjustment","id":"adj-1","sku":"MUG-1","location":"Main","delta":-2,"reason":"sale","occurred_at":"2024-01-02T03:04:05Z","reference":"#1"}"##,
        ),
        (
            RecordKind::Shipments,
            r##"{"id":"s1","order_name":"#1","carrier":"UPS","status":"in_transit","events":[{"at":"2024-01-02T00:00:00Z","status":"label_created"}]}"##,
        ),
        (
            RecordKind::Returns,
            r##"{"id":"r1","order_name":"#1","status":"received","requested_at":"2024-01-05T00:00:00Z","restock":true,"lines":[{"sku":"MUG-1","quantity":1,"reason":"damaged"}],"refunds":[{"id":"rf1","amount":"8.00","created_at":"2024-01-06T00:00:00Z"}]}"##,
        ),
        (
            RecordKind::Tickets,
            r##"{"id":"t1","status":"open","created_at":"2024-01-01T00:00:00Z","messages":[{"author":"customer","body":"Where is my order?","sent_at":"2024-01-01T00:00:00Z"}]}"##,
        ),
        (
            RecordKind::Docs,
            r##"{"key":"return-policy","version":2,"kind":"return_policy","title":"Returns","body":"Within 30 days.","effective_from":"2024-01-01"}"##,
        ),
    ];
    for (kind, line) in cases {
        let items = read_all(*kind, Format::Jsonl, line.as_bytes().to_vec());
        assert_eq!(outline(&items), vec![1], "{kind}: {items:?}");
        let record = record_at(&items, 1);
        assert_eq!(record.kind(), *kind);
        match record {
            Record::Product(p) => {
                assert!(p.regulated);
                assert_eq!(p.images[0].position, 1);
                assert_eq!(p.variants[0].price, Some(Money::new(800, Currency::USD)));
            }
            Record::Customer(c) => assert_eq!(c.identities[0].value, "zd-7"),
            Record::Inventory(InventoryRecord::Adjustment(a)) => {
                assert_eq!(a.delta, -2);
                assert_eq!(a.reason, Some(AdjustmentReason::Sale));
            }
            Record::Shipment(s) => {
                assert_eq!(s.status, ShipmentStatus::InTransit);
                assert_eq!(s.events[0].status, ShipmentStatus::LabelCreated);
            }
            Record::Return(r) => {
                assert_eq!(r.status, ReturnStatus::Received);
                assert_eq!(
                    r.refunds[0].order_name, "#1",
                    "defaults to the return's order"
                );
                assert_eq!(r.refunds[0].amount, Money::new(800, Currency::USD));
            }
            Record::Ticket(t) => assert_eq!(t.status, TicketStatus::Open),
            Record::Doc(d) => assert_eq!(
                d.effective_from,
                NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
            ),
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[test]
fn semantic_errors_of_other_kinds() {
    let lines = [
        r##"{"type":"level","sku":"","location":"Main","counted_at":"yesterday"}"##,
        r##"{"type":"bin","sku":"A","location":"Main"}"##,
        r##"{"type":"adjustment","sku":"A","location":"Main","delta":1}"##,
    ]
    .join("\n");
    let items = read_all(RecordKind::Inventory, Format::Jsonl, lines.into_bytes());
    assert_rejections(
        &items,
        &[
            (
                1,
                &[
                    ("sku", "must not be empty"),
                    ("counted_at", "`yesterday` is not a date-time"),
                ],
            ),
            (2, &[("type", "`bin` is not one of: level, adjustment")]),
            (
                3,
                &[
                    ("id", "must not be empty"),
                    ("occurred_at", "required for type adjustment"),
                ],
            ),
        ],
    );
    let doc = r##"{"key":"k","version":0,"kind":"memo","effective_from":"2024-02-30"}"##;
    let items = read_all(RecordKind::Docs, Format::Jsonl, doc.as_bytes().to_vec());
    assert_rejections(
        &items,
        &[(
            1,
            &[
                ("version", "`0` is not a version"),
                ("kind", "`memo` is not one of: return_policy"),
                ("effective_from", "`2024-02-30` is not a date"),
            ],
        )],
    );
    let ret = r##"{"id":"r","order_name":"#1","status":"open","requested_at":"2024-01-01T00:00:00Z","lines":[{"sku":"A","quantity":0,"reason":"meh"}]}"##;
    let items = read_all(RecordKind::Returns, Format::Jsonl, ret.as_bytes().to_vec());
    assert_rejections(
        &items,
        &[(
            1,
            &[
                ("lines[0].quantity", "`0` is not a quantity"),
                ("lines[0].reason", "`meh` is not one of"),
            ],
        )],
    );
}

#[test]
fn bom_crlf_and_trailing_garbage() {
    let text = "\u{feff}{\"email\":\"a@example.com\"}\r\n\r\n{\"email\":\"b@example.com\"} x\r\n";
    let items = read_all(
        RecordKind::Customers,
        Format::Jsonl,
        text.as_bytes().to_vec(),
    );
    assert_eq!(outline(&items), vec![1, -3]);
    assert_rejections(&items, &[(3, &[("", "trailing characters")])]);
}
