//! Tests of the inventory checks with hand-built facts.

use super::*;
use crate::testutil::{as_of, level, variant};
use chrono::{TimeZone, Utc};

fn check_ids(facts: &AuditFacts, config: &AuditConfig, check: &str) -> Option<(Vec<String>, u64)> {
    audit(facts, config)
        .findings
        .into_iter()
        .find(|f| f.check == check)
        .map(|f| (f.ids, f.population))
}

fn known_variants() -> Vec<storeops_domain::facts::VariantFacts> {
    vec![variant("a", 1, Some("A")), variant("b", 1, Some("B"))]
}

fn ret(
    id: &str,
    status: ReturnStatus,
    received: bool,
    restock: bool,
    in_ledger: bool,
) -> ReturnFacts {
    ReturnFacts {
        id: id.to_string(),
        status,
        received_at: received.then(|| Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap()),
        restock,
        restocked_in_ledger: in_ledger,
    }
}

#[test]
fn clean_inventory_has_no_findings() {
    let facts = AuditFacts {
        variants: known_variants(),
        levels: vec![level("A", "main", 5), level("B", "main", 0)],
        adjustments_total: 2,
        returns: vec![ret("R1", ReturnStatus::Received, true, true, true)],
        ..AuditFacts::default()
    };
    let a = audit(&facts, &AuditConfig::new(as_of()));
    assert_eq!(a.findings, vec![]);
    assert_eq!(a.checked, 5);
}

#[test]
fn ledger_mismatch_ignores_levels_without_ledger() {
    let mut off = level("A", "main", 5);
    off.ledger_sum = 4;
    let mut no_ledger = level("A", "back", 7);
    no_ledger.ledger_entries = 0;
    no_ledger.ledger_sum = 0;
    let facts = AuditFacts {
        variants: known_variants(),
        levels: vec![off, no_ledger, level("B", "main", 3)],
        ..AuditFacts::default()
    };
    let config = AuditConfig::new(as_of());
    assert_eq!(
        check_ids(&facts, &config, "inventory.ledger_mismatch"),
        Some((vec!["A@main".to_string()], 3))
    );
}

#[test]
fn negative_available_and_unknown_sku() {
    let mut short = level("B", "main", 1);
    short.available = -2;
    let facts = AuditFacts {
        variants: known_variants(),
        levels: vec![short, level("GHOST", "main", 1), level("A", "main", 1)],
        ..AuditFacts::default()
    };
    let config = AuditConfig::new(as_of());
    assert_eq!(
        check_ids(&facts, &config, "inventory.negative_available"),
        Some((vec!["B@main".to_string()], 3))
    );
    assert_eq!(
        check_ids(&facts, &config, "inventory.unknown_sku"),
        Some((vec!["GHOST@main".to_string()], 3))
    );
}

#[test]
fn stale_count_is_never_counted_or_older_than_the_threshold() {
    let at = |d: u32| Some(Utc.with_ymd_and_hms(2025, 3, d, 12, 0, 0).unwrap());
    let mut never = level("A", "w1", 1);
    never.counted_at = None;
    let mut just_inside = level("A", "w2", 1);
    just_inside.counted_at = at(17);
    let mut just_outside = level("A", "w3", 1);
    just_outside.counted_at = Some(Utc.with_ymd_and_hms(2025, 3, 17, 11, 59, 59).unwrap());
    let facts = AuditFacts {
        variants: known_variants(),
        levels: vec![never, just_inside, just_outside],
        ..AuditFacts::default()
    };
    let config = AuditConfig::new(as_of());
    let finding = audit(&facts, &config)
        .findings
        .into_iter()
        .find(|f| f.check == "inventory.stale_count")
        .unwrap();
    assert_eq!(finding.ids, vec!["A@w1", "A@w3"]);
    assert_eq!(
        finding.detail.as_deref(),
        Some("not counted since 2025-03-17 (90 days before 2025-06-15)")
    );
    let mut strict = config;
    strict.stale_count_days = 0;
    assert_eq!(
        check_ids(&facts, &strict, "inventory.stale_count").map(|(ids, _)| ids.len()),
        Some(3)
    );
}

#[test]
fn returns_received_for_restock_need_a_ledger_entry() {
    let facts = AuditFacts {
        returns: vec![
            ret("R-received", ReturnStatus::Received, true, true, false),
            ret("R-closed", ReturnStatus::Closed, true, true, false),
            ret("R-ledgered", ReturnStatus::Received, true, true, true),
            ret("R-no-restock", ReturnStatus::Received, true, false, false),
            ret(
                "R-closed-never-received",
                ReturnStatus::Closed,
                false,
                true,
                false,
            ),
            ret("R-in-transit", ReturnStatus::InTransit, true, true, false),
            ret("R-rejected", ReturnStatus::Rejected, true, true, false),
        ],
        ..AuditFacts::default()
    };
    let config = AuditConfig::new(as_of());
    assert_eq!(
        check_ids(&facts, &config, "inventory.return_not_restocked"),
        Some((vec!["R-closed".to_string(), "R-received".to_string()], 7))
    );
}

#[test]
fn adjustments_without_reason_count_against_all_entries() {
    let facts = AuditFacts {
        adjustments_total: 40,
        adjustments_without_reason: vec!["adj-9".into(), "adj-2".into(), "adj-9".into()],
        ..AuditFacts::default()
    };
    let config = AuditConfig::new(as_of());
    assert_eq!(
        check_ids(&facts, &config, "inventory.adjustment_without_reason"),
        Some((vec!["adj-2".to_string(), "adj-9".to_string()], 40))
    );
}
