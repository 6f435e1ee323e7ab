//! The backend-independent part of `audit_facts`: the ordering of every list
//! and the ticket-linking rule, exactly as `storeops_insights::facts_from_records`
//! defines them (sorting happens here, not in SQL, because PostgreSQL sorts
//! text by collation while the reference sorts by Rust string order).

use storeops_domain::facts::{AuditFacts, IdentityFacts};
use storeops_domain::linking::{unlinked_ticket_ids, TicketRef};

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

/// Sorted ids of tickets that link to no known customer and no known order
/// (the rule is `storeops_domain::linking`'s, shared with the reference).
pub(crate) fn tickets_unlinked(
    tickets: &[TicketLinks],
    customer_external_ids: &[String],
    identities: &[IdentityFacts],
    order_names: &[String],
) -> Vec<String> {
    unlinked_ticket_ids(
        tickets.iter().map(|t| TicketRef {
            id: &t.id,
            customer_external_id: t.customer_external_id.as_deref(),
            customer_email: t.customer_email.as_deref(),
            order_name: t.order_name.as_deref(),
        }),
        customer_external_ids.iter().map(String::as_str),
        identities,
        order_names.iter().map(String::as_str),
    )
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
    use storeops_domain::IdentityKind;

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
