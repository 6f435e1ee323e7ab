//! Acceptance: the readiness audit over a generated store finds exactly the
//! planted problems, and nothing at all in a clean store.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use storeops_demo::{generate, DemoOptions, DemoStore};
use storeops_insights::{audit, facts_from_records, AuditConfig};

/// The day the stores are generated for.
const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 25) {
    Some(day) => day,
    None => panic!("valid date"),
};

fn today() -> NaiveDate {
    TODAY
}

fn noon(day: NaiveDate) -> DateTime<Utc> {
    (day.and_time(NaiveTime::MIN) + TimeDelta::hours(12)).and_utc()
}

fn found(store: &DemoStore, as_of: DateTime<Utc>) -> BTreeSet<(String, String)> {
    let facts = facts_from_records(&store.records(), as_of);
    let report = audit(&facts, &AuditConfig::new(as_of));
    report
        .findings
        .iter()
        .flat_map(|f| f.ids.iter().map(|id| (f.check.clone(), id.clone())))
        .collect()
}

fn assert_exact(store: &DemoStore) {
    let found = found(store, noon(store.planted.today));
    let planted = store.planted.pairs();
    let missed: Vec<_> = planted.difference(&found).collect();
    let extra: Vec<_> = found.difference(&planted).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "missed {missed:?}\nextra {extra:?}"
    );
    let checks: BTreeSet<&str> = planted.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(checks.len(), 22);
}

#[test]
fn audit_finds_exactly_the_planted_problems_at_small_scale() {
    for seed in [1, 42, 2026] {
        let store = generate(&DemoOptions {
            seed,
            today: today(),
            clean: false,
            scale: 0.05,
        });
        assert_exact(&store);
    }
}

#[test]
fn audit_finds_nothing_in_a_clean_store() {
    for (seed, day) in [
        (1, today()),
        (9, NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()),
    ] {
        let store = generate(&DemoOptions {
            seed,
            today: day,
            clean: true,
            scale: 0.05,
        });
        assert!(store.planted.problems.is_empty());
        let found = found(&store, noon(day));
        assert!(found.is_empty(), "{found:?}");
    }
}

#[test]
fn audit_finds_exactly_the_planted_problems_at_full_scale() {
    let store = generate(&DemoOptions::new(42, today()));
    assert_exact(&store);
    let clean = generate(&DemoOptions {
        clean: true,
        ..DemoOptions::new(42, today())
    });
    assert!(found(&clean, noon(today())).is_empty());
}
