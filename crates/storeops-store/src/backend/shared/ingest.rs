//! Event ingestion with group commit: many events and the records they map
//! to (encoded by the callers, see `Ingest::new`), stored in one write transaction (one fsync on SQLite) with multi-row
//! `INSERT … ON CONFLICT DO NOTHING RETURNING` for the events and the shared
//! upsert writers for the records of the new ones.

use std::collections::HashSet;

use super::engine::write_in;
use super::insert::insert_returning;
use super::{Engine, BEGIN_WRITE};
use crate::batch::Batch;
use crate::error::StoreError;
use crate::ingest::Ingest;

impl Engine {
    /// Stores the events of `items` and the records of the new ones in one
    /// transaction; `true` per item whose event was newly stored.
    pub(crate) async fn ingest(&self, items: &[Ingest]) -> Result<Vec<bool>, StoreError> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        // Only the first occurrence of a (source, external id) in the slice
        // can be new; the database decides whether it is stored already.
        let mut seen = HashSet::with_capacity(items.len());
        let candidates: Vec<&Ingest> = items
            .iter()
            .filter(|i| seen.insert((i.event().source.as_str(), i.event().external_id.as_str())))
            .collect();
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let inserted: Vec<(String, String)> = insert_returning(
            &mut tx,
            "INSERT INTO events (source, topic, external_id, payload, received_at, status, error, \
             records) ",
            8,
            " ON CONFLICT (source, external_id) DO NOTHING RETURNING source, external_id",
            &candidates,
            |values, item| {
                let e = item.event();
                values
                    .push_bind(&e.source)
                    .push_bind(&e.topic)
                    .push_bind(&e.external_id)
                    .push_bind(sqlx::types::Json(item.payload()))
                    .push_bind(e.received_at)
                    .push_bind(e.status.as_str())
                    .push_bind(e.error.as_deref())
                    .push_bind(item.view());
            },
        )
        .await?;
        let mut inserted: HashSet<(String, String)> = inserted.into_iter().collect();
        // `remove` answers true once per key: for its first occurrence.
        let fresh: Vec<bool> = items
            .iter()
            .map(|item| {
                let e = item.event();
                inserted.remove(&(e.source.clone(), e.external_id.clone()))
            })
            .collect();
        let records = items
            .iter()
            .zip(&fresh)
            .filter(|(_, &new)| new)
            .flat_map(|(item, _)| item.encoded());
        write_in(&mut tx, Batch::split(records)).await?;
        if fresh.contains(&true) {
            // New events wait to be offered to workflow triggers and waits.
            super::workflow::notify_runs(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(fresh)
    }
}
