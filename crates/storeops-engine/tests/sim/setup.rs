//! How a simulated run starts, and its history in comparable form.

use serde_json::{json, Value};
use storeops_engine::HistoryEvent;

/// How a simulated run starts and how its operator resolves exceptions.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The trigger input.
    pub input: Value,
    /// When set, the operator's first resolution of a step is `retry_with`
    /// this input (instead of `retry`).
    pub edited: Option<Value>,
    /// When not empty, which outstanding command executes next when several
    /// are (`parallel` branches): the n-th choice picks among them by
    /// `picks[n % len]` (see `Sim::next`).
    pub picks: Vec<u8>,
}

impl Default for Setup {
    fn default() -> Setup {
        Setup {
            input: json!({"order_id": "A-1", "total": 150}),
            edited: None,
            picks: Vec::new(),
        }
    }
}

/// The history as JSON without its times (`at`, `fire_at`), for exact
/// comparisons.
pub fn events(history: &[HistoryEvent]) -> Vec<Value> {
    history
        .iter()
        .map(|event| {
            let mut value = serde_json::to_value(event).unwrap();
            if let Some(map) = value.as_object_mut() {
                map.remove("at");
                map.remove("fire_at");
            }
            value
        })
        .collect()
}
