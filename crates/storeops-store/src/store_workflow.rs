//! The workflow storage methods of [`Store`] (issue 5); see
//! `crate::workflow` for the model. A child module of `store.rs`, so it
//! dispatches with the same `dispatch!` macro.

use chrono::{DateTime, Utc};
use storeops_domain::audit_chain::AuditEntry;

use super::{postgres, Inner, Store};
use crate::error::StoreError;
use crate::listen::RunListener;
use crate::retention::{Pruned, RunMigration};
use crate::workflow::{
    ClaimedRun, ControlChange, ItemFilter, ItemRow, NewItem, NewRun, RunFilter, RunRow, RunUpdate,
    StoreEffect, WorkflowRow, WorkflowVersion,
};

impl Store {
    /// Stores `version` if it is new and makes it the workflow's active
    /// version; a workflow seen for the first time gets `mode_if_new` and is
    /// not paused, an existing one keeps its mode and pause. Returns whether
    /// the version was new. A mode other than off/shadow/live is
    /// `InvalidQuery { field: "mode" }`.
    pub async fn deploy_workflow(
        &self,
        version: &WorkflowVersion,
        mode_if_new: &str,
    ) -> Result<bool, StoreError> {
        dispatch!(self, e => e.deploy_workflow(version, mode_if_new).await)
    }

    /// Every workflow, by name.
    pub async fn workflows(&self) -> Result<Vec<WorkflowRow>, StoreError> {
        dispatch!(self, e => e.workflows().await)
    }

    /// One workflow; `None` when unknown.
    pub async fn workflow(&self, name: &str) -> Result<Option<WorkflowRow>, StoreError> {
        dispatch!(self, e => e.workflow(name).await)
    }

    /// One stored version of a workflow; `None` when unknown.
    pub async fn workflow_version(
        &self,
        name: &str,
        version: &str,
    ) -> Result<Option<WorkflowVersion>, StoreError> {
        dispatch!(self, e => e.workflow_version(name, version).await)
    }

    /// A workflow's versions with their deployment times, oldest first.
    pub async fn workflow_versions(
        &self,
        name: &str,
    ) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
        dispatch!(self, e => e.workflow_versions(name).await)
    }

    /// Sets a workflow's mode (off/shadow/live; else `InvalidQuery`);
    /// [`StoreError::NotFound`] for an unknown workflow.
    pub async fn set_workflow_mode(&self, name: &str, mode: &str) -> Result<(), StoreError> {
        dispatch!(self, e => e.set_workflow_mode(name, mode).await)
    }

    /// Pauses or resumes a workflow; [`StoreError::NotFound`] for an
    /// unknown workflow.
    pub async fn set_workflow_paused(&self, name: &str, paused: bool) -> Result<(), StoreError> {
        dispatch!(self, e => e.set_workflow_paused(name, paused).await)
    }

    /// Compare-and-set of a workflow's mode or pause flag, with `audit`
    /// appended in the same transaction; `false` (nothing written) when the
    /// workflow's value is no longer the change's `from` (or it is gone).
    pub async fn swap_workflow_control(
        &self,
        name: &str,
        change: &ControlChange,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        dispatch!(self, e => e.swap_workflow_control(name, change, audit).await)
    }

    /// Starts runs in one transaction: each new run is stored as `running`,
    /// due at its `at`, with `events` as history chunk 0 and `next_seq` 1.
    /// Returns one bool per run: false = a run with this id exists already
    /// (or the id repeats earlier in `runs`), and nothing of it is written.
    pub async fn start_runs(&self, runs: &[NewRun]) -> Result<Vec<bool>, StoreError> {
        dispatch!(self, e => e.start_runs(runs).await)
    }

    /// Leases up to `limit` runs to `owner` until `lease_until`: runs due at
    /// or before `now` whose lease is absent or expired (before `now`) and,
    /// with `paused_excluded`, whose workflow is not paused; oldest due
    /// first, each with its history chunks and inbox. Concurrent claimers
    /// never get the same run.
    pub async fn claim_runs(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: usize,
        paused_excluded: bool,
    ) -> Result<Vec<ClaimedRun>, StoreError> {
        dispatch!(self, e => e.claim_runs(owner, now, lease_until, limit, paused_excluded).await)
    }

    /// Commits a worker's results in ONE transaction. An update applies only
    /// while `owner` holds the run's lease and `seq` is the run's `next_seq`
    /// (and only the first update per run in the slice): then status, due
    /// time, output and error are set, `next_seq` becomes `seq + 1`, the
    /// lease is released unless `keep_lease`, the chunk is appended and the
    /// consumed inbox entries are deleted. Returns one bool per update
    /// (false = not applied, nothing of it written). Items and `insert`
    /// outcomes are inserted unless their key exists (the first one stays);
    /// store effects of a run none of whose updates applied are not written
    /// (see [`StoreEffect`]).
    pub async fn commit_runs(
        &self,
        owner: &str,
        updates: &[RunUpdate],
        effects: &[StoreEffect],
        items: &[NewItem],
    ) -> Result<Vec<bool>, StoreError> {
        dispatch!(self, e => e.commit_runs(owner, updates, effects, items, &[]).await)
    }

    /// Exactly [`Store::commit_runs`] plus `audit` entries appended to their
    /// chains in the same transaction (see [`Store::append_audit`]). Rule for
    /// lost leases: an entry whose `subject` is the run id of one of
    /// `updates` is written only if an update of that run applied, so a
    /// worker that lost its lease records no decision; entries about
    /// anything else are always written.
    pub async fn commit_runs_audited(
        &self,
        owner: &str,
        updates: &[RunUpdate],
        effects: &[StoreEffect],
        items: &[NewItem],
        audit: &[AuditEntry],
    ) -> Result<Vec<bool>, StoreError> {
        dispatch!(self, e => e.commit_runs(owner, updates, effects, items, audit).await)
    }

    /// Moves `owner`'s leases on `run_ids` to `lease_until`; returns how many
    /// leases it still held.
    pub async fn extend_leases(
        &self,
        owner: &str,
        run_ids: &[String],
        lease_until: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        dispatch!(self, e => e.extend_leases(owner, run_ids, lease_until).await)
    }

    /// Releases every lease `owner` holds (on shutdown); the runs stay due.
    /// Returns how many.
    pub async fn release_leases(&self, owner: &str) -> Result<u64, StoreError> {
        dispatch!(self, e => e.release_leases(owner).await)
    }

    /// Stores an outside event for a run's lease holder and, unless the run
    /// is terminal, makes it due at `at` (an earlier due time is kept).
    /// Returns the inbox id; [`StoreError::NotFound`] for an unknown run.
    pub async fn enqueue_inbox(
        &self,
        run_id: &str,
        event_json: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        dispatch!(self, e => e.enqueue_inbox(run_id, event_json, at).await)
    }

    /// One run; `None` when unknown.
    pub async fn run(&self, id: &str) -> Result<Option<RunRow>, StoreError> {
        dispatch!(self, e => e.run(id).await)
    }

    /// A run's history chunks `(seq, at, events)` in order.
    pub async fn run_history(
        &self,
        id: &str,
    ) -> Result<Vec<(i64, DateTime<Utc>, String)>, StoreError> {
        dispatch!(self, e => e.run_history(id).await)
    }

    /// Runs matching `filter`, newest first (`created_at`, then id,
    /// descending). A limit outside 1–1000 is `InvalidQuery { field: "limit" }`.
    pub async fn list_runs(&self, filter: &RunFilter) -> Result<Vec<RunRow>, StoreError> {
        dispatch!(self, e => e.list_runs(filter).await)
    }

    /// Number of runs per status, by status (of one workflow, or all).
    pub async fn count_runs_by_status(
        &self,
        workflow: Option<&str>,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        dispatch!(self, e => e.count_runs_by_status(workflow).await)
    }

    /// One approval or exception item; `None` when unknown.
    pub async fn item(&self, key: &str) -> Result<Option<ItemRow>, StoreError> {
        dispatch!(self, e => e.item(key).await)
    }

    /// Items matching `filter`, oldest first (`created_at`, then key).
    pub async fn list_items(&self, filter: &ItemFilter) -> Result<Vec<ItemRow>, StoreError> {
        dispatch!(self, e => e.list_items(filter).await)
    }

    /// Closes an open item with a decision and, in the same transaction,
    /// enqueues `event_json` for its run as [`Store::enqueue_inbox`] does.
    /// [`StoreError::Conflict`] `{ what: "closed item" }` when it is closed
    /// already, [`StoreError::NotFound`] when unknown. Returns the closed item.
    pub async fn close_item(
        &self,
        key: &str,
        decision: &str,
        actor: &str,
        reason: Option<&str>,
        event_json: &str,
        at: DateTime<Utc>,
    ) -> Result<ItemRow, StoreError> {
        dispatch!(self, e => e.close_item(key, decision, actor, reason, event_json, at, None).await)
    }

    /// Exactly [`Store::close_item`] plus `audit` appended to its chain in
    /// the same transaction; nothing is written when the item cannot be
    /// closed.
    #[allow(clippy::too_many_arguments)]
    pub async fn close_item_audited(
        &self,
        key: &str,
        decision: &str,
        actor: &str,
        reason: Option<&str>,
        event_json: &str,
        at: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> Result<ItemRow, StoreError> {
        let audit = Some(audit);
        dispatch!(self, e => e.close_item(key, decision, actor, reason, event_json, at, audit).await)
    }

    /// Outcome rows `(key, fields)` of an entity, by key.
    pub async fn outcomes(&self, entity: &str) -> Result<Vec<(String, String)>, StoreError> {
        dispatch!(self, e => e.outcomes(entity).await)
    }

    /// Number of outcome rows of an entity.
    pub async fn count_outcomes(&self, entity: &str) -> Result<i64, StoreError> {
        dispatch!(self, e => e.count_outcomes(entity).await)
    }

    /// Removes the runs that are completed, failed or cancelled and were
    /// last updated before `finished_before`: their rows, history, inbox and
    /// review items (outcomes and audit entries stay). Each is counted first
    /// in `wf_run_counts` (per workflow, version, status and UTC day of
    /// creation) in the same transaction, so [`Store::count_runs_by_status`]
    /// gives the same numbers before and after. Runs still going are never
    /// touched.
    pub async fn prune_runs(&self, finished_before: DateTime<Utc>) -> Result<Pruned, StoreError> {
        dispatch!(self, e => e.prune_runs(finished_before).await)
    }

    /// The runs of `workflow` that are not finished, oldest first.
    pub async fn unfinished_runs(&self, workflow: &str) -> Result<Vec<RunRow>, StoreError> {
        dispatch!(self, e => e.unfinished_runs(workflow).await)
    }

    /// The sequence number a run's next history chunk gets; `None` for an
    /// unknown run.
    pub async fn run_next_seq(&self, run_id: &str) -> Result<Option<i64>, StoreError> {
        dispatch!(self, e => e.run_next_seq(run_id).await)
    }

    /// Moves a run to another version and appends `migration.events` as its
    /// history chunk `migration.seq` (and `migration.audit` to its chain),
    /// in one transaction — only while the run
    /// is on `migration.from`, unfinished, its `next_seq` is still
    /// `migration.seq` (nothing was appended since its history was checked)
    /// and no worker holds a lease on it that lasts past `migration.at`.
    /// Returns whether it moved (false: nothing written).
    pub async fn migrate_run(&self, migration: &RunMigration) -> Result<bool, StoreError> {
        dispatch!(self, e => e.migrate_run(migration).await)
    }

    /// Something an idle worker can wait on for runs to become due: on
    /// PostgreSQL a `LISTEN storeops_runs` connection of its own, on SQLite
    /// a timer (see [`RunListener`]).
    pub async fn listen_runs(&self) -> Result<RunListener, StoreError> {
        match &self.inner {
            Inner::Sqlite(_) => Ok(RunListener::sleeping()),
            Inner::Postgres(e) => postgres::listen_runs(e).await,
        }
    }
}
