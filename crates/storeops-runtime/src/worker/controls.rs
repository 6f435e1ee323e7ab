//! The worker's housekeeping between rounds: offering pending events to
//! triggers and waits (throttled), reloading pause switches and the trigger
//! index, and extending held leases.

use chrono::{DateTime, Utc};

use super::{Worker, DISPATCH_LIMIT};
use crate::error::RuntimeError;
use crate::triggers::dispatch::dispatch;
use crate::triggers::{Target, TriggerIndex};

impl Worker {
    /// Offers pending events when woken, after a full batch, or every
    /// `control_refresh` while busy (so a stream of submissions does not
    /// pay a query per round); how many were offered.
    pub(super) async fn dispatch(&mut self, now: DateTime<Utc>) -> Result<usize, RuntimeError> {
        let stale = self
            .dispatch_checked
            .is_none_or(|t| t.elapsed() >= self.config.control_refresh);
        if !(self.dispatch_now || stale) {
            return Ok(0);
        }
        let offered = dispatch(&self.store, &self.triggers, now, DISPATCH_LIMIT).await?;
        self.dispatch_checked = Some(std::time::Instant::now());
        self.dispatch_now = offered as i64 >= DISPATCH_LIMIT;
        Ok(offered)
    }

    /// Reloads the pause switches and the trigger index when they are stale.
    pub(super) async fn refresh_controls(&mut self) -> Result<(), RuntimeError> {
        let stale = self
            .paused_checked
            .is_none_or(|t| t.elapsed() >= self.config.control_refresh);
        if !stale {
            return Ok(());
        }
        let rows = self.store.workflows().await?;
        let mut triggers = TriggerIndex::default();
        for row in &rows {
            if row.mode == "off" {
                continue;
            }
            let plan = match self.plan(&row.name, &row.active_version).await {
                Ok(plan) => plan,
                // An unreadable plan must not stop the worker for every other
                // workflow: that one's triggers are left out (and logged).
                Err(e) if !e.is_unavailable() => {
                    tracing::error!(workflow = %row.name, error = %e, "workflow plan unreadable; its triggers are off");
                    continue;
                }
                Err(e) => return Err(e),
            };
            triggers.add(Target {
                name: row.name.clone(),
                mode: row.mode.clone(),
                paused: row.paused,
                plan,
            });
        }
        self.triggers = triggers;
        self.paused = rows
            .into_iter()
            .filter(|w| w.paused)
            .map(|w| w.name)
            .collect();
        self.paused_checked = Some(std::time::Instant::now());
        Ok(())
    }

    pub(super) async fn extend_leases(&mut self, now: DateTime<Utc>) -> Result<(), RuntimeError> {
        if self.active.is_empty() || self.leases_extended.elapsed() < self.config.lease / 3 {
            return Ok(());
        }
        let ids: Vec<String> = self.active.keys().cloned().collect();
        let until = now + chrono::Duration::from_std(self.config.lease).unwrap_or_default();
        self.store
            .extend_leases(&self.config.owner, &ids, until)
            .await?;
        self.leases_extended = std::time::Instant::now();
        Ok(())
    }
}
