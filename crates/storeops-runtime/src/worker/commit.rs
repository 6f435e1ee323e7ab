//! The end of a round: every settled run's history chunk, the round's store
//! effects, review items and audit entries (one per run that finished or
//! parked with new history) go into one transaction; runs whose lease was
//! lost are dropped.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use storeops_domain::audit_chain::{digest, AuditEntry};
use storeops_engine::{RunStatus, StepKind};
use storeops_store::{NewItem, RunUpdate, StoreEffect, WaitChange};

use super::active::Active;
use super::links::{parent_message, wait_change};
use super::settle::Settled;
use super::{Round, Worker};
use crate::error::RuntimeError;

impl Worker {
    /// Commits every settled run; drops runs whose lease was lost.
    pub(super) async fn commit(
        &mut self,
        now: DateTime<Utc>,
        results: HashMap<String, Settled>,
        effects: Vec<StoreEffect>,
        items: Vec<NewItem>,
        round: &mut Round,
    ) -> Result<(), RuntimeError> {
        let mut updates = Vec::with_capacity(results.len());
        let mut order = Vec::with_capacity(results.len());
        let mut parked = Vec::new();
        for (id, settled) in &results {
            let Some(run) = self.active.get_mut(id) else {
                continue;
            };
            let (status, due_at, keep) = match settled {
                Settled::Execute(_) | Settled::Ready => ("running", Some(now), true),
                Settled::Waiting(due) => ("waiting", *due, false),
                Settled::Done => (status_name(run.state.status), None, false),
            };
            let keep = keep && !self.paused.contains(&run.plan.workflow);
            let wait = wait_change(run);
            if run.chunk.is_empty()
                && keep
                && wait == WaitChange::Unchanged
                && run.starts.is_empty()
            {
                continue;
            }
            if matches!(settled, Settled::Waiting(_)) && !run.chunk.is_empty() {
                parked.push(id.clone());
            }
            let messages = parent_message(run, now)?.into_iter().collect();
            updates.push(RunUpdate {
                run_id: id.clone(),
                seq: run.seq,
                events: serde_json::to_string(&run.chunk)?,
                status: status.to_string(),
                due_at,
                keep_lease: keep,
                output: run.state.output.as_ref().map(ToString::to_string),
                error: run.state.error.clone(),
                consumed_inbox: run.consumed_inbox.clone(),
                wait,
                starts: std::mem::take(&mut run.starts),
                messages,
            });
            order.push((id.clone(), keep, matches!(settled, Settled::Done)));
        }
        if updates
            .iter()
            .any(|u| !u.starts.is_empty() || !u.messages.is_empty())
        {
            round.drained = false;
        }
        let audit = self.audit_entries(&order, &parked, now);
        let applied = self
            .store
            .commit_runs_audited(&self.config.owner, &updates, &effects, &items, &audit)
            .await?;
        for ((id, keep, done), ok) in order.into_iter().zip(applied) {
            if let (true, Some(log), Some(run)) = (ok, &self.step_log, self.active.get(&id)) {
                log.committed(run)?;
            }
            if !ok || !keep {
                self.active.remove(&id);
            } else if let Some(run) = self.active.get_mut(&id) {
                run.seq += 1;
                run.chunk.clear();
                run.consumed_inbox.clear();
            }
            if ok && done {
                round.finished += 1;
                if let Some(sender) = &self.finished {
                    // A dropped receiver only means nobody listens any more.
                    let _ = sender.send(id.clone());
                }
            }
        }
        round.held = self.active.len();
        Ok(())
    }

    /// One audit entry per run that finished this round: the engine's
    /// decision on it (completed, failed or cancelled) with the digest of its
    /// input, the pinned version, and as output the run's output, the
    /// decisions it took on the way (switch cases, approvals, skipped steps)
    /// and its A/B variant. A run that parked this round after going on
    /// (for an approval, a timer, an event, an operator or a child run) gets
    /// a `run.waiting` entry with its decisions so far and what it waits
    /// for, so that automated decisions are on record before the run ends.
    fn audit_entries(
        &self,
        order: &[(String, bool, bool)],
        parked: &[String],
        at: DateTime<Utc>,
    ) -> Vec<AuditEntry> {
        let finished = order
            .iter()
            .filter(|(_, _, done)| *done)
            .filter_map(|(id, _, _)| self.active.get(id))
            .map(|run| {
                let output = json!({
                    "output": run.state.output,
                    "decisions": decisions(run),
                    "variant": run.state.variant,
                });
                self.audit_entry(run, status_name(run.state.status), output, at)
            });
        let waiting = parked
            .iter()
            .filter_map(|id| self.active.get(id))
            .map(|run| {
                let output = json!({
                    "waiting_on": waiting_on(run),
                    "decisions": decisions(run),
                    "variant": run.state.variant,
                });
                self.audit_entry(run, "waiting", output, at)
            });
        finished.chain(waiting).collect()
    }

    fn audit_entry(
        &self,
        run: &Active,
        status: &str,
        output: Value,
        at: DateTime<Utc>,
    ) -> AuditEntry {
        AuditEntry {
            chain: format!("engine:{}", self.config.owner),
            actor: "engine".to_string(),
            action: format!("run.{status}"),
            subject: run.id.clone(),
            inputs_digest: digest(&run.state.input),
            output: output.to_string(),
            version: run.plan.version.clone(),
            reason: run.state.error.clone(),
            at,
        }
    }
}

/// What a parked run waits for, one entry per walk (the top level first,
/// then each `parallel` branch in progress): the step id and what kind of
/// answer (`approval`, `timer`, `event`, `retry`, `exception`, `child`, …).
fn waiting_on(run: &Active) -> Value {
    run.state
        .walks()
        .filter_map(|(_, awaiting)| awaiting)
        .filter_map(|awaiting| {
            let value = serde_json::to_value(awaiting).ok()?;
            let step = value
                .get("index")
                .and_then(Value::as_u64)
                .and_then(|i| run.plan.step(usize::try_from(i).ok()?))
                .map(|s| s.id.clone());
            Some(json!({ "step": step, "on": value.get("on")? }))
        })
        .collect()
}

/// The automated and human decisions a run took so far: every switch's
/// chosen case and every approval's decision (by step path), and the steps
/// whose `if:` did not hold.
fn decisions(run: &Active) -> Value {
    let decided: Map<String, Value> = run
        .state
        .outputs
        .iter()
        .filter(|(path, _)| {
            let id = path.split('[').next().unwrap_or(path);
            let kind = run
                .plan
                .index_of(id)
                .and_then(|i| run.plan.step(i))
                .map(|s| &s.kind);
            matches!(
                kind,
                Some(StepKind::Switch { .. } | StepKind::Approval { .. })
            )
        })
        .map(|(path, output)| (path.clone(), output.clone()))
        .collect();
    json!({ "steps": decided, "skipped": run.state.skipped })
}

fn status_name(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Completed => "completed",
        RunStatus::Failed => "failed",
        RunStatus::Cancelled => "cancelled",
        RunStatus::NotStarted | RunStatus::Running => "running",
    }
}
