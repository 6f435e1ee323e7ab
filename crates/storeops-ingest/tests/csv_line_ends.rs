//! Line numbers of CSV records and rejections do not depend on line ends:
//! LF, CRLF (what Excel and most exporters write), a mix of both, and quoted
//! cells spanning lines inside a CRLF file all report the line a record
//! starts on. Every fixture read as CRLF reports what it reports as LF.

mod common;

use common::*;
use proptest::prelude::*;
use storeops_domain::RecordKind;
use storeops_ingest::Format;

fn products(text: &str) -> Vec<i64> {
    outline(&read_all(
        RecordKind::Products,
        Format::ShopifyCsv,
        text.as_bytes().to_vec(),
    ))
}

fn crlf(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    text.replace('\n', "\r\n").into_bytes()
}

#[test]
fn a_crlf_file_reports_the_line_of_each_rejection() {
    let text = "Handle,Title,Variant Price\r\na,A,1.00\r\nb,B,xx\r\n";
    assert_eq!(products(text), vec![2, -3]);
    assert_eq!(products(&text.replace("\r\n", "\n")), vec![2, -3]);
}

#[test]
fn mixed_line_ends_and_blank_lines_count_every_line() {
    let text = "Handle,Title,Variant Price\na,A,1.00\r\nb,B,xx\n\r\nc,C,yy\r\nd,D,2.00";
    assert_eq!(products(text), vec![2, -3, -5, 6]);
}

#[test]
fn quoted_cells_over_several_lines_keep_the_start_line() {
    let text = "Handle,Title,Body (HTML),Variant Price\r\n\
                a,A,\"<p>one\r\ntwo\r\nthree</p>\",1.00\r\n\
                b,B,x,zz\r\n\
                c,C,\"x\ny\",oops\r\n";
    assert_eq!(products(text), vec![2, -5, -6]);
}

#[test]
fn every_fixture_reports_the_same_lines_as_crlf() {
    let cases = [
        (RecordKind::Products, "products.csv"),
        (RecordKind::Products, "products_2025.csv"),
        (RecordKind::Orders, "orders.csv"),
        (RecordKind::Customers, "customers.csv"),
        (RecordKind::Customers, "customers_2024.csv"),
        (RecordKind::Inventory, "inventory.csv"),
        (RecordKind::Inventory, "inventory_2025.csv"),
    ];
    for (kind, name) in cases {
        let lf = outline(&read_all(kind, Format::ShopifyCsv, fixture(name)));
        let windows = outline(&read_all(kind, Format::ShopifyCsv, crlf(&fixture(name))));
        assert!(!lf.is_empty(), "{name}: {lf:?}");
        assert_eq!(windows, lf, "{name}");
    }
}

proptest! {
    /// Rows of good and bad prices in any mix of line ends: each reported
    /// line is the row's own.
    #[test]
    fn reported_lines_are_the_rows_lines(rows in prop::collection::vec((any::<bool>(), any::<bool>()), 1..30)) {
        let mut text = String::from("Handle,Title,Variant Price\n");
        let mut expected = Vec::new();
        for (i, (good, windows)) in rows.iter().enumerate() {
            let price = if *good { "1.00" } else { "x" };
            text.push_str(&format!("h{i},T,{price}{}", if *windows { "\r\n" } else { "\n" }));
            let line = i as i64 + 2;
            expected.push(if *good { line } else { -line });
        }
        prop_assert_eq!(products(&text), expected);
    }
}
