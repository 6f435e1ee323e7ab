//! Fuzzes every Shopify CSV reader (products, customers, orders, inventory):
//! the first input byte picks the kind, the rest follows a valid header.
//! Nothing may panic, and every item must point at a line inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storeops_domain::RecordKind;
use storeops_ingest::{reader, Format, Parsed};

const KINDS: [(RecordKind, &[u8]); 4] = [
    (
        RecordKind::Products,
        b"Handle,Title,Body (HTML),Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Grams,Image Src,Image Position,Status,Tags,Regulated (product.metafields.custom.regulated)\n",
    ),
    (
        RecordKind::Customers,
        b"Customer ID,First Name,Last Name,Email,Phone,Accepts Email Marketing,Default Address Address1,Default Address Zip,Tags,Note,Tax Exempt\n",
    ),
    (
        RecordKind::Orders,
        b"Name,Email,Financial Status,Fulfillment Status,Currency,Subtotal,Shipping,Taxes,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Shipping Country\n",
    ),
    (
        RecordKind::Inventory,
        b"Handle,Title,SKU,Location,Incoming,Unavailable,Committed,Available,On hand,Counted at\n",
    ),
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (kind, header) = KINDS[usize::from(selector) % KINDS.len()];
    let mut input = header.to_vec();
    input.extend_from_slice(rest);
    let newlines = input.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64 + 1;
    let Ok(items) = reader(kind, Format::ShopifyCsv, std::io::Cursor::new(input)) else {
        return;
    };
    for item in items {
        let line = match item {
            Ok(Parsed::Record { line, .. }) => line,
            Ok(Parsed::Rejected(r)) => r.line,
            Err(_) => break,
        };
        assert!(line >= 2 && line <= newlines, "line {line} outside the input");
    }
});
