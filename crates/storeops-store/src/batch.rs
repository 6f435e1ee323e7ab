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

/// A record's JSON (the `data` column) and content hash, computed once.
#[derive(Debug, Clone)]
pub(crate) struct Encoded {
    /// The record as JSON.
    pub json: String,
    /// `hash_json` of `json`.
    pub hash: String,
}

/// Serialises `record` and hashes the JSON.
pub(crate) fn encode(record: &Record) -> Result<Encoded, StoreError> {
    let json = match record {
        Record::Product(p) => serde_json::to_string(p),
        Record::Customer(c) => serde_json::to_string(c),
        Record::Order(o) => serde_json::to_string(o),
        Record::Inventory(InventoryRecord::Level(l)) => serde_json::to_string(l),
        Record::Inventory(InventoryRecord::Adjustment(a)) => serde_json::to_string(a),
        Record::Shipment(s) => serde_json::to_string(s),
        Record::Return(r) => serde_json::to_string(r),
        Record::Ticket(t) => serde_json::to_string(t),
        Record::Doc(d) => serde_json::to_string(d),
    }
    .map_err(|source| {
        let (kind, key) = describe(record);
        StoreError::Serialize { kind, key, source }
    })?;
    Ok(Encoded {
        hash: hash_json(&json),
        json,
    })
}

/// Table and natural key of a record, for error messages.
fn describe(record: &Record) -> (&'static str, String) {
    match record {
        Record::Product(p) => ("products", format!("{:?}", p.handle)),
        Record::Customer(c) => ("customers", format!("{:?}", c.key().unwrap_or_default())),
        Record::Order(o) => ("orders", format!("{:?}", o.name)),
        Record::Inventory(InventoryRecord::Level(l)) => {
            ("inventory_levels", format!("{:?}", (&l.sku, &l.location)))
        }
        Record::Inventory(InventoryRecord::Adjustment(a)) => {
            ("inventory_adjustments", format!("{:?}", a.id))
        }
        Record::Shipment(s) => ("shipments", format!("{:?}", s.id)),
        Record::Return(r) => ("returns", format!("{:?}", r.id)),
        Record::Ticket(t) => ("tickets", format!("{:?}", t.id)),
        Record::Doc(d) => ("docs", format!("{:?}", (&d.key, d.version))),
    }
}

/// The record with its key and its encoding.
fn keyed<K, T>(key: K, record: &T, encoded: Encoded) -> Keyed<'_, K, T> {
    Keyed {
        key,
        record,
        hash: encoded.hash,
        json: encoded.json,
    }
}

impl<'a> Batch<'a> {
    /// Groups records, each with its encoding (`encode(record)`), by kind.
    /// A customer without natural key (neither platform id nor e-mail)
    /// cannot be stored: it is left out and counted in `keyless_customers`.
    pub fn split(records: impl IntoIterator<Item = (&'a Record, Encoded)>) -> Batch<'a> {
        let mut batch = Batch::default();
        for (record, enc) in records {
            match record {
                Record::Product(p) => batch.products.push(keyed(p.handle.clone(), p, enc)),
                Record::Customer(c) => match c.key() {
                    Some(key) => batch.customers.push(keyed(key, c, enc)),
                    None => batch.keyless_customers += 1,
                },
                Record::Order(o) => batch.orders.push(keyed(o.name.clone(), o, enc)),
                Record::Inventory(InventoryRecord::Level(l)) => {
                    batch
                        .levels
                        .push(keyed((l.sku.clone(), l.location.clone()), l, enc))
                }
                Record::Inventory(InventoryRecord::Adjustment(a)) => {
                    batch.adjustments.push(keyed(a.id.clone(), a, enc))
                }
                Record::Shipment(s) => batch.shipments.push(keyed(s.id.clone(), s, enc)),
                Record::Return(r) => batch.returns.push(keyed(r.id.clone(), r, enc)),
                Record::Ticket(t) => batch.tickets.push(keyed(t.id.clone(), t, enc)),
                Record::Doc(d) => batch.docs.push(keyed((d.key.clone(), d.version), d, enc)),
            }
        }
        batch
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
        let records = [
            Record::Product(Product::new("hat", "Hat")),
            Record::Customer(customer(Some(" 42 "), Some("a@b.c"))),
            Record::Inventory(InventoryRecord::Level(level)),
            Record::Shipment(shipment),
        ];
        let encoded: Vec<_> = records.iter().map(|r| encode(r).unwrap()).collect();
        let batch = Batch::split(records.iter().zip(encoded));
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
        let records = [
            Record::Customer(customer(None, Some("x@y.z"))),
            Record::Customer(customer(None, None)),
        ];
        let encoded: Vec<_> = records.iter().map(|r| encode(r).unwrap()).collect();
        let batch = Batch::split(records.iter().zip(encoded));
        assert_eq!(batch.customers.len(), 1);
        assert_eq!(batch.customers[0].key, "email:x@y.z");
        assert_eq!(batch.keyless_customers, 1);
    }
}
