//! A workflow's controls — the mode new runs start in and the kill switch —
//! changed the same way from the CLI, the API and the dashboard: checked,
//! written as a compare-and-set from the value read, and audited in the same
//! transaction on chain `control` (actor, from, to, reason). A change to
//! the value a workflow already has is answered without an entry.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use storeops_domain::audit_chain::{digest, AuditEntry};
use storeops_store::{ControlChange, Store, MODES};

use crate::error::RuntimeError;

/// The audit chain of control changes.
pub const CHAIN: &str = "control";

/// Tries before a change that keeps losing to concurrent ones gives up.
const ATTEMPTS: usize = 5;

/// What a change did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    /// Workflow name.
    pub workflow: String,
    /// `mode` or `paused`.
    pub field: &'static str,
    /// The value before.
    pub from: String,
    /// The value now.
    pub to: String,
    /// False when it already had the value (nothing written, no entry).
    pub changed: bool,
}

/// Who changes and why.
#[derive(Debug, Clone, Copy)]
pub struct By<'a> {
    /// `user:<name>`.
    pub actor: &'a str,
    /// Why, if said.
    pub reason: Option<&'a str>,
    /// When.
    pub at: DateTime<Utc>,
}

impl<'a> By<'a> {
    /// `actor` changing it now, for `reason`.
    pub fn now(actor: &'a str, reason: Option<&'a str>) -> By<'a> {
        By {
            actor,
            reason,
            at: Utc::now(),
        }
    }
}

/// Switches the mode new runs of `name` start in (`off`, `shadow`, `live`).
pub async fn set_mode(
    store: &Store,
    name: &str,
    mode: &str,
    by: By<'_>,
) -> Result<Changed, RuntimeError> {
    if !MODES.contains(&mode) {
        return Err(RuntimeError::Refused {
            field: "mode",
            message: format!("`{mode}` is not off, shadow or live"),
        });
    }
    swap(store, name, by, |row| ControlChange::Mode {
        from: row.mode.clone(),
        to: mode.to_string(),
    })
    .await
}

/// Pauses (`true`) or resumes (`false`) workflow `name`.
pub async fn set_paused(
    store: &Store,
    name: &str,
    paused: bool,
    by: By<'_>,
) -> Result<Changed, RuntimeError> {
    swap(store, name, by, |row| ControlChange::Paused {
        from: row.paused,
        to: paused,
    })
    .await
}

async fn swap(
    store: &Store,
    name: &str,
    by: By<'_>,
    change: impl Fn(&storeops_store::WorkflowRow) -> ControlChange,
) -> Result<Changed, RuntimeError> {
    for _ in 0..ATTEMPTS {
        let row = store
            .workflow(name)
            .await?
            .ok_or_else(|| RuntimeError::UnknownWorkflow(name.to_string()))?;
        let change = change(&row);
        let (field, from, to, action) = match &change {
            ControlChange::Mode { from, to } => ("mode", from.clone(), to.clone(), "workflow.mode"),
            ControlChange::Paused { from, to } => {
                let action = if *to {
                    "workflow.paused"
                } else {
                    "workflow.resumed"
                };
                ("paused", from.to_string(), to.to_string(), action)
            }
        };
        let changed = Changed {
            workflow: name.to_string(),
            field,
            from: from.clone(),
            to: to.clone(),
            changed: from != to,
        };
        if !changed.changed {
            return Ok(changed);
        }
        let entry = AuditEntry {
            chain: CHAIN.to_string(),
            actor: by.actor.to_string(),
            action: action.to_string(),
            subject: name.to_string(),
            inputs_digest: digest(&json!({"workflow": name, field: to})),
            output: json!({"field": field, "from": from, "to": to}).to_string(),
            version: row.active_version.clone(),
            reason: by.reason.map(str::to_string),
            at: by.at,
        };
        if store.swap_workflow_control(name, &change, &entry).await? {
            return Ok(changed);
        }
    }
    Err(RuntimeError::Refused {
        field: "workflow",
        message: format!("`{name}` kept changing under this change; try again"),
    })
}
