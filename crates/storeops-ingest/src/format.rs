//! The outside formats a kind of record can be read from and written to.

use std::fmt;
use std::str::FromStr;

use storeops_domain::RecordKind;

use crate::error::IngestError;

/// An outside file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Shopify's CSV export layout for the kind (products, customers,
    /// orders, inventory).
    ShopifyCsv,
    /// One JSON object per line (every kind).
    Jsonl,
}

impl Format {
    /// Every format.
    pub const ALL: &'static [Format] = &[Format::ShopifyCsv, Format::Jsonl];

    /// The label: `shopify-csv` or `jsonl`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::ShopifyCsv => "shopify-csv",
            Format::Jsonl => "jsonl",
        }
    }

    /// Shopify CSV for kinds Shopify exports as CSV, JSONL otherwise.
    pub fn default_for(kind: RecordKind) -> Format {
        if kind.has_shopify_csv() {
            Format::ShopifyCsv
        } else {
            Format::Jsonl
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = IngestError;

    /// Parses `shopify-csv` (also `shopify_csv`, `csv`) or `jsonl` (also
    /// `json-lines`, `ndjson`), ignoring case and surrounding spaces.
    fn from_str(s: &str) -> Result<Format, IngestError> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "shopify-csv" | "csv" => Ok(Format::ShopifyCsv),
            "jsonl" | "json-lines" | "ndjson" => Ok(Format::Jsonl),
            _ => Err(IngestError::UnknownFormat {
                value: s.trim().to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_and_aliases_parse() {
        for format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>().unwrap(), *format);
            assert_eq!(format.to_string(), format.as_str());
        }
        assert_eq!(
            " Shopify_CSV ".parse::<Format>().unwrap(),
            Format::ShopifyCsv
        );
        assert_eq!("NDJSON".parse::<Format>().unwrap(), Format::Jsonl);
        let err = "xml".parse::<Format>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown format `xml` (expected shopify-csv or jsonl)"
        );
    }

    #[test]
    fn default_format_follows_shopify_exports() {
        assert_eq!(Format::default_for(RecordKind::Orders), Format::ShopifyCsv);
        assert_eq!(
            Format::default_for(RecordKind::Inventory),
            Format::ShopifyCsv
        );
        assert_eq!(Format::default_for(RecordKind::Shipments), Format::Jsonl);
        assert_eq!(Format::default_for(RecordKind::Docs), Format::Jsonl);
    }
}
