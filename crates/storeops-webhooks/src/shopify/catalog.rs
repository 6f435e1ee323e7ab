//! Shopify product payloads (`products/create`, `products/update`) into a
//! [`Product`] with its variants and images.

use std::collections::BTreeMap;

use storeops_domain::{Currency, Image, Product, ProductStatus, Record, Variant};

use crate::json::{tags, Node};
use crate::mapped::{MapOptions, Mapped, MappingError};

/// Maps a product payload. Prices carry no currency, so the shop currency
/// comes from `options`.
pub(super) fn product(root: &Node<'_>, options: &MapOptions) -> Result<Mapped, MappingError> {
    let handle = root.req_str("handle")?.to_string();
    let Some(currency) = options.shop_currency else {
        return Ok(Mapped::NeedsLookup {
            kind: "shop_currency",
            reason: format!(
                "Shopify product payloads carry prices without a currency; map product `{handle}` with MapOptions::shop_currency set"
            ),
        });
    };
    let status = match root.opt_str("status")? {
        Some(text) => ProductStatus::parse(text).map_err(|e| root.fail("status", e.to_string()))?,
        None => ProductStatus::Active,
    };
    let mut option_names = Vec::new();
    for option in root.items("options")? {
        option_names.push(option.as_object()?.req_str("name")?.to_string());
    }
    let mut images = Vec::new();
    for (i, image) in root.items("images")?.iter().enumerate() {
        let image = image.as_object()?;
        let fallback = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let position = match image.opt_int("position")? {
            Some(p) => u32::try_from(p).ok().filter(|p| *p >= 1).ok_or_else(|| {
                image.fail(
                    "position",
                    format!("`{p}` is not a position (expected 1 or more)"),
                )
            })?,
            None => fallback,
        };
        images.push(Image {
            src: image.req_str("src")?.to_string(),
            position,
            alt: image.text("alt")?,
        });
    }
    let variants = root
        .items("variants")?
        .iter()
        .map(|v| variant(v, currency))
        .collect::<Result<Vec<_>, _>>()?;
    let category = match root.object("category")? {
        Some(category) => match category.opt_str("full_name")? {
            Some(full) => full.to_string(),
            None => category.text("name")?,
        },
        None => String::new(),
    };
    Ok(Mapped::Records(vec![Record::Product(Product {
        handle,
        title: root.text("title")?,
        description_html: root.text("body_html")?,
        vendor: root.text("vendor")?,
        product_type: root.text("product_type")?,
        category,
        tags: tags(&root.text("tags")?),
        status,
        published: root.get("published_at").is_some(),
        regulated: false,
        option_names,
        attributes: BTreeMap::new(),
        images,
        variants,
    })]))
}

/// One `variants[i]`.
fn variant(node: &Node<'_>, currency: Currency) -> Result<Variant, MappingError> {
    let node = node.as_object()?;
    let mut option_values = Vec::new();
    for key in ["option1", "option2", "option3"] {
        if let Some(value) = node.opt_str(key)? {
            option_values.push(value.to_string());
        }
    }
    Ok(Variant {
        sku: node.opt_str("sku")?.map(str::to_string),
        option_values,
        price: node.opt_money("price", currency)?,
        compare_at_price: node.opt_money("compare_at_price", currency)?,
        cost: None,
        gtin: node.opt_str("barcode")?.map(str::to_string),
        grams: grams(node)?,
        inventory_qty: node.opt_int("inventory_quantity")?,
        requires_shipping: node.flag("requires_shipping", true)?,
        taxable: node.flag("taxable", true)?,
    })
}

/// Weight in grams: `grams` when present, else `weight` in `weight_unit`
/// (g, kg, lb, oz) rounded to whole grams. Weights are not money, so a float
/// is fine here.
fn grams(node: &Node<'_>) -> Result<Option<i64>, MappingError> {
    if let Some(grams) = node.opt_int("grams")? {
        return Ok(Some(grams));
    }
    let Some(weight) = node.get("weight") else {
        return Ok(None);
    };
    let Some(value) = weight.value_f64() else {
        return Err(weight.wrong("a number"));
    };
    let factor = match node.opt_str("weight_unit")? {
        Some("g") => 1.0,
        Some("kg") => 1000.0,
        Some("lb") => 453.592_37,
        Some("oz") => 28.349_523_125,
        Some(other) => {
            return Err(node.fail(
                "weight_unit",
                format!("`{other}` is not a weight unit (expected g, kg, lb or oz)"),
            ))
        }
        None => return Ok(None),
    };
    let grams = (value * factor).round();
    if !(0.0..=1e12).contains(&grams) {
        return Err(weight.wrong("a weight of 0 or more"));
    }
    // In range and whole: the conversion is exact.
    #[allow(clippy::cast_possible_truncation)]
    Ok(Some(grams as i64))
}
