//! [`audit`]: runs every check and assembles the readiness report.

use storeops_domain::facts::AuditFacts;

use crate::config::AuditConfig;
use crate::labels::Area;
use crate::report::{AreaScore, Finding, ReadinessReport};
use crate::{catalog, customers, inventory, knowledge, scoring, verdict};

/// What the checks of one area found.
#[derive(Debug)]
pub(crate) struct AreaAudit {
    /// The area.
    pub(crate) area: Area,
    /// Records checked in the area.
    pub(crate) checked: u64,
    /// Findings (only checks with affected records).
    pub(crate) findings: Vec<Finding>,
}

/// Audits `facts` as of `config.as_of`: every check of the catalogue, the
/// area scores, the overall score and the workflow verdicts. Findings list
/// every affected id; use [`ReadinessReport::truncated`] for display.
pub fn audit(facts: &AuditFacts, config: &AuditConfig) -> ReadinessReport {
    let audits = [
        catalog::audit(facts),
        inventory::audit(facts, config),
        customers::audit(facts),
        knowledge::audit(facts, config),
    ];
    let areas: Vec<AreaScore> = audits
        .iter()
        .map(|a| AreaScore {
            area: a.area,
            score: scoring::area_score(&a.findings),
            checked: a.checked,
            findings: a.findings.len(),
        })
        .collect();
    let overall_score = scoring::overall_score(&areas);
    let mut findings: Vec<Finding> = audits.into_iter().flat_map(|a| a.findings).collect();
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.check.cmp(&b.check))
    });
    let workflows = verdict::verdicts(&findings);
    ReadinessReport {
        as_of: config.as_of,
        overall_score,
        areas,
        workflows,
        findings,
    }
}

#[cfg(test)]
#[path = "audit_tests.rs"]
mod tests;
