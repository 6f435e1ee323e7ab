//! Helpers shared by the integration tests: reading fixtures and whole
//! inputs, and checking rejections against expected (line, field, message
//! fragment) lists.
// Test support: each test binary uses part of it, and panics are its way
// of failing a test.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use storeops_domain::{Record, RecordKind};
use storeops_ingest::{reader, Format, Parsed};

pub fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn read_all(kind: RecordKind, format: Format, bytes: Vec<u8>) -> Vec<Parsed> {
    reader(kind, format, std::io::Cursor::new(bytes))
        .unwrap()
        .map(|item| item.unwrap())
        .collect()
}

/// Records with their lines.
pub fn records(items: &[Parsed]) -> Vec<(u64, Record)> {
    items
        .iter()
        .filter_map(|p| match p {
            Parsed::Record { line, record } => Some((*line, record.clone())),
            Parsed::Rejected(_) => None,
        })
        .collect()
}

/// The record that starts at `line`.
pub fn record_at(items: &[Parsed], line: u64) -> Record {
    records(items)
        .into_iter()
        .find(|(l, _)| *l == line)
        .unwrap_or_else(|| panic!("no record at line {line}: {items:#?}"))
        .1
}

/// Lines of items in output order: positive for records, negative for rejections.
pub fn outline(items: &[Parsed]) -> Vec<i64> {
    items
        .iter()
        .map(|p| match p {
            Parsed::Record { line, .. } => *line as i64,
            Parsed::Rejected(r) => -(r.line as i64),
        })
        .collect()
}

/// Asserts the exact rejections: for each, its line and every (field,
/// message fragment) in order.
pub fn assert_rejections(items: &[Parsed], expected: &[(u64, &[(&str, &str)])]) {
    let actual: Vec<_> = items
        .iter()
        .filter_map(|p| match p {
            Parsed::Rejected(r) => Some(r.clone()),
            Parsed::Record { .. } => None,
        })
        .collect();
    assert_eq!(
        actual.len(),
        expected.len(),
        "rejections differ: {actual:#?}"
    );
    for (rejected, (line, errors)) in actual.iter().zip(expected) {
        assert_eq!(rejected.line, *line, "{rejected:#?}");
        assert_eq!(rejected.errors.len(), errors.len(), "{rejected:#?}");
        for (error, (field, fragment)) in rejected.errors.iter().zip(errors.iter()) {
            assert_eq!(error.field, *field, "{rejected:#?}");
            assert!(
                error.message.contains(fragment),
                "line {line}: `{}` does not contain `{fragment}`",
                error.message
            );
        }
    }
}
