//! Shopify inventory CSV (classic and 2025 layouts): one level per row, keyed
//! by SKU and location. Rows where the SKU is "not stocked" at the location
//! are skipped.

use csv::ByteRecord;
use storeops_domain::{InventoryLevel, InventoryRecord, Record};

use crate::csv_in::driver::RowParser;
use crate::csv_in::header::{columns, Header};
use crate::csv_in::row::Row;
use crate::error::FieldError;
use crate::values;

columns! {
    /// Columns of Shopify's inventory CSV export, plus `Counted at`.
    pub(crate) enum I {
        Handle => "Handle",
        Title => "Title",
        Option1Name => "Option1 Name",
        Option1Value => "Option1 Value",
        Option2Name => "Option2 Name",
        Option2Value => "Option2 Value",
        Option3Name => "Option3 Name",
        Option3Value => "Option3 Value",
        Sku => "SKU" | "variant sku",
        HsCode => "HS Code",
        Coo => "COO",
        Location => "Location",
        BinName => "Bin name",
        Incoming => "Incoming" | "incoming (not editable)",
        Unavailable => "Unavailable" | "unavailable (not editable)",
        Committed => "Committed" | "committed (not editable)",
        Available => "Available" | "available (not editable)",
        OnHand => "On hand" | "on hand (current)",
        OnHandNew => "On hand (new)",
        CountedAt => "Counted at",
    }
}

/// Quantity columns that may say "not stocked".
const QUANTITIES: [I; 5] = [
    I::Incoming,
    I::Committed,
    I::Available,
    I::OnHand,
    I::OnHandNew,
];

/// Parses inventory CSV rows into levels.
pub(crate) struct InventoryParser {
    header: Header,
}

impl InventoryParser {
    /// A parser for a file with this header.
    pub fn new(header: Header) -> InventoryParser {
        InventoryParser { header }
    }
}

fn required(row: &mut Row<'_>, column: I) -> String {
    let text = row.text(column);
    if text.is_empty() && row.blank(column) {
        row.fail(column, "required".to_string());
    }
    text.to_string()
}

impl RowParser for InventoryParser {
    fn parse(&self, record: &ByteRecord, _line: u64) -> Option<Result<Record, Vec<FieldError>>> {
        let not_stocked = QUANTITIES.iter().any(|&c| {
            self.header
                .position(c)
                .and_then(|p| record.get(p))
                .is_some_and(|cell| cell.trim_ascii().eq_ignore_ascii_case(b"not stocked"))
        });
        if not_stocked {
            return None;
        }
        let mut errors = Vec::new();
        let mut row = Row::new(&self.header, record, &mut errors, None);
        let sku = required(&mut row, I::Sku);
        let location = required(&mut row, I::Location);
        let on_hand_new = row.value(I::OnHandNew, values::integer);
        let on_hand = row.value(I::OnHand, values::integer);
        let level = InventoryLevel {
            sku,
            location,
            on_hand: on_hand_new.or(on_hand).unwrap_or(0),
            committed: row.value(I::Committed, values::integer).unwrap_or(0),
            available: row.value(I::Available, values::integer).unwrap_or(0),
            incoming: row.value(I::Incoming, values::integer).unwrap_or(0),
            counted_at: row.value(I::CountedAt, values::timestamp),
        };
        Some(if errors.is_empty() {
            Ok(Record::Inventory(InventoryRecord::Level(level)))
        } else {
            Err(errors)
        })
    }
}
