//! Plants catalog problems: each spoiled product or variant trips exactly one
//! catalog check and stays otherwise realistic.

use storeops_domain::{Money, Product};

use crate::planted::Log;
use crate::random::Dice;

/// Spoils 2–4 products or variants for every catalog check.
pub(crate) fn plant(dice: &mut Dice, products: &mut [Product], log: &mut Log) {
    let mut product_order = dice.distinct(products.len(), products.len()).into_iter();
    for (check, what) in [
        ("catalog.missing_title", "title left empty"),
        (
            "catalog.missing_description",
            "description has no visible text",
        ),
        ("catalog.missing_image", "all images removed"),
    ] {
        for _ in 0..dice.range(2, 4) {
            let Some(i) = product_order.next() else {
                return;
            };
            let product = &mut products[i];
            match check {
                "catalog.missing_title" => product.title.clear(),
                "catalog.missing_description" => {
                    product.description_html =
                        ["", "<p>&nbsp;</p>", "<p> </p>\n"][dice.index(3)].to_string();
                }
                _ => product.images.clear(),
            }
            log.add(check, product.handle.clone(), what);
        }
    }

    let mut slots: Vec<(usize, usize)> = products
        .iter()
        .enumerate()
        .flat_map(|(p, product)| (0..product.variants.len()).map(move |v| (p, v)))
        .collect();
    dice.shuffle(&mut slots);
    let mut slots = slots.into_iter();
    let variant_checks = [
        "catalog.missing_gtin",
        "catalog.invalid_gtin",
        "catalog.missing_price",
        "catalog.missing_sku",
        "catalog.compare_at_below_price",
        "catalog.zero_cost",
        "catalog.missing_cost",
    ];
    for check in variant_checks {
        for _ in 0..dice.range(2, 4) {
            let Some((p, v)) = slots.next() else { return };
            let handle = products[p].handle.clone();
            let variant = &mut products[p].variants[v];
            let label = variant.sku.clone().unwrap_or_default();
            let what = match check {
                "catalog.missing_gtin" => {
                    variant.gtin = None;
                    "barcode left empty".to_string()
                }
                "catalog.invalid_gtin" => {
                    let gtin = variant.gtin.clone().unwrap_or_default();
                    let (body, check_digit) = gtin.split_at(gtin.len().saturating_sub(1));
                    let wrong = check_digit
                        .parse::<u32>()
                        .map(|d| (d + 1) % 10)
                        .unwrap_or(0);
                    variant.gtin = Some(format!("{body}{wrong}"));
                    format!("check digit of barcode {gtin} changed")
                }
                "catalog.missing_price" => {
                    variant.price = None;
                    variant.compare_at_price = None;
                    "price removed".to_string()
                }
                "catalog.missing_sku" => {
                    variant.sku = None;
                    log.add(
                        check,
                        format!("{handle}#{}", v + 1),
                        format!("SKU {label} removed"),
                    );
                    continue;
                }
                "catalog.compare_at_below_price" => {
                    let price = variant.price.map(|m| m.minor).unwrap_or(1000);
                    let lower = price - (price / 5).max(100);
                    variant.compare_at_price =
                        variant.price.map(|m| Money::new(lower.max(1), m.currency));
                    "compare-at price set below the price".to_string()
                }
                "catalog.zero_cost" => {
                    variant.cost = variant.cost.map(|m| Money::new(0, m.currency));
                    "cost recorded as 0".to_string()
                }
                _ => {
                    variant.cost = None;
                    "cost removed".to_string()
                }
            };
            log.add(check, label, what);
        }
    }

    for _ in 0..dice.range(2, 4) {
        let Some((pa, va)) = slots.next() else { return };
        let Some((pb, vb)) = slots.by_ref().find(|(p, _)| *p != pa) else {
            return;
        };
        let sku = products[pa].variants[va].sku.clone().unwrap_or_default();
        let previous = products[pb].variants[vb]
            .sku
            .replace(sku.clone())
            .unwrap_or_default();
        let other = products[pb].handle.clone();
        log.add(
            "catalog.duplicate_sku",
            sku,
            format!(
                "variant of {other} (was {previous}) given the SKU of a variant of {}",
                products[pa].handle
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;
    use storeops_domain::catalog::gtin_is_valid;

    #[test]
    fn each_spoiled_variant_has_one_flaw() {
        let mut dice = Dice::new(21, "catalog");
        let mut products = catalog::generate(&mut dice, 40);
        let mut log = Log::default();
        plant(&mut Dice::new(21, "plant"), &mut products, &mut log);
        let problems = log.finish();
        let checks: std::collections::BTreeSet<&str> =
            problems.iter().map(|p| p.check.as_str()).collect();
        assert_eq!(checks.len(), 11);
        for p in problems
            .iter()
            .filter(|p| p.check == "catalog.invalid_gtin")
        {
            let v = products
                .iter()
                .flat_map(|x| &x.variants)
                .find(|v| v.sku.as_deref() == Some(p.id.as_str()))
                .unwrap();
            let gtin = v.gtin.as_deref().unwrap();
            assert_eq!(gtin.len(), 13);
            assert!(!gtin_is_valid(gtin));
            assert!(v.price.is_some() && v.cost.is_some());
        }
        for p in problems
            .iter()
            .filter(|p| p.check == "catalog.duplicate_sku")
        {
            let owners = products
                .iter()
                .filter(|x| {
                    x.variants
                        .iter()
                        .any(|v| v.sku.as_deref() == Some(p.id.as_str()))
                })
                .count();
            assert_eq!(owners, 2, "{}", p.id);
        }
        for p in problems.iter().filter(|p| p.check == "catalog.missing_sku") {
            let (handle, position) = p.id.split_once('#').unwrap();
            let product = products.iter().find(|x| x.handle == handle).unwrap();
            let position: usize = position.parse().unwrap();
            assert_eq!(product.variants[position - 1].sku, None);
        }
    }
}
