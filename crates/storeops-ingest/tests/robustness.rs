//! Property tests: the readers never panic, whatever bytes they are handed,
//! and every item they yield points at a line inside the input.

use proptest::prelude::*;
use storeops_domain::RecordKind;
use storeops_ingest::{reader, Format, Parsed};

const CSV_HEADERS: &[(RecordKind, &str)] = &[
    (RecordKind::Products, "Handle,Title,Body (HTML),Option1 Value,Variant SKU,Variant Price,Image Src,Status,Tags,X (product.metafields.custom.x)\n"),
    (RecordKind::Orders, "Name,Email,Currency,Created at,Lineitem quantity,Lineitem price,Lineitem sku,Total,Financial Status\n"),
    (RecordKind::Customers, "Customer ID,Email,First Name,Accepts Marketing,Tax Exempt,Zip\n"),
    (RecordKind::Inventory, "SKU,Location,Available,On hand,Counted at\n"),
];

/// Reads everything; returns the number of items and the largest line seen.
fn drain(kind: RecordKind, format: Format, bytes: Vec<u8>) -> (usize, u64) {
    let Ok(items) = reader(kind, format, std::io::Cursor::new(bytes)) else {
        return (0, 0);
    };
    let mut count = 0;
    let mut max_line = 0;
    for item in items {
        let Ok(item) = item else { break };
        count += 1;
        let line = match item {
            Parsed::Record { line, .. } => line,
            Parsed::Rejected(r) => r.line,
        };
        max_line = max_line.max(line);
    }
    (count, max_line)
}

fn lines_in(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64 + 1
}

/// Bytes biased towards CSV and JSON structure.
fn structured() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::sample::select(b",\"\n\r{}[]:-.#' 0123456789abc".to_vec()),
            1 => any::<u8>(),
            1 => proptest::sample::select(vec![b'\\', 0xFF, 0xC3]),
        ],
        0..400,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn csv_readers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), structured in structured(), which in 0usize..4) {
        let (kind, header) = CSV_HEADERS[which];
        drain(kind, Format::ShopifyCsv, bytes.clone());
        let mut input = header.as_bytes().to_vec();
        input.extend_from_slice(&structured);
        let (_, max_line) = drain(kind, Format::ShopifyCsv, input.clone());
        prop_assert!(max_line <= lines_in(&input));
    }

    #[test]
    fn jsonl_readers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), structured in structured(), which in 0usize..8) {
        let kind = RecordKind::ALL[which];
        drain(kind, Format::Jsonl, bytes);
        let (_, max_line) = drain(kind, Format::Jsonl, structured.clone());
        prop_assert!(max_line <= lines_in(&structured));
    }
}

#[test]
fn header_only_files_yield_nothing() {
    for (kind, header) in CSV_HEADERS {
        assert_eq!(
            drain(*kind, Format::ShopifyCsv, header.as_bytes().to_vec()),
            (0, 0)
        );
    }
    assert_eq!(
        drain(RecordKind::Tickets, Format::Jsonl, b"\n\n  \n".to_vec()),
        (0, 0)
    );
}

/// Yields `data`, then fails.
struct FailingRead {
    data: std::io::Cursor<Vec<u8>>,
}

impl std::io::Read for FailingRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.data.read(buf)? {
            0 => Err(std::io::Error::other("disk on fire")),
            n => Ok(n),
        }
    }
}

#[test]
fn io_errors_are_fatal_and_end_the_stream() {
    for format in [Format::ShopifyCsv, Format::Jsonl] {
        let data = match format {
            Format::ShopifyCsv => b"Handle,Title\na,A\n".to_vec(),
            Format::Jsonl => b"{\"handle\":\"a\"}\n".to_vec(),
        };
        let input = FailingRead {
            data: std::io::Cursor::new(data),
        };
        let items: Vec<_> = reader(RecordKind::Products, format, input)
            .unwrap()
            .collect();
        let last = items.last().unwrap();
        assert!(
            matches!(last, Err(storeops_ingest::IngestError::Io(e)) if e.to_string() == "disk on fire"),
            "{format}: {items:?}"
        );
        let records = items
            .iter()
            .filter(|i| matches!(i, Ok(Parsed::Record { .. })))
            .count();
        assert_eq!(
            records,
            usize::from(format == Format::Jsonl),
            "{format}: {items:?}"
        );
    }
}
