//! Catalog checks over products and variants.

use std::collections::BTreeMap;

use storeops_domain::catalog::gtin_is_valid;
use storeops_domain::facts::{AuditFacts, ProductFacts, VariantFacts};

use crate::audit::AreaAudit;
use crate::catalogue::{
    COMPARE_AT_BELOW_PRICE, DUPLICATE_SKU, INVALID_GTIN, MISSING_COST, MISSING_DESCRIPTION,
    MISSING_GTIN, MISSING_IMAGE, MISSING_PRICE, MISSING_SKU, MISSING_TITLE, ZERO_COST,
};
use crate::labels::Area;
use crate::report::Finding;

/// The SKU of a variant when it is not blank.
pub(crate) fn sku(v: &VariantFacts) -> Option<&str> {
    v.sku.as_deref().filter(|s| !s.trim().is_empty())
}

/// How findings name a variant: [`VariantFacts::label`], except that a
/// blank SKU counts as none (`handle#position`).
fn label(v: &VariantFacts) -> String {
    match sku(v) {
        Some(_) => v.label(),
        None => format!("{}#{}", v.handle, v.position),
    }
}

fn gtin(v: &VariantFacts) -> Option<&str> {
    v.gtin.as_deref().map(str::trim).filter(|g| !g.is_empty())
}

/// Runs the catalog checks. Product checks count products, variant checks
/// (and `duplicate_sku`) count variants.
pub(crate) fn audit(facts: &AuditFacts) -> AreaAudit {
    let products = facts.products.len() as u64;
    let variants = facts.variants.len() as u64;
    let product_check = |check: &str, affected: fn(&ProductFacts) -> bool| {
        let ids = facts
            .products
            .iter()
            .filter(|p| affected(p))
            .map(|p| p.handle.clone());
        Finding::of(check, ids, products, None)
    };
    let variant_check = |check: &str, affected: fn(&VariantFacts) -> bool| {
        let ids = facts.variants.iter().filter(|v| affected(v)).map(label);
        Finding::of(check, ids, variants, None)
    };
    let findings = [
        product_check(MISSING_TITLE, |p| p.title.trim().is_empty()),
        product_check(MISSING_DESCRIPTION, |p| p.description_len == 0),
        product_check(MISSING_IMAGE, |p| p.image_count == 0),
        variant_check(MISSING_GTIN, |v| gtin(v).is_none()),
        variant_check(INVALID_GTIN, |v| gtin(v).is_some_and(|g| !gtin_is_valid(g))),
        variant_check(MISSING_PRICE, |v| v.price_minor.is_none()),
        variant_check(MISSING_SKU, |v| sku(v).is_none()),
        duplicate_sku(facts),
        variant_check(
            COMPARE_AT_BELOW_PRICE,
            |v| matches!((v.compare_at_minor, v.price_minor), (Some(was), Some(now)) if was < now),
        ),
        variant_check(ZERO_COST, |v| v.cost_minor == Some(0)),
        variant_check(MISSING_COST, |v| v.cost_minor.is_none()),
    ];
    AreaAudit {
        area: Area::Catalog,
        checked: products + variants,
        findings: findings.into_iter().flatten().collect(),
    }
}

/// SKUs (as given, compared exactly) carried by more than one variant.
fn duplicate_sku(facts: &AuditFacts) -> Option<Finding> {
    let mut uses: BTreeMap<&str, u64> = BTreeMap::new();
    for s in facts.variants.iter().filter_map(sku) {
        *uses.entry(s).or_default() += 1;
    }
    let ids = uses
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(s, _)| s.to_string());
    Finding::of(DUPLICATE_SKU, ids, facts.variants.len() as u64, None)
}

#[cfg(test)]
#[path = "catalog_tests.rs"]
mod tests;
