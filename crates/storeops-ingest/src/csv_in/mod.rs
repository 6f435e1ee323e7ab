//! Reading Shopify CSV exports (products, customers, orders, inventory).

pub(crate) mod customers;
pub(crate) mod driver;
pub(crate) mod header;
pub(crate) mod inventory;
pub(crate) mod orders;
pub(crate) mod products;
pub(crate) mod row;

use storeops_domain::RecordKind;

use crate::error::IngestError;
use crate::format::Format;
use crate::source::{CountingRead, Source};
use crate::ReaderOptions;

use customers::{CustomerParser, C};
use driver::{GroupSource, RowSource};
use inventory::{InventoryParser, I};
use orders::{OrderParser, O};
use products::{ProductParser, P};

/// Opens a CSV source for `kind`, reading and checking the header row.
pub(crate) fn open(
    kind: RecordKind,
    input: CountingRead,
    options: &ReaderOptions,
) -> Result<Box<dyn Source>, IngestError> {
    let (csv, raw) = driver::open(input)?;
    let raw = raw.as_ref();
    Ok(match kind {
        RecordKind::Products => {
            let header = driver::header(raw, P::SPEC, &[P::Handle.into()])?;
            Box::new(GroupSource::new(
                csv,
                ProductParser::new(header, options.currency),
            ))
        }
        RecordKind::Orders => {
            let header = driver::header(raw, O::SPEC, &[O::Name.into()])?;
            Box::new(GroupSource::new(
                csv,
                OrderParser::new(header, options.currency),
            ))
        }
        RecordKind::Customers => {
            let header = driver::header(raw, C::SPEC, &[C::Email.into()])?;
            Box::new(RowSource::new(csv, CustomerParser::new(header)))
        }
        RecordKind::Inventory => {
            let header = driver::header(raw, I::SPEC, &[I::Sku.into(), I::Location.into()])?;
            Box::new(RowSource::new(csv, InventoryParser::new(header)))
        }
        kind => {
            return Err(IngestError::Unsupported {
                kind,
                format: Format::ShopifyCsv,
            })
        }
    })
}
