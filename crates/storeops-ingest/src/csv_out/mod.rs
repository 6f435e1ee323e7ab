//! Writing Shopify-layout CSV (products, customers, orders, inventory
//! levels) that the CSV readers accept back unchanged.

mod customers;
mod inventory;
mod orders;
mod products;

use std::io::Write;

use storeops_domain::{InventoryRecord, Record, RecordKind};

use crate::csv_in::header::Column;
use crate::csv_in::products::REGULATED_ATTRIBUTE;
use crate::error::IngestError;
use crate::format::Format;

/// One output row, reused: a cell per written column.
pub(crate) struct Cells {
    /// Cell index of each logical column of the kind (`None`: not written).
    slots: Vec<Option<usize>>,
    values: Vec<String>,
    first_extra: usize,
}

impl Cells {
    fn new(spec_len: usize, columns: &[usize], extra: usize) -> Cells {
        let mut slots = vec![None; spec_len];
        for (cell, &id) in columns.iter().enumerate() {
            slots[id] = Some(cell);
        }
        Cells {
            slots,
            values: vec![String::new(); columns.len() + extra],
            first_extra: columns.len(),
        }
    }

    /// Sets a column's cell.
    pub fn set(&mut self, id: impl Into<usize>, value: &str) {
        if let Some(cell) = self.slots.get(id.into()).copied().flatten() {
            self.values[cell].push_str(value);
        }
    }

    /// Sets an extra cell (after the kind's columns), by its extra index.
    pub fn set_extra(&mut self, index: usize, value: &str) {
        if let Some(cell) = self.values.get_mut(self.first_extra + index) {
            cell.push_str(value);
        }
    }

    fn flush<W: Write>(&mut self, csv: &mut csv::Writer<W>) -> Result<(), IngestError> {
        csv.write_record(&self.values)
            .map_err(IngestError::from_csv)?;
        self.values.iter_mut().for_each(String::clear);
        Ok(())
    }
}

/// Header text of a product metafield column for attribute `key`.
fn metafield_header(key: &str) -> String {
    let label = if key == REGULATED_ATTRIBUTE {
        "Regulated"
    } else {
        key
    };
    format!("{label} (product.metafields.{key})")
}

/// Streams records of one kind as Shopify-layout CSV.
///
/// Products carry a `Regulated (product.metafields.custom.regulated)` column
/// and one metafield column per attribute key given to
/// [`CsvWriter::with_attributes`]; a product attribute without a column is an
/// error. Inventory adjustments have no CSV layout and are refused.
pub struct CsvWriter<W: Write> {
    kind: RecordKind,
    csv: csv::Writer<W>,
    cells: Cells,
    attributes: Vec<String>,
}

impl<W: Write> CsvWriter<W> {
    /// A writer for `kind`; writes the header row at once.
    pub fn new(kind: RecordKind, out: W) -> Result<CsvWriter<W>, IngestError> {
        CsvWriter::with_attributes(kind, out, &[])
    }

    /// A writer for `kind` with metafield columns for these product
    /// attribute keys (ignored for other kinds).
    pub fn with_attributes(
        kind: RecordKind,
        out: W,
        attribute_keys: &[String],
    ) -> Result<CsvWriter<W>, IngestError> {
        let (spec, columns): (&[Column], Vec<usize>) = match kind {
            RecordKind::Products => (products::SPEC, products::columns()),
            RecordKind::Orders => (orders::SPEC, orders::columns()),
            RecordKind::Customers => (customers::SPEC, customers::columns()),
            RecordKind::Inventory => (inventory::SPEC, inventory::columns()),
            kind => {
                return Err(IngestError::Unsupported {
                    kind,
                    format: Format::ShopifyCsv,
                })
            }
        };
        let mut attributes = Vec::new();
        if kind == RecordKind::Products {
            attributes.push(REGULATED_ATTRIBUTE.to_string());
            for key in attribute_keys {
                if !attributes.contains(key) {
                    attributes.push(key.clone());
                }
            }
        }
        let mut csv = csv::Writer::from_writer(out);
        let header = columns
            .iter()
            .map(|&id| spec[id].name.to_string())
            .chain(attributes.iter().map(|k| metafield_header(k)));
        csv.write_record(header).map_err(IngestError::from_csv)?;
        let cells = Cells::new(spec.len(), &columns, attributes.len());
        Ok(CsvWriter {
            kind,
            csv,
            cells,
            attributes,
        })
    }

    /// Writes one record (several rows for products and orders).
    pub fn write(&mut self, record: &Record) -> Result<(), IngestError> {
        if record.kind() != self.kind {
            return Err(IngestError::WrongKind {
                expected: self.kind,
                found: record.kind(),
            });
        }
        let csv = &mut self.csv;
        let cells = &mut self.cells;
        match record {
            Record::Product(p) => products::write(p, &self.attributes, cells, |c| c.flush(csv)),
            Record::Order(o) => orders::write(o, cells, |c| c.flush(csv)),
            Record::Customer(c) => {
                customers::write(c, cells);
                cells.flush(csv)
            }
            Record::Inventory(InventoryRecord::Level(l)) => {
                inventory::write(l, cells);
                cells.flush(csv)
            }
            Record::Inventory(InventoryRecord::Adjustment(a)) => Err(IngestError::Unwritable {
                what: format!(
                    "inventory adjustment `{}` (only levels have a CSV layout)",
                    a.id
                ),
                format: Format::ShopifyCsv,
            }),
            _ => Err(IngestError::Unsupported {
                kind: self.kind,
                format: Format::ShopifyCsv,
            }),
        }
    }

    /// Flushes and returns the output.
    pub fn finish(self) -> Result<W, IngestError> {
        self.csv
            .into_inner()
            .map_err(|e| IngestError::Io(e.into_error()))
    }
}

impl<W: Write> std::fmt::Debug for CsvWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvWriter")
            .field("kind", &self.kind)
            .field("attributes", &self.attributes)
            .finish_non_exhaustive()
    }
}

/// Writes records of `kind` as Shopify-layout CSV, with a metafield column
/// for every product attribute key found in `records`.
pub fn write_csv<W: Write>(
    kind: RecordKind,
    records: &[Record],
    out: W,
) -> Result<(), IngestError> {
    let mut keys: Vec<String> = Vec::new();
    for record in records {
        if let Record::Product(p) = record {
            for key in p.attributes.keys() {
                if !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
        }
    }
    let mut writer = CsvWriter::with_attributes(kind, out, &keys)?;
    for record in records {
        writer.write(record)?;
    }
    writer.finish().map(drop)
}
