//! What a round's commit carries besides history: the child runs of
//! `call:` steps, a run's event waits (replaced when they changed), and the message
//! a finished child leaves in its parent's inbox.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde_json::Value;
use storeops_engine::state::Awaiting;
use storeops_engine::{Command, HistoryEvent, ParentRef, RunState, RunStatus};
use storeops_store::{InboxMessage, NewItem, NewWait, WaitChange};

use super::active::{Active, ChildCall};
use super::settle::{settle, Env, Settled};
use super::Worker;
use crate::error::RuntimeError;
use crate::launch::{prepare, Prepared, Source};

impl Worker {
    /// Prepares the child runs this round's calls start; a call whose child
    /// cannot start (unknown or switched-off workflow, not admitted) ends
    /// as a failed child at once and the run is settled again.
    pub(super) async fn start_children(
        &mut self,
        now: DateTime<Utc>,
        results: &mut HashMap<String, Settled>,
        items: &mut Vec<NewItem>,
    ) -> Result<(), RuntimeError> {
        let calls: Vec<(String, bool, Vec<ChildCall>)> = self
            .active
            .values_mut()
            .filter(|run| !run.children.is_empty())
            .map(|run| {
                (
                    run.id.clone(),
                    run.shadow,
                    std::mem::take(&mut run.children),
                )
            })
            .collect();
        for (id, shadow, children) in calls {
            for call in children {
                let started = self.child_run(&id, shadow, &call, now).await?;
                let Some(run) = self.active.get_mut(&id) else {
                    continue;
                };
                match started {
                    Ok(child) => run.starts.push(child),
                    Err(error) => {
                        run.push(HistoryEvent::ChildFinished {
                            step: call.step,
                            status: RunStatus::Failed,
                            output: Value::Null,
                            error: Some(error),
                            at: now,
                        });
                        let env = Env {
                            now,
                            registry: &self.registry,
                            execute: false,
                            paused: false,
                        };
                        results.insert(id.clone(), settle(run, &env, items));
                    }
                }
            }
        }
        Ok(())
    }

    /// The child run of `call`, or why it cannot start.
    async fn child_run(
        &mut self,
        parent: &str,
        shadow: bool,
        call: &ChildCall,
        now: DateTime<Utc>,
    ) -> Result<Result<storeops_store::NewRun, String>, RuntimeError> {
        let Some(row) = self.store.workflow(&call.workflow).await? else {
            return Ok(Err(format!("workflow `{}` is not deployed", call.workflow)));
        };
        if row.mode == "off" {
            return Ok(Err(format!("workflow `{}` is off", call.workflow)));
        }
        let plan = self.plan(&row.name, &row.active_version).await?;
        let mode = if shadow { "shadow" } else { row.mode.as_str() };
        let link = ParentRef {
            run_id: parent.to_string(),
            step: call.step.clone(),
        };
        let id = call.child_id.clone();
        Ok(
            match prepare(
                &plan,
                mode,
                id,
                call.input.clone(),
                now,
                Source::Direct,
                Some(link),
            )? {
                Prepared::Start(run) => Ok(run),
                Prepared::Skip(outcome, why) => Err(format!(
                    "workflow `{}` did not start: {}",
                    call.workflow,
                    why.unwrap_or_else(|| outcome.replace('_', " "))
                )),
            },
        )
    }
}

/// Whether any walk of the run (its top level or a `parallel` branch)
/// waits for an event.
pub(super) fn awaits_event(state: &RunState) -> bool {
    state
        .walks()
        .any(|(_, a)| matches!(a, Some(Awaiting::Event { .. })))
}

/// What the commit does to `run`'s stored event waits: replaces them when
/// the steps it waits on differ from those stored (matched, timed out,
/// ended, or new within the round).
pub(super) fn wait_change(run: &mut Active) -> WaitChange {
    let mut waits: BTreeMap<String, NewWait> = BTreeMap::new();
    if run.state.status == RunStatus::Running && awaits_event(&run.state) {
        // The variables every predicate of the run may read.
        let context = serde_json::to_string(&run.state).unwrap_or_default();
        for command in storeops_engine::resume(&run.plan, &run.state) {
            if let Command::AwaitEvent {
                step,
                topic,
                predicate,
                ..
            } = command
            {
                waits.insert(
                    step.clone(),
                    NewWait {
                        step,
                        topic,
                        predicate,
                        context: context.clone(),
                    },
                );
            }
        }
    }
    let steps: BTreeSet<String> = waits.keys().cloned().collect();
    if run.stored_waits.as_ref() == Some(&steps) {
        return WaitChange::Unchanged;
    }
    run.stored_waits = Some(steps);
    WaitChange::Replace(waits.into_values().collect())
}

/// The `child_finished` a finished child run sends its parent.
pub(super) fn parent_message(
    run: &Active,
    at: DateTime<Utc>,
) -> Result<Option<InboxMessage>, RuntimeError> {
    let Some((parent, step)) = &run.state.parent else {
        return Ok(None);
    };
    if !run.state.status.is_terminal() {
        return Ok(None);
    }
    let event = HistoryEvent::ChildFinished {
        step: step.clone(),
        status: run.state.status,
        output: run.state.output.clone().unwrap_or(Value::Null),
        error: run.state.error.clone(),
        at,
    };
    Ok(Some(InboxMessage {
        run_id: parent.clone(),
        event: serde_json::to_string(&event)?,
        due_at: at,
    }))
}
