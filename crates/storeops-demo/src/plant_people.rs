//! Plants customer-area problems: duplicate customers, orders without any
//! customer identity and tickets that match nobody.

use std::collections::BTreeSet;

use chrono::TimeDelta;
use storeops_domain::normalize::normalize_phone;
use storeops_domain::{
    Address, Customer, Identity, IdentityKind, MessageAuthor, ReturnRequest, Ticket, TicketMessage,
    TicketStatus,
};

use crate::calendar::{at, Span};
use crate::orders::Placed;
use crate::planted::Log;
use crate::random::Dice;

const DUPLICATE: &str = "customers.duplicate_customer";

/// Appends 2–3 customers that duplicate an existing one by e-mail (other
/// spelling) or phone (other format); both keys of each pair are affected.
pub(crate) fn duplicate_customers(dice: &mut Dice, customers: &mut Vec<Customer>, log: &mut Log) {
    let originals = customers.len();
    let pairs = dice.range(2, 3) as usize;
    let mut used = BTreeSet::new();
    for k in 0..pairs {
        let by_phone = k % 2 == 1;
        let Some(i) = (0..50)
            .map(|_| dice.index(originals))
            .find(|i| !used.contains(i) && (!by_phone || customers[*i].phone.is_some()))
        else {
            continue;
        };
        used.insert(i);
        let original = customers[i].clone();
        let Some(original_key) = original.key() else {
            continue;
        };
        let mut copy = original.clone();
        copy.tags.clear();
        copy.accepts_marketing = false;
        let what = if by_phone {
            let digits = normalize_phone(original.phone.as_deref().unwrap_or_default());
            let local = digits.strip_prefix('1').unwrap_or(&digits).to_string();
            copy.external_id = Some(format!("{}", 7_401_900_000_000u64 + k as u64));
            copy.email = Some(format!(
                "{}{}.pos{}@gmail.com",
                original.first_name.to_lowercase(),
                original.last_name.to_lowercase(),
                k + 1
            ));
            copy.phone = Some(local.clone());
            copy.source = "pos".into();
            copy.identities = vec![Identity {
                kind: IdentityKind::Pos,
                value: format!("pos-9{k:05}"),
            }];
            format!(
                "shares phone {} (written {local}) with {original_key}",
                original.phone.unwrap_or_default()
            )
        } else {
            let email = original.email.clone().unwrap_or_default();
            copy.external_id = None;
            copy.email = Some(format!("{} ", capitalise(&email)));
            copy.phone = None;
            copy.default_address = Address {
                phone: String::new(),
                ..original.default_address.clone()
            };
            copy.source = "helpdesk".into();
            copy.identities = vec![Identity {
                kind: IdentityKind::Helpdesk,
                value: format!("zd-99{k:04}"),
            }];
            format!(
                "helpdesk-created copy whose e-mail differs from {email} only in case and spacing"
            )
        };
        let Some(copy_key) = copy.key() else { continue };
        log.add(
            DUPLICATE,
            original_key.clone(),
            format!("original of {copy_key}"),
        );
        log.add(DUPLICATE, copy_key, what);
        customers.push(copy);
    }
}

fn capitalise(email: &str) -> String {
    let mut out = String::with_capacity(email.len());
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let mut start = true;
    for c in local.chars() {
        out.push(if start { c.to_ascii_uppercase() } else { c });
        start = c == '.';
    }
    if !domain.is_empty() {
        out.push('@');
        out.push_str(domain);
    }
    out
}

/// Strips every customer identity from 2–4 walk-in orders that no ticket or
/// return refers to.
pub(crate) fn orders_without_customer(
    dice: &mut Dice,
    orders: &mut [Placed],
    returns: &[ReturnRequest],
    tickets: &[Ticket],
    log: &mut Log,
) {
    let referenced: BTreeSet<&str> = returns
        .iter()
        .map(|r| r.order_name.as_str())
        .chain(tickets.iter().filter_map(|t| t.order_name.as_deref()))
        .collect();
    let mut candidates: Vec<usize> = (0..orders.len())
        .filter(|i| !referenced.contains(orders[*i].order.name.as_str()))
        .collect();
    candidates.sort_by_key(|i| orders[*i].order.source != "pos");
    let pos = candidates
        .iter()
        .filter(|i| orders[**i].order.source == "pos")
        .count();
    let pool = if pos >= 4 { pos } else { candidates.len() };
    let count = dice.range(2, 4) as usize;
    for k in dice.distinct(pool, count) {
        let order = &mut orders[candidates[k]].order;
        order.email = None;
        order.phone = None;
        order.customer_external_id = None;
        order.billing_address = Address::default();
        log.add(
            "customers.order_without_customer",
            order.name.clone(),
            format!(
                "{} order recorded with no e-mail, phone or customer id",
                order.source
            ),
        );
    }
}

/// Appends 2–4 tickets whose e-mail and order name match nothing in the store.
pub(crate) fn unlinked_tickets(
    dice: &mut Dice,
    span: &Span,
    tickets: &mut Vec<Ticket>,
    orders: usize,
    log: &mut Log,
) {
    let names = ["morgan.blake", "sam.rivers", "casey.lin", "jordan.ames"];
    for k in 0..dice.range(2, 4) as usize {
        let created_at = at(
            span.today - TimeDelta::days(dice.range(3, 40)),
            dice.range(8 * 3600, 20 * 3600),
        );
        let order_name = format!("#{}", 1001 + orders + 50_000 + 37 * k);
        let email = format!("{}@mailbox.example.net", names[k % names.len()]);
        let ticket = Ticket {
            id: format!("TCK-{:06}", tickets.len() + 1),
            channel: "email".into(),
            subject: format!("Where is my order {order_name}?"),
            status: TicketStatus::Open,
            intent: Some("where_is_my_order".into()),
            customer_external_id: None,
            customer_email: Some(email.clone()),
            order_name: Some(order_name.clone()),
            created_at,
            messages: vec![TicketMessage {
                author: MessageAuthor::Customer,
                body: format!("Hi, I still haven't received order {order_name}. Can you help?"),
                sent_at: created_at,
            }],
        };
        log.add(
            "customers.ticket_unlinked",
            ticket.id.clone(),
            format!("from {email} about {order_name}: neither exists in the store"),
        );
        tickets.push(ticket);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers;
    use storeops_domain::normalize::normalize_email;

    #[test]
    fn capitalise_changes_case_only() {
        assert_eq!(capitalise("jane.doe12@gmail.com"), "Jane.Doe12@gmail.com");
        assert_eq!(capitalise("jdoe12@gmail.com"), "Jdoe12@gmail.com");
        assert_eq!(
            normalize_email(" Jane.Doe12@gmail.com "),
            "jane.doe12@gmail.com"
        );
    }

    #[test]
    fn duplicates_share_a_normalised_identity() {
        let mut customers = customers::generate(&mut Dice::new(3, "customers"), 200);
        let mut log = Log::default();
        duplicate_customers(&mut Dice::new(3, "plant"), &mut customers, &mut log);
        let problems = log.finish();
        let added = customers.len() - 200;
        assert!((2..=3).contains(&added));
        assert_eq!(problems.len(), 2 * added);
        let copy = &customers[200];
        assert_eq!(copy.external_id, None);
        assert!(copy.email.as_deref().unwrap().ends_with(' '));
        assert_eq!(problems[1].id, copy.key().unwrap());
        let phone_copy = &customers[201];
        let original = customers[..200]
            .iter()
            .find(|c| c.key().as_deref() == Some(problems[2].id.as_str()))
            .unwrap();
        assert_eq!(
            normalize_phone(phone_copy.phone.as_deref().unwrap()),
            normalize_phone(original.phone.as_deref().unwrap())
        );
        assert_eq!(phone_copy.phone.as_deref().unwrap().len(), 10);
    }
}
