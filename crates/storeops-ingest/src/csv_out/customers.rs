//! Customer rows in Shopify's 2024+ layout, plus a `Source` column.

use storeops_domain::Customer;

use crate::csv_in::customers::C;
use crate::csv_in::header::Column;
use crate::csv_out::Cells;

/// The customer columns.
pub(crate) const SPEC: &[Column] = C::SPEC;

/// The written columns, in Shopify's order.
pub(crate) fn columns() -> Vec<usize> {
    [
        C::CustomerId,
        C::FirstName,
        C::LastName,
        C::Email,
        C::AcceptsMarketing,
        C::Company,
        C::Address1,
        C::Address2,
        C::City,
        C::ProvinceCode,
        C::CountryCode,
        C::Zip,
        C::AddressPhone,
        C::Phone,
        C::AcceptsSms,
        C::TotalSpent,
        C::TotalOrders,
        C::Note,
        C::TaxExempt,
        C::Tags,
        C::Source,
    ]
    .into_iter()
    .map(usize::from)
    .collect()
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

/// Fills the row of one customer.
pub(crate) fn write(c: &Customer, cells: &mut Cells) {
    let a = &c.default_address;
    cells.set(C::CustomerId, c.external_id.as_deref().unwrap_or(""));
    cells.set(C::FirstName, &c.first_name);
    cells.set(C::LastName, &c.last_name);
    cells.set(C::Email, c.email.as_deref().unwrap_or(""));
    cells.set(C::AcceptsMarketing, yes_no(c.accepts_marketing));
    cells.set(C::Company, &a.company);
    cells.set(C::Address1, &a.address1);
    cells.set(C::Address2, &a.address2);
    cells.set(C::City, &a.city);
    cells.set(C::ProvinceCode, &a.province_code);
    cells.set(C::CountryCode, &a.country_code);
    cells.set(C::Zip, &a.zip);
    cells.set(C::AddressPhone, &a.phone);
    cells.set(C::Phone, c.phone.as_deref().unwrap_or(""));
    cells.set(C::AcceptsSms, "no");
    cells.set(C::Note, &c.note);
    cells.set(C::TaxExempt, yes_no(c.tax_exempt));
    cells.set(C::Tags, &c.tags.join(", "));
    cells.set(C::Source, &c.source);
}
