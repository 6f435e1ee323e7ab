//! Tests of the catalog checks with hand-built facts.

use super::*;
use crate::testutil::{product, variant};

fn ids_by_check(facts: &AuditFacts) -> Vec<(String, Vec<String>, u64)> {
    audit(facts)
        .findings
        .into_iter()
        .map(|f| (f.check, f.ids, f.population))
        .collect()
}

fn strings(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn clean_catalog_has_no_findings() {
    let facts = AuditFacts {
        products: vec![product("mug")],
        variants: vec![
            variant("mug", 1, Some("MUG-1")),
            variant("mug", 2, Some("MUG-2")),
        ],
        ..AuditFacts::default()
    };
    let a = audit(&facts);
    assert_eq!(a.findings, vec![]);
    assert_eq!(a.checked, 3);
}

#[test]
fn product_checks_name_handles() {
    let mut untitled = product("b-untitled");
    untitled.title = "  ".into();
    let mut bare = product("a-bare");
    bare.description_len = 0;
    bare.image_count = 0;
    let facts = AuditFacts {
        products: vec![untitled, bare, product("c-fine")],
        ..AuditFacts::default()
    };
    assert_eq!(
        ids_by_check(&facts),
        vec![
            ("catalog.missing_title".into(), strings(&["b-untitled"]), 3),
            (
                "catalog.missing_description".into(),
                strings(&["a-bare"]),
                3
            ),
            ("catalog.missing_image".into(), strings(&["a-bare"]), 3),
        ]
    );
}

#[test]
fn variant_checks_name_labels() {
    let mut no_gtin = variant("hat", 1, Some("HAT-1"));
    no_gtin.gtin = Some(" ".into());
    let mut bad_gtin = variant("hat", 2, Some("HAT-2"));
    bad_gtin.gtin = Some("4006381333932".into());
    let mut no_price = variant("hat", 3, Some("HAT-3"));
    no_price.price_minor = None;
    let no_sku = variant("hat", 4, None);
    let blank_sku = variant("hat", 5, Some(""));
    let mut was_below = variant("hat", 6, Some("HAT-6"));
    was_below.compare_at_minor = Some(999);
    let mut was_equal = variant("hat", 7, Some("HAT-7"));
    was_equal.compare_at_minor = Some(1000);
    let mut zero_cost = variant("hat", 8, Some("HAT-8"));
    zero_cost.cost_minor = Some(0);
    let mut no_cost = variant("hat", 9, Some("HAT-9"));
    no_cost.cost_minor = None;
    no_cost.compare_at_minor = None;
    let facts = AuditFacts {
        products: vec![product("hat")],
        variants: vec![
            no_gtin, bad_gtin, no_price, no_sku, blank_sku, was_below, was_equal, zero_cost,
            no_cost,
        ],
        ..AuditFacts::default()
    };
    assert_eq!(
        ids_by_check(&facts),
        vec![
            ("catalog.missing_gtin".into(), strings(&["HAT-1"]), 9),
            ("catalog.invalid_gtin".into(), strings(&["HAT-2"]), 9),
            ("catalog.missing_price".into(), strings(&["HAT-3"]), 9),
            (
                "catalog.missing_sku".into(),
                strings(&["hat#4", "hat#5"]),
                9
            ),
            (
                "catalog.compare_at_below_price".into(),
                strings(&["HAT-6"]),
                9
            ),
            ("catalog.zero_cost".into(), strings(&["HAT-8"]), 9),
            ("catalog.missing_cost".into(), strings(&["HAT-9"]), 9),
        ]
    );
}

#[test]
fn duplicate_sku_names_the_sku_once() {
    let facts = AuditFacts {
        products: vec![product("a"), product("b")],
        variants: vec![
            variant("a", 1, Some("DUP")),
            variant("b", 1, Some("DUP")),
            variant("b", 2, Some("DUP")),
            variant("b", 3, Some("dup")),
            variant("b", 4, None),
            variant("b", 5, None),
        ],
        ..AuditFacts::default()
    };
    let a = audit(&facts);
    let dup = a
        .findings
        .iter()
        .find(|f| f.check == "catalog.duplicate_sku")
        .unwrap();
    assert_eq!(dup.ids, strings(&["DUP"]));
    assert_eq!(dup.count, 1);
    assert_eq!(dup.population, 6);
}

#[test]
fn missing_and_invalid_gtin_and_costs_are_exclusive() {
    let mut none = variant("x", 1, Some("X1"));
    none.gtin = None;
    none.cost_minor = None;
    let facts = AuditFacts {
        variants: vec![none],
        ..AuditFacts::default()
    };
    let checks: Vec<String> = audit(&facts)
        .findings
        .into_iter()
        .map(|f| f.check)
        .collect();
    assert_eq!(checks, vec!["catalog.missing_gtin", "catalog.missing_cost"]);
}
