//! The review queue's rules and decisions, in one place for the CLI (as
//! admin), the API and the dashboard (with the caller's role): who may
//! decide an item ([`may_decide`]: the item's role or higher), which
//! decisions an item takes ([`choices`]: an approval's options; retry,
//! skip or cancel for an exception), and that a rejection needs a reason.
//! A decision closes its item and puts the matching history event in the
//! run's inbox, where the worker holding the run folds it in; it is
//! appended to the audit log (chain `review`) in the same transaction.

use chrono::{DateTime, Utc};
use storeops_domain::audit_chain::{digest, AuditEntry};
use storeops_domain::Role;
use storeops_engine::{HistoryEvent, Resolution};
use storeops_store::{ItemRow, Store};

use crate::error::RuntimeError;

/// Who decides: the audit actor (`user:<name>`) and the role they act with.
#[derive(Debug, Clone, Copy)]
pub struct Reviewer<'a> {
    /// `user:<name>`.
    pub actor: &'a str,
    /// The caller's role (the CLI acts as admin).
    pub role: Role,
}

/// Whether `role` may decide `item`: the item's role or higher. An item
/// whose stored role is not a role is an error naming it.
pub fn may_decide(role: Role, item: &ItemRow) -> Result<bool, RuntimeError> {
    let needed = Role::parse(&item.role).map_err(|_| RuntimeError::Corrupt {
        what: "review item role",
        key: item.key.clone(),
        message: format!("`{}` is not a role", item.role),
    })?;
    Ok(role.allows(needed))
}

/// The decisions `item` takes: an approval's options, or `retry`, `skip`,
/// `cancel` for an exception (only `cancel` for an escalated approval).
pub fn choices(item: &ItemRow) -> Result<Vec<String>, RuntimeError> {
    if item.kind == "approval" {
        return serde_json::from_str(&item.options).map_err(|e| RuntimeError::Corrupt {
            what: "review item options",
            key: item.key.clone(),
            message: e.to_string(),
        });
    }
    if item.key.ends_with("#escalated") {
        return Ok(vec!["cancel".to_string()]);
    }
    Ok(["retry", "skip", "cancel"].map(String::from).to_vec())
}

/// An exception resolution by name.
pub fn resolution(name: &str) -> Option<Resolution> {
    match name {
        "retry" => Some(Resolution::Retry),
        "skip" => Some(Resolution::Skip),
        "cancel" => Some(Resolution::Cancel),
        _ => None,
    }
}

/// Decides or resolves item `key` with `decision` as `by`: the role rule,
/// then [`decide_approval`] or [`resolve_exception`].
pub async fn decide(
    store: &Store,
    key: &str,
    decision: &str,
    by: Reviewer<'_>,
    reason: Option<&str>,
    at: DateTime<Utc>,
) -> Result<ItemRow, RuntimeError> {
    let item = store
        .item(key)
        .await?
        .ok_or_else(|| RuntimeError::NotFound(format!("review item `{key}`")))?;
    if !may_decide(by.role, &item)? {
        return Err(RuntimeError::Forbidden(format!(
            "this item needs role {} or higher",
            item.role
        )));
    }
    if item.kind == "approval" {
        return decide_approval(store, key, decision, by.actor, reason, at).await;
    }
    let resolution = resolution(decision).ok_or_else(|| RuntimeError::Refused {
        field: "decision",
        message: format!("`{decision}` is not retry, skip or cancel"),
    })?;
    resolve_exception(store, key, resolution, by.actor, reason, at).await
}

/// Decides approval `key` with one of its options. A rejection needs a
/// reason.
pub async fn decide_approval(
    store: &Store,
    key: &str,
    decision: &str,
    actor: &str,
    reason: Option<&str>,
    at: DateTime<Utc>,
) -> Result<ItemRow, RuntimeError> {
    let item = open_item(store, key, "approval").await?;
    let options = choices(&item)?;
    if !options.iter().any(|o| o == decision) {
        return Err(RuntimeError::Refused {
            field: "decision",
            message: format!("`{decision}` is not one of {}", options.join(", ")),
        });
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if decision == "reject" && reason.is_none() {
        return Err(RuntimeError::Refused {
            field: "reason",
            message: "a rejection needs a reason".into(),
        });
    }
    let event = HistoryEvent::ApprovalDecided {
        step: item.step.clone(),
        decision: decision.to_string(),
        actor: actor.to_string(),
        reason: reason.map(str::to_string),
        at,
    };
    close(store, &item, decision, actor, reason, &event, at).await
}

/// Resolves exception `key`: retry the step, skip it, or cancel the run.
pub async fn resolve_exception(
    store: &Store,
    key: &str,
    resolution: Resolution,
    actor: &str,
    reason: Option<&str>,
    at: DateTime<Utc>,
) -> Result<ItemRow, RuntimeError> {
    let item = open_item(store, key, "exception").await?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let decision = match &resolution {
        Resolution::Retry => "retry",
        Resolution::RetryWith { .. } => "retry_with",
        Resolution::Skip => "skip",
        Resolution::Cancel => "cancel",
    };
    let event = match resolution {
        Resolution::Cancel if item.key.ends_with("#escalated") => HistoryEvent::RunCancelled {
            reason: format!(
                "{actor} cancelled the run at escalated approval `{}`",
                item.step
            ),
            at,
        },
        _ if item.key.ends_with("#escalated") => return Err(RuntimeError::Refused {
            field: "resolution",
            message:
                "an escalated approval is resolved by deciding the approval (or cancelling the run)"
                    .into(),
        }),
        resolution => HistoryEvent::ExceptionResolved {
            step: item.step.clone(),
            resolution,
            actor: actor.to_string(),
            reason: reason.map(str::to_string),
            at,
        },
    };
    close(store, &item, decision, actor, reason, &event, at).await
}

async fn open_item(store: &Store, key: &str, kind: &str) -> Result<ItemRow, RuntimeError> {
    let item = store
        .item(key)
        .await?
        .filter(|i| i.kind == kind)
        .ok_or_else(|| RuntimeError::NotFound(format!("{kind} `{key}`")))?;
    if item.status != "open" {
        return Err(RuntimeError::Refused {
            field: "key",
            message: format!("{kind} `{key}` is already closed"),
        });
    }
    Ok(item)
}

async fn close(
    store: &Store,
    item: &ItemRow,
    decision: &str,
    actor: &str,
    reason: Option<&str>,
    event: &HistoryEvent,
    at: DateTime<Utc>,
) -> Result<ItemRow, RuntimeError> {
    let event = serde_json::to_string(event)?;
    let context: serde_json::Value =
        serde_json::from_str(&item.context).map_err(|e| RuntimeError::Corrupt {
            what: "review item context",
            key: item.key.clone(),
            message: e.to_string(),
        })?;
    let audit = AuditEntry {
        chain: "review".to_string(),
        actor: actor.to_string(),
        action: format!("{}.decided", item.kind),
        subject: item.key.clone(),
        inputs_digest: digest(&context),
        output: serde_json::json!({ "decision": decision, "run": item.run_id }).to_string(),
        version: item.workflow.clone(),
        reason: reason.map(str::to_string),
        at,
    };
    Ok(store
        .close_item_audited(&item.key, decision, actor, reason, &event, at, &audit)
        .await?)
}
