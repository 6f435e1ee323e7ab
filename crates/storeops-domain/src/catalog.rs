//! Catalog: products, their variants (SKUs) and images.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::label_enum;
use crate::money::{Currency, Money};

label_enum! {
    /// Publication status of a product (Shopify's `Status` column).
    pub enum ProductStatus {
        /// Sold and visible.
        Active => "active",
        /// Being prepared; not sold.
        Draft => "draft",
        /// Retired; kept for history.
        Archived => "archived",
    }
}

/// A product image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// Image URL.
    pub src: String,
    /// 1-based display position.
    pub position: u32,
    /// Alternative text.
    #[serde(default)]
    pub alt: String,
}

/// A product, identified by its handle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    /// Unique URL-safe identifier (natural key).
    pub handle: String,
    /// Display title.
    pub title: String,
    /// Description (HTML allowed).
    pub description_html: String,
    /// Brand or supplier.
    pub vendor: String,
    /// Merchant-defined product type.
    pub product_type: String,
    /// Taxonomy category path (`Electronics > Batteries`).
    pub category: String,
    /// Tags, trimmed, in file order.
    pub tags: Vec<String>,
    /// Publication status.
    pub status: ProductStatus,
    /// Shown on the online store.
    pub published: bool,
    /// Sale or return is restricted (batteries, supplements, …).
    pub regulated: bool,
    /// Names of up to three options (`Size`, `Colour`).
    pub option_names: Vec<String>,
    /// Extra attributes (metafields), by `namespace.key`.
    pub attributes: BTreeMap<String, String>,
    /// Images in display order.
    pub images: Vec<Image>,
    /// Variants in file order.
    pub variants: Vec<Variant>,
}

/// A sellable variant of a product (one SKU).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    /// Stock keeping unit; missing SKUs are a data-quality finding.
    pub sku: Option<String>,
    /// Values of the product's options, in option order.
    pub option_values: Vec<String>,
    /// Selling price.
    pub price: Option<Money>,
    /// Reference ("was") price.
    pub compare_at_price: Option<Money>,
    /// Unit cost.
    pub cost: Option<Money>,
    /// Barcode (GTIN/EAN/UPC).
    pub gtin: Option<String>,
    /// Weight in grams.
    pub grams: Option<i64>,
    /// Inventory quantity of a single-location store, when exported.
    pub inventory_qty: Option<i64>,
    /// Needs shipping.
    pub requires_shipping: bool,
    /// Charged tax.
    pub taxable: bool,
}

impl Product {
    /// A product with the given handle and title and everything else empty.
    pub fn new(handle: impl Into<String>, title: impl Into<String>) -> Product {
        Product {
            handle: handle.into(),
            title: title.into(),
            description_html: String::new(),
            vendor: String::new(),
            product_type: String::new(),
            category: String::new(),
            tags: Vec::new(),
            status: ProductStatus::Active,
            published: true,
            regulated: false,
            option_names: Vec::new(),
            attributes: BTreeMap::new(),
            images: Vec::new(),
            variants: Vec::new(),
        }
    }

    /// The currency of the first priced variant, if any.
    pub fn currency(&self) -> Option<Currency> {
        self.variants
            .iter()
            .find_map(|v| v.price.or(v.cost).or(v.compare_at_price))
            .map(|m| m.currency)
    }
}

impl Variant {
    /// A variant with the given SKU and price and defaults elsewhere.
    pub fn new(sku: Option<String>, price: Option<Money>) -> Variant {
        Variant {
            sku,
            option_values: Vec::new(),
            price,
            compare_at_price: None,
            cost: None,
            gtin: None,
            grams: None,
            inventory_qty: None,
            requires_shipping: true,
            taxable: true,
        }
    }
}

/// Checks a GTIN-8/12/13/14 check digit.
pub fn gtin_is_valid(gtin: &str) -> bool {
    let digits: Vec<u32> = gtin.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != gtin.len() || ![8, 12, 13, 14].contains(&digits.len()) {
        return false;
    }
    let (body, check) = digits.split_at(digits.len() - 1);
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    (10 - sum % 10) % 10 == check[0]
}

/// Computes the GTIN check digit for a body of 7, 11, 12 or 13 digits.
pub fn gtin_check_digit(body: &str) -> Option<u32> {
    let digits: Vec<u32> = body
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    Some((10 - sum % 10) % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gtin_check_digits() {
        assert!(gtin_is_valid("4006381333931"));
        assert!(gtin_is_valid("036000291452"));
        assert!(!gtin_is_valid("4006381333932"));
        assert!(!gtin_is_valid("40063813339"));
        assert!(!gtin_is_valid("40063813339a1"));
        assert_eq!(gtin_check_digit("400638133393"), Some(1));
    }

    #[test]
    fn status_labels() {
        assert_eq!(ProductStatus::parse("Active"), Ok(ProductStatus::Active));
        assert!(ProductStatus::parse("live").is_err());
    }
}
