//! JSONL wire format of products with variants and images.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use storeops_domain::{Image, Product, ProductStatus, Record, Variant};

use crate::csv_in::products::is_regulated;
use crate::error::IngestError;
use crate::format::Format;
use crate::jsonl::check::Check;
use crate::jsonl::Wire;
use crate::values::opt_amount;

fn yes() -> bool {
    true
}

/// A product line.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct ProductWire {
    handle: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description_html: String,
    #[serde(default)]
    vendor: String,
    #[serde(default)]
    product_type: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    tags: Vec<String>,
    status: Option<String>,
    #[serde(default = "yes")]
    published: bool,
    regulated: Option<bool>,
    #[serde(default)]
    option_names: Vec<String>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
    currency: Option<String>,
    #[serde(default)]
    images: Vec<ImageWire>,
    #[serde(default)]
    variants: Vec<VariantWire>,
}

/// A product image.
#[derive(Debug, Serialize, Deserialize)]
struct ImageWire {
    src: String,
    position: Option<u32>,
    #[serde(default)]
    alt: String,
}

/// A variant.
#[derive(Debug, Serialize, Deserialize)]
struct VariantWire {
    sku: Option<String>,
    #[serde(default)]
    option_values: Vec<String>,
    price: Option<String>,
    compare_at_price: Option<String>,
    cost: Option<String>,
    gtin: Option<String>,
    grams: Option<i64>,
    inventory_qty: Option<i64>,
    #[serde(default = "yes")]
    requires_shipping: bool,
    #[serde(default = "yes")]
    taxable: bool,
}

impl Wire for ProductWire {
    fn into_record(self, c: &mut Check) -> Record {
        c.key(("", "handle"), &self.handle);
        let currency = c.currency(("", "currency"), self.currency.as_deref());
        let status = c.label(
            ("", "status"),
            self.status.as_deref(),
            ProductStatus::parse,
            ProductStatus::Active,
        );
        let images = self
            .images
            .into_iter()
            .enumerate()
            .map(|(i, image)| {
                if image.position == Some(0) {
                    c.fail(
                        (&format!("images[{i}]."), "position"),
                        "`0` is not a position (expected 1 or more)".to_string(),
                    );
                }
                Image {
                    src: image.src,
                    position: image
                        .position
                        .unwrap_or(u32::try_from(i + 1).unwrap_or(u32::MAX)),
                    alt: image.alt,
                }
            })
            .collect();
        let variants = self
            .variants
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let at = format!("variants[{i}].");
                if v.grams.is_some_and(|g| g < 0) {
                    c.fail((&at, "grams"), "weight must be 0 or more".to_string());
                }
                Variant {
                    sku: v.sku,
                    option_values: v.option_values,
                    price: c.opt_money((&at, "price"), v.price.as_deref(), currency),
                    compare_at_price: c.opt_money(
                        (&at, "compare_at_price"),
                        v.compare_at_price.as_deref(),
                        currency,
                    ),
                    cost: c.opt_money((&at, "cost"), v.cost.as_deref(), currency),
                    gtin: v.gtin,
                    grams: v.grams,
                    inventory_qty: v.inventory_qty,
                    requires_shipping: v.requires_shipping,
                    taxable: v.taxable,
                }
            })
            .collect();
        let mut product = Product {
            handle: self.handle,
            title: self.title,
            description_html: self.description_html,
            vendor: self.vendor,
            product_type: self.product_type,
            category: self.category,
            tags: self.tags,
            status,
            published: self.published,
            regulated: false,
            option_names: self.option_names,
            attributes: self.attributes,
            images,
            variants,
        };
        product.regulated = self.regulated.unwrap_or_else(|| is_regulated(&product));
        Record::Product(product)
    }
}

impl ProductWire {
    /// The wire form of a product.
    pub fn from_domain(p: &Product) -> Result<ProductWire, IngestError> {
        let currency = p.currency();
        let what = format!("product `{}`", p.handle);
        let variants = p
            .variants
            .iter()
            .map(|v| {
                let money = |m: Option<&storeops_domain::Money>| match currency {
                    Some(cur) => opt_amount(m, cur, &what, Format::Jsonl),
                    None => Ok(None),
                };
                Ok(VariantWire {
                    sku: v.sku.clone(),
                    option_values: v.option_values.clone(),
                    price: money(v.price.as_ref())?,
                    compare_at_price: money(v.compare_at_price.as_ref())?,
                    cost: money(v.cost.as_ref())?,
                    gtin: v.gtin.clone(),
                    grams: v.grams,
                    inventory_qty: v.inventory_qty,
                    requires_shipping: v.requires_shipping,
                    taxable: v.taxable,
                })
            })
            .collect::<Result<_, IngestError>>()?;
        Ok(ProductWire {
            handle: p.handle.clone(),
            title: p.title.clone(),
            description_html: p.description_html.clone(),
            vendor: p.vendor.clone(),
            product_type: p.product_type.clone(),
            category: p.category.clone(),
            tags: p.tags.clone(),
            status: Some(p.status.as_str().to_string()),
            published: p.published,
            regulated: Some(p.regulated),
            option_names: p.option_names.clone(),
            attributes: p.attributes.clone(),
            currency: currency.map(|c| c.code().to_string()),
            images: p
                .images
                .iter()
                .map(|i| ImageWire {
                    src: i.src.clone(),
                    position: Some(i.position),
                    alt: i.alt.clone(),
                })
                .collect(),
            variants,
        })
    }
}
