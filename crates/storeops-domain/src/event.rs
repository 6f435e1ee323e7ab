//! Ingested events: the append-only log of every change received.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
    /// Payload as received.
    pub payload: serde_json::Value,
    /// When storeops accepted it.
    pub received_at: DateTime<Utc>,
}
