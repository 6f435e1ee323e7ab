//! Workflow verdicts: which checks block or degrade each automation.

use crate::catalogue::{
    ADJUSTMENT_WITHOUT_REASON, COMPARE_AT_BELOW_PRICE, DUPLICATE_CUSTOMER, DUPLICATE_SKU,
    LEDGER_MISMATCH, MISSING_COST, MISSING_DESCRIPTION, MISSING_IMAGE, MISSING_PRICE, MISSING_SKU,
    MISSING_TITLE, NEGATIVE_AVAILABLE, ORDER_WITHOUT_CUSTOMER, POLICY_CONFLICT,
    RETURN_NOT_RESTOCKED, REVIEW_OVERDUE, STALE_COUNT, TICKET_UNLINKED, UNKNOWN_SKU, ZERO_COST,
};
use crate::labels::{Verdict, Workflow};
use crate::report::{Finding, WorkflowVerdict};

/// The checks a workflow is blocked by, and those that degrade it.
fn dependencies(workflow: Workflow) -> (&'static [&'static str], &'static [&'static str]) {
    match workflow {
        Workflow::Support => (
            &[POLICY_CONFLICT],
            &[
                REVIEW_OVERDUE,
                TICKET_UNLINKED,
                ORDER_WITHOUT_CUSTOMER,
                DUPLICATE_CUSTOMER,
                MISSING_DESCRIPTION,
            ],
        ),
        Workflow::Returns => (
            &[POLICY_CONFLICT],
            &[
                RETURN_NOT_RESTOCKED,
                ORDER_WITHOUT_CUSTOMER,
                DUPLICATE_CUSTOMER,
                MISSING_SKU,
            ],
        ),
        Workflow::Inventory => (
            &[LEDGER_MISMATCH, NEGATIVE_AVAILABLE, DUPLICATE_SKU],
            &[
                MISSING_SKU,
                STALE_COUNT,
                RETURN_NOT_RESTOCKED,
                ADJUSTMENT_WITHOUT_REASON,
                UNKNOWN_SKU,
            ],
        ),
        Workflow::Recommendations => (
            &[MISSING_TITLE, DUPLICATE_SKU],
            &[
                NEGATIVE_AVAILABLE,
                LEDGER_MISMATCH,
                MISSING_IMAGE,
                MISSING_DESCRIPTION,
            ],
        ),
        Workflow::Pricing => (
            &[MISSING_PRICE, ZERO_COST],
            &[MISSING_COST, COMPARE_AT_BELOW_PRICE, DUPLICATE_SKU],
        ),
    }
}

/// One verdict per workflow in [`Workflow::ALL`] order: blocked when a
/// blocking check has a finding, needs work when a degrading one has,
/// ready otherwise. Reasons name every relevant check with a finding,
/// blocking ones first, each group in table order: `"<check>: <count> affected"`.
pub(crate) fn verdicts(findings: &[Finding]) -> Vec<WorkflowVerdict> {
    let reasons = |checks: &[&str]| -> Vec<String> {
        checks
            .iter()
            .filter_map(|check| findings.iter().find(|f| f.check == *check))
            .map(|f| format!("{}: {} affected", f.check, f.count))
            .collect()
    };
    Workflow::ALL
        .iter()
        .map(|&workflow| {
            let (blocking, degrading) = dependencies(workflow);
            let blocked = reasons(blocking);
            let degraded = reasons(degrading);
            let verdict = if !blocked.is_empty() {
                Verdict::Blocked
            } else if !degraded.is_empty() {
                Verdict::NeedsWork
            } else {
                Verdict::Ready
            };
            WorkflowVerdict {
                workflow,
                verdict,
                reasons: blocked.into_iter().chain(degraded).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{checks, INVALID_GTIN, MISSING_GTIN};

    fn findings(checks: &[(&str, usize)]) -> Vec<Finding> {
        checks
            .iter()
            .filter_map(|(check, n)| Finding::of(check, (0..*n).map(|i| i.to_string()), 100, None))
            .collect()
    }

    fn table(findings: &[Finding]) -> Vec<(Workflow, Verdict)> {
        verdicts(findings)
            .into_iter()
            .map(|v| (v.workflow, v.verdict))
            .collect()
    }

    #[test]
    fn no_findings_means_every_workflow_is_ready() {
        let all = verdicts(&[]);
        assert_eq!(all.len(), 5);
        assert!(all
            .iter()
            .all(|v| v.verdict == Verdict::Ready && v.reasons.is_empty()));
    }

    #[test]
    fn verdict_table() {
        use Verdict::{Blocked, NeedsWork, Ready};
        use Workflow::{Inventory, Pricing, Recommendations, Returns, Support};
        assert_eq!(
            table(&findings(&[(POLICY_CONFLICT, 2)])),
            vec![
                (Support, Blocked),
                (Returns, Blocked),
                (Inventory, Ready),
                (Recommendations, Ready),
                (Pricing, Ready)
            ]
        );
        assert_eq!(
            table(&findings(&[(DUPLICATE_SKU, 1)])),
            vec![
                (Support, Ready),
                (Returns, Ready),
                (Inventory, Blocked),
                (Recommendations, Blocked),
                (Pricing, NeedsWork)
            ]
        );
        assert_eq!(
            table(&findings(&[(MISSING_SKU, 1), (MISSING_DESCRIPTION, 1)])),
            vec![
                (Support, NeedsWork),
                (Returns, NeedsWork),
                (Inventory, NeedsWork),
                (Recommendations, NeedsWork),
                (Pricing, Ready)
            ]
        );
        assert_eq!(
            table(&findings(&[(ZERO_COST, 1), (NEGATIVE_AVAILABLE, 3)])),
            vec![
                (Support, Ready),
                (Returns, Ready),
                (Inventory, Blocked),
                (Recommendations, NeedsWork),
                (Pricing, Blocked)
            ]
        );
        assert_eq!(
            table(&findings(&[(MISSING_GTIN, 5), (INVALID_GTIN, 1)])),
            vec![
                (Support, Ready),
                (Returns, Ready),
                (Inventory, Ready),
                (Recommendations, Ready),
                (Pricing, Ready)
            ]
        );
    }

    #[test]
    fn reasons_list_blocking_checks_first_with_counts() {
        let all = verdicts(&findings(&[
            (STALE_COUNT, 4),
            (LEDGER_MISMATCH, 2),
            (UNKNOWN_SKU, 1),
        ]));
        assert_eq!(
            all[2].reasons,
            vec![
                "inventory.ledger_mismatch: 2 affected",
                "inventory.stale_count: 4 affected",
                "inventory.unknown_sku: 1 affected"
            ]
        );
        assert_eq!(
            all[3].reasons,
            vec!["inventory.ledger_mismatch: 2 affected"]
        );
    }

    #[test]
    fn every_dependency_is_a_catalogued_check() {
        for workflow in Workflow::ALL {
            let (blocking, degrading) = dependencies(*workflow);
            for check in blocking.iter().chain(degrading) {
                assert!(checks().iter().any(|c| c.id == *check), "{check}");
            }
        }
    }
}
