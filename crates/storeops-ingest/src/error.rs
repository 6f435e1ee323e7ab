//! What parsing produces besides records: per-record rejections and the fatal
//! errors that stop a whole file.

use serde::Serialize;
use storeops_domain::{Record, RecordKind};

use crate::format::Format;

/// One bad field of a rejected record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The CSV column header exactly as it appears in the file, or the JSON
    /// key path (`lines[2].price`); empty when the whole line is unreadable.
    pub field: String,
    /// What is wrong, naming the value and what was expected.
    pub message: String,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A record that was not imported, with every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// 1-based line of the file where the record starts (the CSV header is
    /// line 1).
    pub line: u64,
    /// Every bad field found in the record.
    pub errors: Vec<FieldError>,
}

/// One item read from a file: a record or a rejection.
// Records are the common case; boxing them would cost an allocation each.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// A valid record and the 1-based line where it starts.
    Record {
        /// Line where the record starts.
        line: u64,
        /// The record.
        record: Record,
    },
    /// A record with bad data.
    Rejected(Rejected),
}

/// A problem that stops reading or writing a whole file.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// Reading the input or writing the output failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV structure is unreadable (for example the header row).
    #[error("CSV error at line {line}: {message}")]
    Csv {
        /// Line of the problem.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A column the kind cannot do without is not in the header.
    #[error("required column `{column}` is missing from the CSV header")]
    MissingColumn {
        /// The column's canonical Shopify name.
        column: String,
    },
    /// The kind has no such format (shipments have no Shopify CSV).
    #[error("{kind} cannot be read or written as {format}")]
    Unsupported {
        /// The record kind.
        kind: RecordKind,
        /// The format asked for.
        format: Format,
    },
    /// A record holds data the output format cannot express.
    #[error("cannot write {what} as {format}")]
    Unwritable {
        /// What could not be written.
        what: String,
        /// The output format.
        format: Format,
    },
    /// A writer for one kind was handed a record of another.
    #[error("expected a {expected} record, got a {found} record")]
    WrongKind {
        /// The writer's kind.
        expected: RecordKind,
        /// The record's kind.
        found: RecordKind,
    },
    /// A format name that is neither `shopify-csv` nor `jsonl`.
    #[error("unknown format `{value}` (expected shopify-csv or jsonl)")]
    UnknownFormat {
        /// The name given.
        value: String,
    },
    /// Serialising a JSONL line failed.
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
}

impl IngestError {
    /// Converts a `csv` crate error, keeping I/O errors as [`IngestError::Io`].
    pub(crate) fn from_csv(err: csv::Error) -> IngestError {
        let line = err.position().map_or(0, csv::Position::line);
        let message = err.to_string();
        match err.into_kind() {
            csv::ErrorKind::Io(io) => IngestError::Io(io),
            _ => IngestError::Csv { line, message },
        }
    }
}
