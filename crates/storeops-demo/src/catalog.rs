//! Catalog generation: products with variants, prices, costs, GTINs, images
//! and descriptions, all valid (problems are planted separately).

use std::collections::BTreeSet;

use storeops_domain::catalog::gtin_check_digit;
use storeops_domain::{Currency, Image, Money, Product, ProductStatus, Variant};

use crate::category::{Category, OptionScheme, CATEGORIES};
use crate::random::Dice;
use crate::words::{ADJECTIVES, COLOURS};

/// Generates `count` products spread over the categories.
pub(crate) fn generate(dice: &mut Dice, count: usize) -> Vec<Product> {
    let shares: Vec<f64> = CATEGORIES.iter().map(|c| c.share).collect();
    let mut titles = BTreeSet::new();
    let mut handles = BTreeSet::new();
    let mut gtin_counter = 0u64;
    (0..count)
        .map(|n| {
            let category = &CATEGORIES[dice.weighted(&shares)];
            let title = unique_title(dice, category, &mut titles);
            let handle = unique_handle(&slugify(&title), &mut handles);
            let mut product = Product::new(handle, title);
            fill_product(dice, category, &mut product);
            product.variants = variants(dice, category, n + 1, &mut product, &mut gtin_counter);
            product
        })
        .collect()
}

/// Index into [`CATEGORIES`] of a generated product.
pub(crate) fn category_index(product: &Product) -> usize {
    CATEGORIES
        .iter()
        .position(|c| c.product_type == product.product_type)
        .unwrap_or(0)
}

/// URL-safe handle from a title: lower case, alphanumerics joined by dashes.
pub(crate) fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// A valid GTIN-13 for the `n`-th variant of the store.
pub(crate) fn gtin13(n: u64) -> String {
    let body = format!("{:012}", 86_000_000_000 + n * 7);
    let check = gtin_check_digit(&body).unwrap_or(0);
    format!("{body}{check}")
}

/// The line title an order shows for a variant.
pub(crate) fn line_name(product: &Product, variant: &Variant) -> String {
    if variant.option_values.is_empty() {
        product.title.clone()
    } else {
        format!("{} - {}", product.title, variant.option_values.join(" / "))
    }
}

fn unique_title(dice: &mut Dice, category: &Category, titles: &mut BTreeSet<String>) -> String {
    let noun = *dice.pick(category.nouns);
    for _ in 0..6 {
        let title = format!("{} {}", dice.pick(ADJECTIVES), noun);
        if titles.insert(title.clone()) {
            return title;
        }
    }
    let vendor_word = dice
        .pick(category.vendors)
        .split(' ')
        .next()
        .unwrap_or("Studio");
    let title = format!("{} {} {}", vendor_word, dice.pick(ADJECTIVES), noun);
    titles.insert(title.clone());
    title
}

fn unique_handle(base: &str, handles: &mut BTreeSet<String>) -> String {
    let mut handle = base.to_string();
    let mut n = 2;
    while !handles.insert(handle.clone()) {
        handle = format!("{base}-{n}");
        n += 1;
    }
    handle
}

fn fill_product(dice: &mut Dice, category: &Category, product: &mut Product) {
    let vendor = *dice.pick(category.vendors);
    let features = dice.distinct(category.features.len(), 2);
    let items: String = features
        .iter()
        .map(|i| format!("<li>{}</li>", category.features[*i]))
        .collect();
    product.description_html = format!(
        "<p>The {} from {vendor}: {}.</p><ul>{items}</ul>",
        product.title,
        category.features[features[0]].to_lowercase()
    );
    product.vendor = vendor.to_string();
    product.product_type = category.product_type.to_string();
    product.category = category.path.to_string();
    product.tags = vec![category.key.to_string()];
    if dice.chance(0.12) {
        product.tags.push("new-arrival".into());
    }
    if dice.chance(0.1) {
        product.tags.push("bestseller".into());
    }
    if category.regulated {
        product.regulated = true;
        product.tags.push("regulated".into());
        product
            .attributes
            .insert("custom.regulated".into(), "true".into());
    }
    product.status = match dice.weighted(&[94.0, 4.0, 2.0]) {
        0 => ProductStatus::Active,
        1 => ProductStatus::Draft,
        _ => ProductStatus::Archived,
    };
    product.published = product.status == ProductStatus::Active;
    let version = dice.range(1_690_000_000, 1_760_000_000);
    product.images = (1..=dice.range(1, 4))
        .map(|i| Image {
            src: format!(
                "https://cdn.shopify.com/s/files/1/0781/2469/3391/files/{}-{i}.jpg?v={version}",
                product.handle
            ),
            position: i as u32,
            alt: format!("{} view {i}", product.title),
        })
        .collect();
}

/// Option names and (values, SKU codes, price bump in cents) of each variant.
type Options = (Vec<String>, Vec<(Vec<String>, Vec<String>, i64)>);

fn options(dice: &mut Dice, category: &Category) -> Options {
    let colours = |dice: &mut Dice, max: i64| -> Vec<(String, String)> {
        let n = dice.range(1, max) as usize;
        dice.distinct(COLOURS.len(), n)
            .into_iter()
            .map(|i| (COLOURS[i].0.to_string(), COLOURS[i].1.to_string()))
            .collect()
    };
    let single = |names: &[&str], values: Vec<(String, String, i64)>| -> Options {
        let combos = values
            .into_iter()
            .map(|(v, c, bump)| (vec![v], vec![c], bump));
        (
            names.iter().map(|s| s.to_string()).collect(),
            combos.collect(),
        )
    };
    match category.options {
        OptionScheme::SizeColour => {
            let sizes: &[&str] = if category.key == "apparel" {
                &["XS", "S", "M", "L", "XL", "XXL"]
            } else {
                &["S", "M", "L", "XL"]
            };
            let (count, max_colours) = if category.key == "apparel" {
                (dice.range(3, 5) as usize, 3)
            } else {
                (dice.range(2, 3) as usize, 3)
            };
            let first = dice.index(sizes.len() - count + 1);
            let chosen = &sizes[first..first + count];
            let colours = colours(dice, max_colours);
            let mut combos = Vec::new();
            for (colour, code) in &colours {
                for size in chosen {
                    let bump = if *size == "XXL" { 200 } else { 0 };
                    combos.push((
                        vec![size.to_string(), colour.clone()],
                        vec![size.to_string(), code.clone()],
                        bump,
                    ));
                }
            }
            (vec!["Size".into(), "Colour".into()], combos)
        }
        OptionScheme::Colour => {
            let max = if category.key == "home" { 4 } else { 3 };
            let values = colours(dice, max)
                .into_iter()
                .map(|(v, c)| (v, c, 0))
                .collect();
            single(&["Colour"], values)
        }
        OptionScheme::Pack => {
            let packs = [
                ("4-Pack", "4PK", 0),
                ("8-Pack", "8PK", 500),
                ("16-Pack", "16PK", 1200),
            ];
            let n = dice.range(1, 3) as usize;
            let values = packs[..n]
                .iter()
                .map(|(v, c, b)| (v.to_string(), c.to_string(), *b))
                .collect();
            single(&["Pack"], values)
        }
        OptionScheme::CountFlavour => {
            let counts = [("60 ct", "60", 0), ("120 ct", "120", 1000)];
            let flavours = [("Unflavoured", "UNF"), ("Vanilla", "VAN"), ("Lemon", "LEM")];
            let n_counts = dice.range(1, 2) as usize;
            let n_flavours = dice.range(1, 2) as usize;
            let mut combos = Vec::new();
            for (flavour, fcode) in &flavours[..n_flavours] {
                for (count, ccode, bump) in &counts[..n_counts] {
                    combos.push((
                        vec![count.to_string(), flavour.to_string()],
                        vec![ccode.to_string(), fcode.to_string()],
                        *bump,
                    ));
                }
            }
            (vec!["Size".into(), "Flavour".into()], combos)
        }
        OptionScheme::Shade => {
            const SHADES: &[&str] = &[
                "Porcelain",
                "Ivory",
                "Sand",
                "Honey",
                "Caramel",
                "Mocha",
                "Espresso",
                "Rose",
            ];
            let n = dice.range(1, 6) as usize;
            let mut picked = dice.distinct(SHADES.len(), n);
            picked.sort_unstable();
            let values = picked
                .into_iter()
                .map(|i| (SHADES[i].to_string(), format!("S{:02}", i + 1), 0))
                .collect();
            single(&["Shade"], values)
        }
    }
}

fn price_minor(dice: &mut Dice, category: &Category) -> i64 {
    let (lo, hi) = category.price;
    let dollars = lo + ((hi - lo) as f64 * dice.unit().powf(1.7)).round() as i64;
    match dice.weighted(&[70.0, 15.0, 15.0]) {
        0 => dollars * 100 - 1,
        1 => dollars * 100 - 5,
        _ => dollars * 100,
    }
}

fn variants(
    dice: &mut Dice,
    category: &Category,
    number: usize,
    product: &mut Product,
    gtin_counter: &mut u64,
) -> Vec<Variant> {
    let (names, combos) = options(dice, category);
    product.option_names = names;
    let base_price = price_minor(dice, category);
    let on_sale = dice.chance(0.18);
    let markup = dice.uniform(1.15, 1.5);
    let cost_share = dice.uniform(0.28, 0.6);
    let grams = dice.range(category.grams.0, category.grams.1);
    combos
        .into_iter()
        .map(|(values, codes, bump)| {
            let price = base_price + bump;
            *gtin_counter += 1;
            let mut variant = Variant::new(
                Some(format!(
                    "{}-{number:04}-{}",
                    category.prefix,
                    codes.join("-")
                )),
                Some(Money::new(price, Currency::USD)),
            );
            variant.option_values = values;
            variant.cost = Some(Money::new(
                ((price as f64 * cost_share).round() as i64).clamp(1, price - 1),
                Currency::USD,
            ));
            if on_sale {
                let was = ((price as f64 * markup) / 100.0).ceil() as i64 * 100 - 1;
                variant.compare_at_price = Some(Money::new(was.max(price), Currency::USD));
            }
            variant.gtin = Some(gtin13(*gtin_counter));
            variant.grams = Some(grams + bump / 10);
            variant
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use storeops_domain::catalog::gtin_is_valid;

    #[test]
    fn slugify_makes_handles() {
        assert_eq!(slugify("Alpine Rain Jacket"), "alpine-rain-jacket");
        assert_eq!(slugify("USB-C Hub (2nd gen)!"), "usb-c-hub-2nd-gen");
        assert_eq!(slugify("Omega-3  Fish Oil"), "omega-3-fish-oil");
    }

    #[test]
    fn gtins_are_valid_and_distinct() {
        assert_eq!(gtin13(1), "0860000000079");
        assert!((1..500).all(|n| gtin_is_valid(&gtin13(n))));
        assert_ne!(gtin13(1), gtin13(2));
    }

    #[test]
    fn generated_variants_are_clean() {
        let mut dice = Dice::new(11, "catalog");
        let products = generate(&mut dice, 60);
        assert_eq!(products.len(), 60);
        let mut skus = BTreeSet::new();
        for p in &products {
            assert!(!p.title.is_empty() && !p.images.is_empty());
            assert_eq!(p.regulated, p.tags.iter().any(|t| t == "regulated"));
            for v in &p.variants {
                let price = v.price.unwrap().minor;
                let cost = v.cost.unwrap().minor;
                assert!(0 < cost && cost < price, "{v:?}");
                assert!(v.compare_at_price.is_none_or(|c| c.minor >= price));
                assert!(gtin_is_valid(v.gtin.as_deref().unwrap()));
                assert_eq!(v.option_values.len(), p.option_names.len());
                assert!(skus.insert(v.sku.clone().unwrap()), "duplicate SKU");
            }
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;
    use storeops_domain::catalog::gtin_is_valid;

    proptest! {
        #[test]
        fn slugs_are_url_safe(title in "\\PC{0,40}") {
            let slug = slugify(&title);
            prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
            prop_assert_eq!(slugify(&slug), slug.clone());
        }

        #[test]
        fn every_generated_gtin_is_valid(n in 0u64..100_000_000) {
            let gtin = gtin13(n);
            prop_assert_eq!(gtin.len(), 13);
            prop_assert!(gtin_is_valid(&gtin));
        }
    }
}
