//! Splitting an upsert slice by kind, with natural keys and content hashes.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};
use storeops_domain::{
    Customer, InventoryAdjustment, InventoryLevel, InventoryRecord, KnowledgeDoc, Order, Product,
    Record, ReturnRequest, Shipment, Ticket,
};

use crate::error::StoreError;
use crate::plan::Keyed;

/// The records of one upsert call, grouped by table, in slice order.
#[derive(Debug, Default)]
pub(crate) struct Batch<'a> {
    /// Products by handle.
    pub products: Vec<Keyed<'a, String, Product>>,
    /// Customers by `Customer::key()`.
    pub customers: Vec<Keyed<'a, String, Customer>>,
    /// Orders by name.
    pub orders: Vec<Keyed<'a, String, Order>>,
    /// Inventory levels by (sku, location).
    pub levels: Vec<Keyed<'a, (String, String), InventoryLevel>>,
    /// Ledger entries by id.
    pub adjustments: Vec<Keyed<'a, String, InventoryAdjustment>>,
    /// Shipments by id.
    pub shipments: Vec<Keyed<'a, String, Shipment>>,
    /// Return requests by id.
    pub returns: Vec<Keyed<'a, String, ReturnRequest>>,
    /// Tickets by id.
    pub tickets: Vec<Keyed<'a, String, Ticket>>,
    /// Knowledge documents by (key, version).
    pub docs: Vec<Keyed<'a, (String, i64), KnowledgeDoc>>,
    /// Customers left out because they have no natural key.
    pub keyless_customers: usize,
}

/// Hex of the first 16 bytes of the SHA-256 of `json`: the same value as
/// `storeops_domain::content_hash` of the record `json` was serialised from,
/// computed without serialising the record a second time.
pub(crate) fn hash_json(json: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(json.as_bytes());
    let mut hex = String::with_capacity(32);
    for b in &digest[..16] {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    hex
}

/// The record with its key, JSON and content hash.
fn keyed<'a, K: std::fmt::Debug, T: serde::Serialize>(
    kind: &'static str,
    key: K,
    record: &'a T,
) -> Result<Keyed<'a, K, T>, StoreError> {
    let json = serde_json::to_string(record).map_err(|source| StoreError::Serialize {
        kind,
        key: format!("{key:?}"),
        source,
    })?;
    Ok(Keyed {
        key,
        record,
        hash: hash_json(&json),
        json,
    })
}

impl<'a> Batch<'a> {
    /// Groups `records` by kind. A customer without natural key (neither
    /// platform id nor e-mail) cannot be stored: it is left out and counted in
    /// `keyless_customers`.
    pub fn split(records: &'a [Record]) -> Result<Batch<'a>, StoreError> {
        let mut batch = Batch::default();
        for record in records {
            match record {
                Record::Product(p) => batch.products.push(keyed("products", p.handle.clone(), p)?),
                Record::Customer(c) => match c.key() {
                    Some(key) => batch.customers.push(keyed("customers", key, c)?),
                    None => batch.keyless_customers += 1,
                },
                Record::Order(o) => batch.orders.push(keyed("orders", o.name.clone(), o)?),
                Record::Inventory(InventoryRecord::Level(l)) => batch.levels.push(keyed(
                    "inventory_levels",
                    (l.sku.clone(), l.location.clone()),
                    l,
                )?),
                Record::Inventory(InventoryRecord::Adjustment(a)) => {
                    batch
                        .adjustments
                        .push(keyed("inventory_adjustments", a.id.clone(), a)?)
                }
                Record::Shipment(s) => batch.shipments.push(keyed("shipments", s.id.clone(), s)?),
                Record::Return(r) => batch.returns.push(keyed("returns", r.id.clone(), r)?),
                Record::Ticket(t) => batch.tickets.push(keyed("tickets", t.id.clone(), t)?),
                Record::Doc(d) => batch
                    .docs
                    .push(keyed("docs", (d.key.clone(), d.version), d)?),
            }
        }
        Ok(batch)
    }

    /// Location names the batch refers to: of levels, ledger entries and
    /// (non-empty) shipment origins, sorted.
    pub fn locations(&self) -> Vec<&'a str> {
        let mut names = BTreeSet::new();
        names.extend(self.levels.iter().map(|k| k.record.location.as_str()));
        names.extend(self.adjustments.iter().map(|k| k.record.location.as_str()));
        names.extend(
            self.shipments
                .iter()
                .map(|k| k.record.origin_location.as_str())
                .filter(|name| !name.is_empty()),
        );
        names.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use storeops_domain::{content_hash, Address, ShipmentStatus};

    fn customer(id: Option<&str>, email: Option<&str>) -> Customer {
        Customer {
            external_id: id.map(str::to_string),
            first_name: String::new(),
            last_name: String::new(),
            email: email.map(str::to_string),
            phone: None,
            accepts_marketing: false,
            source: "web".into(),
            default_address: Address::default(),
            tags: vec![],
            note: String::new(),
            tax_exempt: false,
            identities: vec![],
        }
    }

    #[test]
    fn groups_by_kind_with_keys_and_locations() {
        let at = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
        let level = InventoryLevel {
            sku: "S1".into(),
            location: "Main".into(),
            on_hand: 1,
            committed: 0,
            available: 1,
            incoming: 0,
            counted_at: None,
        };
        let shipment = Shipment {
            id: "sh1".into(),
            order_name: "#1".into(),
            carrier: "UPS".into(),
            tracking_number: "1Z".into(),
            tracking_url: String::new(),
            status: ShipmentStatus::InTransit,
            origin_location: String::new(),
            shipped_at: Some(at),
            estimated_delivery_at: None,
            delivered_at: None,
            events: vec![],
        };
        let records = vec![
            Record::Product(Product::new("hat", "Hat")),
            Record::Customer(customer(Some(" 42 "), Some("a@b.c"))),
            Record::Inventory(InventoryRecord::Level(level)),
            Record::Shipment(shipment),
        ];
        let batch = Batch::split(&records).unwrap();
        assert_eq!(batch.products[0].key, "hat");
        assert_eq!(
            batch.products[0].hash,
            content_hash(&Product::new("hat", "Hat"))
        );
        assert_eq!(batch.customers[0].key, "id:42");
        assert_eq!(batch.levels[0].key, ("S1".to_string(), "Main".to_string()));
        for (i, record) in records.iter().enumerate() {
            let expected = match record {
                Record::Customer(c) => content_hash(c),
                Record::Inventory(InventoryRecord::Level(l)) => content_hash(l),
                Record::Shipment(s) => content_hash(s),
                _ => continue,
            };
            let got = match i {
                1 => &batch.customers[0].hash,
                2 => &batch.levels[0].hash,
                _ => &batch.shipments[0].hash,
            };
            assert_eq!(got, &expected);
        }
        assert_eq!(batch.locations(), vec!["Main"]);
    }

    #[test]
    fn customers_without_key_are_left_out() {
        let records = vec![
            Record::Customer(customer(None, Some("x@y.z"))),
            Record::Customer(customer(None, None)),
        ];
        let batch = Batch::split(&records).unwrap();
        assert_eq!(batch.customers.len(), 1);
        assert_eq!(batch.customers[0].key, "email:x@y.z");
        assert_eq!(batch.keyless_customers, 1);
    }
}
