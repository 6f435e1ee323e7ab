//! Shopify order CSV: one order per run of rows sharing a Name, one line item
//! per row; order fields come from the group's first row.

use csv::ByteRecord;
use storeops_domain::{
    Address, Currency, FinancialStatus, FulfillmentStatus, Money, Order, OrderLine, Record,
};

use crate::csv_in::driver::GroupParser;
use crate::csv_in::header::{columns, Header};
use crate::csv_in::row::{Level, LevelValues, Row};
use crate::error::FieldError;
use crate::values;

columns! {
    /// Columns of Shopify's order CSV export.
    pub(crate) enum O {
        Name => "Name",
        Email => "Email",
        FinancialStatus => "Financial Status",
        PaidAt => "Paid at",
        FulfillmentStatus => "Fulfillment Status",
        FulfilledAt => "Fulfilled at",
        AcceptsMarketing => "Accepts Marketing",
        Currency => "Currency",
        Subtotal => "Subtotal",
        Shipping => "Shipping",
        Taxes => "Taxes",
        Total => "Total",
        DiscountCode => "Discount Code",
        DiscountAmount => "Discount Amount",
        ShippingMethod => "Shipping Method",
        CreatedAt => "Created at",
        LineQuantity => "Lineitem quantity",
        LineName => "Lineitem name",
        LinePrice => "Lineitem price",
        LineCompareAt => "Lineitem compare at price",
        LineSku => "Lineitem sku",
        LineRequiresShipping => "Lineitem requires shipping",
        LineTaxable => "Lineitem taxable",
        LineFulfillmentStatus => "Lineitem fulfillment status",
        BillingName => "Billing Name",
        BillingStreet => "Billing Street",
        BillingAddress1 => "Billing Address1",
        BillingAddress2 => "Billing Address2",
        BillingCompany => "Billing Company",
        BillingCity => "Billing City",
        BillingZip => "Billing Zip",
        BillingProvince => "Billing Province",
        BillingCountry => "Billing Country",
        BillingPhone => "Billing Phone",
        ShippingName => "Shipping Name",
        ShippingStreet => "Shipping Street",
        ShippingAddress1 => "Shipping Address1",
        ShippingAddress2 => "Shipping Address2",
        ShippingCompany => "Shipping Company",
        ShippingCity => "Shipping City",
        ShippingZip => "Shipping Zip",
        ShippingProvince => "Shipping Province",
        ShippingCountry => "Shipping Country",
        ShippingPhone => "Shipping Phone",
        Notes => "Notes" | "note",
        CancelledAt => "Cancelled at",
        Id => "Id",
        Tags => "Tags",
        Source => "Source",
        LineDiscount => "Lineitem discount",
        Vendor => "Vendor",
        Phone => "Phone",
        CustomerId => "Customer ID",
    }
}

/// The address columns of one address, in `Address` field order: name,
/// company, address1, address2, city, province code, country code, zip, phone.
pub(crate) const BILLING: [O; 9] = [
    O::BillingName,
    O::BillingCompany,
    O::BillingAddress1,
    O::BillingAddress2,
    O::BillingCity,
    O::BillingProvince,
    O::BillingCountry,
    O::BillingZip,
    O::BillingPhone,
];

/// See [`BILLING`].
pub(crate) const SHIPPING: [O; 9] = [
    O::ShippingName,
    O::ShippingCompany,
    O::ShippingAddress1,
    O::ShippingAddress2,
    O::ShippingCity,
    O::ShippingProvince,
    O::ShippingCountry,
    O::ShippingZip,
    O::ShippingPhone,
];

/// Order-level columns (first row of the group).
const ORDER_LEVEL: [O; 17] = [
    O::Email,
    O::FinancialStatus,
    O::FulfillmentStatus,
    O::Currency,
    O::Subtotal,
    O::Shipping,
    O::Taxes,
    O::Total,
    O::DiscountCode,
    O::DiscountAmount,
    O::CreatedAt,
    O::Notes,
    O::CancelledAt,
    O::Id,
    O::Tags,
    O::Source,
    O::Phone,
];

/// Columns whose presence makes a row a line-item row.
const LINE_LEVEL: [O; 4] = [O::LineQuantity, O::LineName, O::LinePrice, O::LineSku];

/// Order being assembled from its rows.
pub(crate) struct OrderBuilder {
    name: String,
    level: Level,
    currency: Currency,
    lines: Vec<OrderLine>,
    errors: Vec<FieldError>,
}

/// Parses order CSV rows into orders.
pub(crate) struct OrderParser {
    header: Header,
    currency: Currency,
}

impl OrderParser {
    /// A parser for a file with this header; `currency` applies when the
    /// Currency column is missing or empty.
    pub fn new(header: Header, currency: Currency) -> OrderParser {
        OrderParser { header, currency }
    }

    fn line(row: &mut Row<'_>, currency: Currency) -> OrderLine {
        let quantity = match row.value(O::LineQuantity, values::integer) {
            Some(q) if q > 0 => q,
            Some(q) => {
                row.fail(
                    O::LineQuantity,
                    format!("`{q}` is not a quantity (expected 1 or more)"),
                );
                0
            }
            None => {
                if row.blank(O::LineQuantity) {
                    row.fail(O::LineQuantity, "required on line-item rows".to_string());
                }
                0
            }
        };
        let price = row.value(O::LinePrice, |t| values::money(t, currency));
        if price.is_none() && row.blank(O::LinePrice) {
            row.fail(O::LinePrice, "required on line-item rows".to_string());
        }
        OrderLine {
            sku: row.optional(O::LineSku),
            name: row.text(O::LineName).to_string(),
            quantity,
            price: price.unwrap_or(Money::new(0, currency)),
            compare_at_price: row.value(O::LineCompareAt, |t| values::money(t, currency)),
            discount: row
                .value(O::LineDiscount, |t| values::money(t, currency))
                .unwrap_or(Money::new(0, currency)),
            requires_shipping: row
                .value(O::LineRequiresShipping, values::flag)
                .unwrap_or(true),
            taxable: row.value(O::LineTaxable, values::flag).unwrap_or(true),
            fulfillment_status: row
                .label(O::LineFulfillmentStatus, FulfillmentStatus::parse)
                .unwrap_or(FulfillmentStatus::Unfulfilled),
            vendor: row.text(O::Vendor).to_string(),
        }
    }
}

fn address(v: &LevelValues<'_>, columns: [O; 9]) -> Address {
    let [name, company, address1, address2, city, province, country, zip, phone] =
        columns.map(|c| v.text(c).to_string());
    Address {
        name,
        company,
        address1,
        address2,
        city,
        province_code: province,
        country_code: country,
        zip: values::strip_apostrophe(&zip).to_string(),
        phone: values::strip_apostrophe(&phone).to_string(),
    }
}

impl GroupParser for OrderParser {
    type Builder = OrderBuilder;

    fn key_column(&self) -> usize {
        O::Name.into()
    }

    fn header(&self) -> &Header {
        &self.header
    }

    fn start(&self, key: String, _line: u64) -> OrderBuilder {
        OrderBuilder {
            name: key,
            level: Level::new(self.header.len()),
            currency: self.currency,
            lines: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn add_row(&self, b: &mut OrderBuilder, record: &ByteRecord, note: Option<u64>) {
        let mut row = Row::new(&self.header, record, &mut b.errors, note);
        let had_currency = !b.level.get(O::Currency).is_empty();
        let level = ORDER_LEVEL
            .iter()
            .chain(BILLING.iter())
            .chain(SHIPPING.iter())
            .chain([O::CustomerId].iter())
            .map(|&c| usize::from(c));
        row.absorb(&mut b.level, level, "order");
        if !had_currency {
            if let Ok(currency) = Currency::parse(b.level.get(O::Currency)) {
                b.currency = currency;
            }
        }
        if LINE_LEVEL.iter().any(|&c| !row.blank(c)) {
            b.lines.push(Self::line(&mut row, b.currency));
        }
    }

    fn finish(&self, b: OrderBuilder) -> Result<Record, Vec<FieldError>> {
        let OrderBuilder {
            name,
            level,
            currency,
            lines,
            mut errors,
        } = b;
        let mut v = LevelValues::new(&self.header, &level, &mut errors);
        if !v.text(O::Currency).is_empty() {
            v.value(O::Currency, |t| {
                Currency::parse(t).map(Some).map_err(|e| e.to_string())
            });
        }
        let amount = |v: &mut LevelValues<'_>, column: O| {
            v.value(column, |t| values::money(t, currency))
                .unwrap_or(Money::new(0, currency))
        };
        let subtotal = amount(&mut v, O::Subtotal);
        let shipping = amount(&mut v, O::Shipping);
        let taxes = amount(&mut v, O::Taxes);
        let discount = amount(&mut v, O::DiscountAmount);
        let total = amount(&mut v, O::Total);
        let created_at = v.value(O::CreatedAt, values::timestamp);
        if created_at.is_none() && v.text(O::CreatedAt).is_empty() {
            v.fail(
                O::CreatedAt,
                "required on the order's first row".to_string(),
            );
        }
        let order = Order {
            name,
            external_id: v
                .optional(O::Id)
                .map(|id| values::strip_apostrophe(&id).to_string()),
            customer_external_id: v
                .optional(O::CustomerId)
                .map(|id| values::strip_apostrophe(&id).to_string()),
            email: v.optional(O::Email),
            phone: v
                .optional(O::Phone)
                .map(|p| values::strip_apostrophe(&p).to_string()),
            created_at: created_at.unwrap_or_default(),
            cancelled_at: v.value(O::CancelledAt, values::timestamp),
            currency,
            financial_status: v
                .label(O::FinancialStatus, FinancialStatus::parse)
                .unwrap_or(FinancialStatus::Pending),
            fulfillment_status: v
                .label(O::FulfillmentStatus, FulfillmentStatus::parse)
                .unwrap_or(FulfillmentStatus::Unfulfilled),
            subtotal,
            shipping,
            taxes,
            discount,
            discount_code: v.optional(O::DiscountCode),
            total,
            shipping_address: address(&v, SHIPPING),
            billing_address: address(&v, BILLING),
            source: v.text(O::Source).to_string(),
            tags: values::tags(v.text(O::Tags)),
            note: v.text(O::Notes).to_string(),
            lines,
        };
        if errors.is_empty() {
            Ok(Record::Order(order))
        } else {
            Err(errors)
        }
    }
}
