//! Customer checks over orders, customer identities and tickets.

use std::collections::{BTreeMap, BTreeSet};

use storeops_domain::facts::AuditFacts;
use storeops_domain::IdentityKind;

use crate::audit::AreaAudit;
use crate::catalogue::{DUPLICATE_CUSTOMER, ORDER_WITHOUT_CUSTOMER, TICKET_UNLINKED};
use crate::labels::Area;
use crate::report::Finding;

/// Runs the customer checks: `order_without_customer` counts orders,
/// `duplicate_customer` customers, `ticket_unlinked` tickets.
pub(crate) fn audit(facts: &AuditFacts) -> AreaAudit {
    let findings = [
        Finding::of(
            ORDER_WITHOUT_CUSTOMER,
            facts.orders_without_customer.iter().cloned(),
            facts.orders_total,
            None,
        ),
        Finding::of(
            DUPLICATE_CUSTOMER,
            duplicate_customers(facts),
            facts.customers_total,
            None,
        ),
        Finding::of(
            TICKET_UNLINKED,
            facts.tickets_unlinked.iter().cloned(),
            facts.tickets_total,
            None,
        ),
    ];
    AreaAudit {
        area: Area::Customers,
        checked: facts.orders_total + facts.customers_total + facts.tickets_total,
        findings: findings.into_iter().flatten().collect(),
    }
}

/// Keys of customers that share a non-empty normalised e-mail or phone
/// with a customer of another key.
fn duplicate_customers(facts: &AuditFacts) -> Vec<String> {
    let mut owners: BTreeMap<(IdentityKind, &str), BTreeSet<&str>> = BTreeMap::new();
    for i in &facts.identities {
        if matches!(i.kind, IdentityKind::Email | IdentityKind::Phone) && !i.normalized.is_empty() {
            owners
                .entry((i.kind, &i.normalized))
                .or_default()
                .insert(&i.customer_key);
        }
    }
    owners
        .into_values()
        .filter(|keys| keys.len() > 1)
        .flatten()
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use storeops_domain::facts::IdentityFacts;

    fn identity(key: &str, kind: IdentityKind, normalized: &str) -> IdentityFacts {
        IdentityFacts {
            customer_key: key.to_string(),
            kind,
            normalized: normalized.to_string(),
        }
    }

    #[test]
    fn customers_sharing_an_email_or_phone_are_duplicates() {
        let facts = AuditFacts {
            customers_total: 6,
            identities: vec![
                identity(
                    "email:Jane.Doe@Example.com ",
                    IdentityKind::Email,
                    "jane.doe@example.com",
                ),
                identity("id:2", IdentityKind::Email, "jane.doe@example.com"),
                identity("id:3", IdentityKind::Phone, "15550102233"),
                identity("id:4", IdentityKind::Phone, "15550102233"),
                identity("id:5", IdentityKind::Email, "solo@example.com"),
                identity("id:5", IdentityKind::Phone, "15550109999"),
                identity("id:6", IdentityKind::Platform, "15550109999"),
                identity("id:6", IdentityKind::Email, ""),
                identity("id:7", IdentityKind::Email, ""),
            ],
            ..AuditFacts::default()
        };
        let audit = audit(&facts);
        assert_eq!(audit.findings.len(), 1);
        let f = &audit.findings[0];
        assert_eq!(f.check, "customers.duplicate_customer");
        assert_eq!(
            f.ids,
            vec!["email:Jane.Doe@Example.com ", "id:2", "id:3", "id:4"]
        );
        assert_eq!(f.count, 4);
        assert_eq!(f.population, 6);
    }

    #[test]
    fn orders_and_tickets_come_from_the_facts() {
        let facts = AuditFacts {
            orders_total: 10,
            orders_without_customer: vec!["#1002".into(), "#1001".into()],
            tickets_total: 4,
            tickets_unlinked: vec!["T-9".into()],
            customers_total: 3,
            ..AuditFacts::default()
        };
        let audit = audit(&facts);
        assert_eq!(audit.checked, 17);
        let summary: Vec<(&str, Vec<String>, u64)> = audit
            .findings
            .iter()
            .map(|f| (f.check.as_str(), f.ids.clone(), f.population))
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "customers.order_without_customer",
                    vec!["#1001".to_string(), "#1002".to_string()],
                    10
                ),
                ("customers.ticket_unlinked", vec!["T-9".to_string()], 4),
            ]
        );
    }
}
