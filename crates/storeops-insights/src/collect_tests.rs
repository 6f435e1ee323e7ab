//! Tests of `facts_from_records` with hand-built records covering every field.

use super::*;
use crate::testutil::{as_of, doc};
use chrono::TimeZone;
use storeops_domain::facts::VariantFacts;
use storeops_domain::{
    Address, Currency, FinancialStatus, FulfillmentStatus, Identity, Image, Money, ReturnStatus,
    Shipment, ShipmentStatus, TicketStatus, Variant,
};

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, day, 10, 0, 0).unwrap()
}

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

fn product(handle: &str, html: &str, variants: Vec<Variant>) -> Record {
    let mut p = Product::new(handle, format!("{handle} title"));
    p.description_html = html.to_string();
    p.variants = variants;
    Record::Product(p)
}

fn customer(external_id: Option<&str>, email: Option<&str>, phone: Option<&str>) -> Customer {
    Customer {
        external_id: external_id.map(str::to_string),
        first_name: "Ada".into(),
        last_name: "L".into(),
        email: email.map(str::to_string),
        phone: phone.map(str::to_string),
        accepts_marketing: false,
        source: "web".into(),
        default_address: Address::default(),
        tags: vec![],
        note: String::new(),
        tax_exempt: false,
        identities: vec![],
    }
}

fn order(name: &str, email: Option<&str>) -> Record {
    Record::Order(Order {
        name: name.into(),
        external_id: None,
        customer_external_id: None,
        email: email.map(str::to_string),
        phone: None,
        created_at: at(1),
        cancelled_at: None,
        currency: Currency::USD,
        financial_status: FinancialStatus::Paid,
        fulfillment_status: FulfillmentStatus::Fulfilled,
        subtotal: usd(0),
        shipping: usd(0),
        taxes: usd(0),
        discount: usd(0),
        discount_code: None,
        total: usd(0),
        shipping_address: Address::default(),
        billing_address: Address::default(),
        source: "web".into(),
        tags: vec![],
        note: String::new(),
        lines: vec![],
    })
}

fn level(sku: &str, location: &str, on_hand: i64) -> Record {
    Record::Inventory(InventoryRecord::Level(InventoryLevel {
        sku: sku.into(),
        location: location.into(),
        on_hand,
        committed: 0,
        available: on_hand,
        incoming: 0,
        counted_at: Some(at(2)),
    }))
}

fn adjustment(
    id: &str,
    sku: &str,
    delta: i64,
    reason: Option<AdjustmentReason>,
    reference: Option<&str>,
) -> Record {
    Record::Inventory(InventoryRecord::Adjustment(InventoryAdjustment {
        id: id.into(),
        sku: sku.into(),
        location: "main".into(),
        delta,
        reason,
        occurred_at: at(3),
        reference: reference.map(str::to_string),
    }))
}

fn return_request(id: &str, status: ReturnStatus) -> Record {
    Record::Return(ReturnRequest {
        id: id.into(),
        order_name: "#1".into(),
        status,
        requested_at: at(4),
        received_at: Some(at(5)),
        resolution: None,
        restock: true,
        customer_note: String::new(),
        lines: vec![],
        refunds: vec![],
    })
}

fn ticket(
    id: &str,
    external_id: Option<&str>,
    email: Option<&str>,
    order_name: Option<&str>,
) -> Record {
    Record::Ticket(Ticket {
        id: id.into(),
        channel: "email".into(),
        subject: "Hi".into(),
        status: TicketStatus::Open,
        intent: None,
        customer_external_id: external_id.map(str::to_string),
        customer_email: email.map(str::to_string),
        order_name: order_name.map(str::to_string),
        created_at: at(6),
        messages: vec![],
    })
}

fn records() -> Vec<Record> {
    let mut with_image = Product::new("b-mug", "Mug");
    with_image.description_html = "<p>Old</p>".into();
    let mut replaced = with_image.clone();
    replaced.description_html = "<p> Warm &amp; <b>big</b> </p>".into();
    replaced.images = vec![Image {
        src: "https://x/1.jpg".into(),
        position: 1,
        alt: String::new(),
    }];
    let mut priced = Variant::new(Some("MUG-1".into()), Some(usd(1250)));
    priced.cost = Some(usd(400));
    priced.compare_at_price = Some(usd(1500));
    priced.gtin = Some("4006381333931".into());
    replaced.variants = vec![priced, Variant::new(None, None)];
    let mut second = customer(
        Some(" 77 "),
        Some("Jane.Doe@Example.com"),
        Some("(555) 010-2233"),
    );
    second.identities = vec![Identity {
        kind: IdentityKind::Helpdesk,
        value: "zd-1".into(),
    }];
    vec![
        Record::Product(with_image),
        product(
            "a-hat",
            "<p> </p>",
            vec![Variant::new(Some("HAT".into()), Some(usd(900)))],
        ),
        Record::Product(replaced),
        Record::Customer(customer(None, Some("jane.doe@example.com "), Some("abc"))),
        Record::Customer(second),
        Record::Customer(customer(None, None, Some("555"))),
        order("#2", None),
        order("#1", Some("x@example.com")),
        order("#2", None),
        level("MUG-1", "main", 5),
        level("HAT", "main", 9),
        level("HAT", "main", 3),
        adjustment("adj-1", "MUG-1", 4, Some(AdjustmentReason::Receive), None),
        adjustment("adj-2", "MUG-1", 1, None, None),
        adjustment(
            "adj-3",
            "HAT",
            2,
            Some(AdjustmentReason::Return),
            Some("R-1"),
        ),
        adjustment(
            "adj-3",
            "HAT",
            3,
            Some(AdjustmentReason::Return),
            Some("R-2"),
        ),
        adjustment("adj-4", "GHOST", 7, None, None),
        return_request("R-1", ReturnStatus::Received),
        return_request("R-2", ReturnStatus::Closed),
        ticket("T-4", None, None, None),
        ticket("T-3", Some("77"), None, None),
        ticket("T-2", None, Some(" JANE.doe@example.com"), None),
        ticket("T-1", None, Some("nobody@example.com"), Some(" #1 ")),
        ticket("T-0", Some("78"), Some("nobody@example.com"), Some("#9")),
        Record::Doc(doc("faq", 2, "v2")),
        Record::Doc(doc("faq", 1, "v1 first")),
        Record::Doc(doc("faq", 1, "v1 replaced")),
        Record::Shipment(Shipment {
            id: "S-1".into(),
            order_name: "#1".into(),
            carrier: "ups".into(),
            tracking_number: "1Z".into(),
            tracking_url: String::new(),
            origin_location: "main".into(),
            status: ShipmentStatus::Delivered,
            shipped_at: Some(at(7)),
            estimated_delivery_at: None,
            delivered_at: None,
            events: vec![],
        }),
    ]
}

#[test]
fn catalog_facts_follow_the_last_record_per_handle() {
    let facts = facts_from_records(&records(), as_of());
    let products: Vec<(&str, usize, usize)> = facts
        .products
        .iter()
        .map(|p| (p.handle.as_str(), p.description_len, p.image_count))
        .collect();
    assert_eq!(products, vec![("a-hat", 0, 0), ("b-mug", 10, 1)]);
    assert_eq!(
        facts.variants,
        vec![
            VariantFacts {
                handle: "a-hat".into(),
                position: 1,
                sku: Some("HAT".into()),
                price_minor: Some(900),
                compare_at_minor: None,
                cost_minor: None,
                gtin: None,
            },
            VariantFacts {
                handle: "b-mug".into(),
                position: 1,
                sku: Some("MUG-1".into()),
                price_minor: Some(1250),
                compare_at_minor: Some(1500),
                cost_minor: Some(400),
                gtin: Some("4006381333931".into()),
            },
            VariantFacts {
                handle: "b-mug".into(),
                position: 2,
                sku: None,
                price_minor: None,
                compare_at_minor: None,
                cost_minor: None,
                gtin: None,
            },
        ]
    );
}

#[test]
fn inventory_facts_join_levels_with_their_ledger() {
    let facts = facts_from_records(&records(), as_of());
    let levels: Vec<(String, i64, u64, i64)> = facts
        .levels
        .iter()
        .map(|l| (l.label(), l.on_hand, l.ledger_entries, l.ledger_sum))
        .collect();
    assert_eq!(
        levels,
        vec![
            ("HAT@main".to_string(), 3, 1, 3),
            ("MUG-1@main".to_string(), 5, 2, 5)
        ]
    );
    assert_eq!(facts.adjustments_total, 4);
    assert_eq!(facts.adjustments_without_reason, vec!["adj-2", "adj-4"]);
    let returns: Vec<(&str, bool)> = facts
        .returns
        .iter()
        .map(|r| (r.id.as_str(), r.restocked_in_ledger))
        .collect();
    assert_eq!(returns, vec![("R-1", false), ("R-2", true)]);
    assert_eq!(facts.returns[1].status, ReturnStatus::Closed);
    assert_eq!(facts.returns[1].received_at, Some(at(5)));
}

#[test]
fn customer_facts_cover_orders_identities_and_tickets() {
    let facts = facts_from_records(&records(), as_of());
    assert_eq!(facts.orders_total, 2);
    assert_eq!(facts.orders_without_customer, vec!["#2"]);
    assert_eq!(facts.customers_total, 2);
    let identities: Vec<(&str, &str, &str)> = facts
        .identities
        .iter()
        .map(|i| {
            (
                i.customer_key.as_str(),
                i.kind.as_str(),
                i.normalized.as_str(),
            )
        })
        .collect();
    assert_eq!(
        identities,
        vec![
            (
                "email:jane.doe@example.com",
                "email",
                "jane.doe@example.com"
            ),
            ("id:77", "email", "jane.doe@example.com"),
            ("id:77", "phone", "15550102233"),
        ]
    );
    assert_eq!(facts.tickets_total, 5);
    assert_eq!(facts.tickets_unlinked, vec!["T-0", "T-4"]);
}

#[test]
fn docs_keep_every_version_last_write_wins() {
    let facts = facts_from_records(&records(), as_of());
    let docs: Vec<(&str, i64, &str)> = facts
        .docs
        .iter()
        .map(|d| (d.key.as_str(), d.version, d.body.as_str()))
        .collect();
    assert_eq!(docs, vec![("faq", 1, "v1 replaced"), ("faq", 2, "v2")]);
}

#[test]
fn no_records_give_empty_facts() {
    assert_eq!(facts_from_records(&[], as_of()), AuditFacts::default());
}

#[test]
fn the_audit_of_collected_facts_names_records_by_their_keys() {
    let facts = facts_from_records(&records(), as_of());
    let report = crate::audit(&facts, &crate::AuditConfig::new(as_of()));
    let found: Vec<(&str, Vec<String>)> = report
        .findings
        .iter()
        .map(|f| (f.check.as_str(), f.ids.clone()))
        .collect();
    let get = |check: &str| {
        found
            .iter()
            .find(|(c, _)| *c == check)
            .map(|(_, ids)| ids.clone())
    };
    assert_eq!(
        get("catalog.missing_sku"),
        Some(vec!["b-mug#2".to_string()])
    );
    assert_eq!(
        get("customers.duplicate_customer"),
        Some(vec![
            "email:jane.doe@example.com".to_string(),
            "id:77".to_string()
        ])
    );
    assert_eq!(
        get("inventory.return_not_restocked"),
        Some(vec!["R-1".to_string()])
    );
    assert_eq!(
        get("customers.ticket_unlinked"),
        Some(vec!["T-0".to_string(), "T-4".to_string()])
    );
}
