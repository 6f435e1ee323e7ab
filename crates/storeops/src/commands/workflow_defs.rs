//! `storeops workflow deploy|list|show|mode|pause|resume|run`: deployed
//! definitions, their modes and the kill switch, and manual runs.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{json, Value};
use storeops_app::config::Config;
use storeops_app::AppError;
use storeops_runtime::{control, deploy_files, submit, Submission};

use super::open_store;
use crate::cli::WorkflowAction;

/// Runs a `workflow` subcommand other than `validate`.
pub async fn run(config: &Config, action: WorkflowAction) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    match action {
        WorkflowAction::Validate { .. } | WorkflowAction::Migrate { .. } => {}
        WorkflowAction::Deploy { files, json } => {
            let registry = crate::skills::registry(config)?;
            deploy(&store, &registry, &files, json).await?
        }
        WorkflowAction::List { json } => list(&store, json).await?,
        WorkflowAction::Show { name, json } => show(&store, &name, json).await?,
        WorkflowAction::Mode { name, mode, by } => {
            let (actor, reason) = actor_reason(by);
            let by = control::By::now(&actor, reason.as_deref());
            let changed = control::set_mode(&store, &name, mode.name(), by).await?;
            let note = if changed.changed { "" } else { " (unchanged)" };
            println!("{name}: mode {} (new runs){note}", mode.name());
        }
        WorkflowAction::Pause { name, by } => {
            let (actor, reason) = actor_reason(by);
            let by = control::By::now(&actor, reason.as_deref());
            control::set_paused(&store, &name, true, by).await?;
            println!("{name}: paused (no new runs; running ones stop at their next step)");
        }
        WorkflowAction::Resume { name, by } => {
            let (actor, reason) = actor_reason(by);
            let by = control::By::now(&actor, reason.as_deref());
            control::set_paused(&store, &name, false, by).await?;
            println!("{name}: resumed");
        }
        WorkflowAction::Run {
            name,
            input,
            id,
            json,
        } => start(&store, &name, &input, id, json).await?,
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn deploy(
    store: &storeops_store::Store,
    catalog: &dyn storeops_workflow::ActionCatalog,
    files: &[PathBuf],
    json: bool,
) -> anyhow::Result<()> {
    if files.is_empty() {
        return Err(AppError::Usage("name at least one workflow file".into()).into());
    }
    let mut texts = Vec::with_capacity(files.len());
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| AppError::io(file, e))?;
        texts.push((file.display().to_string(), text));
    }
    let deployed = deploy_files(store, catalog, &texts).await?;
    if json {
        println!("{}", json!({ "deployed": deployed }));
    } else {
        for d in &deployed {
            let what = if d.new { "deployed" } else { "unchanged" };
            println!(
                "{what}  {}  {}  ({})",
                d.workflow,
                short(&d.version),
                d.path
            );
        }
    }
    Ok(())
}

async fn list(store: &storeops_store::Store, json: bool) -> anyhow::Result<()> {
    let workflows = store.workflows().await?;
    let mut rows = Vec::with_capacity(workflows.len());
    for w in &workflows {
        let counts: Value = store
            .count_runs_by_status(Some(&w.name))
            .await?
            .into_iter()
            .map(|(status, n)| (status, Value::from(n)))
            .collect::<serde_json::Map<_, _>>()
            .into();
        rows.push(json!({
            "name": w.name, "version": w.active_version, "mode": w.mode,
            "paused": w.paused, "updated_at": w.updated_at, "runs": counts,
        }));
    }
    if json {
        println!("{}", json!({ "workflows": rows }));
        return Ok(());
    }
    if rows.is_empty() {
        println!("no workflows deployed; `storeops workflow deploy workflows/*.yaml` deploys the reference ones");
    }
    for (w, row) in workflows.iter().zip(&rows) {
        let paused = if w.paused { "  PAUSED" } else { "" };
        println!(
            "{:<24} {:<7} {}{paused}  runs {}",
            w.name,
            w.mode,
            short(&w.active_version),
            row["runs"]
        );
    }
    Ok(())
}

async fn show(store: &storeops_store::Store, name: &str, json: bool) -> anyhow::Result<()> {
    let w = store
        .workflow(name)
        .await?
        .ok_or_else(|| storeops_runtime::RuntimeError::UnknownWorkflow(name.to_string()))?;
    let versions = store.workflow_versions(name).await?;
    let active = store.workflow_version(name, &w.active_version).await?;
    let triggers = store
        .trigger_counts_by_workflow()
        .await?
        .remove(&w.name)
        .unwrap_or_default();
    if json {
        let versions: Vec<Value> = versions
            .iter()
            .map(|(v, at)| json!({"version": v, "deployed_at": at}))
            .collect();
        println!(
            "{}",
            json!({"name": w.name, "mode": w.mode, "paused": w.paused, "version": w.active_version,
                   "versions": versions, "triggers": triggers, "source": active.map(|a| a.source)})
        );
        return Ok(());
    }
    println!(
        "{}  mode {}{}",
        w.name,
        w.mode,
        if w.paused { "  PAUSED" } else { "" }
    );
    for (v, at) in &versions {
        let mark = if *v == w.active_version { "*" } else { " " };
        println!("{mark} {}  deployed {at}", short(v));
    }
    if !triggers.is_empty() {
        let counts: Vec<String> = triggers.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("triggers: {}", counts.join(", "));
    }
    if let Some(active) = active {
        println!("\n{}", active.source);
    }
    Ok(())
}

/// `user:<actor or the OS user>` and the reason.
fn actor_reason(by: crate::cli_workflow::ByArgs) -> (String, Option<String>) {
    let actor = by.actor.unwrap_or_else(super::action::os_user);
    (format!("user:{actor}"), by.reason)
}

async fn start(
    store: &storeops_store::Store,
    name: &str,
    input: &str,
    id: Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    let input: Value = serde_json::from_str(input)
        .map_err(|e| AppError::Usage(format!("--input is not JSON: {e}")))?;
    let started = submit(
        store,
        name,
        vec![Submission { id, input }],
        chrono::Utc::now(),
    )
    .await?;
    for s in &started {
        if json {
            println!("{}", json!({"id": s.id, "new": s.new}));
        } else if s.new {
            println!(
                "started run {} (a running `storeops serve` or `storeops worker` executes it)",
                s.id
            );
        } else {
            println!("run {} exists already; nothing started", s.id);
        }
    }
    Ok(())
}

/// The first 12 characters of a content hash.
pub fn short(hash: &str) -> &str {
    &hash[..12.min(hash.len())]
}
