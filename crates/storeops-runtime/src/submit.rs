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
