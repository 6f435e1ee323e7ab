//! Tests of the assembled report: ordering, scores, verdicts, and
//! properties over arbitrary facts.

use super::*;
use crate::labels::{Severity, Verdict, Workflow};
use crate::testutil::{as_of, doc, level, product, variant};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use storeops_domain::facts::{IdentityFacts, LevelFacts, ProductFacts, ReturnFacts, VariantFacts};
use storeops_domain::{IdentityKind, KnowledgeDoc, ProductStatus, ReturnStatus};

fn clean_facts() -> AuditFacts {
    AuditFacts {
        products: vec![product("mug")],
        variants: vec![variant("mug", 1, Some("MUG-1"))],
        levels: vec![level("MUG-1", "main", 4)],
        adjustments_total: 1,
        orders_total: 3,
        customers_total: 2,
        tickets_total: 1,
        docs: vec![doc(
            "faq",
            1,
            "Returns are accepted within 30 days of delivery.",
        )],
        ..AuditFacts::default()
    }
}

#[test]
fn clean_facts_are_ready_everywhere() {
    let report = audit(&clean_facts(), &AuditConfig::new(as_of()));
    assert_eq!(report.findings, vec![]);
    assert_eq!(report.overall_score, 100);
    assert_eq!(report.as_of, as_of());
    let checked: Vec<(Area, u64, u8)> = report
        .areas
        .iter()
        .map(|a| (a.area, a.checked, a.score))
        .collect();
    assert_eq!(
        checked,
        vec![
            (Area::Catalog, 2, 100),
            (Area::Inventory, 2, 100),
            (Area::Customers, 6, 100),
            (Area::Knowledge, 1, 100)
        ]
    );
    assert!(report.workflows.iter().all(|w| w.verdict == Verdict::Ready));
}

#[test]
fn findings_are_ordered_by_severity_then_id_and_scored() {
    let mut facts = clean_facts();
    facts.variants[0].gtin = None;
    facts.variants[0].price_minor = None;
    facts.products[0].image_count = 0;
    facts.orders_without_customer = vec!["#1".into()];
    let report = audit(&facts, &AuditConfig::new(as_of()));
    let order: Vec<(&str, Severity)> = report
        .findings
        .iter()
        .map(|f| (f.check.as_str(), f.severity))
        .collect();
    assert_eq!(
        order,
        vec![
            ("catalog.missing_price", Severity::Critical),
            ("catalog.missing_image", Severity::Medium),
            ("customers.order_without_customer", Severity::Medium),
            ("catalog.missing_gtin", Severity::Low),
        ]
    );
    // Catalog: 30 + 10 + 5 (each fully affected) = 45 → 55. Customers: 1 of 3 → 10 → 90.
    let scores: Vec<u8> = report.areas.iter().map(|a| a.score).collect();
    assert_eq!(scores, vec![55, 100, 90, 100]);
    assert_eq!(report.overall_score, 86);
    let pricing = report
        .workflows
        .iter()
        .find(|w| w.workflow == Workflow::Pricing)
        .unwrap();
    assert_eq!(pricing.verdict, Verdict::Blocked);
    assert_eq!(pricing.reasons, vec!["catalog.missing_price: 1 affected"]);
}

#[test]
fn report_round_trips_through_json() {
    let mut facts = clean_facts();
    facts.tickets_unlinked = vec!["T1".into()];
    let report = audit(&facts, &AuditConfig::new(as_of()));
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.contains("\"verdict\":\"needs_work\""), "{json}");
    assert!(json.contains("\"area\":\"customers\""), "{json}");
    let back: crate::ReadinessReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("A".to_string()),
        Just(" ".to_string()),
        "[a-c]{1,3}",
        Just("4006381333931".to_string()),
    ]
}

fn moment() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..800).prop_map(|d| {
        Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + chrono::TimeDelta::days(d)
    })
}

fn date() -> impl Strategy<Value = NaiveDate> {
    moment().prop_map(|m| m.date_naive())
}

fn product_facts() -> impl Strategy<Value = ProductFacts> {
    (text(), text(), 0usize..3, 0usize..2).prop_map(
        |(handle, title, description_len, image_count)| ProductFacts {
            handle,
            title,
            description_len,
            image_count,
            status: ProductStatus::Active,
            regulated: false,
        },
    )
}

fn variant_facts() -> impl Strategy<Value = VariantFacts> {
    let money = || proptest::option::of(-2i64..3);
    (
        text(),
        0u32..3,
        proptest::option::of(text()),
        money(),
        money(),
        money(),
        proptest::option::of(text()),
    )
        .prop_map(
            |(handle, position, sku, price_minor, compare_at_minor, cost_minor, gtin)| {
                VariantFacts {
                    handle,
                    position,
                    sku,
                    price_minor,
                    compare_at_minor,
                    cost_minor,
                    gtin,
                }
            },
        )
}

fn level_facts() -> impl Strategy<Value = LevelFacts> {
    (
        text(),
        text(),
        -3i64..3,
        -3i64..3,
        proptest::option::of(moment()),
        0u64..3,
        -3i64..3,
    )
        .prop_map(
            |(sku, location, on_hand, available, counted_at, ledger_entries, ledger_sum)| {
                LevelFacts {
                    sku,
                    location,
                    on_hand,
                    available,
                    counted_at,
                    ledger_entries,
                    ledger_sum,
                }
            },
        )
}

fn return_facts() -> impl Strategy<Value = ReturnFacts> {
    (
        text(),
        proptest::sample::select(ReturnStatus::ALL),
        proptest::option::of(moment()),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(id, status, received_at, restock, restocked_in_ledger)| ReturnFacts {
                id,
                status,
                received_at,
                restock,
                restocked_in_ledger,
            },
        )
}

fn identity_facts() -> impl Strategy<Value = IdentityFacts> {
    (text(), proptest::sample::select(IdentityKind::ALL), text()).prop_map(
        |(customer_key, kind, normalized)| IdentityFacts {
            customer_key,
            kind,
            normalized,
        },
    )
}

fn knowledge_doc() -> impl Strategy<Value = KnowledgeDoc> {
    let body = prop_oneof![
        Just("Returns accepted for 30 days.".to_string()),
        Just("Returns accepted for 60 days. A 2-year warranty.".to_string()),
        Just("Free shipping on orders over $50.".to_string()),
        "\\PC{0,40}",
    ];
    (
        text(),
        0i64..3,
        body,
        date(),
        proptest::option::of(date()),
        proptest::option::of(date()),
    )
        .prop_map(
            |(key, version, body, effective_from, effective_to, review_by)| {
                let mut d = doc(&key, version, &body);
                d.effective_from = effective_from;
                d.effective_to = effective_to;
                d.review_by = review_by;
                d
            },
        )
}

fn ids() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(text(), 0..4)
}

prop_compose! {
    fn audit_facts()(
        products in proptest::collection::vec(product_facts(), 0..4),
        variants in proptest::collection::vec(variant_facts(), 0..6),
        levels in proptest::collection::vec(level_facts(), 0..5),
        returns in proptest::collection::vec(return_facts(), 0..4),
        identities in proptest::collection::vec(identity_facts(), 0..5),
        docs in proptest::collection::vec(knowledge_doc(), 0..5),
        totals in (0u64..5, 0u64..5, 0u64..5, 0u64..5),
        lists in (ids(), ids(), ids()),
    ) -> AuditFacts {
        AuditFacts {
            products,
            variants,
            levels,
            adjustments_total: totals.0,
            adjustments_without_reason: lists.0,
            returns,
            orders_total: totals.1,
            orders_without_customer: lists.1,
            customers_total: totals.2,
            identities,
            tickets_total: totals.3,
            tickets_unlinked: lists.2,
            docs,
        }
    }
}

proptest! {
    #[test]
    fn audit_is_total_and_consistent(facts in audit_facts(), as_of in moment(), stale in 0u32..400, max_ids in 0usize..3) {
        let mut config = AuditConfig::new(as_of);
        config.stale_count_days = stale;
        let report = audit(&facts, &config);
        prop_assert!(report.overall_score <= 100);
        prop_assert_eq!(report.areas.len(), 4);
        prop_assert_eq!(report.workflows.len(), 5);
        for area in &report.areas {
            prop_assert!(area.score <= 100);
            let in_area = report.findings.iter().filter(|f| f.area == area.area).count();
            prop_assert_eq!(area.findings, in_area);
        }
        for f in &report.findings {
            prop_assert!(f.count > 0);
            prop_assert_eq!(f.count, f.ids.len() as u64);
            let mut sorted = f.ids.clone();
            sorted.sort();
            sorted.dedup();
            prop_assert_eq!(&sorted, &f.ids);
        }
        for pair in report.findings.windows(2) {
            prop_assert!((pair[1].severity, &pair[0].check) < (pair[0].severity, &pair[1].check));
        }
        let short = report.truncated(max_ids);
        for (long, cut) in report.findings.iter().zip(&short.findings) {
            prop_assert_eq!(long.count, cut.count);
            prop_assert_eq!(cut.ids.len(), long.ids.len().min(max_ids));
        }
        prop_assert_eq!(short.overall_score, report.overall_score);
        prop_assert_eq!(&short.workflows, &report.workflows);
    }
}
