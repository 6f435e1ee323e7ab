//! Properties of the generated demo store: determinism, size, seasonality,
//! ledger and order consistency, and the planted ground truth.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};
use storeops_demo::{generate, DemoOptions, DemoStore, CHECK_IDS};
use storeops_domain::{InventoryRecord, ProductStatus};

/// The day the stores are generated for.
const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 25) {
    Some(day) => day,
    None => panic!("valid date"),
};

fn today() -> NaiveDate {
    TODAY
}

fn full() -> &'static DemoStore {
    static STORE: OnceLock<DemoStore> = OnceLock::new();
    STORE.get_or_init(|| generate(&DemoOptions::new(42, today())))
}

fn small(seed: u64, clean: bool) -> DemoStore {
    generate(&DemoOptions {
        seed,
        today: today(),
        clean,
        scale: 0.05,
    })
}

#[test]
fn same_options_give_the_same_store_and_seeds_differ() {
    let a = small(7, false);
    let b = small(7, false);
    assert_eq!(a, b);
    assert_eq!(format!("{:?}", a.records()), format!("{:?}", b.records()));
    let c = small(8, false);
    assert_ne!(a.products, c.products);
    assert_ne!(a.orders, c.orders);
}

#[test]
fn full_scale_counts() {
    let store = full();
    let variants: usize = store.products.iter().map(|p| p.variants.len()).sum();
    assert!(
        (450..=550).contains(&store.products.len()),
        "{}",
        store.products.len()
    );
    assert!((1800..=2200).contains(&variants), "{variants}");
    assert!(store.orders.len() >= 50_000, "{}", store.orders.len());
    let mean_lines = store.order_lines() as f64 / store.orders.len() as f64;
    assert!((1.6..=1.9).contains(&mean_lines), "{mean_lines}");
    assert!((11_000..=13_000).contains(&store.customers.len()));
    assert!(
        (2_900..=3_100).contains(&store.tickets.len()),
        "{}",
        store.tickets.len()
    );
    let return_share = store.returns.len() as f64 / store.orders.len() as f64;
    assert!((0.045..=0.075).contains(&return_share), "{return_share}");
    let ledger = store
        .inventory
        .iter()
        .filter(|r| matches!(r, InventoryRecord::Adjustment(_)))
        .count();
    assert!((20_000..=100_000).contains(&ledger), "{ledger}");
    assert_eq!(store.locations, vec!["Main Warehouse", "Downtown Store"]);
    let active = store
        .products
        .iter()
        .filter(|p| p.status == ProductStatus::Active)
        .count();
    assert!(active * 10 > store.products.len() * 9);
}

#[test]
fn orders_span_730_days_ending_yesterday_named_in_time_order() {
    let store = full();
    let first = store.orders.first().unwrap();
    let last = store.orders.last().unwrap();
    assert_eq!(
        first.created_at.date_naive(),
        today() - TimeDelta::days(730)
    );
    assert_eq!(last.created_at.date_naive(), today() - TimeDelta::days(1));
    assert_eq!(first.name, "#1001");
    assert_eq!(last.name, format!("#{}", 1000 + store.orders.len()));
    assert!(store
        .orders
        .windows(2)
        .all(|w| w[0].created_at <= w[1].created_at));
}

#[test]
fn weekends_and_december_are_busier() {
    let store = full();
    let mut per_day: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for order in &store.orders {
        *per_day.entry(order.created_at.date_naive()).or_default() += 1;
    }
    let mean = |weekend: bool| {
        let days: Vec<usize> = per_day
            .iter()
            .filter(|(d, _)| matches!(d.weekday(), Weekday::Sat | Weekday::Sun) == weekend)
            .map(|(_, n)| *n)
            .collect();
        days.iter().sum::<usize>() as f64 / days.len() as f64
    };
    assert!(
        mean(true) > 1.15 * mean(false),
        "{} vs {}",
        mean(true),
        mean(false)
    );

    let mut per_month: BTreeMap<(i32, u32), usize> = BTreeMap::new();
    for order in &store.orders {
        let d = order.created_at.date_naive();
        *per_month.entry((d.year(), d.month())).or_default() += 1;
    }
    let full_months: Vec<(&(i32, u32), &usize)> = per_month.iter().skip(1).take(23).collect();
    let average =
        full_months.iter().map(|(_, n)| **n).sum::<usize>() as f64 / full_months.len() as f64;
    let december = per_month[&(2025, 12)] as f64;
    assert!(december > 1.2 * average, "{december} vs {average}");
}

#[test]
fn every_order_total_is_consistent() {
    for order in &full().orders {
        let gross: i64 = order.lines.iter().map(|l| l.price.minor * l.quantity).sum();
        let line_discounts: i64 = order.lines.iter().map(|l| l.discount.minor).sum();
        assert_eq!(order.discount.minor, line_discounts, "{}", order.name);
        assert_eq!(
            order.subtotal.minor,
            gross - order.discount.minor,
            "{}",
            order.name
        );
        assert_eq!(
            order.total.minor,
            order.subtotal.minor + order.shipping.minor + order.taxes.minor,
            "{}",
            order.name
        );
        assert!((1..=4).contains(&order.lines.len()));
        assert_eq!(order.customer_external_id, None);
        assert_eq!(order.currency.code(), "USD");
        if order.source != "pos" {
            let free = order.subtotal.minor >= 5000;
            assert_eq!(order.shipping.minor == 0, free, "{}", order.name);
        }
    }
}

#[test]
fn ledger_sums_equal_on_hand_except_planted_mismatches() {
    let store = full();
    let mismatched: BTreeSet<String> = store
        .planted
        .problems
        .iter()
        .filter(|p| p.check == "inventory.ledger_mismatch")
        .map(|p| p.id.clone())
        .collect();
    let mut sums: BTreeMap<String, i64> = BTreeMap::new();
    let mut ids = BTreeSet::new();
    for record in &store.inventory {
        if let InventoryRecord::Adjustment(a) = record {
            *sums.entry(format!("{}@{}", a.sku, a.location)).or_default() += a.delta;
            assert!(ids.insert(a.id.clone()), "duplicate id {}", a.id);
            assert!(a.occurred_at.date_naive() < today());
        }
    }
    let mut checked = 0;
    for record in &store.inventory {
        if let InventoryRecord::Level(level) = record {
            let label = format!("{}@{}", level.sku, level.location);
            assert_eq!(level.available, level.on_hand - level.committed, "{label}");
            if mismatched.contains(&label) {
                assert_ne!(sums[&label], level.on_hand);
            } else {
                assert_eq!(sums[&label], level.on_hand, "{label}");
                checked += 1;
            }
        }
    }
    assert!(checked > 2000, "{checked}");
}

#[test]
fn every_check_is_planted_two_to_six_times() {
    let store = full();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for problem in &store.planted.problems {
        assert!(
            CHECK_IDS.contains(&problem.check.as_str()),
            "{}",
            problem.check
        );
        assert!(!problem.what.is_empty());
        *counts.entry(problem.check.as_str()).or_default() += 1;
    }
    assert_eq!(counts.len(), 22);
    assert!(counts.values().all(|n| (2..=6).contains(n)), "{counts:?}");
    assert_eq!(counts["knowledge.policy_conflict"], 3);
    assert_eq!(store.planted.pairs().len(), store.planted.problems.len());
    assert!(small(3, true).planted.problems.is_empty());
}
