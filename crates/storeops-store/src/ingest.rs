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
        let encoded = records.iter().map(encode).collect::<Result<_, _>>()?;
        Ok(Ingest {
            event,
            payload,
            records,
            encoded,
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

    /// Records with their encodings.
    pub(crate) fn encoded(&self) -> impl Iterator<Item = (&Record, Encoded)> + '_ {
        self.records.iter().zip(self.encoded.iter().cloned())
    }
}
