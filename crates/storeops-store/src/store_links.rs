//! The [`Store`] methods that link runs to the outside (migration 0005):
//! offering events to triggers and waits, trigger counts, schedule marks.
//! A child module of `store.rs`, so it dispatches with `dispatch!`.

use chrono::{DateTime, Utc};

use super::{Inner, Store};
use crate::error::StoreError;
use crate::workflow::NewRun;
use crate::workflow_links::{EventDispatch, PendingEvent, TriggerCount, TriggerCounts, WaitRow};

impl Store {
    /// Up to `limit` stored events not yet offered to triggers and waits,
    /// oldest first.
    pub async fn pending_events(&self, limit: i64) -> Result<Vec<PendingEvent>, StoreError> {
        dispatch!(self, e => e.pending_events(limit).await)
    }

    /// The runs waiting for an event on any of `topics`, oldest wait first.
    pub async fn waits(&self, topics: &[String]) -> Result<Vec<WaitRow>, StoreError> {
        dispatch!(self, e => e.waits(topics).await)
    }

    /// Marks events offered and, for each event this call marked (not one
    /// another dispatcher marked first), starts its runs, delivers its wait
    /// matches (a match whose wait is gone is dropped) and adds its counts,
    /// all in one transaction. Returns the ids it marked, ascending.
    pub async fn dispatch_events(
        &self,
        dispatches: &[EventDispatch],
    ) -> Result<Vec<i64>, StoreError> {
        dispatch!(self, e => e.dispatch_events(dispatches).await)
    }

    /// Adds `n` to `workflow`'s count of trigger `outcome`.
    pub async fn count_trigger(
        &self,
        workflow: &str,
        outcome: &str,
        n: i64,
    ) -> Result<(), StoreError> {
        dispatch!(self, e => e.count_trigger(workflow, outcome, n).await)
    }

    /// Every workflow's trigger counts by outcome.
    pub async fn trigger_counts(&self) -> Result<Vec<TriggerCount>, StoreError> {
        dispatch!(self, e => e.trigger_counts().await)
    }

    /// The trigger counts grouped: workflow → outcome → count.
    pub async fn trigger_counts_by_workflow(&self) -> Result<TriggerCounts, StoreError> {
        let mut grouped = TriggerCounts::new();
        for c in self.trigger_counts().await? {
            grouped
                .entry(c.workflow)
                .or_default()
                .insert(c.outcome, c.count);
        }
        Ok(grouped)
    }

    /// The last fire time `workflow`'s schedule started runs for.
    pub async fn schedule_mark(&self, workflow: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        dispatch!(self, e => e.schedule_mark(workflow).await)
    }

    /// Moves the schedule mark of `workflow` from `previous` to `fire`,
    /// starts `runs` and adds one to the trigger count of `outcome`, in one
    /// transaction; false, with nothing written, when the mark is not
    /// `previous` any more (another worker fired it).
    pub async fn fire_schedule(
        &self,
        workflow: &str,
        previous: Option<DateTime<Utc>>,
        fire: DateTime<Utc>,
        runs: &[NewRun],
        outcome: Option<&str>,
    ) -> Result<bool, StoreError> {
        dispatch!(self, e => e.fire_schedule(workflow, previous, fire, runs, outcome).await)
    }
}
