//! `storeops runs list|show|prune`: runs, their timelines, and pruning
//! finished runs (their counts stay).

use std::process::ExitCode;

use serde_json::{json, Value};
use storeops_app::config::Config;
use storeops_store::RunFilter;

use super::open_store;
use crate::cli::RunsAction;

/// Runs a `runs` subcommand.
pub async fn run(config: &Config, action: RunsAction) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    match action {
        RunsAction::List {
            workflow,
            status,
            limit,
            json,
        } => {
            let filter = RunFilter {
                workflow,
                status,
                limit,
                before: None,
            };
            let runs = store.list_runs(&filter).await?;
            if json {
                println!("{}", json!({ "runs": runs }));
            } else {
                for r in &runs {
                    println!(
                        "{}  {:<22} {:<10} {}",
                        r.created_at.format("%F %T"),
                        r.workflow,
                        r.status,
                        r.id
                    );
                }
            }
        }
        RunsAction::Show { id, json } => {
            let Some(run) = store.run(&id).await? else {
                return Err(storeops_runtime::RuntimeError::NotFound(format!("run `{id}`")).into());
            };
            let mut timeline: Vec<Value> = Vec::new();
            for (_, _, chunk) in store.run_history(&id).await? {
                if let Ok(Value::Array(events)) = serde_json::from_str::<Value>(&chunk) {
                    timeline.extend(events);
                }
            }
            if json {
                println!("{}", json!({ "run": run, "timeline": timeline }));
            } else {
                println!(
                    "{}  {}  {}  version {}",
                    run.id,
                    run.workflow,
                    run.status,
                    super::workflow_defs::short(&run.version)
                );
                for event in &timeline {
                    println!("  {}", describe(event));
                }
                if let Some(error) = &run.error {
                    println!("error: {error}");
                }
            }
        }
        RunsAction::Prune { older_than, json } => {
            let now = chrono::Utc::now();
            let before = match older_than {
                Some(days) => Some(now - chrono::Duration::days(i64::from(days))),
                None => storeops_runtime::retention::cutoff(now, config.workflow_retention_days),
            };
            let Some(before) = before else {
                if json {
                    println!("{}", json!({ "runs": 0, "groups": [], "before": null }));
                } else {
                    println!("workflow.retention_days is 0: finished runs are kept");
                }
                store.close().await;
                return Ok(ExitCode::SUCCESS);
            };
            let pruned = store.prune_runs(before).await?;
            if json {
                println!(
                    "{}",
                    json!({ "runs": pruned.runs, "groups": pruned.groups, "before": before })
                );
            } else {
                println!(
                    "pruned {} finished run(s) last updated before {}",
                    pruned.runs,
                    before.format("%F %T UTC")
                );
                for g in &pruned.groups {
                    println!("  {:<22} {:<10} {}", g.workflow, g.status, g.runs);
                }
            }
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// One timeline line: time, event type, its step/timer and the rest.
fn describe(event: &Value) -> String {
    let field = |name: &str| event.get(name).and_then(Value::as_str).unwrap_or("");
    let at = event
        .get("at")
        .or_else(|| event.get("fire_at"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let subject = [field("step"), field("timer")].concat();
    let detail = match field("type") {
        "step_completed" => event
            .get("output")
            .map(Value::to_string)
            .unwrap_or_default(),
        "step_failed" => event.get("error").map(Value::to_string).unwrap_or_default(),
        "approval_decided" => format!("{} by {}", field("decision"), field("actor")),
        "exception_resolved" => format!("{} by {}", field("resolution"), field("actor")),
        "run_failed" => field("error").to_string(),
        "run_cancelled" => field("reason").to_string(),
        "run_migrated" => format!(
            "{} -> {}",
            super::workflow_defs::short(field("from")),
            super::workflow_defs::short(field("to"))
        ),
        _ => String::new(),
    };
    let attempt = event
        .get("attempt")
        .and_then(Value::as_u64)
        .map(|a| format!(" #{a}"))
        .unwrap_or_default();
    format!("{at:<32} {:<19} {subject}{attempt} {detail}", field("type"))
}
