//! The readiness report: area scores, workflow verdicts and findings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::catalogue::info;
use crate::labels::{Area, Severity, Verdict, Workflow};

/// The result of one audit.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ReadinessReport {
    /// The moment the data was judged at.
    pub as_of: DateTime<Utc>,
    /// Mean of the area scores, rounded half up (0–100).
    pub overall_score: u8,
    /// One score per area, in [`Area::ALL`] order.
    pub areas: Vec<AreaScore>,
    /// One verdict per workflow, in [`Workflow::ALL`] order.
    pub workflows: Vec<WorkflowVerdict>,
    /// Checks with at least one affected record, critical first, then by check id.
    pub findings: Vec<Finding>,
}

impl ReadinessReport {
    /// A copy whose findings list at most `max_ids` ids each; counts,
    /// populations, scores and verdicts are unchanged.
    pub fn truncated(&self, max_ids: usize) -> ReadinessReport {
        let mut report = self.clone();
        for finding in &mut report.findings {
            finding.ids.truncate(max_ids);
        }
        report
    }

    /// The finding of check `check`, if it found anything.
    pub fn finding(&self, check: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.check == check)
    }
}

/// How ready one area's data is.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct AreaScore {
    /// The area.
    pub area: Area,
    /// 100 minus the penalties of its findings (see `docs/readiness-checks.md`).
    pub score: u8,
    /// Records checked in the area (catalog: products + variants; inventory:
    /// levels + returns + adjustments; customers: orders + customers +
    /// tickets; knowledge: effective documents).
    pub checked: u64,
    /// Number of findings in the area.
    pub findings: usize,
}

/// Whether one workflow can be automated, and why not.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct WorkflowVerdict {
    /// The workflow.
    pub workflow: Workflow,
    /// The verdict.
    pub verdict: Verdict,
    /// The relevant checks with findings, blocking ones first, as
    /// `"<check id>: <count> affected"`.
    pub reasons: Vec<String>,
}

/// What one check found.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Check id (`catalog.missing_gtin`).
    pub check: String,
    /// Area of the check.
    pub area: Area,
    /// Severity of the check.
    pub severity: Severity,
    /// What the check finds.
    pub title: String,
    /// Number of affected records (equals `ids.len()` until truncated).
    pub count: u64,
    /// Number of records the check looked at.
    pub population: u64,
    /// Every affected id, sorted and deduplicated (see the doc's "affected id" column).
    pub ids: Vec<String>,
    /// How to fix it.
    pub fix: String,
    /// Extra explanation, e.g. the conflicting values of a policy fact.
    pub detail: Option<String>,
}

impl Finding {
    /// The finding of the catalogued check `check` for `ids` out of
    /// `population` records, or `None` when nothing is affected.
    pub(crate) fn of(
        check: &str,
        ids: impl IntoIterator<Item = String>,
        population: u64,
        detail: Option<String>,
    ) -> Option<Finding> {
        let check = info(check)?;
        let mut ids: Vec<String> = ids.into_iter().collect();
        ids.sort();
        ids.dedup();
        (!ids.is_empty()).then(|| Finding {
            check: check.id.to_string(),
            area: check.area,
            severity: check.severity,
            title: check.title.to_string(),
            count: ids.len() as u64,
            population,
            ids,
            fix: check.fix.to_string(),
            detail,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::MISSING_GTIN;
    use chrono::TimeZone;

    fn gtin_finding(ids: &[&str]) -> Option<Finding> {
        Finding::of(MISSING_GTIN, ids.iter().map(|s| s.to_string()), 10, None)
    }

    #[test]
    fn finding_sorts_and_deduplicates_ids() {
        let f = gtin_finding(&["b", "a", "b"]).unwrap();
        assert_eq!(f.ids, vec!["a", "b"]);
        assert_eq!(f.count, 2);
        assert_eq!(f.population, 10);
        assert_eq!(f.severity, Severity::Low);
        assert_eq!(f.area, Area::Catalog);
        assert!(gtin_finding(&[]).is_none());
    }

    #[test]
    fn truncated_keeps_counts_and_lookup_works() {
        let report = ReadinessReport {
            as_of: Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
            overall_score: 90,
            areas: vec![],
            workflows: vec![],
            findings: vec![gtin_finding(&["a", "b", "c"]).unwrap()],
        };
        let short = report.truncated(2);
        let f = short.finding("catalog.missing_gtin").unwrap();
        assert_eq!(f.ids, vec!["a", "b"]);
        assert_eq!(f.count, 3);
        assert_eq!(report.finding("catalog.missing_gtin").unwrap().ids.len(), 3);
        assert!(short.finding("catalog.missing_sku").is_none());
    }
}
