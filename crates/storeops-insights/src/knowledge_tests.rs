//! Tests of effective-document selection and the knowledge checks.

use super::*;
use crate::testutil::{as_of, day, doc};

fn run(docs: Vec<KnowledgeDoc>) -> AreaAudit {
    let facts = AuditFacts {
        docs,
        ..AuditFacts::default()
    };
    audit(&facts, &AuditConfig::new(as_of()))
}

#[test]
fn effective_version_is_the_highest_in_force() {
    let mut v1 = doc("returns-policy", 1, "old");
    v1.effective_to = Some(day(2025, 3, 31));
    let v2 = doc("returns-policy", 2, "current");
    let mut v3 = doc("returns-policy", 3, "future");
    v3.effective_from = day(2025, 7, 1);
    let mut ends_today = doc("faq", 1, "last day");
    ends_today.effective_to = Some(day(2025, 6, 15));
    let mut ended = doc("promo", 1, "gone");
    ended.effective_to = Some(day(2025, 6, 14));
    let docs = vec![v3, v2, v1, ends_today, ended];
    let effective: Vec<String> = effective_docs(&docs, day(2025, 6, 15))
        .into_iter()
        .map(doc_id)
        .collect();
    assert_eq!(effective, vec!["faq@v1", "returns-policy@v2"]);
}

#[test]
fn review_overdue_only_for_effective_docs_before_today() {
    let mut overdue = doc("faq", 1, "");
    overdue.review_by = Some(day(2025, 6, 14));
    let mut due_today = doc("shipping", 1, "");
    due_today.review_by = Some(day(2025, 6, 15));
    let mut superseded = doc("warranty", 1, "");
    superseded.review_by = Some(day(2024, 1, 1));
    superseded.effective_to = Some(day(2025, 1, 31));
    let current = doc("warranty", 2, "");
    let a = run(vec![overdue, due_today, superseded, current]);
    assert_eq!(a.checked, 3);
    assert_eq!(a.findings.len(), 1);
    assert_eq!(a.findings[0].check, "knowledge.review_overdue");
    assert_eq!(a.findings[0].ids, vec!["faq@v1"]);
    assert_eq!(a.findings[0].population, 3);
}

#[test]
fn conflicting_policy_values_affect_every_doc_stating_the_fact() {
    let mut old = doc(
        "returns-policy",
        1,
        "Returns are accepted within 14 days of delivery.",
    );
    old.effective_to = Some(day(2025, 2, 1));
    let docs = vec![
        old,
        doc(
            "returns-policy",
            2,
            "Returns are accepted within 30 days of delivery.",
        ),
        doc(
            "faq",
            1,
            "Our 30-day return window applies. Free shipping on orders over $50.",
        ),
        doc(
            "holiday-returns",
            1,
            "Holiday returns accepted for 60 days.",
        ),
        doc(
            "shipping",
            1,
            "Free shipping on orders over $50 and orders ship within 2 business days.",
        ),
        doc("guide-kettle", 1, "Descale every 30 days."),
    ];
    let a = run(docs);
    assert_eq!(a.findings.len(), 1);
    let f = &a.findings[0];
    assert_eq!(f.check, "knowledge.policy_conflict");
    assert_eq!(
        f.ids,
        vec!["faq@v1", "holiday-returns@v1", "returns-policy@v2"]
    );
    assert_eq!(f.population, 5);
    assert_eq!(
        f.detail.as_deref(),
        Some("return_window_days: 30 (faq@v1, returns-policy@v2) vs 60 (holiday-returns@v1)")
    );
}

#[test]
fn several_conflicting_facts_are_all_detailed() {
    let docs = vec![
        doc("a", 1, "A 1-year warranty. Ships within 2 business days."),
        doc(
            "b",
            1,
            "Warranty of 2 years. Dispatched within 3 working days.",
        ),
        doc("c", 1, "Warranted for 12 months."),
    ];
    let f = run(docs).findings.remove(0);
    assert_eq!(f.ids, vec!["a@v1", "b@v1", "c@v1"]);
    assert_eq!(
        f.detail.as_deref(),
        Some(
            "processing_days: 2 (a@v1) vs 3 (b@v1); warranty_months: 12 (a@v1, c@v1) vs 24 (b@v1)"
        )
    );
}

#[test]
fn the_title_is_read_too() {
    let mut titled = doc("promo", 1, "Terms below.");
    titled.title = "Free shipping on orders over $75".into();
    let plain = doc("shipping", 1, "Free shipping on orders over $50.");
    let f = run(vec![titled, plain]).findings.remove(0);
    assert_eq!(f.ids, vec!["promo@v1", "shipping@v1"]);
}
