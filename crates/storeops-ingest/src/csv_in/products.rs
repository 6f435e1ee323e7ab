//! Shopify product CSV: one product per run of rows sharing a Handle; the
//! first row carries product fields, every row may carry a variant and an
//! image, image-only rows add images.

use csv::ByteRecord;
use storeops_domain::{Currency, Image, Product, ProductStatus, Record, Variant};

use crate::csv_in::driver::GroupParser;
use crate::csv_in::header::{columns, Header};
use crate::csv_in::row::{Level, LevelValues, Row};
use crate::error::FieldError;
use crate::values;

columns! {
    /// Columns of Shopify's product CSV (classic, 2024 and 2025 layouts).
    pub(crate) enum P {
        Handle => "Handle" | "url handle",
        Title => "Title",
        Body => "Body (HTML)" | "description" | "body html",
        Vendor => "Vendor",
        Category => "Product Category" | "standard product type",
        Type => "Type" | "custom product type",
        Tags => "Tags",
        Published => "Published" | "published on online store",
        Option1Name => "Option1 Name",
        Option1Value => "Option1 Value",
        Option2Name => "Option2 Name",
        Option2Value => "Option2 Value",
        Option3Name => "Option3 Name",
        Option3Value => "Option3 Value",
        Sku => "Variant SKU" | "sku",
        Grams => "Variant Grams" | "weight value (grams)",
        InventoryTracker => "Variant Inventory Tracker" | "inventory tracker",
        InventoryQty => "Variant Inventory Qty" | "inventory quantity",
        InventoryPolicy => "Variant Inventory Policy" | "continue selling when out of stock",
        FulfillmentService => "Variant Fulfillment Service" | "fulfillment service",
        Price => "Variant Price" | "price",
        CompareAtPrice => "Variant Compare At Price" | "compare-at price" | "compare at price",
        RequiresShipping => "Variant Requires Shipping" | "requires shipping",
        Taxable => "Variant Taxable" | "charge tax",
        Barcode => "Variant Barcode" | "barcode",
        ImageSrc => "Image Src" | "product image url" | "image url",
        ImagePosition => "Image Position",
        ImageAlt => "Image Alt Text",
        GiftCard => "Gift Card",
        SeoTitle => "SEO Title",
        SeoDescription => "SEO Description",
        VariantImage => "Variant Image" | "variant image url",
        WeightUnit => "Variant Weight Unit" | "weight unit for display",
        TaxCode => "Variant Tax Code" | "tax code",
        Cost => "Cost per item",
        Status => "Status",
    }
}

/// Product-level columns (first row of the group).
const PRODUCT_LEVEL: [P; 11] = [
    P::Title,
    P::Body,
    P::Vendor,
    P::Category,
    P::Type,
    P::Tags,
    P::Published,
    P::Option1Name,
    P::Option2Name,
    P::Option3Name,
    P::Status,
];

/// Columns whose presence makes a row a variant row.
const VARIANT_LEVEL: [P; 16] = [
    P::Option1Value,
    P::Option2Value,
    P::Option3Value,
    P::Sku,
    P::Grams,
    P::InventoryTracker,
    P::InventoryQty,
    P::InventoryPolicy,
    P::FulfillmentService,
    P::Price,
    P::CompareAtPrice,
    P::RequiresShipping,
    P::Taxable,
    P::Barcode,
    P::WeightUnit,
    P::Cost,
];

/// Attribute that marks a product as regulated.
pub(crate) const REGULATED_ATTRIBUTE: &str = "custom.regulated";

/// Product being assembled from its rows.
pub(crate) struct ProductBuilder {
    handle: String,
    level: Level,
    variants: Vec<Variant>,
    images: Vec<Image>,
    errors: Vec<FieldError>,
}

/// Parses product CSV rows into products.
pub(crate) struct ProductParser {
    header: Header,
    currency: Currency,
}

impl ProductParser {
    /// A parser for a file with this header; prices are in `currency`.
    pub fn new(header: Header, currency: Currency) -> ProductParser {
        ProductParser { header, currency }
    }

    fn variant(&self, row: &mut Row<'_>) -> Variant {
        let option_values = option_list([
            row.text(P::Option1Value),
            row.text(P::Option2Value),
            row.text(P::Option3Value),
        ]);
        let currency = self.currency;
        Variant {
            sku: row.optional(P::Sku),
            option_values,
            price: row.value(P::Price, |t| values::money(t, currency)),
            compare_at_price: row.value(P::CompareAtPrice, |t| values::money(t, currency)),
            cost: row.value(P::Cost, |t| values::money(t, currency)),
            gtin: row.optional(P::Barcode),
            grams: row.value(P::Grams, values::grams),
            inventory_qty: row.value(P::InventoryQty, values::integer),
            requires_shipping: row.value(P::RequiresShipping, values::flag).unwrap_or(true),
            taxable: row.value(P::Taxable, values::flag).unwrap_or(true),
        }
    }
}

/// Option names or values in order, without trailing empty ones.
pub(crate) fn option_list(cells: [&str; 3]) -> Vec<String> {
    let used = cells
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |i| i + 1);
    cells[..used].iter().map(|c| c.to_string()).collect()
}

/// Whether tags or attributes mark a product as regulated.
pub(crate) fn is_regulated(product: &Product) -> bool {
    product
        .attributes
        .get(REGULATED_ATTRIBUTE)
        .is_some_and(|v| values::truthy(v))
        || product
            .tags
            .iter()
            .any(|t| t.eq_ignore_ascii_case("regulated"))
}

impl GroupParser for ProductParser {
    type Builder = ProductBuilder;

    fn key_column(&self) -> usize {
        P::Handle.into()
    }

    fn header(&self) -> &Header {
        &self.header
    }

    fn start(&self, key: String, _line: u64) -> ProductBuilder {
        ProductBuilder {
            handle: key,
            level: Level::new(self.header.len()),
            variants: Vec::new(),
            images: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn add_row(&self, b: &mut ProductBuilder, record: &ByteRecord, note: Option<u64>) {
        let mut row = Row::new(&self.header, record, &mut b.errors, note);
        let level = PRODUCT_LEVEL
            .iter()
            .map(|&c| usize::from(c))
            .chain(self.header.metafields().iter().map(|m| m.id));
        row.absorb(&mut b.level, level, "product");
        if VARIANT_LEVEL.iter().any(|&c| !row.blank(c)) {
            b.variants.push(self.variant(&mut row));
        }
        if !row.blank(P::ImageSrc) {
            let src = row.text(P::ImageSrc).to_string();
            let next = u32::try_from(b.images.len() + 1).unwrap_or(u32::MAX);
            let position = row
                .value(P::ImagePosition, values::position)
                .unwrap_or(next);
            let alt = row.text(P::ImageAlt).to_string();
            b.images.push(Image { src, position, alt });
        }
    }

    fn finish(&self, b: ProductBuilder) -> Result<Record, Vec<FieldError>> {
        let ProductBuilder {
            handle,
            level,
            variants,
            images,
            mut errors,
        } = b;
        let mut v = LevelValues::new(&self.header, &level, &mut errors);
        let published = v.value(P::Published, values::flag).unwrap_or(true);
        let status = v
            .label(P::Status, ProductStatus::parse)
            .unwrap_or(ProductStatus::Active);
        let attributes = self
            .header
            .metafields()
            .iter()
            .filter_map(|m| v.optional(m.id).map(|value| (m.key.clone(), value)))
            .collect();
        let mut product = Product {
            handle,
            title: v.text(P::Title).to_string(),
            description_html: v.text(P::Body).to_string(),
            vendor: v.text(P::Vendor).to_string(),
            product_type: v.text(P::Type).to_string(),
            category: v.text(P::Category).to_string(),
            tags: values::tags(v.text(P::Tags)),
            status,
            published,
            regulated: false,
            option_names: option_list([
                v.text(P::Option1Name),
                v.text(P::Option2Name),
                v.text(P::Option3Name),
            ]),
            attributes,
            images,
            variants,
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        product.regulated = is_regulated(&product);
        Ok(Record::Product(product))
    }
}
