//! Running one action outside a workflow run — `storeops action run` and
//! `POST /api/v1/actions/{name}` share this use case, so both check the
//! same things in the same order: the action exists (else the closest name),
//! the caller's role suffices (viewer for read-only actions, operator for
//! side-effecting ones, also to dry-run them), the input matches the
//! action's schema; then the action runs — or, on a dry run of a
//! side-effecting action, its effect is described and not performed — and
//! the call, its input digest, output (or error), dry-run flag and
//! idempotency key are appended to the audit chain `actions` in the same
//! transaction as any store write of the action. Calls refused before
//! running (unknown action, role, input) are not audited.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use storeops_actions::{ActionCtx, ActionSpec, Registry, StepError};
use storeops_domain::audit_chain::{digest, AuditEntry};
use storeops_domain::Role;
use storeops_store::{Store, StoreError};

/// The audit chain of action calls.
pub const CHAIN: &str = "actions";

/// How long one call may run.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(120);

/// Longest idempotency key.
const MAX_KEY_CHARS: usize = 200;

/// One call.
#[derive(Debug, Clone)]
pub struct Call {
    /// The action's name.
    pub action: String,
    /// Its input.
    pub input: Value,
    /// Describe a side effect instead of performing it.
    pub dry_run: bool,
    /// Passed to the action as the attempt's key; fresh when `None`.
    pub idempotency_key: Option<String>,
    /// Who calls (a user name, the OS user).
    pub actor: String,
    /// The caller's role.
    pub role: Role,
}

/// A finished call, as `--json` and the API print it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Called {
    /// The action's name.
    pub action: String,
    /// What it returned (a dry run: the effect it would have had).
    pub output: Value,
    /// Whether the side effect was only described.
    pub dry_run: bool,
    /// The key the action ran with.
    pub idempotency_key: String,
    /// The audit entry written: chain, action, subject (the key), digest, time.
    pub audit_entry: Value,
}

/// Why a call did not happen or failed.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// No action of that name is registered.
    #[error("unknown action `{name}`{}", closest.as_ref().map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default())]
    Unknown {
        /// The name asked for.
        name: String,
        /// A registered name close to it.
        closest: Option<String>,
    },
    /// The caller's role is below what the action needs.
    #[error("`{action}` needs the {needed} role")]
    Forbidden {
        /// The action.
        action: String,
        /// The role it needs.
        needed: Role,
    },
    /// The input (or the key) is not what the action takes.
    #[error("{message}")]
    Invalid {
        /// The field at fault (dotted path; `input` for the whole input).
        field: String,
        /// Every mismatch, joined.
        message: String,
    },
    /// The action ran and failed.
    #[error("{}: {}", .0.kind, .0.message)]
    Failed(StepError),
    /// Writing the audit entry (or the action's store writes) failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The role an action needs: viewer to read, operator to change anything.
pub fn required_role(spec: &ActionSpec) -> Role {
    if spec.side_effects {
        Role::Operator
    } else {
        Role::Viewer
    }
}

/// Checks, runs (or describes) and audits `call`.
pub async fn call_action(
    store: &Store,
    registry: &Registry,
    call: Call,
    now: DateTime<Utc>,
) -> Result<Called, CallError> {
    let Some(action) = registry.get(&call.action) else {
        return Err(CallError::Unknown {
            closest: registry.closest(&call.action).map(str::to_string),
            name: call.action,
        });
    };
    let spec = action.spec();
    let needed = required_role(spec);
    if !call.role.allows(needed) {
        return Err(CallError::Forbidden {
            action: call.action,
            needed,
        });
    }
    let key = match call.idempotency_key {
        Some(k) if k.is_empty() || k.chars().count() > MAX_KEY_CHARS => {
            return Err(CallError::Invalid {
                field: "idempotency_key".into(),
                message: format!("`idempotency_key` must be 1 to {MAX_KEY_CHARS} characters"),
            })
        }
        Some(k) => k,
        None => uuid::Uuid::new_v4().to_string(),
    };
    let mismatches = spec.input.check(&call.input);
    if let Some(first) = mismatches.first() {
        let field = match first.path.as_str() {
            "" => "input".to_string(),
            path => path.to_string(),
        };
        let all: Vec<&str> = mismatches.iter().map(|m| m.message.as_str()).collect();
        return Err(CallError::Invalid {
            field,
            message: all.join("; "),
        });
    }
    let dry_run = call.dry_run && spec.side_effects;
    let outcome = if dry_run {
        let described = json!({"dry_run": true, "action": call.action, "input": call.input});
        Ok(storeops_actions::ActionOutput::value(described))
    } else {
        let ctx = ActionCtx {
            run_id: format!("action:{key}"),
            workflow: String::new(),
            step: call.action.clone(),
            attempt: 1,
            idempotency_key: key.clone(),
            http: registry.http_client().clone(),
            store: store.clone(),
            now,
            cpu: registry.cpu().clone(),
        };
        let attempt = action.execute(&ctx, call.input.clone());
        match tokio::time::timeout(CALL_TIMEOUT, attempt).await {
            Ok(result) => result,
            Err(_) => Err(storeops_actions::transient(
                "timeout",
                format!("the call took longer than {} s", CALL_TIMEOUT.as_secs()),
            )),
        }
    };
    let (verb, recorded, effects) = match &outcome {
        Ok(done) if dry_run => ("dry_run", json!({ "output": done.output }), Vec::new()),
        Ok(done) => (
            "run",
            json!({ "output": done.output }),
            done.effects.clone(),
        ),
        Err(e) => ("failed", json!({ "error": e }), Vec::new()),
    };
    let mut output = json!({"action": call.action, "dry_run": dry_run, "idempotency_key": key});
    if let (Some(out), Some(extra)) = (output.as_object_mut(), recorded.as_object()) {
        out.extend(extra.clone());
    }
    let entry = AuditEntry {
        chain: CHAIN.to_string(),
        actor: call.actor,
        action: format!("action.{verb}"),
        subject: key.clone(),
        inputs_digest: digest(&json!({"action": call.action, "input": call.input})),
        output: output.to_string(),
        version: call.action.clone(),
        reason: None,
        at: now,
    };
    store
        .commit_runs_audited("", &[], &effects, &[], std::slice::from_ref(&entry))
        .await?;
    let done = outcome.map_err(CallError::Failed)?;
    Ok(Called {
        audit_entry: json!({
            "chain": entry.chain,
            "action": entry.action,
            "subject": entry.subject,
            "inputs_digest": entry.inputs_digest,
            "at": entry.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        }),
        action: call.action,
        output: done.output,
        dry_run,
        idempotency_key: key,
    })
}
