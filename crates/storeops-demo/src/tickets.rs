//! Support ticket generation: conversations about orders (where is it, returns,
//! damage, changes) and general questions, linked to customers by e-mail or
//! platform id and often to an order.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use storeops_domain::{
    Customer, MessageAuthor, ReturnRequest, Shipment, ShipmentStatus, Ticket, TicketMessage,
    TicketStatus,
};

use crate::calendar::{at, hours, Span, HISTORY_DAYS};
use crate::orders::Placed;
use crate::random::Dice;

/// Everything tickets refer to.
pub(crate) struct Inputs<'a> {
    /// History window.
    pub span: Span,
    /// Customers.
    pub customers: &'a [Customer],
    /// Orders.
    pub orders: &'a [Placed],
    /// Shipments.
    pub shipments: &'a [Shipment],
    /// Returns.
    pub returns: &'a [ReturnRequest],
}

/// Generates `count` tickets, ids `TCK-000001`… in time order.
pub(crate) fn generate(dice: &mut Dice, inputs: &Inputs<'_>, count: usize) -> Vec<Ticket> {
    let shipped: BTreeMap<&str, ShipmentStatus> = inputs
        .shipments
        .iter()
        .map(|s| (s.order_name.as_str(), s.status))
        .collect();
    let returned: BTreeMap<&str, &ReturnRequest> = inputs
        .returns
        .iter()
        .map(|r| (r.order_name.as_str(), r))
        .collect();
    let now = inputs.span.now();
    let mut out = Vec::with_capacity(count);
    let mut attempts = 0;
    while out.len() < count && attempts < count * 20 && !inputs.customers.is_empty() {
        attempts += 1;
        let about_order = !inputs.orders.is_empty() && dice.chance(0.7);
        let (customer, order, created_at, intent) = if about_order {
            let placed = &inputs.orders[dice.index(inputs.orders.len())];
            let created_at = placed.order.created_at + hours(dice.uniform(2.0, 24.0 * 21.0));
            let name = placed.order.name.as_str();
            let intent = if returned
                .get(name)
                .is_some_and(|r| r.requested_at <= created_at)
            {
                "return_request"
            } else if shipped
                .get(name)
                .is_none_or(|s| *s != ShipmentStatus::Delivered)
            {
                "where_is_my_order"
            } else {
                *pick_weighted(
                    dice,
                    &[
                        ("where_is_my_order", 20.0),
                        ("return_request", 20.0),
                        ("product_question", 15.0),
                        ("order_change", 10.0),
                        ("damaged_item", 12.0),
                        ("discount_code", 8.0),
                        ("shipping_cost", 5.0),
                        ("warranty_claim", 10.0),
                    ],
                )
            };
            (
                &inputs.customers[placed.customer],
                Some(placed),
                created_at,
                intent,
            )
        } else {
            let customer = &inputs.customers[dice.index(inputs.customers.len())];
            let day = inputs.span.day(dice.range(0, HISTORY_DAYS - 1));
            let created_at = at(day, dice.range(7 * 3600, 22 * 3600));
            let intent = *pick_weighted(
                dice,
                &[
                    ("product_question", 45.0),
                    ("discount_code", 15.0),
                    ("shipping_cost", 15.0),
                    ("warranty_claim", 10.0),
                    ("account_help", 15.0),
                ],
            );
            (customer, None, created_at, intent)
        };
        if created_at >= now {
            continue;
        }
        // A general question is about some product the store sells.
        let source = order.or_else(|| inputs.orders.get(dice.index(inputs.orders.len())));
        let item = source
            .and_then(|p| p.order.lines.first())
            .map_or("our products", |l| l.name.as_str());
        out.push(ticket(dice, now, customer, order, item, created_at, intent));
    }
    out.sort_by_key(|t| t.created_at);
    for (n, t) in out.iter_mut().enumerate() {
        t.id = format!("TCK-{:06}", n + 1);
    }
    out
}

fn pick_weighted<'a, T>(dice: &mut Dice, items: &'a [(T, f64)]) -> &'a T {
    let weights: Vec<f64> = items.iter().map(|i| i.1).collect();
    &items[dice.weighted(&weights)].0
}

fn ticket(
    dice: &mut Dice,
    now: DateTime<Utc>,
    customer: &Customer,
    order: Option<&Placed>,
    item: &str,
    created_at: DateTime<Utc>,
    intent: &str,
) -> Ticket {
    let order_name = order.map(|p| p.order.name.clone());
    let reference = order_name.clone().unwrap_or_default();
    let (subject, ask, answer) = texts(intent, &reference, item);
    let age = now - created_at;
    let status = if age > TimeDelta::days(7) {
        if dice.chance(0.7) {
            TicketStatus::Solved
        } else {
            TicketStatus::Closed
        }
    } else if age > TimeDelta::days(2) {
        *pick_weighted(
            dice,
            &[
                (TicketStatus::Solved, 50.0),
                (TicketStatus::Pending, 30.0),
                (TicketStatus::Open, 20.0),
            ],
        )
    } else if dice.chance(0.6) {
        TicketStatus::Open
    } else {
        TicketStatus::Pending
    };
    let mut messages = vec![TicketMessage {
        author: MessageAuthor::Customer,
        body: ask,
        sent_at: created_at,
    }];
    if status != TicketStatus::Open {
        let replied = created_at + hours(dice.uniform(0.3, 20.0));
        if replied < now {
            messages.push(TicketMessage {
                author: MessageAuthor::Agent,
                body: answer,
                sent_at: replied,
            });
            let thanks = replied + hours(dice.uniform(0.5, 30.0));
            if dice.chance(0.4) && thanks < now {
                messages.push(TicketMessage {
                    author: MessageAuthor::Customer,
                    body: "Thanks, that helps!".into(),
                    sent_at: thanks,
                });
            }
        }
    }
    let channel = *pick_weighted(
        dice,
        &[
            ("email", 60.0),
            ("chat", 30.0),
            ("social", 5.0),
            ("phone", 5.0),
        ],
    );
    Ticket {
        id: String::new(),
        channel: channel.to_string(),
        subject,
        status,
        intent: dice.chance(0.92).then(|| intent.to_string()),
        customer_external_id: if dice.chance(0.25) {
            customer.external_id.clone()
        } else {
            None
        },
        customer_email: customer.email.clone(),
        order_name,
        created_at,
        messages,
    }
}

/// Subject, customer message and agent reply for an intent.
pub(crate) fn texts(intent: &str, order: &str, item: &str) -> (String, String, String) {
    let (subject, ask, answer) = match intent {
        "where_is_my_order" => (
            format!("Where is my order {order}?"),
            format!("Hi, I ordered {item} ({order}) and haven't received it yet. Can you check?"),
            format!("Thanks for reaching out! Order {order} is with the carrier; the tracking link in your shipping e-mail shows the latest scan."),
        ),
        "return_request" => (
            format!("Return for order {order}"),
            format!("I'd like to return {item} from order {order}. How do I start?"),
            "Sorry it didn't work out! I've opened a return for you; a prepaid label is on its way by e-mail.".to_string(),
        ),
        "order_change" => (
            format!("Change my order {order}"),
            format!("Can I change the size or address on {order} before it ships?"),
            format!("I've updated order {order} for you. You'll get a confirmation shortly."),
        ),
        "damaged_item" => (
            format!("Damaged item in {order}"),
            format!("{item} from {order} arrived damaged. Photos attached."),
            "So sorry about that! We're sending a replacement right away, no need to send the damaged one back.".to_string(),
        ),
        "discount_code" => (
            "Discount code not working".to_string(),
            "My discount code isn't being accepted at checkout.".to_string(),
            "That code has expired, but I've applied the same discount to your next order.".to_string(),
        ),
        "shipping_cost" => (
            "Question about shipping".to_string(),
            "How much is shipping and how long does it take?".to_string(),
            "Shipping is free on larger orders; see our shipping page for details and delivery times.".to_string(),
        ),
        "warranty_claim" => (
            "Warranty question".to_string(),
            format!("{item} stopped working. Is it still covered?"),
            "Yes, it's covered. Please send us the order number and a short video of the issue.".to_string(),
        ),
        "account_help" => (
            "Can't log in".to_string(),
            "I can't reset my password, the e-mail never arrives.".to_string(),
            "I've sent a fresh reset link; please check your spam folder too.".to_string(),
        ),
        _ => (
            format!("Question about {item}"),
            format!("Does {item} run true to size, and what is it made of?"),
            format!("Great question! {item} fits true to size; materials are listed on the product page."),
        ),
    };
    (subject, ask, answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_mention_the_order() {
        let (subject, ask, _) = texts("where_is_my_order", "#1042", "Alpine Hoodie - M / Black");
        assert_eq!(subject, "Where is my order #1042?");
        assert!(ask.contains("Alpine Hoodie - M / Black"));
        let (subject, _, _) = texts("product_question", "", "Soft Lip Balm");
        assert_eq!(subject, "Question about Soft Lip Balm");
    }
}
