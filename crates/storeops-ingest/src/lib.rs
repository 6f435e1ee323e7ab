//! storeops parsers of outside formats (Shopify CSV exports, JSONL) into
//! domain records, and writers of the same formats. Pure: no I/O beyond the
//! readers and writers it is handed.
//!
//! Reading streams with bounded memory: [`reader`] returns a
//! [`RecordReader`], an iterator of [`Parsed`] items, each a record or a
//! [`Rejected`] record listing every bad field with its line. Writers
//! ([`CsvWriter`], [`JsonlWriter`], [`write_csv`], [`write_jsonl`]) produce
//! exactly what the readers accept. `docs/formats.md` is the user-facing
//! reference of every column and key.
//!
//! ```
//! use storeops_domain::{Record, RecordKind};
//! use storeops_ingest::{reader, Format, Parsed};
//!
//! let csv = "Handle,Title,Variant SKU,Variant Price\nmug,Mug,MUG-1,8.00\nbad,Bad,B-1,\"8,00\"\n";
//! let mut imported = 0;
//! for item in reader(RecordKind::Products, Format::ShopifyCsv, csv.as_bytes())? {
//!     match item? {
//!         Parsed::Record { record: Record::Product(p), .. } => {
//!             assert_eq!(p.variants[0].price.map(|m| m.minor), Some(800));
//!             imported += 1;
//!         }
//!         Parsed::Record { .. } => unreachable!("a products reader yields products"),
//!         Parsed::Rejected(r) => {
//!             assert_eq!((r.line, r.errors[0].field.as_str()), (3, "Variant Price"));
//!         }
//!     }
//! }
//! assert_eq!(imported, 1);
//! # Ok::<(), storeops_ingest::IngestError>(())
//! ```

mod csv_in;
mod csv_out;
mod error;
mod format;
mod jsonl;
mod source;
mod values;

use std::io::Read;

use storeops_domain::{Currency, RecordKind};

pub use csv_out::{write_csv, CsvWriter};
pub use error::{FieldError, IngestError, Parsed, Rejected};
pub use format::Format;
pub use jsonl::{write_jsonl, JsonlWriter};
pub use source::RecordReader;

use source::CountingRead;

/// Settings for reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderOptions {
    /// Store currency: the currency of Shopify product CSV prices (which carry
    /// none), and of orders and JSONL records that name no currency.
    pub currency: Currency,
}

impl Default for ReaderOptions {
    fn default() -> ReaderOptions {
        ReaderOptions {
            currency: Currency::USD,
        }
    }
}

/// Reads records of `kind` in `format` from `input` with default options
/// (store currency USD).
pub fn reader<R: Read + Send + 'static>(
    kind: RecordKind,
    format: Format,
    input: R,
) -> Result<RecordReader, IngestError> {
    reader_with(kind, format, input, &ReaderOptions::default())
}

/// Reads records of `kind` in `format` from `input`.
///
/// Fails at once when the kind has no such format, or when a CSV header is
/// unreadable or lacks a required column.
pub fn reader_with<R: Read + Send + 'static>(
    kind: RecordKind,
    format: Format,
    input: R,
    options: &ReaderOptions,
) -> Result<RecordReader, IngestError> {
    let input = CountingRead::new(Box::new(input));
    let source = match format {
        Format::ShopifyCsv => csv_in::open(kind, input, options)?,
        Format::Jsonl => jsonl::open(kind, input, options),
    };
    Ok(RecordReader::new(source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_can_move_to_another_thread() {
        fn assert_send<T: Send>(_: &T) {}
        let reader = reader(RecordKind::Tickets, Format::Jsonl, std::io::empty()).unwrap();
        assert_send(&reader);
        assert_eq!(reader.bytes_read(), 0);
        assert_eq!(ReaderOptions::default().currency, Currency::USD);
    }
}
