//! Hand-built records for the conformance suite.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use storeops_domain::{
    Address, AdjustmentReason, Currency, Customer, DocKind, FinancialStatus, FulfillmentStatus,
    Identity, IdentityKind, Image, InventoryAdjustment, InventoryLevel, InventoryRecord,
    KnowledgeDoc, MessageAuthor, Money, Order, OrderLine, Product, ProductStatus, Record, Refund,
    ReturnLine, ReturnReason, ReturnRequest, ReturnStatus, Shipment, ShipmentStatus, Ticket,
    TicketMessage, TicketStatus, TrackingEvent, Variant,
};

/// A fixed UTC instant on 2024-03-`day` at `hour`:00.
pub fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, day, hour, 0, 0).unwrap()
}

/// US dollars.
pub fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::parse("USD").unwrap())
}

/// A product with `skus.len()` priced variants.
pub fn product(handle: &str, skus: &[&str]) -> Product {
    let mut p = Product::new(handle, format!("Product {handle}"));
    p.description_html = "<p>Warm &amp; <b>cosy</b></p>".into();
    p.tags = vec!["winter".into()];
    p.option_names = vec!["Size".into()];
    p.attributes = BTreeMap::from([("custom.material".to_string(), "wool".to_string())]);
    p.images = vec![Image {
        src: format!("https://cdn.example/{handle}.jpg"),
        position: 1,
        alt: String::new(),
    }];
    p.variants = skus
        .iter()
        .enumerate()
        .map(|(i, sku)| {
            let mut v = Variant::new(Some(sku.to_string()), Some(usd(1000 + i as i64)));
            v.option_values = vec![format!("S{i}")];
            v.cost = Some(usd(400));
            v.gtin = Some("4006381333931".into());
            v
        })
        .collect();
    p
}

/// A customer with platform id and/or e-mail.
pub fn customer(id: Option<&str>, email: Option<&str>, phone: Option<&str>) -> Customer {
    Customer {
        external_id: id.map(str::to_string),
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        email: email.map(str::to_string),
        phone: phone.map(str::to_string),
        accepts_marketing: true,
        source: "web".into(),
        default_address: Address {
            city: "London".into(),
            country_code: "GB".into(),
            ..Address::default()
        },
        tags: vec![],
        note: String::new(),
        tax_exempt: false,
        identities: vec![Identity {
            kind: IdentityKind::Helpdesk,
            value: "zd-7".into(),
        }],
    }
}

/// An order with `lines` lines of SKU `S-<i>`, placed on `created_at`.
pub fn order(name: &str, created_at: DateTime<Utc>, lines: usize) -> Order {
    let lines: Vec<OrderLine> = (0..lines)
        .map(|i| OrderLine {
            sku: Some(format!("S-{i}")),
            name: format!("Item {i}"),
            quantity: 1 + i as i64,
            price: usd(500),
            compare_at_price: None,
            discount: usd(0),
            requires_shipping: true,
            taxable: true,
            fulfillment_status: FulfillmentStatus::Unfulfilled,
            vendor: "Acme".into(),
        })
        .collect();
    let subtotal: i64 = lines.iter().map(|l| l.price.minor * l.quantity).sum();
    Order {
        name: name.into(),
        external_id: Some(format!("ext-{name}")),
        customer_external_id: Some("42".into()),
        email: None,
        phone: None,
        created_at,
        cancelled_at: None,
        currency: Currency::parse("USD").unwrap(),
        financial_status: FinancialStatus::Paid,
        fulfillment_status: FulfillmentStatus::Unfulfilled,
        subtotal: usd(subtotal),
        shipping: usd(0),
        taxes: usd(0),
        discount: usd(0),
        discount_code: None,
        total: usd(subtotal),
        shipping_address: Address::default(),
        billing_address: Address::default(),
        source: "web".into(),
        tags: vec![],
        note: String::new(),
        lines,
    }
}

/// An inventory level.
pub fn level(sku: &str, location: &str, on_hand: i64, counted_at: Option<DateTime<Utc>>) -> Record {
    Record::Inventory(InventoryRecord::Level(InventoryLevel {
        sku: sku.into(),
        location: location.into(),
        on_hand,
        committed: 1,
        available: on_hand - 1,
        incoming: 0,
        counted_at,
    }))
}

/// A ledger entry.
pub fn adjustment(
    id: &str,
    sku: &str,
    location: &str,
    delta: i64,
    reason: Option<AdjustmentReason>,
    reference: Option<&str>,
) -> Record {
    Record::Inventory(InventoryRecord::Adjustment(InventoryAdjustment {
        id: id.into(),
        sku: sku.into(),
        location: location.into(),
        delta,
        reason,
        occurred_at: at(2, 9),
        reference: reference.map(str::to_string),
    }))
}

/// A return request with one line and `refunds` refund ids.
pub fn return_request(
    id: &str,
    status: ReturnStatus,
    received: bool,
    restock: bool,
    refunds: &[&str],
) -> ReturnRequest {
    ReturnRequest {
        id: id.into(),
        order_name: "#1001".into(),
        status,
        requested_at: at(5, 10),
        received_at: received.then(|| at(9, 15)),
        resolution: None,
        restock,
        customer_note: "too small".into(),
        lines: vec![ReturnLine {
            sku: "A-1".into(),
            quantity: 1,
            reason: ReturnReason::SizeTooSmall,
            note: String::new(),
            photos: vec![],
        }],
        refunds: refunds
            .iter()
            .map(|r| Refund {
                id: r.to_string(),
                order_name: "#1001".into(),
                amount: usd(1000),
                created_at: at(10, 8),
                reason: "return".into(),
            })
            .collect(),
    }
}

/// A ticket with one message.
pub fn ticket(
    id: &str,
    external_id: Option<&str>,
    email: Option<&str>,
    order_name: Option<&str>,
) -> Ticket {
    Ticket {
        id: id.into(),
        channel: "email".into(),
        subject: "Where is my order?".into(),
        status: TicketStatus::Open,
        intent: Some("where_is_my_order".into()),
        customer_external_id: external_id.map(str::to_string),
        customer_email: email.map(str::to_string),
        order_name: order_name.map(str::to_string),
        created_at: at(6, 12),
        messages: vec![TicketMessage {
            author: MessageAuthor::Customer,
            body: "Hello?".into(),
            sent_at: at(6, 12),
        }],
    }
}

/// A knowledge document version.
pub fn doc(key: &str, version: i64, body: &str) -> KnowledgeDoc {
    KnowledgeDoc {
        key: key.into(),
        version,
        kind: DocKind::ReturnPolicy,
        title: format!("{key} v{version}"),
        body: body.into(),
        effective_from: NaiveDate::from_ymd_opt(2024, 1, version as u32).unwrap(),
        effective_to: None,
        review_by: Some(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()),
        product_handle: None,
        url: None,
    }
}

/// A shipment from `origin` with two tracking events.
pub fn shipment(id: &str, origin: &str) -> Shipment {
    Shipment {
        id: id.into(),
        order_name: "#1001".into(),
        carrier: "UPS".into(),
        tracking_number: format!("1Z{id}"),
        tracking_url: String::new(),
        status: ShipmentStatus::InTransit,
        origin_location: origin.into(),
        shipped_at: Some(at(3, 8)),
        estimated_delivery_at: Some(at(6, 18)),
        delivered_at: None,
        events: vec![
            TrackingEvent {
                at: at(3, 9),
                status: ShipmentStatus::LabelCreated,
                message: "Label".into(),
                location: "Leeds".into(),
            },
            TrackingEvent {
                at: at(4, 9),
                status: ShipmentStatus::InTransit,
                message: "Departed".into(),
                location: "Leeds".into(),
            },
        ],
    }
}

/// A small store that exercises every field of `AuditFacts`: duplicate and
/// missing SKUs, ledger mismatches and entries without level or reason,
/// restocked and unrestocked returns, orders without customer, keyless and
/// phone-less customers, linked and unlinked tickets, two versions of a
/// document, and a repeated key (last wins).
pub fn audit_store() -> Vec<Record> {
    let mut alpha = product("alpha", &["A-1", "A-2"]);
    alpha.variants[1].sku = None;
    alpha.variants[1].price = None;
    alpha.variants[1].compare_at_price = Some(usd(1500));
    alpha.images.push(Image {
        src: "https://cdn.example/alpha-2.jpg".into(),
        position: 2,
        alt: "side".into(),
    });
    let mut beta = product("beta", &["A-1"]);
    beta.status = ProductStatus::Draft;
    beta.regulated = true;
    beta.description_html = "<p> &nbsp;</p>".into();
    beta.images.clear();
    beta.variants[0].cost = Some(usd(0));
    beta.variants[0].gtin = None;
    let mut gamma_old = product("gamma", &["G-1"]);
    gamma_old.title = "Old".into();
    let mut gamma = product("gamma", &["G-1", "G-2"]);
    gamma.title = String::new();

    let mut no_customer = order("#1002", at(2, 10), 1);
    no_customer.customer_external_id = None;
    no_customer.email = Some("  ".into());
    let mut by_email = order(" #1003", at(3, 10), 2);
    by_email.customer_external_id = None;
    by_email.email = Some("bob@example.com".into());

    let mut ada = customer(Some("42"), Some("Ada@Example.com"), Some("+1 555 010 2030"));
    ada.identities.push(Identity {
        kind: IdentityKind::Email,
        value: "ada.work@example.com".into(),
    });
    let bob = customer(None, Some("bob@example.com"), Some("n/a"));
    let keyless = customer(None, None, Some("+44 20 7946 0958"));

    vec![
        Record::Product(alpha),
        Record::Product(gamma_old),
        Record::Product(beta),
        Record::Product(gamma),
        Record::Customer(ada),
        Record::Customer(bob),
        Record::Customer(keyless),
        Record::Order(order("#1001", at(1, 10), 2)),
        Record::Order(no_customer),
        Record::Order(by_email),
        level("A-1", "Main", 10, Some(at(1, 7))),
        level("B-1", "Main", 5, None),
        level("A-1", "Store", 3, Some(at(1, 7))),
        adjustment(
            "adj-1",
            "A-1",
            "Main",
            12,
            Some(AdjustmentReason::Receive),
            None,
        ),
        adjustment(
            "adj-2",
            "A-1",
            "Main",
            -2,
            Some(AdjustmentReason::Sale),
            Some("#1001"),
        ),
        adjustment("adj-3", "B-1", "Main", 4, None, None),
        adjustment(
            "adj-4",
            "A-1",
            "Main",
            1,
            Some(AdjustmentReason::Return),
            Some("r-1"),
        ),
        adjustment("adj-5", "Z-9", "Back room", 2, None, None),
        adjustment(
            "Adj-0",
            "A-1",
            "Main",
            0,
            Some(AdjustmentReason::Count),
            Some("r-2"),
        ),
        Record::Return(return_request(
            "r-1",
            ReturnStatus::Received,
            true,
            true,
            &["rf-1"],
        )),
        Record::Return(return_request(
            "r-2",
            ReturnStatus::Closed,
            true,
            true,
            &["rf-2", "rf-3"],
        )),
        Record::Return(return_request(
            "r-3",
            ReturnStatus::Requested,
            false,
            false,
            &[],
        )),
        Record::Shipment(shipment("sh-1", "Main")),
        Record::Shipment(shipment("sh-2", "")),
        Record::Ticket(ticket("t-1", Some("42"), None, None)),
        Record::Ticket(ticket("t-2", None, Some(" ADA@example.com "), None)),
        Record::Ticket(ticket("t-3", None, None, Some("#1002"))),
        Record::Ticket(ticket(
            "t-4",
            None,
            Some("nobody@example.com"),
            Some("#9999"),
        )),
        Record::Ticket(ticket("t-5", None, None, None)),
        Record::Ticket(ticket("t-6", Some(" 42 "), None, None)),
        Record::Ticket(ticket("t-7", Some("77"), Some(""), Some("#1003"))),
        Record::Ticket(ticket("T-0", None, Some("ada.work@EXAMPLE.com"), None)),
        Record::Doc(doc("return-policy", 2, "Returns within 30 days.")),
        Record::Doc(doc("return-policy", 1, "Returns within 14 days.")),
        Record::Doc(doc("faq", 1, "We ship in 2 days.")),
    ]
}
