//! Starting runs: a run is pinned to its workflow's active version and mode
//! at submission, and its first history chunk (`run_started`) is stored
//! with it. Submitting the same run id again is a no-op (idempotent), so
//! callers can retry submissions safely.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use storeops_engine::HistoryEvent;
use storeops_store::{NewRun, Store, WorkflowRow};

use crate::error::RuntimeError;

/// One run to start.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// Run id; a random one when `None`.
    pub id: Option<String>,
    /// Trigger input.
    pub input: Value,
}

/// A started (or already existing) run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Started {
    /// Run id.
    pub id: String,
    /// False when a run with this id existed already.
    pub new: bool,
}

/// Starts runs of `workflow` at `at`, all in one transaction.
pub async fn submit(
    store: &Store,
    workflow: &str,
    submissions: Vec<Submission>,
    at: DateTime<Utc>,
) -> Result<Vec<Started>, RuntimeError> {
    let row = store
        .workflow(workflow)
        .await?
        .ok_or_else(|| RuntimeError::UnknownWorkflow(workflow.to_string()))?;
    let runs = submissions
        .into_iter()
        .map(|s| new_run(&row, s, at))
        .collect::<Result<Vec<_>, _>>()?;
    let created = store.start_runs(&runs).await?;
    Ok(runs
        .into_iter()
        .zip(created)
        .map(|(run, new)| Started { id: run.id, new })
        .collect())
}

/// Starts runs of several workflows in one transaction (group commit of
/// concurrent submissions); one result per submission, in order. A
/// submission to an unknown or switched-off workflow fails alone.
pub async fn submit_many(
    store: &Store,
    submissions: Vec<(String, Submission)>,
    at: DateTime<Utc>,
) -> Result<Vec<Result<Started, RuntimeError>>, RuntimeError> {
    let mut rows: std::collections::HashMap<String, Option<WorkflowRow>> = Default::default();
    for (workflow, _) in &submissions {
        if !rows.contains_key(workflow) {
            rows.insert(workflow.clone(), store.workflow(workflow).await?);
        }
    }
    let mut results: Vec<Result<Started, RuntimeError>> = Vec::with_capacity(submissions.len());
    let mut runs = Vec::new();
    let mut slots = Vec::new();
    for (i, (workflow, submission)) in submissions.into_iter().enumerate() {
        let prepared = match rows.get(&workflow).and_then(Option::as_ref) {
            Some(row) => new_run(row, submission, at),
            None => Err(RuntimeError::UnknownWorkflow(workflow)),
        };
        match prepared {
            Ok(run) => {
                results.push(Ok(Started {
                    id: run.id.clone(),
                    new: false,
                }));
                slots.push(i);
                runs.push(run);
            }
            Err(e) => results.push(Err(e)),
        }
    }
    let created = store.start_runs(&runs).await?;
    for (slot, new) in slots.into_iter().zip(created) {
        if let Some(Ok(started)) = results.get_mut(slot) {
            started.new = new;
        }
    }
    Ok(results)
}

fn new_run(row: &WorkflowRow, s: Submission, at: DateTime<Utc>) -> Result<NewRun, RuntimeError> {
    if row.mode == "off" {
        return Err(RuntimeError::WorkflowOff(row.name.clone()));
    }
    let id = s.id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let started = HistoryEvent::RunStarted {
        run_id: id.clone(),
        workflow: row.name.clone(),
        version: row.active_version.clone(),
        input: s.input.clone(),
        at,
    };
    Ok(NewRun {
        id,
        workflow: row.name.clone(),
        version: row.active_version.clone(),
        mode: row.mode.clone(),
        input: serde_json::to_string(&s.input)?,
        events: serde_json::to_string(&[started])?,
        at,
    })
}
