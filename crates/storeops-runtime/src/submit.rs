//! Starting runs: a run is pinned to its workflow's active version and mode
//! at submission, and its first history chunk (`run_started`) is stored
//! with it. Submitting the same run id again is a no-op (idempotent), so
//! callers can retry submissions safely.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use storeops_engine::Plan;
use storeops_store::{NewRun, Store, WorkflowRow};

use crate::error::RuntimeError;
use crate::launch::{load_plan, prepare, Prepared, Source};

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
    let plan = load_plan(store, &row.name, &row.active_version).await?;
    let mut skipped = Vec::new();
    let runs = submissions
        .into_iter()
        .map(|s| new_run(&row, &plan, s, at, &mut skipped))
        .collect::<Result<Vec<_>, _>>();
    count_skipped(store, skipped).await?;
    let runs = runs?;
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
    type Target = Option<(WorkflowRow, std::sync::Arc<Plan>)>;
    let mut rows: std::collections::HashMap<String, Target> = Default::default();
    for (workflow, _) in &submissions {
        if !rows.contains_key(workflow) {
            let target = match store.workflow(workflow).await? {
                Some(row) => {
                    let plan = load_plan(store, &row.name, &row.active_version).await?;
                    Some((row, plan))
                }
                None => None,
            };
            rows.insert(workflow.clone(), target);
        }
    }
    let mut results: Vec<Result<Started, RuntimeError>> = Vec::with_capacity(submissions.len());
    let mut skipped = Vec::new();
    let mut runs = Vec::new();
    let mut slots = Vec::new();
    for (i, (workflow, submission)) in submissions.into_iter().enumerate() {
        let prepared = match rows.get(&workflow).and_then(Option::as_ref) {
            Some((row, plan)) => new_run(row, plan, submission, at, &mut skipped),
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
    count_skipped(store, skipped).await?;
    let created = store.start_runs(&runs).await?;
    for (slot, new) in slots.into_iter().zip(created) {
        if let Some(Ok(started)) = results.get_mut(slot) {
            started.new = new;
        }
    }
    Ok(results)
}

/// The run of submission `s` to `row`'s active version, after admission
/// (scope, variant); out of scope or not admissible is refused (and counted
/// by the caller).
fn new_run(
    row: &WorkflowRow,
    plan: &Plan,
    s: Submission,
    at: DateTime<Utc>,
    skipped: &mut Vec<(String, &'static str)>,
) -> Result<NewRun, RuntimeError> {
    if row.mode == "off" {
        return Err(RuntimeError::WorkflowOff(row.name.clone()));
    }
    if let Some(id) = &s.id {
        check_run_id(id)?;
    }
    let id = s.id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    match prepare(plan, &row.mode, id, s.input, at, Source::Direct, None)? {
        Prepared::Start(run) => Ok(run),
        Prepared::Skip(outcome, why) => {
            skipped.push((row.name.clone(), outcome));
            Err(RuntimeError::Refused {
                field: "input",
                message: match why {
                    Some(why) => {
                        format!("workflow `{}` cannot start on this input: {why}", row.name)
                    }
                    None => format!(
                    "workflow `{}` does not act on this input: its scope does not hold ({outcome})",
                    row.name
                ),
                },
            })
        }
    }
}

/// Longest run id a caller may choose.
pub const MAX_RUN_ID_CHARS: usize = 200;

/// A run id chosen by a caller: 1 to 200 characters, no control characters.
pub fn check_run_id(id: &str) -> Result<(), RuntimeError> {
    let chars = id.chars().count();
    if chars == 0 || chars > MAX_RUN_ID_CHARS {
        return Err(RuntimeError::Refused {
            field: "id",
            message: format!("a run id has 1 to {MAX_RUN_ID_CHARS} characters, found {chars}"),
        });
    }
    if id.chars().any(char::is_control) {
        return Err(RuntimeError::Refused {
            field: "id",
            message: "a run id has no control characters".to_string(),
        });
    }
    Ok(())
}

/// Adds the skipped triggers to the workflows' counts.
async fn count_skipped(
    store: &Store,
    skipped: Vec<(String, &'static str)>,
) -> Result<(), RuntimeError> {
    for (workflow, outcome) in skipped {
        store.count_trigger(&workflow, outcome, 1).await?;
    }
    Ok(())
}
