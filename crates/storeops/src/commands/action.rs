//! `storeops action list|show|run|docs`: the registered actions, and one
//! action run outside a workflow through the same use case as the API
//! (`storeops_runtime::call`), as admin (the CLI has the database) with
//! `--actor` or the OS user recorded in the audit log.

use std::process::ExitCode;

use serde_json::{json, Value};
use storeops_app::config::Config;
use storeops_app::AppError;
use storeops_domain::Role;
use storeops_runtime::call::{call_action, Call, CallError};
use storeops_runtime::Registry;

use crate::cli::ActionAction;

/// Runs one `action` subcommand.
pub async fn run(config: &Config, action: ActionAction) -> anyhow::Result<ExitCode> {
    let registry = crate::skills::registry(config)?;
    match action {
        ActionAction::List { json } => {
            list(&registry, json);
            Ok(ExitCode::SUCCESS)
        }
        ActionAction::Show { name, json } => show(&registry, &name, json),
        ActionAction::Docs => {
            print!("{}", storeops_actions::markdown(&registry));
            Ok(ExitCode::SUCCESS)
        }
        ActionAction::Run {
            name,
            input,
            dry_run,
            key,
            actor,
            json,
        } => {
            let input = match read_input(&input) {
                Ok(v) => v,
                Err(message) => return Ok(fail(json, "invalid_input", &message, "input", 2)),
            };
            let store = super::open_store(config).await?;
            let call = Call {
                action: name,
                input,
                dry_run,
                idempotency_key: key,
                actor: format!("user:{}", actor.unwrap_or_else(os_user)),
                role: Role::Admin,
            };
            let result = call_action(&store, &registry, call, chrono::Utc::now()).await;
            store.close().await;
            Ok(report(result, json)?)
        }
    }
}

fn list(registry: &Registry, json: bool) {
    if json {
        let actions: Vec<Value> = registry
            .actions()
            .map(|a| storeops_actions::describe(a.spec()))
            .collect();
        println!("{}", json!({ "actions": actions }));
        return;
    }
    for a in registry.actions() {
        let s = a.spec();
        let effects = if s.side_effects {
            "side effects"
        } else {
            "read-only"
        };
        println!("{:<20} {:<13} {}", s.name, effects, s.summary());
    }
}

fn show(registry: &Registry, name: &str, json: bool) -> anyhow::Result<ExitCode> {
    let Some(action) = registry.get(name) else {
        let hint = registry
            .closest(name)
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        return Err(AppError::Usage(format!("unknown action `{name}`{hint}")).into());
    };
    let spec = action.spec();
    if json {
        println!("{}", storeops_actions::describe(spec));
    } else {
        println!("{}\n\n{}\n", spec.name, spec.doc.trim());
        println!(
            "side effects: {}",
            if spec.side_effects { "yes" } else { "no" }
        );
        println!("errors: {}", spec.errors.join(", "));
        println!("input schema: {:#}", spec.input.to_json());
        println!("output schema: {:#}", spec.output.to_json());
    }
    Ok(ExitCode::SUCCESS)
}

/// The input: JSON text, or `@FILE`.
fn read_input(arg: &str) -> Result<Value, String> {
    let text = match arg.strip_prefix('@') {
        Some(path) => {
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?
        }
        None => arg.to_string(),
    };
    serde_json::from_str(&text).map_err(|e| format!("`--input` is not valid JSON: {e}"))
}

/// The OS user running the command (`cli` when unknown).
pub(crate) fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "cli".to_string())
}

/// Prints the result; exit 0 done, 1 failed, 2 invalid.
fn report(
    result: Result<storeops_runtime::call::Called, CallError>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    match result {
        Ok(called) => {
            if json {
                println!("{}", serde_json::to_string(&called)?);
            } else {
                let verb = if called.dry_run { "would run" } else { "ran" };
                eprintln!("{verb} {} (key {})", called.action, called.idempotency_key);
                println!("{:#}", called.output);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ CallError::Unknown { .. }) => {
            Ok(fail(json, "unknown_action", &e.to_string(), "action", 2))
        }
        Err(CallError::Invalid { field, message }) => {
            Ok(fail(json, "invalid_input", &message, &field, 2))
        }
        Err(CallError::Failed(e)) => Ok(fail(json, &e.kind, &e.message, "", 1)),
        Err(e @ CallError::Forbidden { .. }) => Ok(fail(json, "forbidden", &e.to_string(), "", 2)),
        Err(CallError::Store(e)) => Err(AppError::from(e).into()),
    }
}

/// Prints `{"error":{code,message,field}}` (JSON) or the message, and the exit code.
fn fail(json: bool, code: &str, message: &str, field: &str, exit: u8) -> ExitCode {
    let field = (!field.is_empty()).then_some(field);
    if json {
        println!(
            "{}",
            json!({ "error": { "code": code, "message": message, "field": field } })
        );
    } else {
        eprintln!("error: {code}: {message}");
    }
    ExitCode::from(exit)
}
