//! `workflow migrate`: moves the unfinished runs of a workflow from the
//! versions they are pinned to onto a target version (by default the active
//! one). Deploying never does this; it is explicit, per run checked with the
//! pure [`check::check`] (every step the run touched exists in the target
//! with the same kind, and the replay lands where the run is), and written
//! lease-safely: the version changes and a `run_migrated` event is appended
//! in one transaction only while no worker holds the run and its history is
//! the one checked ([`Store::migrate_run`]), with an audit entry for the
//! operator's decision. Runs that fail are left alone and listed with the
//! reason.

pub mod check;

use chrono::{DateTime, Utc};
use serde::Serialize;
use storeops_domain::audit_chain::{digest, AuditEntry};
use storeops_engine::{HistoryEvent, Plan};
use storeops_store::{RunMigration, RunRow, Store};

use crate::error::RuntimeError;
pub use check::Refusal;

/// What happened to one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Moved to the target version.
    Migrated,
    /// Would move (dry run).
    WouldMigrate,
    /// Cannot move: see `reason` (and `step`).
    Refused,
    /// A worker holds the run or appended to it meanwhile; try again
    /// (pausing the workflow releases its runs at their next step).
    Busy,
}

/// One run considered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigratedRun {
    /// Run id.
    pub id: String,
    /// The version it was on.
    pub from: String,
    /// What happened.
    pub verdict: Verdict,
    /// Why it was refused or busy.
    pub reason: Option<String>,
    /// The step id at fault, when one step is.
    pub step: Option<String>,
}

/// The result of a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Migration {
    /// Workflow name.
    pub workflow: String,
    /// The target version.
    pub to: String,
    /// Whether nothing was written.
    pub dry_run: bool,
    /// Runs moved (or, dry, that would move).
    pub migrated: usize,
    /// Runs that could not move (refused or busy).
    pub failed: usize,
    /// Every unfinished run not on the target version, oldest first.
    pub runs: Vec<MigratedRun>,
}

/// What to migrate, and who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    /// Workflow name.
    pub workflow: &'a str,
    /// Only runs on this version (hash or unique prefix); `None`: every
    /// version but the target.
    pub from: Option<&'a str>,
    /// Target version (hash or unique prefix); `None`: the active one.
    pub to: Option<&'a str>,
    /// Check only; write nothing.
    pub dry_run: bool,
    /// Who asks (`user:<name>`), recorded in the audit log per moved run.
    pub actor: &'a str,
}

/// Moves the unfinished runs `request` names to its target version at
/// `at`; each moved run gets an audit entry (chain `operator`, action
/// `run.migrated`) in the transaction that moves it.
pub async fn migrate(
    store: &Store,
    request: &Request<'_>,
    at: DateTime<Utc>,
) -> Result<Migration, RuntimeError> {
    let Request {
        workflow,
        from,
        to,
        dry_run,
        actor,
    } = *request;
    let row = store
        .workflow(workflow)
        .await?
        .ok_or_else(|| RuntimeError::UnknownWorkflow(workflow.to_string()))?;
    let target = match to {
        Some(prefix) => resolve(store, workflow, prefix, "to").await?,
        None => row.active_version.clone(),
    };
    let source = match from {
        Some(prefix) => Some(resolve(store, workflow, prefix, "from").await?),
        None => None,
    };
    let target_plan = plan(store, workflow, &target).await?;
    let mut result = Migration {
        workflow: workflow.to_string(),
        to: target.clone(),
        dry_run,
        migrated: 0,
        failed: 0,
        runs: Vec::new(),
    };
    let mut plans: Vec<(String, Plan)> = Vec::new();
    for run in store.unfinished_runs(workflow).await? {
        if run.version == target || source.as_ref().is_some_and(|s| *s != run.version) {
            continue;
        }
        if !plans.iter().any(|(v, _)| *v == run.version) {
            plans.push((
                run.version.clone(),
                plan(store, workflow, &run.version).await?,
            ));
        }
        let Some((_, run_plan)) = plans.iter().find(|(v, _)| *v == run.version) else {
            continue;
        };
        let one = migrate_one(store, &run, (run_plan, &target_plan), dry_run, actor, at).await?;
        match one.verdict {
            Verdict::Migrated | Verdict::WouldMigrate => result.migrated += 1,
            Verdict::Refused | Verdict::Busy => result.failed += 1,
        }
        result.runs.push(one);
    }
    Ok(result)
}

/// Checks one run and, unless dry, moves it.
async fn migrate_one(
    store: &Store,
    run: &RunRow,
    (from, to): (&Plan, &Plan),
    dry_run: bool,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<MigratedRun, RuntimeError> {
    let mut outcome = MigratedRun {
        id: run.id.clone(),
        from: run.version.clone(),
        verdict: Verdict::Busy,
        reason: None,
        step: None,
    };
    // The seq first: a chunk appended after it makes the write refuse.
    let Some(seq) = store.run_next_seq(&run.id).await? else {
        outcome.reason = Some("the run is gone".to_string());
        return Ok(outcome);
    };
    let history = crate::timeline::history(store, &run.id).await?;
    if let Err(refusal) = check::check(from, to, &history) {
        outcome.verdict = Verdict::Refused;
        outcome.step = refusal.step().map(str::to_string);
        outcome.reason = Some(refusal.to_string());
        return Ok(outcome);
    }
    if dry_run {
        outcome.verdict = Verdict::WouldMigrate;
        return Ok(outcome);
    }
    let event = HistoryEvent::RunMigrated {
        from: run.version.clone(),
        to: to.version.clone(),
        at,
    };
    let moved = serde_json::json!({ "from": run.version, "to": to.version });
    let audit = AuditEntry {
        chain: "operator".to_string(),
        actor: actor.to_string(),
        action: "run.migrated".to_string(),
        subject: run.id.clone(),
        inputs_digest: digest(&moved),
        output: moved.to_string(),
        version: to.version.clone(),
        reason: None,
        at,
    };
    let migration = RunMigration {
        run_id: run.id.clone(),
        from: run.version.clone(),
        to: to.version.clone(),
        seq,
        events: serde_json::to_string(&[event])?,
        at,
        audit: Some(audit),
    };
    if store.migrate_run(&migration).await? {
        outcome.verdict = Verdict::Migrated;
    } else {
        outcome.reason = Some(
            "a worker holds the run or it moved on meanwhile; try again (pausing the workflow \
             releases its runs at their next step)"
                .to_string(),
        );
    }
    Ok(outcome)
}

/// The one stored version of `workflow` whose hash starts with `prefix`.
async fn resolve(
    store: &Store,
    workflow: &str,
    prefix: &str,
    field: &'static str,
) -> Result<String, RuntimeError> {
    let matching: Vec<String> = store
        .workflow_versions(workflow)
        .await?
        .into_iter()
        .map(|(version, _)| version)
        .filter(|v| !prefix.is_empty() && v.starts_with(prefix))
        .collect();
    match matching.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(RuntimeError::NotFound(format!(
            "version `{prefix}` of workflow `{workflow}`"
        ))),
        _ => Err(RuntimeError::Refused {
            field,
            message: format!(
                "`{prefix}` matches {} versions; give more of the hash",
                matching.len()
            ),
        }),
    }
}

/// The stored plan of a version.
async fn plan(store: &Store, workflow: &str, version: &str) -> Result<Plan, RuntimeError> {
    let stored = store
        .workflow_version(workflow, version)
        .await?
        .ok_or_else(|| RuntimeError::NotFound(format!("version `{version}` of `{workflow}`")))?;
    serde_json::from_str(&stored.plan).map_err(|e| corrupt("plan", workflow, e))
}

fn corrupt(what: &'static str, key: &str, e: impl std::fmt::Display) -> RuntimeError {
    RuntimeError::Corrupt {
        what,
        key: key.to_string(),
        message: e.to_string(),
    }
}
