//! Ingested events: the append-only log of every change received.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::label_enum;

label_enum! {
    /// What became of an ingested event. Nothing received is ever dropped:
    /// an event that could not be applied is stored raw with its status and
    /// reason, for the exceptions view.
    pub enum EventStatus {
        /// Mapped into domain changes, which were stored with it.
        Applied => "applied",
        /// Stored as received; nothing to apply (e.g. a generic source).
        Stored => "stored",
        /// Valid, but applying it needs data the payload lacks (e.g. the SKU
        /// of a Shopify inventory item id); stored raw with the reason.
        NeedsLookup => "needs_lookup",
        /// A topic storeops does not map: stored raw and counted.
        UnknownTopic => "unknown_topic",
        /// The body is not JSON: stored as text, flagged.
        Unparseable => "unparseable",
        /// JSON, but not the shape the topic promises: stored raw, flagged,
        /// with the field that failed in `error`.
        Invalid => "invalid",
    }
}

impl EventStatus {
    /// Whether an operator should look at events with this status.
    pub fn is_flagged(self) -> bool {
        matches!(self, EventStatus::Unparseable | EventStatus::Invalid)
    }
}

/// One ingested change. `(source, external_id)` is unique, so a redelivered
/// event is recognised and stored once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// System it came from (`shopify`, `woocommerce`, `import`, …).
    pub source: String,
    /// Topic (`orders/create`).
    pub topic: String,
    /// The source's id for this delivery, for de-duplication.
    pub external_id: String,
    /// Payload as received; a body that is not JSON is kept as a JSON string
    /// of its (lossily decoded) text.
    pub payload: serde_json::Value,
    /// When storeops accepted it.
    pub received_at: DateTime<Utc>,
    /// What became of it.
    #[serde(default = "applied")]
    pub status: EventStatus,
    /// Why it could not be applied (for `unparseable` / `invalid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Serde default of [`Event::status`].
fn applied() -> EventStatus {
    EventStatus::Applied
}
