//! JSONL wire format of inventory: levels and ledger entries, told apart by
//! `"type": "level" | "adjustment"`.

use serde::{Deserialize, Serialize};
use storeops_domain::{
    AdjustmentReason, InventoryAdjustment, InventoryLevel, InventoryRecord, Record,
};

use crate::jsonl::check::Check;
use crate::jsonl::Wire;
use crate::values::format_rfc3339;

/// An inventory line (the union of both types' keys).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct InventoryWire {
    #[serde(rename = "type")]
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    sku: String,
    location: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    on_hand: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    committed: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    available: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    incoming: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counted_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delta: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    occurred_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
}

impl Wire for InventoryWire {
    fn into_record(self, c: &mut Check) -> Record {
        c.key(("", "sku"), &self.sku);
        c.key(("", "location"), &self.location);
        let record = match self.kind.trim().to_ascii_lowercase().as_str() {
            "adjustment" => {
                let id = self.id.unwrap_or_default();
                c.key(("", "id"), &id);
                if self.delta.is_none() {
                    c.fail(("", "delta"), "required for type adjustment".to_string());
                }
                let occurred_at = match self.occurred_at.as_deref() {
                    Some(text) => c.time(("", "occurred_at"), text),
                    None => {
                        c.fail(
                            ("", "occurred_at"),
                            "required for type adjustment".to_string(),
                        );
                        Default::default()
                    }
                };
                InventoryRecord::Adjustment(InventoryAdjustment {
                    id,
                    sku: self.sku,
                    location: self.location,
                    delta: self.delta.unwrap_or(0),
                    reason: c.opt_label(
                        ("", "reason"),
                        self.reason.as_deref(),
                        AdjustmentReason::parse,
                    ),
                    occurred_at,
                    reference: self.reference,
                })
            }
            kind => {
                if kind != "level" {
                    c.fail(
                        ("", "type"),
                        format!("`{}` is not one of: level, adjustment", self.kind),
                    );
                }
                InventoryRecord::Level(InventoryLevel {
                    sku: self.sku,
                    location: self.location,
                    on_hand: self.on_hand.unwrap_or(0),
                    committed: self.committed.unwrap_or(0),
                    available: self.available.unwrap_or(0),
                    incoming: self.incoming.unwrap_or(0),
                    counted_at: c.opt_time(("", "counted_at"), self.counted_at.as_deref()),
                })
            }
        };
        Record::Inventory(record)
    }
}

impl InventoryWire {
    /// The wire form of a level or ledger entry.
    pub fn from_domain(record: &InventoryRecord) -> InventoryWire {
        match record {
            InventoryRecord::Level(l) => InventoryWire {
                kind: "level".to_string(),
                id: None,
                sku: l.sku.clone(),
                location: l.location.clone(),
                on_hand: Some(l.on_hand),
                committed: Some(l.committed),
                available: Some(l.available),
                incoming: Some(l.incoming),
                counted_at: l.counted_at.as_ref().map(format_rfc3339),
                delta: None,
                reason: None,
                occurred_at: None,
                reference: None,
            },
            InventoryRecord::Adjustment(a) => InventoryWire {
                kind: "adjustment".to_string(),
                id: Some(a.id.clone()),
                sku: a.sku.clone(),
                location: a.location.clone(),
                on_hand: None,
                committed: None,
                available: None,
                incoming: None,
                counted_at: None,
                delta: Some(a.delta),
                reason: a.reason.map(|r| r.as_str().to_string()),
                occurred_at: Some(format_rfc3339(&a.occurred_at)),
                reference: a.reference.clone(),
            },
        }
    }
}
