//! Ground truth of the planted data problems: which readiness check should
//! flag which record.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Every readiness check id (`docs/readiness-checks.md`), in catalogue order.
pub const CHECK_IDS: [&str; 22] = [
    "catalog.missing_title",
    "catalog.missing_description",
    "catalog.missing_image",
    "catalog.missing_gtin",
    "catalog.invalid_gtin",
    "catalog.missing_price",
    "catalog.missing_sku",
    "catalog.duplicate_sku",
    "catalog.compare_at_below_price",
    "catalog.zero_cost",
    "catalog.missing_cost",
    "inventory.ledger_mismatch",
    "inventory.negative_available",
    "inventory.stale_count",
    "inventory.return_not_restocked",
    "inventory.adjustment_without_reason",
    "inventory.unknown_sku",
    "customers.order_without_customer",
    "customers.duplicate_customer",
    "customers.ticket_unlinked",
    "knowledge.review_overdue",
    "knowledge.policy_conflict",
];

/// What was planted in a demo store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planted {
    /// Seed the store was generated from.
    pub seed: u64,
    /// Day the store was generated for.
    pub today: NaiveDate,
    /// Every planted problem, grouped by check in catalogue order.
    pub problems: Vec<PlantedProblem>,
}

/// One record that a readiness check should flag.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PlantedProblem {
    /// Readiness check id (one of [`CHECK_IDS`]).
    pub check: String,
    /// Affected id exactly as the audit names it.
    pub id: String,
    /// What was planted.
    pub what: String,
}

impl Planted {
    /// The planted `(check, id)` pairs.
    pub fn pairs(&self) -> std::collections::BTreeSet<(String, String)> {
        self.problems
            .iter()
            .map(|p| (p.check.clone(), p.id.clone()))
            .collect()
    }
}

/// Collects planted problems while the store is being spoiled.
#[derive(Debug, Default)]
pub(crate) struct Log {
    problems: Vec<PlantedProblem>,
}

impl Log {
    /// Records that `check` should flag `id`.
    pub(crate) fn add(&mut self, check: &str, id: impl Into<String>, what: impl Into<String>) {
        self.problems.push(PlantedProblem {
            check: check.to_string(),
            id: id.into(),
            what: what.into(),
        });
    }

    /// The problems, grouped by check in catalogue order.
    pub(crate) fn finish(mut self) -> Vec<PlantedProblem> {
        let rank = |check: &str| {
            CHECK_IDS
                .iter()
                .position(|c| *c == check)
                .unwrap_or(CHECK_IDS.len())
        };
        self.problems.sort_by_key(|p| rank(&p.check));
        self.problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_groups_by_catalogue_order() {
        let mut log = Log::default();
        log.add("knowledge.policy_conflict", "faq@v1", "b");
        log.add("catalog.missing_title", "shirt", "a");
        log.add("knowledge.policy_conflict", "holiday-returns@v1", "c");
        let problems = log.finish();
        let ids: Vec<&str> = problems.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, vec!["shirt", "faq@v1", "holiday-returns@v1"]);
    }

    #[test]
    fn planted_round_trips_through_json() {
        let planted = Planted {
            seed: 7,
            today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            problems: vec![PlantedProblem {
                check: "catalog.duplicate_sku".into(),
                id: "APP-0001-M-BLK".into(),
                what: "shared".into(),
            }],
        };
        let json = serde_json::to_string(&planted).unwrap();
        assert!(json.contains("\"today\":\"2026-11-25\""));
        let back: Planted = serde_json::from_str(&json).unwrap();
        assert_eq!(back, planted);
        assert_eq!(back.pairs().len(), 1);
    }
}
