//! Order rows in Shopify's layout: order fields on the first row, one line
//! item per row.

use storeops_domain::{Address, Money, Order};

use crate::csv_in::header::Column;
use crate::csv_in::orders::{BILLING, O, SHIPPING};
use crate::csv_out::Cells;
use crate::error::IngestError;
use crate::format::Format;
use crate::values::{amount, format_shopify_time};

/// The order columns.
pub(crate) const SPEC: &[Column] = O::SPEC;

/// Every order column, in Shopify's order (Customer ID last).
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

fn address(cells: &mut Cells, columns: [O; 9], a: &Address) {
    let values = [
        &a.name,
        &a.company,
        &a.address1,
        &a.address2,
        &a.city,
        &a.province_code,
        &a.country_code,
        &a.zip,
        &a.phone,
    ];
    for (column, value) in columns.into_iter().zip(values) {
        cells.set(column, value);
    }
}

/// Writes one order's rows; `flush` emits the current row.
pub(crate) fn write(
    o: &Order,
    cells: &mut Cells,
    mut flush: impl FnMut(&mut Cells) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    let what = format!("order `{}`", o.name);
    let text = |m: &Money| amount(m, o.currency, &what, Format::ShopifyCsv);
    let rows = o.lines.len().max(1);
    for i in 0..rows {
        cells.set(O::Name, &o.name);
        if i == 0 {
            cells.set(O::Email, o.email.as_deref().unwrap_or(""));
            cells.set(O::FinancialStatus, o.financial_status.as_str());
            cells.set(O::FulfillmentStatus, o.fulfillment_status.as_str());
            cells.set(O::Currency, o.currency.code());
            cells.set(O::Subtotal, &text(&o.subtotal)?);
            cells.set(O::Shipping, &text(&o.shipping)?);
            cells.set(O::Taxes, &text(&o.taxes)?);
            cells.set(O::Total, &text(&o.total)?);
            cells.set(O::DiscountCode, o.discount_code.as_deref().unwrap_or(""));
            cells.set(O::DiscountAmount, &text(&o.discount)?);
            cells.set(O::CreatedAt, &format_shopify_time(&o.created_at));
            address(cells, BILLING, &o.billing_address);
            address(cells, SHIPPING, &o.shipping_address);
            cells.set(O::Notes, &o.note);
            if let Some(t) = &o.cancelled_at {
                cells.set(O::CancelledAt, &format_shopify_time(t));
            }
            cells.set(O::Id, o.external_id.as_deref().unwrap_or(""));
            cells.set(O::Tags, &o.tags.join(", "));
            cells.set(O::Source, &o.source);
            cells.set(O::Phone, o.phone.as_deref().unwrap_or(""));
            cells.set(
                O::CustomerId,
                o.customer_external_id.as_deref().unwrap_or(""),
            );
        }
        if let Some(l) = o.lines.get(i) {
            cells.set(O::LineQuantity, &l.quantity.to_string());
            cells.set(O::LineName, &l.name);
            cells.set(O::LinePrice, &text(&l.price)?);
            if let Some(m) = &l.compare_at_price {
                cells.set(O::LineCompareAt, &text(m)?);
            }
            cells.set(O::LineSku, l.sku.as_deref().unwrap_or(""));
            cells.set(O::LineRequiresShipping, yes_no(l.requires_shipping));
            cells.set(O::LineTaxable, yes_no(l.taxable));
            cells.set(O::LineFulfillmentStatus, l.fulfillment_status.as_str());
            cells.set(O::LineDiscount, &text(&l.discount)?);
            cells.set(O::Vendor, &l.vendor);
        }
        flush(cells)?;
    }
    Ok(())
}
