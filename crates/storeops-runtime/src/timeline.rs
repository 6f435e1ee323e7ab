//! A run's stored history read back as typed events — for the API's run
//! timeline, `storeops runs show`, the dashboard's run page and `migrate`.
//! A chunk that does not decode is an error naming the run and the chunk,
//! never silently dropped. The lines people read come from
//! [`storeops_engine::timeline::entry`].

use storeops_engine::HistoryEvent;
use storeops_store::Store;

use crate::error::RuntimeError;

/// Every history event of run `id`, in order (empty for an unknown run).
pub async fn history(store: &Store, id: &str) -> Result<Vec<HistoryEvent>, RuntimeError> {
    let mut events = Vec::new();
    for (seq, _, chunk) in store.run_history(id).await? {
        let decoded: Vec<HistoryEvent> =
            serde_json::from_str(&chunk).map_err(|e| RuntimeError::Corrupt {
                what: "history",
                key: format!("{id} (chunk {seq})"),
                message: e.to_string(),
            })?;
        events.extend(decoded);
    }
    Ok(events)
}
