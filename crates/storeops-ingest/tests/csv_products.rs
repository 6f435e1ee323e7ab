//! Shopify product CSV fixtures: good products, every kind of bad row, the
//! 2025 layout, shuffled columns and bad UTF-8.

mod common;

use std::collections::BTreeMap;

use common::*;
use storeops_domain::{Currency, Image, Money, ProductStatus, Record, RecordKind};
use storeops_ingest::{reader, reader_with, Format, IngestError, Parsed, ReaderOptions};

fn product(record: Record) -> storeops_domain::Product {
    match record {
        Record::Product(p) => p,
        other => panic!("not a product: {other:?}"),
    }
}

fn usd(minor: i64) -> Option<Money> {
    Some(Money::new(minor, Currency::USD))
}

#[test]
fn classic_fixture_parses_good_products_and_rejects_bad_ones() {
    let items = read_all(
        RecordKind::Products,
        Format::ShopifyCsv,
        fixture("products.csv"),
    );
    assert_eq!(outline(&items), vec![2, 5, -8, -9, -10, -11, 13, -14, -15]);
    assert_rejections(
        &items,
        &[
            (
                8,
                &[
                    ("Variant Price", "`12,99` is not a decimal amount"),
                    (
                        "Variant Compare At Price",
                        "`$15.00` is not a decimal amount",
                    ),
                ],
            ),
            (9, &[("Handle", "missing")]),
            (
                10,
                &[("Status", "`live` is not one of: active, draft, archived")],
            ),
            (
                11,
                &[(
                    "Title",
                    "`Clash B` differs from `Clash A` given earlier for this product (line 12)",
                )],
            ),
            (
                14,
                &[("Handle", "`wool-socks` duplicates the record at line 2")],
            ),
            (
                15,
                &[
                    ("Variant Price", "`-5.00` is negative"),
                    ("Variant Inventory Qty", "`many` is not a whole number"),
                ],
            ),
        ],
    );

    let socks = product(record_at(&items, 2));
    assert_eq!(socks.handle, "wool-socks");
    assert_eq!(socks.title, "Wool Socks");
    assert_eq!(socks.vendor, "Knitco");
    assert_eq!(socks.category, "Apparel & Accessories > Clothing > Socks");
    assert_eq!(socks.tags, vec!["winter", "wool"]);
    assert_eq!(socks.option_names, vec!["Size"]);
    assert!(!socks.regulated);
    assert!(socks.attributes.is_empty());
    assert_eq!(socks.variants.len(), 2);
    let s = &socks.variants[0];
    assert_eq!(s.sku.as_deref(), Some("SOCK-S"));
    assert_eq!(s.option_values, vec!["S"]);
    assert_eq!(s.price, usd(1299));
    assert_eq!(s.compare_at_price, usd(1500));
    assert_eq!(s.cost, usd(450));
    assert_eq!(s.grams, Some(120));
    assert_eq!(s.inventory_qty, Some(10));
    assert_eq!(s.gtin.as_deref(), Some("4006381333931"));
    assert_eq!(socks.variants[1].sku.as_deref(), Some("SOCK-M"));
    assert_eq!(socks.variants[1].grams, Some(130));
    assert_eq!(socks.variants[1].compare_at_price, None);
    assert_eq!(
        socks.images,
        vec![
            Image {
                src: "https://cdn.example.com/socks-1.jpg".into(),
                position: 1,
                alt: "Socks, front".into()
            },
            Image {
                src: "https://cdn.example.com/socks-2.jpg".into(),
                position: 2,
                alt: String::new()
            },
            Image {
                src: "https://cdn.example.com/socks-3.jpg".into(),
                position: 3,
                alt: "Socks, side".into()
            },
        ]
    );

    let battery = product(record_at(&items, 5));
    assert_eq!(
        battery.description_html,
        "<p>Line one,\nline \"two\"</p>\n<p>three</p>"
    );
    assert_eq!(battery.status, ProductStatus::Draft);
    assert!(!battery.published);
    assert!(battery.regulated);
    assert_eq!(
        battery.attributes,
        BTreeMap::from([("custom.regulated".to_string(), "true".to_string())])
    );
    assert_eq!(battery.variants.len(), 1);
    assert_eq!(battery.variants[0].price, usd(900));
    assert!(!battery.variants[0].taxable);
    assert!(battery.images.is_empty());

    let vitamin = product(record_at(&items, 13));
    assert!(vitamin.regulated, "tag `Regulated` marks it regulated");
    assert_eq!(vitamin.status, ProductStatus::Active);
    assert!(vitamin.published);
}

#[test]
fn layout_2025_parses_with_new_header_names() {
    let items = read_all(
        RecordKind::Products,
        Format::ShopifyCsv,
        fixture("products_2025.csv"),
    );
    assert_eq!(outline(&items), vec![2]);
    let jacket = product(record_at(&items, 2));
    assert_eq!(jacket.handle, "rain-jacket");
    assert_eq!(jacket.description_html, "<p>Dry.</p>");
    assert_eq!(jacket.option_names, vec!["Size", "Color"]);
    assert_eq!(
        jacket
            .attributes
            .get("shopify.color-pattern")
            .map(String::as_str),
        Some("blue")
    );
    assert_eq!(jacket.variants.len(), 2);
    assert_eq!(jacket.variants[1].option_values, vec!["M", "Blue"]);
    assert_eq!(jacket.variants[0].price, usd(8900));
    assert_eq!(jacket.variants[0].compare_at_price, usd(9900));
    assert_eq!(jacket.variants[0].cost, usd(4000));
    assert_eq!(jacket.variants[0].grams, Some(450));
    assert_eq!(jacket.variants[1].inventory_qty, Some(3));
    assert_eq!(jacket.images.len(), 1);
}

#[test]
fn shuffled_columns_and_unknown_columns_parse_identically() {
    let original = fixture("products.csv");
    let mut input = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(original.as_slice());
    let rows: Vec<csv::ByteRecord> = input.byte_records().map(|r| r.unwrap()).collect();
    let width = rows[0].len();
    // Reverse the columns and put an unknown column in the middle.
    let mut order: Vec<usize> = (0..width).rev().collect();
    order.insert(width / 2, usize::MAX);
    let mut out = csv::Writer::from_writer(Vec::new());
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<&[u8]> = order
            .iter()
            .map(|&c| match c {
                usize::MAX if i == 0 => b"Internal Notes".as_slice(),
                usize::MAX => b"ignore me".as_slice(),
                c => row.get(c).unwrap_or(b""),
            })
            .collect();
        out.write_record(cells).unwrap();
    }
    let shuffled = out.into_inner().unwrap();
    assert_ne!(shuffled, original);
    let a = read_all(RecordKind::Products, Format::ShopifyCsv, original);
    let b = read_all(RecordKind::Products, Format::ShopifyCsv, shuffled);
    assert_eq!(a, b);
}

#[test]
fn bad_utf8_rejects_only_that_field() {
    let mut bytes = b"Handle,Title,Variant SKU,Variant Price\ngood,Good,G-1,1.00\nbad,B".to_vec();
    bytes.push(0xFF);
    bytes.extend_from_slice(b"ad,B-1,2.00\nnext,Next,N-1,3.00\n");
    let items = read_all(RecordKind::Products, Format::ShopifyCsv, bytes);
    assert_eq!(outline(&items), vec![2, -3, 4]);
    assert_rejections(&items, &[(3, &[("Title", "invalid UTF-8")])]);
    assert_eq!(product(record_at(&items, 4)).variants[0].price, usd(300));
}

#[test]
fn bad_utf8_in_handle_rejects_the_row() {
    let mut bytes = b"Handle,Title\nok,Ok\n".to_vec();
    bytes.extend_from_slice(&[0xC3, 0x28]);
    bytes.extend_from_slice(b",Broken\n");
    let items = read_all(RecordKind::Products, Format::ShopifyCsv, bytes);
    assert_eq!(outline(&items), vec![2, -3]);
    assert_rejections(&items, &[(3, &[("Handle", "invalid UTF-8")])]);
}

#[test]
fn store_currency_applies_to_product_prices() {
    let csv = "Handle,Variant Price\nmug,1500\n";
    let options = ReaderOptions {
        currency: Currency::parse("JPY").unwrap(),
    };
    let items: Vec<Parsed> = reader_with(
        RecordKind::Products,
        Format::ShopifyCsv,
        csv.as_bytes(),
        &options,
    )
    .unwrap()
    .map(Result::unwrap)
    .collect();
    let mug = product(record_at(&items, 2));
    assert_eq!(
        mug.variants[0].price,
        Some(Money::new(1500, options.currency))
    );
}

#[test]
fn header_problems_are_fatal() {
    let err = reader(
        RecordKind::Products,
        Format::ShopifyCsv,
        "Title,Vendor\nA,B\n".as_bytes(),
    )
    .unwrap_err();
    assert!(
        matches!(err, IngestError::MissingColumn { ref column } if column == "Handle"),
        "{err}"
    );
    let err = reader(RecordKind::Products, Format::ShopifyCsv, "".as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "CSV error at line 1: the file is empty (no header row)"
    );
    let err = reader(
        RecordKind::Products,
        Format::ShopifyCsv,
        b"Hand\xFFle\n".as_slice(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "CSV error at line 1: header column 1 is not valid UTF-8"
    );
    let err = reader(RecordKind::Shipments, Format::ShopifyCsv, "id\n".as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "shipments cannot be read or written as shopify-csv"
    );
}

#[test]
fn bytes_read_reaches_the_input_size() {
    let bytes = fixture("products.csv");
    let size = bytes.len() as u64;
    let mut reader = reader(
        RecordKind::Products,
        Format::ShopifyCsv,
        std::io::Cursor::new(bytes),
    )
    .unwrap();
    assert!(reader.bytes_read() > 0);
    assert_eq!(reader.by_ref().count(), 9);
    assert_eq!(reader.bytes_read(), size);
}
