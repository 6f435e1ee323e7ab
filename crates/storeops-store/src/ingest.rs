//! [`Ingest`]: one received event with the domain changes it maps to, the
//! unit of [`crate::Store::ingest`]'s group commit.
//!
//! Building an `Ingest` serialises the payload and encodes the records
//! (JSON + content hash) on the caller's thread — the webhook handlers, many
//! at once — so the single writer only talks to the database.

use serde_json::value::RawValue;
use storeops_domain::{Event, Record};

use crate::batch::{encode, Encoded};
use crate::error::StoreError;

/// One received event and the domain changes it maps to, encoded for storage.
#[derive(Clone, Debug)]
pub struct Ingest {
    event: Event,
    payload: Box<RawValue>,
    records: Vec<Record>,
    encoded: Vec<Encoded>,
    /// `events.records`: `{"<name>": <stored JSON>}` of the records (the
    /// first of each name), `None` when there are none.
    view: Option<String>,
}

impl Ingest {
    /// Encodes `event` and the `records` to upsert when it is new (empty when
    /// nothing applies).
    pub fn new(event: Event, records: Vec<Record>) -> Result<Ingest, StoreError> {
        let payload = serde_json::value::to_raw_value(&event.payload).map_err(|source| {
            StoreError::Serialize {
                kind: "event",
                key: event.external_id.clone(),
                source,
            }
        })?;
        let encoded: Vec<Encoded> = records.iter().map(encode).collect::<Result<_, _>>()?;
        let view = view(&records, &encoded);
        Ok(Ingest {
            event,
            payload,
            records,
            encoded,
            view,
        })
    }

    /// The event.
    pub fn event(&self) -> &Event {
        &self.event
    }

    /// The records applied when the event is new.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The payload as JSON text.
    pub(crate) fn payload(&self) -> &RawValue {
        &self.payload
    }

    /// The `events.records` column.
    pub(crate) fn view(&self) -> Option<&str> {
        self.view.as_deref()
    }

    /// Records with their encodings.
    pub(crate) fn encoded(&self) -> impl Iterator<Item = (&Record, Encoded)> + '_ {
        self.records.iter().zip(self.encoded.iter().cloned())
    }
}

/// The name a record goes by in trigger inputs.
fn record_name(record: &Record) -> &'static str {
    match record {
        Record::Product(_) => "product",
        Record::Customer(_) => "customer",
        Record::Order(_) => "order",
        Record::Inventory(_) => "inventory",
        Record::Shipment(_) => "shipment",
        Record::Return(_) => "return",
        Record::Ticket(_) => "ticket",
        Record::Doc(_) => "doc",
    }
}

/// `{"<name>": <json>, …}` from the already encoded JSON (no second
/// serialisation), the first record of each name.
fn view(records: &[Record], encoded: &[Encoded]) -> Option<String> {
    let mut names: Vec<&str> = Vec::new();
    let mut out = String::from("{");
    for (record, encoded) in records.iter().zip(encoded) {
        let name = record_name(record);
        if names.contains(&name) {
            continue;
        }
        if !names.is_empty() {
            out.push(',');
        }
        names.push(name);
        out.push_str(&format!("\"{name}\":{}", encoded.json));
    }
    out.push('}');
    (!names.is_empty()).then_some(out)
}
