//! The end of a round: every settled run's history chunk, the round's store
//! effects, review items and audit entries (one per finished run) go into
//! one transaction; runs whose lease was lost are dropped.

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
        let audit = self.audit_entries(&order, now);
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
    /// and its A/B variant.
    fn audit_entries(&self, order: &[(String, bool, bool)], at: DateTime<Utc>) -> Vec<AuditEntry> {
        order
            .iter()
            .filter(|(_, _, done)| *done)
            .filter_map(|(id, _, _)| self.active.get(id))
            .map(|run| AuditEntry {
                chain: format!("engine:{}", self.config.owner),
                actor: "engine".to_string(),
                action: format!("run.{}", status_name(run.state.status)),
                subject: run.id.clone(),
                inputs_digest: digest(&run.state.input),
                output: json!({
                    "output": run.state.output,
                    "decisions": decisions(run),
                    "variant": run.state.variant,
                })
                .to_string(),
                version: run.plan.version.clone(),
                reason: run.state.error.clone(),
                at,
            })
            .collect()
    }
}

/// The automated and human decisions a finished run took: every switch's
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
