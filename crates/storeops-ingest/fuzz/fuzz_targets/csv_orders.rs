//! Fuzzes the Shopify order CSV reader: arbitrary bytes after a valid header
//! must never panic, and every item must point inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storeops_domain::RecordKind;
use storeops_ingest::{reader, Format, Parsed};

const HEADER: &[u8] = b"Name,Email,Financial Status,Currency,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Zip,Cancelled at\n";

fuzz_target!(|data: &[u8]| {
    let mut input = HEADER.to_vec();
    input.extend_from_slice(data);
    let newlines = input.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64 + 1;
    let Ok(items) = reader(
        RecordKind::Orders,
        Format::ShopifyCsv,
        std::io::Cursor::new(input),
    ) else {
        return;
    };
    for item in items {
        let line = match item {
            Ok(Parsed::Record { line, .. }) => line,
            Ok(Parsed::Rejected(r)) => r.line,
            Err(_) => break,
        };
        assert!(
            line >= 2 && line <= newlines,
            "line {line} outside the input"
        );
    }
});
