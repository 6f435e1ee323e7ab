//! Knowledge documents: return, shipping, warranty and exchange policies, the
//! FAQ and product guides. Policy facts are stated consistently, so a clean
//! store has no conflicts; the superseded 14-day return policy is kept as
//! history but is no longer effective.

use chrono::{NaiveDate, TimeDelta};
use storeops_domain::{DocKind, KnowledgeDoc, Product, ProductStatus};

use crate::catalog::category_index;
use crate::category::CATEGORIES;

/// Number of product guides.
const GUIDES: usize = 20;

/// A document version, effective from `from`, reviewed by `review`.
pub(crate) fn doc(
    key: &str,
    version: i64,
    kind: DocKind,
    title: &str,
    body: &str,
    from: NaiveDate,
    review: NaiveDate,
) -> KnowledgeDoc {
    KnowledgeDoc {
        key: key.to_string(),
        version,
        kind,
        title: title.to_string(),
        body: body.to_string(),
        effective_from: from,
        effective_to: None,
        review_by: Some(review),
        product_handle: None,
        url: Some(format!("https://shop.example.com/pages/{key}")),
    }
}

/// The store's documents as of `today`.
pub(crate) fn generate(today: NaiveDate, products: &[Product]) -> Vec<KnowledgeDoc> {
    let days = |n: i64| today + TimeDelta::days(n);
    let mut old_returns = doc(
        "returns-policy",
        1,
        DocKind::ReturnPolicy,
        "Return policy",
        "Unworn items in their original packaging can be returned within 14 days of delivery. \
         Start a return from your order page and we'll e-mail a prepaid label.",
        days(-700),
        days(-420),
    );
    old_returns.effective_to = Some(days(-400));
    old_returns.review_by = None;
    let mut docs = vec![
        old_returns,
        doc(
            "returns-policy", 2, DocKind::ReturnPolicy, "Return policy",
            "Changed your mind? Unworn items in their original packaging can be returned within 30 days of delivery. \
             Start a return from your order page and we'll e-mail a prepaid label. Opened batteries and \
             supplements can't be returned for safety reasons. Refunds go back to the original payment method \
             once we've inspected the item.",
            days(-399), days(160),
        ),
        doc(
            "shipping-policy", 1, DocKind::ShippingPolicy, "Shipping policy",
            "Free shipping on orders over $50; smaller orders ship for a flat $5.99. \
             Ships within 2 business days from our Main Warehouse, and you'll get a tracking link by e-mail. \
             Delivery usually takes two to five days after dispatch.",
            days(-620), days(120),
        ),
        doc(
            "warranty", 1, DocKind::WarrantyPolicy, "Warranty",
            "All electronics come with a 2-year warranty against manufacturing defects. \
             Contact support with your order number to make a claim; accidental damage isn't covered.",
            days(-600), days(200),
        ),
        doc(
            "exchange-policy", 1, DocKind::Other, "Exchanges",
            "Need a different size or colour? Exchanges within 30 days are free: start one from your order page \
             and we'll ship the new item as soon as the original is on its way back.",
            days(-380), days(150),
        ),
        doc(
            "faq", 1, DocKind::Faq, "Frequently asked questions",
            "How long do I have to return something? We offer a 30-day return window, counted from delivery.\n\
             Do you charge for shipping? We offer free shipping on orders over $50.\n\
             Can I change my order? Contact us quickly and we'll do our best before it ships.\n\
             Do you ship internationally? Not yet, we only ship within the United States.",
            days(-390), days(90),
        ),
    ];
    docs.extend(guides(today, products));
    docs
}

fn guides(today: NaiveDate, products: &[Product]) -> Vec<KnowledgeDoc> {
    let step = (products.len() / GUIDES).max(1);
    products
        .iter()
        .filter(|p| p.status == ProductStatus::Active && !p.title.is_empty())
        .step_by(step)
        .take(GUIDES)
        .enumerate()
        .map(|(i, product)| {
            let category = &CATEGORIES[category_index(product)];
            let body = format!(
                "How to get the most from the {}.\n\nCare: {}\n\nGood to know: {}.",
                product.title,
                care(category.key),
                category.features.first().copied().unwrap_or("Made to last"),
            );
            let offset = i as i64;
            let mut guide = doc(
                &format!("guide-{}", product.handle),
                1,
                DocKind::ProductGuide,
                &format!("{} guide", product.title),
                &body,
                today - TimeDelta::days(300 + 7 * offset),
                today + TimeDelta::days(60 + 5 * offset),
            );
            guide.product_handle = Some(product.handle.clone());
            guide.url = Some(format!(
                "https://shop.example.com/blogs/guides/{}",
                product.handle
            ));
            guide
        })
        .collect()
}

fn care(category: &str) -> &'static str {
    match category {
        "apparel" => "machine wash cold with similar colours and tumble dry low; check the size chart before you order.",
        "electronics" => "charge fully before first use and keep away from water.",
        "batteries" => "store in a cool, dry place and keep away from children.",
        "supplements" => "take with food and keep the lid tightly closed.",
        "home" => "wipe clean with a damp cloth; avoid direct sunlight to keep colours bright.",
        "outdoor" => "rinse after use, let it dry fully before storing.",
        _ => "patch test first and store at room temperature.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_current_return_policy_is_effective() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let docs = generate(today, &[]);
        let effective: Vec<String> = docs
            .iter()
            .filter(|d| d.is_effective_on(today))
            .map(|d| format!("{}@v{}", d.key, d.version))
            .collect();
        assert_eq!(
            effective,
            vec![
                "returns-policy@v2",
                "shipping-policy@v1",
                "warranty@v1",
                "exchange-policy@v1",
                "faq@v1"
            ]
        );
        assert!(docs[0].body.contains("within 14 days of delivery"));
        assert!(docs[1].body.contains("within 30 days of delivery"));
        assert!(docs
            .iter()
            .filter(|d| d.is_effective_on(today))
            .all(|d| d.review_by.unwrap() > today));
    }
}
