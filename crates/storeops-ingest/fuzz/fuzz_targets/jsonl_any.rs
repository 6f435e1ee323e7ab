//! Fuzzes the JSONL readers of every kind: the first byte picks the kind,
//! the rest is the file; reading must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storeops_domain::RecordKind;
use storeops_ingest::{reader, Format, Parsed};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let kind = RecordKind::ALL[usize::from(selector) % RecordKind::ALL.len()];
    let Ok(items) = reader(kind, Format::Jsonl, std::io::Cursor::new(body.to_vec())) else {
        return;
    };
    for item in items {
        match item {
            Ok(Parsed::Record { record, .. }) => assert_eq!(record.kind(), kind),
            Ok(Parsed::Rejected(r)) => assert!(!r.errors.is_empty()),
            Err(_) => break,
        }
    }
});
