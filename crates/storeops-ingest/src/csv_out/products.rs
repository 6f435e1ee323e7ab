//! Product rows in Shopify's layout: product fields on the first row, one
//! variant and one image per row, image-only rows for further images.

use storeops_domain::{Money, Product};

use crate::csv_in::header::Column;
use crate::csv_in::products::{is_regulated, P, REGULATED_ATTRIBUTE};
use crate::csv_out::Cells;
use crate::error::IngestError;
use crate::format::Format;

/// The product columns.
pub(crate) const SPEC: &[Column] = P::SPEC;

/// Every product column, in Shopify's order.
pub(crate) fn columns() -> Vec<usize> {
    (0..SPEC.len()).collect()
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

fn money(cells: &mut Cells, column: P, value: Option<&Money>) {
    if let Some(m) = value {
        cells.set(column, &m.currency.format_amount(m.minor));
    }
}

fn unwritable(p: &Product, what: &str) -> IngestError {
    IngestError::Unwritable {
        what: format!("product `{}`: {what}", p.handle),
        format: Format::ShopifyCsv,
    }
}

/// Writes one product's rows; `flush` emits the current row.
pub(crate) fn write(
    p: &Product,
    attributes: &[String],
    cells: &mut Cells,
    mut flush: impl FnMut(&mut Cells) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    if p.option_names.len() > 3 || p.variants.iter().any(|v| v.option_values.len() > 3) {
        return Err(unwritable(p, "more than three options"));
    }
    if let Some(key) = p.attributes.keys().find(|k| !attributes.contains(k)) {
        return Err(unwritable(
            p,
            &format!("attribute `{key}` has no metafield column"),
        ));
    }
    let rows = p.variants.len().max(p.images.len()).max(1);
    for i in 0..rows {
        cells.set(P::Handle, &p.handle);
        if i == 0 {
            product_fields(p, attributes, cells);
        }
        if let Some(v) = p.variants.get(i) {
            let values = [P::Option1Value, P::Option2Value, P::Option3Value];
            for (column, value) in values.into_iter().zip(&v.option_values) {
                cells.set(column, value);
            }
            cells.set(P::Sku, v.sku.as_deref().unwrap_or(""));
            if let Some(grams) = v.grams {
                cells.set(P::Grams, &grams.to_string());
            }
            if let Some(qty) = v.inventory_qty {
                cells.set(P::InventoryTracker, "shopify");
                cells.set(P::InventoryQty, &qty.to_string());
            }
            cells.set(P::InventoryPolicy, "deny");
            cells.set(P::FulfillmentService, "manual");
            money(cells, P::Price, v.price.as_ref());
            money(cells, P::CompareAtPrice, v.compare_at_price.as_ref());
            cells.set(P::RequiresShipping, yes_no(v.requires_shipping));
            cells.set(P::Taxable, yes_no(v.taxable));
            cells.set(P::Barcode, v.gtin.as_deref().unwrap_or(""));
            cells.set(P::WeightUnit, "g");
            money(cells, P::Cost, v.cost.as_ref());
        }
        if let Some(image) = p.images.get(i) {
            cells.set(P::ImageSrc, &image.src);
            cells.set(P::ImagePosition, &image.position.to_string());
            cells.set(P::ImageAlt, &image.alt);
        }
        flush(cells)?;
    }
    Ok(())
}

fn product_fields(p: &Product, attributes: &[String], cells: &mut Cells) {
    cells.set(P::Title, &p.title);
    cells.set(P::Body, &p.description_html);
    cells.set(P::Vendor, &p.vendor);
    cells.set(P::Category, &p.category);
    cells.set(P::Type, &p.product_type);
    cells.set(P::Tags, &p.tags.join(", "));
    cells.set(P::Published, yes_no(p.published));
    let names = [P::Option1Name, P::Option2Name, P::Option3Name];
    for (column, name) in names.into_iter().zip(&p.option_names) {
        cells.set(column, name);
    }
    cells.set(P::GiftCard, "false");
    cells.set(P::Status, p.status.as_str());
    for (index, key) in attributes.iter().enumerate() {
        match p.attributes.get(key) {
            Some(value) => cells.set_extra(index, value),
            None if key == REGULATED_ATTRIBUTE && p.regulated && !is_regulated(p) => {
                cells.set_extra(index, "true")
            }
            None => {}
        }
    }
}
