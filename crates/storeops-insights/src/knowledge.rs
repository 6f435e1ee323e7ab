//! Knowledge checks over the currently effective document versions.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use storeops_domain::facts::AuditFacts;
use storeops_domain::KnowledgeDoc;

use crate::audit::AreaAudit;
use crate::catalogue::{POLICY_CONFLICT, REVIEW_OVERDUE};
use crate::config::AuditConfig;
use crate::labels::Area;
use crate::policy::extract_policy_facts;
use crate::report::Finding;

/// How findings name a document version: `key@v<version>`.
fn doc_id(doc: &KnowledgeDoc) -> String {
    format!("{}@v{}", doc.key, doc.version)
}

/// The effective version of each document key on `day`: the highest version
/// with `effective_from ≤ day` and `effective_to` empty or `≥ day` (on equal
/// versions the later one in `docs` wins). Sorted by key.
pub(crate) fn effective_docs(docs: &[KnowledgeDoc], day: NaiveDate) -> Vec<&KnowledgeDoc> {
    let mut current: BTreeMap<&str, &KnowledgeDoc> = BTreeMap::new();
    for doc in docs.iter().filter(|d| d.is_effective_on(day)) {
        match current.get(doc.key.as_str()) {
            Some(kept) if kept.version > doc.version => {}
            _ => {
                current.insert(&doc.key, doc);
            }
        }
    }
    current.into_values().collect()
}

/// Runs the knowledge checks; both count effective documents.
pub(crate) fn audit(facts: &AuditFacts, config: &AuditConfig) -> AreaAudit {
    let day = config.as_of.date_naive();
    let docs = effective_docs(&facts.docs, day);
    let population = docs.len() as u64;
    let overdue = docs
        .iter()
        .filter(|d| d.review_by.is_some_and(|review| review < day))
        .map(|d| doc_id(d));
    let (conflicting, detail) = policy_conflicts(&docs);
    let findings = [
        Finding::of(REVIEW_OVERDUE, overdue, population, None),
        Finding::of(POLICY_CONFLICT, conflicting, population, detail),
    ];
    AreaAudit {
        area: Area::Knowledge,
        checked: population,
        findings: findings.into_iter().flatten().collect(),
    }
}

/// Documents stating a policy fact for which the documents disagree, and a
/// detail naming the values, e.g.
/// `return_window_days: 30 (faq@v1, returns-policy@v2) vs 60 (holiday-returns@v1)`
/// (values ascending; several facts joined with `; `).
fn policy_conflicts(docs: &[&KnowledgeDoc]) -> (Vec<String>, Option<String>) {
    let mut stated: BTreeMap<&str, BTreeMap<u32, BTreeSet<String>>> = BTreeMap::new();
    for doc in docs {
        let text = format!("{}\n\n{}", doc.title, doc.body);
        for fact in extract_policy_facts(&text) {
            stated
                .entry(fact.fact)
                .or_default()
                .entry(fact.value)
                .or_default()
                .insert(doc_id(doc));
        }
    }
    let mut ids = Vec::new();
    let mut details = Vec::new();
    for (fact, values) in stated.iter().filter(|(_, values)| values.len() > 1) {
        let listed: Vec<String> = values
            .iter()
            .map(|(value, docs)| {
                format!(
                    "{value} ({})",
                    docs.iter().cloned().collect::<Vec<_>>().join(", ")
                )
            })
            .collect();
        details.push(format!("{fact}: {}", listed.join(" vs ")));
        ids.extend(values.values().flatten().cloned());
    }
    let detail = (!details.is_empty()).then(|| details.join("; "));
    (ids, detail)
}

#[cfg(test)]
#[path = "knowledge_tests.rs"]
mod tests;
