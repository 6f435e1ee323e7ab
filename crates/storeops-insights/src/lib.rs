//! storeops data-readiness audit: pure checks, scores and workflow verdicts over facts read from the store.
//!
//! [`facts_from_records`] is the reference in-memory definition of
//! [`AuditFacts`](storeops_domain::facts::AuditFacts); [`audit`] turns facts
//! into a [`ReadinessReport`] following `docs/readiness-checks.md`. No I/O.

mod audit;
mod catalog;
mod catalogue;
mod collect;
mod config;
mod customers;
mod inventory;
mod knowledge;
mod labels;
mod phrases;
mod policy;
mod report;
mod scoring;
mod verdict;

#[cfg(test)]
mod testutil;

pub use audit::audit;
pub use catalogue::{checks, CheckInfo};
pub use collect::facts_from_records;
pub use config::AuditConfig;
pub use labels::{Area, Severity, Verdict, Workflow};
pub use policy::{extract_policy_facts, PolicyFact};
pub use report::{AreaScore, Finding, ReadinessReport, WorkflowVerdict};
