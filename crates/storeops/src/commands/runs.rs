//! `storeops runs list|show|prune`: runs, their timelines, and pruning
//! finished runs (their counts stay).

use std::process::ExitCode;

use serde_json::json;
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
            let timeline = storeops_runtime::timeline::history(&store, &id).await?;
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

/// One timeline line: time, event type, its step/timer, attempt and detail
/// (the engine's typed timeline entry).
fn describe(event: &storeops_engine::HistoryEvent) -> String {
    let e = storeops_engine::timeline::entry(event);
    let when =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let at = e.at.or(e.fire_at).map(when).unwrap_or_default();
    let attempt = e.attempt.map(|a| format!(" #{a}")).unwrap_or_default();
    let detail = match e.fire_at {
        Some(fire_at) => format!("fires at {}", when(fire_at)),
        None => e.detail,
    };
    format!("{at:<32} {:<19} {}{attempt} {detail}", e.kind, e.subject)
}
