//! Shopify customer CSV (classic and 2024+ layouts): one customer per row.

use csv::ByteRecord;
use storeops_domain::{Address, Customer, Record};

use crate::csv_in::driver::RowParser;
use crate::csv_in::header::{columns, Header};
use crate::csv_in::row::Row;
use crate::error::FieldError;
use crate::values;

columns! {
    /// Columns of Shopify's customer CSV export.
    pub(crate) enum C {
        CustomerId => "Customer ID",
        FirstName => "First Name",
        LastName => "Last Name",
        Email => "Email",
        AcceptsMarketing => "Accepts Email Marketing" | "accepts marketing",
        Company => "Default Address Company" | "company",
        Address1 => "Default Address Address1" | "address1",
        Address2 => "Default Address Address2" | "address2",
        City => "Default Address City" | "city",
        Province => "Province" | "default address province",
        ProvinceCode => "Default Address Province Code" | "province code",
        Country => "Country" | "default address country",
        CountryCode => "Default Address Country Code" | "country code",
        Zip => "Default Address Zip" | "zip",
        AddressPhone => "Default Address Phone",
        Phone => "Phone",
        AcceptsSms => "Accepts SMS Marketing",
        TotalSpent => "Total Spent",
        TotalOrders => "Total Orders",
        Note => "Note",
        TaxExempt => "Tax Exempt",
        Tags => "Tags",
        Source => "Source",
    }
}

/// Parses customer CSV rows.
pub(crate) struct CustomerParser {
    header: Header,
}

impl CustomerParser {
    /// A parser for a file with this header.
    pub fn new(header: Header) -> CustomerParser {
        CustomerParser { header }
    }
}

/// The first non-empty of two cells.
fn either(row: &mut Row<'_>, first: C, second: C) -> String {
    let text = row.text(first);
    if text.is_empty() {
        row.text(second).to_string()
    } else {
        text.to_string()
    }
}

impl RowParser for CustomerParser {
    fn parse(&self, record: &ByteRecord, _line: u64) -> Option<Result<Record, Vec<FieldError>>> {
        let mut errors = Vec::new();
        let mut row = Row::new(&self.header, record, &mut errors, None);
        let strip = |text: Option<String>| text.map(|t| values::strip_apostrophe(&t).to_string());
        let customer = Customer {
            external_id: strip(row.optional(C::CustomerId)),
            first_name: row.text(C::FirstName).to_string(),
            last_name: row.text(C::LastName).to_string(),
            email: row.optional(C::Email),
            phone: strip(row.optional(C::Phone)),
            accepts_marketing: row
                .value(C::AcceptsMarketing, values::flag)
                .unwrap_or(false),
            source: row.text(C::Source).to_string(),
            default_address: Address {
                name: String::new(),
                company: row.text(C::Company).to_string(),
                address1: row.text(C::Address1).to_string(),
                address2: row.text(C::Address2).to_string(),
                city: row.text(C::City).to_string(),
                province_code: either(&mut row, C::ProvinceCode, C::Province),
                country_code: either(&mut row, C::CountryCode, C::Country),
                zip: values::strip_apostrophe(row.text(C::Zip)).to_string(),
                phone: values::strip_apostrophe(row.text(C::AddressPhone)).to_string(),
            },
            tags: values::tags(row.text(C::Tags)),
            note: row.text(C::Note).to_string(),
            tax_exempt: row.value(C::TaxExempt, values::flag).unwrap_or(false),
            identities: Vec::new(),
        };
        if customer.external_id.is_none() && customer.email.is_none() && row.blank(C::Email) {
            row.fail(
                C::Email,
                "required when there is no Customer ID".to_string(),
            );
        }
        Some(if errors.is_empty() {
            Ok(Record::Customer(customer))
        } else {
            Err(errors)
        })
    }
}
