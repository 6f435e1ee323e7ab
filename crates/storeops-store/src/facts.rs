//! The backend-independent part of `audit_facts`: the ordering of every list
//! and the ticket-linking rule, exactly as `storeops_insights::facts_from_records`
//! defines them (sorting happens here, not in SQL, because PostgreSQL sorts
//! text by collation while the reference sorts by Rust string order).

use std::collections::BTreeSet;

use storeops_domain::facts::{AuditFacts, IdentityFacts};
use storeops_domain::normalize::normalize_email;
use storeops_domain::IdentityKind;

/// The linking columns of one ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TicketLinks {
    /// Ticket id.
    pub id: String,
    /// Platform id of the customer, as given.
    pub customer_external_id: Option<String>,
    /// Customer e-mail, as given.
    pub customer_email: Option<String>,
    /// Order name, as given.
    pub order_name: Option<String>,
}

/// Trimmed, non-blank text.
fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// Sorted ids of tickets that match no customer (by trimmed platform id or by
/// normalised e-mail among the e-mail identities) and no order (by trimmed
/// name).
pub(crate) fn tickets_unlinked(
    tickets: &[TicketLinks],
    customer_external_ids: &[String],
    identities: &[IdentityFacts],
    order_names: &[String],
) -> Vec<String> {
    let external_ids: BTreeSet<&str> = customer_external_ids
        .iter()
        .filter_map(|id| present(Some(id)))
        .collect();
    let emails: BTreeSet<&str> = identities
        .iter()
        .filter(|i| i.kind == IdentityKind::Email)
        .map(|i| i.normalized.as_str())
        .collect();
    let orders: BTreeSet<&str> = order_names.iter().map(|name| name.trim()).collect();
    let mut ids: Vec<String> = tickets
        .iter()
        .filter(|t| {
            let by_id = present(t.customer_external_id.as_deref())
                .is_some_and(|id| external_ids.contains(id));
            let by_email = t
                .customer_email
                .as_deref()
                .map(normalize_email)
                .is_some_and(|e| !e.is_empty() && emails.contains(e.as_str()));
            let by_order =
                present(t.order_name.as_deref()).is_some_and(|name| orders.contains(name));
            !(by_id || by_email || by_order)
        })
        .map(|t| t.id.clone())
        .collect();
    ids.sort_unstable();
    ids
}

/// Sorts every list the way the reference does: products by handle, variants
/// by (handle, position), levels by (sku, location), returns by id, ids and
/// names as strings, identities by (customer key, kind label, normalised
/// value) without duplicates, documents by (key, version).
pub(crate) fn sort_facts(facts: &mut AuditFacts) {
    facts.products.sort_by(|a, b| a.handle.cmp(&b.handle));
    facts
        .variants
        .sort_by(|a, b| (&a.handle, a.position).cmp(&(&b.handle, b.position)));
    facts
        .levels
        .sort_by(|a, b| (&a.sku, &a.location).cmp(&(&b.sku, &b.location)));
    facts.adjustments_without_reason.sort_unstable();
    facts.returns.sort_by(|a, b| a.id.cmp(&b.id));
    facts.orders_without_customer.sort_unstable();
    facts.identities.sort_by(|a, b| {
        (&a.customer_key, a.kind.as_str(), &a.normalized).cmp(&(
            &b.customer_key,
            b.kind.as_str(),
            &b.normalized,
        ))
    });
    facts.identities.dedup();
    facts.tickets_unlinked.sort_unstable();
    facts
        .docs
        .sort_by(|a, b| (&a.key, a.version).cmp(&(&b.key, b.version)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(
        id: &str,
        ext: Option<&str>,
        email: Option<&str>,
        order: Option<&str>,
    ) -> TicketLinks {
        TicketLinks {
            id: id.to_string(),
            customer_external_id: ext.map(str::to_string),
            customer_email: email.map(str::to_string),
            order_name: order.map(str::to_string),
        }
    }

    fn identity(key: &str, kind: IdentityKind, normalized: &str) -> IdentityFacts {
        IdentityFacts {
            customer_key: key.to_string(),
            kind,
            normalized: normalized.to_string(),
        }
    }

    #[test]
    fn tickets_link_by_id_email_or_order() {
        let tickets = vec![
            ticket("t5", None, None, None),
            ticket("t1", Some(" 42 "), None, None),
            ticket("t2", None, Some(" Ada@Example.com"), None),
            ticket("t3", None, None, Some("#1001 ")),
            ticket("t4", Some("7"), Some("x@y.z"), Some("#9")),
            ticket("t6", Some("  "), Some(""), Some("")),
            ticket("t7", None, Some("15550102030"), None),
        ];
        let identities = vec![
            identity("id:42", IdentityKind::Email, "ada@example.com"),
            identity("id:42", IdentityKind::Phone, "15550102030"),
        ];
        let unlinked = tickets_unlinked(
            &tickets,
            &["42".to_string()],
            &identities,
            &[" #1001".to_string()],
        );
        assert_eq!(unlinked, vec!["t4", "t5", "t6", "t7"]);
    }

    #[test]
    fn identities_sort_by_kind_label_and_deduplicate() {
        let mut facts = AuditFacts {
            identities: vec![
                identity("b", IdentityKind::Email, "z"),
                identity("a", IdentityKind::Phone, "1"),
                identity("a", IdentityKind::Email, "y"),
                identity("a", IdentityKind::Email, "y"),
            ],
            adjustments_without_reason: vec!["b".into(), "B".into(), "a".into()],
            ..AuditFacts::default()
        };
        sort_facts(&mut facts);
        assert_eq!(
            facts.identities,
            vec![
                identity("a", IdentityKind::Email, "y"),
                identity("a", IdentityKind::Phone, "1"),
                identity("b", IdentityKind::Email, "z"),
            ]
        );
        assert_eq!(facts.adjustments_without_reason, vec!["B", "a", "b"]);
    }
}
