//! The review queue's decisions: an approval decided or an exception
//! resolved closes its item and puts the matching history event in the
//! run's inbox, where the worker holding the run folds it in. Shared by the
//! CLI, the API and the dashboard so all check the same rules. Every
//! decision is appended to the audit log (chain `review`) in the same
//! transaction.

use chrono::{DateTime, Utc};
use storeops_domain::audit_chain::{digest, AuditEntry};
use storeops_engine::{HistoryEvent, Resolution};
use storeops_store::{ItemRow, Store};

use crate::error::RuntimeError;

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
    let options: Vec<String> = serde_json::from_str(&item.options).unwrap_or_default();
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
    let context: serde_json::Value = serde_json::from_str(&item.context).unwrap_or_default();
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
