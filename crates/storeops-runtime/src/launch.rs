//! Turning a trigger into a run: admission (event filter, scope, variant;
//! see [`storeops_engine::admit`]) and the run's first history chunk,
//! pinned to the plan's version. Shared by manual submissions, the event
//! dispatcher, schedules, webhooks and child runs.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use chrono::{DateTime, Utc};
use serde_json::Value;
use storeops_engine::{admit, Admission, HistoryEvent, ParentRef, Plan};
use storeops_store::{NewRun, Store};

use crate::error::RuntimeError;

/// What a trigger came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Prepared {
    /// A run to start.
    Start(NewRun),
    /// Not started: `filtered`, `out_of_scope` or `error` (with why).
    Skip(&'static str, Option<String>),
}

impl Prepared {
    /// The counted outcome (`started`, `filtered`, `out_of_scope`, `error`).
    pub fn outcome(&self) -> &'static str {
        match self {
            Prepared::Start(_) => "started",
            Prepared::Skip(outcome, _) => outcome,
        }
    }
}

/// Where a trigger comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// An event (the event trigger's filter applies).
    Event,
    /// Anything else: manual, API, schedule, webhook, a caller.
    Direct,
}

/// Admits `input` to `plan` and builds the run `id` (in `mode`) if admitted.
pub fn prepare(
    plan: &Plan,
    mode: &str,
    id: String,
    input: Value,
    at: DateTime<Utc>,
    source: Source,
    parent: Option<ParentRef>,
) -> Result<Prepared, RuntimeError> {
    let variant = match admit(
        &plan.launch,
        &plan.workflow,
        &input,
        source == Source::Event,
    ) {
        Ok(Admission::Start(variant)) => variant,
        Ok(skipped) => return Ok(Prepared::Skip(skipped.outcome(), None)),
        Err(why) => return Ok(Prepared::Skip("error", Some(why))),
    };
    let started = HistoryEvent::RunStarted {
        run_id: id.clone(),
        workflow: plan.workflow.clone(),
        version: plan.version.clone(),
        input: input.clone(),
        at,
        variant,
        parent,
    };
    Ok(Prepared::Start(NewRun {
        id,
        workflow: plan.workflow.clone(),
        version: plan.version.clone(),
        mode: mode.to_string(),
        input: serde_json::to_string(&input)?,
        events: serde_json::to_string(&[started])?,
        at,
    }))
}

/// Plans by (workflow, version).
type PlanCache = HashMap<(String, String), Arc<Plan>>;

/// Most plans kept by [`load_plan`]; the cache starts over when full.
const PLAN_CACHE_LIMIT: usize = 1024;

/// The stored plan of `workflow` at `version`. Cached process-wide: a
/// version is the content hash of its definition, so its plan never changes.
pub async fn load_plan(
    store: &Store,
    workflow: &str,
    version: &str,
) -> Result<Arc<Plan>, RuntimeError> {
    static CACHE: OnceLock<RwLock<PlanCache>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (workflow.to_string(), version.to_string());
    if let Some(plan) = cache.read().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(plan);
    }
    let stored = store
        .workflow_version(workflow, version)
        .await?
        .ok_or_else(|| RuntimeError::Corrupt {
            what: "plan",
            key: workflow.to_string(),
            message: format!("version {version} is not stored"),
        })?;
    let plan: Plan = serde_json::from_str(&stored.plan).map_err(|e| RuntimeError::Corrupt {
        what: "plan",
        key: workflow.to_string(),
        message: e.to_string(),
    })?;
    let plan = Arc::new(plan);
    if let Ok(mut map) = cache.write() {
        if map.len() >= PLAN_CACHE_LIMIT {
            map.clear();
        }
        map.insert(key, Arc::clone(&plan));
    }
    Ok(plan)
}
