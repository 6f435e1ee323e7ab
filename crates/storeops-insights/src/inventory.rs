//! Inventory checks over levels, the adjustment ledger and returns.

use std::collections::BTreeSet;

use chrono::TimeDelta;
use storeops_domain::facts::{AuditFacts, LevelFacts, ReturnFacts};
use storeops_domain::ReturnStatus;

use crate::audit::AreaAudit;
use crate::catalog::sku;
use crate::catalogue::{
    ADJUSTMENT_WITHOUT_REASON, LEDGER_MISMATCH, NEGATIVE_AVAILABLE, RETURN_NOT_RESTOCKED,
    STALE_COUNT, UNKNOWN_SKU,
};
use crate::config::AuditConfig;
use crate::labels::Area;
use crate::report::Finding;

/// Runs the inventory checks. Level checks count levels,
/// `return_not_restocked` counts returns, `adjustment_without_reason`
/// counts ledger entries.
pub(crate) fn audit(facts: &AuditFacts, config: &AuditConfig) -> AreaAudit {
    let levels = facts.levels.len() as u64;
    let level_check =
        |check: &str, affected: &dyn Fn(&LevelFacts) -> bool, detail: Option<String>| {
            let ids = facts
                .levels
                .iter()
                .filter(|l| affected(l))
                .map(LevelFacts::label);
            Finding::of(check, ids, levels, detail)
        };
    let known: BTreeSet<&str> = facts.variants.iter().filter_map(sku).collect();
    let stale_before = config
        .as_of
        .checked_sub_signed(TimeDelta::days(i64::from(config.stale_count_days)));
    let stale_detail = stale_before.map(|t| {
        format!(
            "not counted since {} ({} days before {})",
            t.date_naive(),
            config.stale_count_days,
            config.as_of.date_naive()
        )
    });
    let findings = [
        level_check(
            LEDGER_MISMATCH,
            &|l| l.ledger_entries > 0 && l.on_hand != l.ledger_sum,
            None,
        ),
        level_check(NEGATIVE_AVAILABLE, &|l| l.available < 0, None),
        level_check(
            STALE_COUNT,
            &|l| match (l.counted_at, stale_before) {
                (None, _) => true,
                (Some(counted), Some(before)) => counted < before,
                (Some(_), None) => false,
            },
            stale_detail,
        ),
        Finding::of(
            RETURN_NOT_RESTOCKED,
            facts
                .returns
                .iter()
                .filter(|r| not_restocked(r))
                .map(|r| r.id.clone()),
            facts.returns.len() as u64,
            None,
        ),
        Finding::of(
            ADJUSTMENT_WITHOUT_REASON,
            facts.adjustments_without_reason.iter().cloned(),
            facts.adjustments_total,
            None,
        ),
        level_check(UNKNOWN_SKU, &|l| !known.contains(l.sku.as_str()), None),
    ];
    AreaAudit {
        area: Area::Inventory,
        checked: levels + facts.returns.len() as u64 + facts.adjustments_total,
        findings: findings.into_iter().flatten().collect(),
    }
}

/// A return that came back (status `received`, or `closed` after being
/// received), is meant for restock, and has no `return` ledger entry.
fn not_restocked(r: &ReturnFacts) -> bool {
    matches!(r.status, ReturnStatus::Received | ReturnStatus::Closed)
        && r.received_at.is_some()
        && r.restock
        && !r.restocked_in_ledger
}

#[cfg(test)]
#[path = "inventory_tests.rs"]
mod tests;
