//! Shopify customer and inventory CSV fixtures, classic and newer layouts.

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use storeops_domain::{Customer, InventoryLevel, InventoryRecord, Record, RecordKind};
use storeops_ingest::Format;

fn customer(record: Record) -> Customer {
    match record {
        Record::Customer(c) => c,
        other => panic!("not a customer: {other:?}"),
    }
}

fn level(record: Record) -> InventoryLevel {
    match record {
        Record::Inventory(InventoryRecord::Level(l)) => l,
        other => panic!("not a level: {other:?}"),
    }
}

#[test]
fn classic_customers() {
    let items = read_all(
        RecordKind::Customers,
        Format::ShopifyCsv,
        fixture("customers.csv"),
    );
    assert_eq!(outline(&items), vec![2, -3, 4]);
    assert_rejections(
        &items,
        &[(
            3,
            &[
                ("Accepts Marketing", "`maybe` is not a yes/no value"),
                ("Email", "required when there is no Customer ID"),
            ],
        )],
    );
    let ada = customer(record_at(&items, 2));
    assert_eq!(ada.email.as_deref(), Some("ada@example.com"));
    assert_eq!(ada.external_id, None);
    assert!(ada.accepts_marketing);
    assert!(!ada.tax_exempt);
    assert_eq!(ada.phone.as_deref(), Some("+44 20 7946 0958"));
    assert_eq!(ada.default_address.zip, "N1 9GU");
    assert_eq!(ada.default_address.province_code, "ENG");
    assert_eq!(ada.default_address.country_code, "GB");
    assert_eq!(ada.default_address.company, "Analytical Engines");
    assert_eq!(ada.tags, vec!["vip", "newsletter"]);
    assert_eq!(ada.note, "Likes wool");
    assert_eq!(ada.key().as_deref(), Some("email:ada@example.com"));
    let cy = customer(record_at(&items, 4));
    assert_eq!(
        cy.default_address.province_code, "Ontario",
        "falls back to Province"
    );
    assert_eq!(cy.default_address.country_code, "Canada");
    assert!(cy.tax_exempt);
}

#[test]
fn newer_customer_layout() {
    let items = read_all(
        RecordKind::Customers,
        Format::ShopifyCsv,
        fixture("customers_2024.csv"),
    );
    assert_eq!(outline(&items), vec![2, -3]);
    assert_rejections(
        &items,
        &[(3, &[("Tax Exempt", "`perhaps` is not a yes/no value")])],
    );
    let dee = customer(record_at(&items, 2));
    assert_eq!(dee.external_id.as_deref(), Some("7001"));
    assert_eq!(dee.key().as_deref(), Some("id:7001"));
    assert_eq!(dee.email, None);
    assert_eq!(dee.phone.as_deref(), Some("+15125550100"));
    assert_eq!(dee.default_address.phone, "+1 512 555 0100");
    assert_eq!(dee.default_address.zip, "73301");
    assert_eq!(dee.default_address.province_code, "TX");
    assert!(dee.accepts_marketing);
}

#[test]
fn classic_inventory_levels() {
    let items = read_all(
        RecordKind::Inventory,
        Format::ShopifyCsv,
        fixture("inventory.csv"),
    );
    assert_eq!(
        outline(&items),
        vec![2, 4, -5, -6],
        "line 3 is not stocked and skipped"
    );
    assert_rejections(
        &items,
        &[
            (5, &[("SKU", "required")]),
            (
                6,
                &[
                    ("On hand", "`3.5` is not a whole number"),
                    ("Available", "`lots` is not a whole number"),
                ],
            ),
        ],
    );
    assert_eq!(
        level(record_at(&items, 2)),
        InventoryLevel {
            sku: "SOCK-S".into(),
            location: "Main Warehouse".into(),
            on_hand: 10,
            committed: 2,
            available: 8,
            incoming: 5,
            counted_at: None,
        }
    );
    assert_eq!(level(record_at(&items, 4)).available, -1);
}

#[test]
fn layout_2025_inventory_with_counted_at() {
    let items = read_all(
        RecordKind::Inventory,
        Format::ShopifyCsv,
        fixture("inventory_2025.csv"),
    );
    assert_eq!(outline(&items), vec![2, -3]);
    assert_rejections(
        &items,
        &[(3, &[("Counted at", "`last week` is not a date-time")])],
    );
    let l = level(record_at(&items, 2));
    assert_eq!(l.on_hand, 6, "On hand (new) wins over On hand (current)");
    assert_eq!(l.available, 4);
    assert_eq!(l.committed, 1);
    assert_eq!(
        l.counted_at,
        Some(Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap())
    );
}
