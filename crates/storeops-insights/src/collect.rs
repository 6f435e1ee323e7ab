//! [`facts_from_records`]: the reference in-memory definition of [`AuditFacts`].
//!
//! The store computes the same facts with SQL; both must compare equal with
//! `==`, so every field's definition and order is spelled out here.
//!
//! Records are applied in slice order with upsert semantics: a later record
//! with the same natural key replaces the earlier one entirely (products by
//! handle, customers by `Customer::key()`, orders by name, inventory levels by
//! `(sku, location)`, adjustments by id, returns by id, tickets by id,
//! documents by `(key, version)`). Keys are compared exactly as given.
//! Customers without a key (no platform id and no e-mail) cannot be stored
//! and are ignored. Shipments play no part in the audit.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use storeops_domain::facts::{
    AuditFacts, IdentityFacts, LevelFacts, ProductFacts, ReturnFacts, VariantFacts,
};
use storeops_domain::linking::{unlinked_ticket_ids, TicketRef};
use storeops_domain::normalize::visible_text;
use storeops_domain::{
    AdjustmentReason, Customer, IdentityKind, InventoryAdjustment, InventoryLevel, InventoryRecord,
    KnowledgeDoc, Order, Product, Record, ReturnRequest, Ticket,
};

/// The latest record per natural key, each map sorted by its key.
#[derive(Default)]
struct Latest<'a> {
    products: BTreeMap<&'a str, &'a Product>,
    customers: BTreeMap<String, &'a Customer>,
    orders: BTreeMap<&'a str, &'a Order>,
    levels: BTreeMap<(&'a str, &'a str), &'a InventoryLevel>,
    adjustments: BTreeMap<&'a str, &'a InventoryAdjustment>,
    returns: BTreeMap<&'a str, &'a ReturnRequest>,
    tickets: BTreeMap<&'a str, &'a Ticket>,
    docs: BTreeMap<(&'a str, i64), &'a KnowledgeDoc>,
}

impl<'a> Latest<'a> {
    fn from_records(records: &'a [Record]) -> Self {
        let mut latest = Latest::default();
        for record in records {
            match record {
                Record::Product(p) => {
                    latest.products.insert(&p.handle, p);
                }
                Record::Customer(c) => {
                    if let Some(key) = c.key() {
                        latest.customers.insert(key, c);
                    }
                }
                Record::Order(o) => {
                    latest.orders.insert(&o.name, o);
                }
                Record::Inventory(InventoryRecord::Level(l)) => {
                    latest.levels.insert((&l.sku, &l.location), l);
                }
                Record::Inventory(InventoryRecord::Adjustment(a)) => {
                    latest.adjustments.insert(&a.id, a);
                }
                Record::Return(r) => {
                    latest.returns.insert(&r.id, r);
                }
                Record::Ticket(t) => {
                    latest.tickets.insert(&t.id, t);
                }
                Record::Doc(d) => {
                    latest.docs.insert((&d.key, d.version), d);
                }
                Record::Shipment(_) => {}
            }
        }
        latest
    }
}

/// Computes the audit facts of a set of records.
///
/// Field by field (all after the upsert rules in the module doc; `count`
/// means "number of distinct natural keys"):
///
/// - `products`: one [`ProductFacts`] per product, sorted by handle;
///   `description_len` = chars of `normalize::visible_text(description_html)`,
///   `image_count` = `images.len()`.
/// - `variants`: one [`VariantFacts`] per variant of those products, sorted by
///   `(handle, position)`; `position` is 1-based in the product's variant
///   order; SKU and barcode as given; prices are `Money::minor`.
/// - `levels`: one [`LevelFacts`] per inventory level, sorted by
///   `(sku, location)`; `ledger_entries` / `ledger_sum` = count / sum of
///   `delta` (saturating) of the adjustments with exactly the same SKU and
///   location. Adjustments for pairs without a level appear in no level.
/// - `adjustments_total`: count of adjustments.
/// - `adjustments_without_reason`: ids of adjustments whose reason is `None`, sorted.
/// - `returns`: one [`ReturnFacts`] per return request, sorted by id;
///   `restocked_in_ledger` = some adjustment has reason `return` and
///   `reference == Some(return id)` (exact match).
/// - `orders_total`: count of orders.
/// - `orders_without_customer`: names of orders with `!Order::has_customer()`, sorted.
/// - `customers_total`: count of customers (by `Customer::key()`).
/// - `identities`: for every customer, each e-mail and phone identity of
///   `Customer::all_identities()` with its `Identity::normalized()` value,
///   skipping values that normalise to the empty string; `customer_key` =
///   `Customer::key()`; sorted by `(customer_key, kind label, normalized)`.
/// - `tickets_total`: count of tickets.
/// - `tickets_unlinked`: ids of tickets, sorted, for which all three hold:
///   the trimmed `customer_external_id` is missing, blank or equal to no
///   customer's trimmed `external_id`; the `customer_email` is missing, or its
///   `normalize_email` value is empty or equal to no e-mail identity's
///   `normalized` value in `identities`; the trimmed `order_name` is missing,
///   blank or equal to no order's trimmed name.
/// - `docs`: every document version, sorted by `(key, version)`.
///
/// The facts do not depend on `_as_of` (the store has no such input); it is
/// taken so callers state the audit moment in one place, and `audit` applies
/// it (effective documents, staleness).
pub fn facts_from_records(records: &[Record], _as_of: DateTime<Utc>) -> AuditFacts {
    let latest = Latest::from_records(records);
    let identities = identities(&latest);
    AuditFacts {
        products: latest.products.values().map(|p| product_facts(p)).collect(),
        variants: latest
            .products
            .values()
            .flat_map(|p| variant_facts(p))
            .collect(),
        levels: levels(&latest),
        adjustments_total: latest.adjustments.len() as u64,
        adjustments_without_reason: latest
            .adjustments
            .values()
            .filter(|a| a.reason.is_none())
            .map(|a| a.id.clone())
            .collect(),
        returns: returns(&latest),
        orders_total: latest.orders.len() as u64,
        orders_without_customer: latest
            .orders
            .values()
            .filter(|o| !o.has_customer())
            .map(|o| o.name.clone())
            .collect(),
        customers_total: latest.customers.len() as u64,
        tickets_total: latest.tickets.len() as u64,
        tickets_unlinked: tickets_unlinked(&latest, &identities),
        identities,
        docs: latest.docs.values().map(|d| (*d).clone()).collect(),
    }
}

fn product_facts(p: &Product) -> ProductFacts {
    ProductFacts {
        handle: p.handle.clone(),
        title: p.title.clone(),
        description_len: visible_text(&p.description_html).chars().count(),
        image_count: p.images.len(),
        status: p.status,
        regulated: p.regulated,
    }
}

fn variant_facts(p: &Product) -> impl Iterator<Item = VariantFacts> + '_ {
    p.variants
        .iter()
        .zip(1u32..)
        .map(|(v, position)| VariantFacts {
            handle: p.handle.clone(),
            position,
            sku: v.sku.clone(),
            price_minor: v.price.map(|m| m.minor),
            compare_at_minor: v.compare_at_price.map(|m| m.minor),
            cost_minor: v.cost.map(|m| m.minor),
            gtin: v.gtin.clone(),
        })
}

fn levels(latest: &Latest<'_>) -> Vec<LevelFacts> {
    let mut ledger: BTreeMap<(&str, &str), (u64, i64)> = BTreeMap::new();
    for a in latest.adjustments.values() {
        let entry = ledger.entry((&a.sku, &a.location)).or_default();
        entry.0 += 1;
        entry.1 = entry.1.saturating_add(a.delta);
    }
    latest
        .levels
        .iter()
        .map(|(key, l)| {
            let (ledger_entries, ledger_sum) = ledger.get(key).copied().unwrap_or_default();
            LevelFacts {
                sku: l.sku.clone(),
                location: l.location.clone(),
                on_hand: l.on_hand,
                available: l.available,
                counted_at: l.counted_at,
                ledger_entries,
                ledger_sum,
            }
        })
        .collect()
}

fn returns(latest: &Latest<'_>) -> Vec<ReturnFacts> {
    let restocked: BTreeSet<&str> = latest
        .adjustments
        .values()
        .filter(|a| a.reason == Some(AdjustmentReason::Return))
        .filter_map(|a| a.reference.as_deref())
        .collect();
    latest
        .returns
        .values()
        .map(|r| ReturnFacts {
            id: r.id.clone(),
            status: r.status,
            received_at: r.received_at,
            restock: r.restock,
            restocked_in_ledger: restocked.contains(r.id.as_str()),
        })
        .collect()
}

fn identities(latest: &Latest<'_>) -> Vec<IdentityFacts> {
    let mut out: Vec<IdentityFacts> = latest
        .customers
        .iter()
        .flat_map(|(key, c)| {
            c.all_identities()
                .into_iter()
                .filter(|i| matches!(i.kind, IdentityKind::Email | IdentityKind::Phone))
                .map(|i| (i.kind, i.normalized()))
                .filter(|(_, normalized)| !normalized.is_empty())
                .map(move |(kind, normalized)| IdentityFacts {
                    customer_key: key.clone(),
                    kind,
                    normalized,
                })
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.customer_key, a.kind.as_str(), &a.normalized).cmp(&(
            &b.customer_key,
            b.kind.as_str(),
            &b.normalized,
        ))
    });
    out.dedup();
    out
}

fn tickets_unlinked(latest: &Latest<'_>, identities: &[IdentityFacts]) -> Vec<String> {
    unlinked_ticket_ids(
        latest.tickets.values().map(|t| TicketRef {
            id: &t.id,
            customer_external_id: t.customer_external_id.as_deref(),
            customer_email: t.customer_email.as_deref(),
            order_name: t.order_name.as_deref(),
        }),
        latest
            .customers
            .values()
            .filter_map(|c| c.external_id.as_deref()),
        identities,
        latest.orders.keys().copied(),
    )
}

#[cfg(test)]
#[path = "collect_tests.rs"]
mod tests;
