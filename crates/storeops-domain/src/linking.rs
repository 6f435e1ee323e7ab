//! The ticket-linking rule shared by the audit's reference facts and the
//! store's SQL-backed facts: a ticket is linked when it names a known
//! customer (trimmed platform id, or normalised e-mail among the e-mail
//! identities) or a known order (trimmed name).

use std::collections::BTreeSet;

use crate::customer::IdentityKind;
use crate::facts::IdentityFacts;
use crate::normalize::normalize_email;

/// The linking fields of one ticket, as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketRef<'a> {
    /// Ticket id.
    pub id: &'a str,
    /// Platform id of the customer.
    pub customer_external_id: Option<&'a str>,
    /// Customer e-mail.
    pub customer_email: Option<&'a str>,
    /// Order name.
    pub order_name: Option<&'a str>,
}

/// Trimmed, non-blank text.
pub fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// Sorted ids of the tickets that link to no known customer and no known order.
pub fn unlinked_ticket_ids<'a>(
    tickets: impl IntoIterator<Item = TicketRef<'a>>,
    customer_external_ids: impl IntoIterator<Item = &'a str>,
    identities: &[IdentityFacts],
    order_names: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let external_ids: BTreeSet<&str> = customer_external_ids
        .into_iter()
        .filter_map(|id| present(Some(id)))
        .collect();
    let emails: BTreeSet<&str> = identities
        .iter()
        .filter(|i| i.kind == IdentityKind::Email)
        .map(|i| i.normalized.as_str())
        .collect();
    let orders: BTreeSet<&str> = order_names.into_iter().map(str::trim).collect();
    let mut ids: Vec<String> = tickets
        .into_iter()
        .filter(|t| {
            let by_id = present(t.customer_external_id).is_some_and(|id| external_ids.contains(id));
            let by_email = t
                .customer_email
                .map(normalize_email)
                .is_some_and(|e| !e.is_empty() && emails.contains(e.as_str()));
            let by_order = present(t.order_name).is_some_and(|name| orders.contains(name));
            !(by_id || by_email || by_order)
        })
        .map(|t| t.id.to_string())
        .collect();
    ids.sort_unstable();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket<'a>(
        id: &'a str,
        ext: Option<&'a str>,
        email: Option<&'a str>,
        order: Option<&'a str>,
    ) -> TicketRef<'a> {
        TicketRef {
            id,
            customer_external_id: ext,
            customer_email: email,
            order_name: order,
        }
    }

    #[test]
    fn links_by_id_email_or_order_and_lists_the_rest_sorted() {
        let identities = vec![IdentityFacts {
            customer_key: "id:7".into(),
            kind: IdentityKind::Email,
            normalized: "jane@example.com".into(),
        }];
        let tickets = vec![
            ticket("T3", None, Some("nobody@example.com"), Some("#9")),
            ticket("T1", Some(" 7 "), None, None),
            ticket("T2", None, Some(" Jane@Example.COM "), None),
            ticket("T4", None, None, Some(" #1001 ")),
            ticket("T0", Some("  "), Some(""), None),
        ];
        let ids = unlinked_ticket_ids(tickets, ["7"], &identities, ["#1001"]);
        assert_eq!(ids, vec!["T0".to_string(), "T3".to_string()]);
    }
}
