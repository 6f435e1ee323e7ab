//! WooCommerce product payloads (`product.created`, `product.updated`) into a
//! [`Product`] keyed by its slug, with one variant for the product's own SKU
//! and prices.

use std::collections::BTreeMap;

use storeops_domain::{Image, Product, ProductStatus, Record, Variant};

use crate::json::{clip, Node};
use crate::mapped::{MapOptions, Mapped, MappingError};

/// Maps a product payload. Variable products list their variations by id
/// only (`variations: [ids]`), so they need a lookup; every other type maps
/// to one variant. Prices carry no currency: the shop currency comes from
/// `options`.
pub(super) fn product(root: &Node<'_>, options: &MapOptions) -> Result<Mapped, MappingError> {
    let handle = root.req_str("slug")?.to_string();
    let kind = root.opt_str("type")?.unwrap_or("simple");
    let (status, published) = match root.opt_str("status")?.unwrap_or("publish") {
        "publish" => (ProductStatus::Active, true),
        "draft" | "pending" | "private" | "future" => (ProductStatus::Draft, false),
        "trash" => (ProductStatus::Archived, false),
        other => {
            return Err(root.fail(
                "status",
                format!(
                    "`{}` is not one of: publish, draft, pending, private, future, trash",
                    clip(other)
                ),
            ))
        }
    };
    if kind == "variable" {
        return Ok(Mapped::NeedsLookup {
            kind: "woocommerce_variations",
            reason: format!(
                "product `{handle}` is variable; its payload lists variation ids only ({} of them), whose SKUs and prices must be fetched",
                root.items("variations")?.len()
            ),
        });
    }
    let Some(currency) = options.shop_currency else {
        return Ok(Mapped::NeedsLookup {
            kind: "shop_currency",
            reason: format!(
                "WooCommerce product payloads carry prices without a currency; map product `{handle}` with MapOptions::shop_currency set"
            ),
        });
    };
    let mut images = Vec::new();
    for (i, image) in root.items("images")?.iter().enumerate() {
        let image = image.as_object()?;
        images.push(Image {
            src: image.req_str("src")?.to_string(),
            position: u32::try_from(i + 1).unwrap_or(u32::MAX),
            alt: image.text("alt")?,
        });
    }
    let mut tags = Vec::new();
    for tag in root.items("tags")? {
        tags.push(tag.as_object()?.req_str("name")?.to_string());
    }
    let category = match root.items("categories")?.first() {
        Some(category) => category.as_object()?.text("name")?,
        None => String::new(),
    };
    let on_sale = root.opt_str("sale_price")?.is_some();
    let variant = Variant {
        sku: root.opt_str("sku")?.map(str::to_string),
        option_values: Vec::new(),
        price: match root.opt_money("price", currency)? {
            Some(price) => Some(price),
            None => root.opt_money("regular_price", currency)?,
        },
        compare_at_price: if on_sale {
            root.opt_money("regular_price", currency)?
        } else {
            None
        },
        cost: None,
        gtin: root.opt_str("global_unique_id")?.map(str::to_string),
        grams: None,
        inventory_qty: if root.flag("manage_stock", false)? {
            root.opt_int("stock_quantity")?
        } else {
            None
        },
        requires_shipping: !root.flag("virtual", false)?,
        taxable: root.opt_str("tax_status")?.unwrap_or("taxable") != "none",
    };
    Ok(Mapped::Records(vec![Record::Product(Product {
        handle,
        title: root.text("name")?,
        description_html: root.text("description")?,
        vendor: String::new(),
        product_type: String::new(),
        category,
        tags,
        status,
        published,
        regulated: false,
        option_names: Vec::new(),
        attributes: BTreeMap::new(),
        images,
        variants: vec![variant],
    })]))
}
