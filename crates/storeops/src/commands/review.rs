//! `storeops approvals …` and `storeops exceptions …`: the review queue from
//! the command line (the same rules as the API and dashboard).

use std::process::ExitCode;

use serde_json::json;
use storeops_app::config::Config;
use storeops_engine::Resolution;
use storeops_runtime::review::{decide_approval, resolve_exception};
use storeops_store::{ItemFilter, Store};

use super::open_store;
use crate::cli::{ApprovalsAction, ExceptionsAction};
use crate::cli_workflow::QueueFilter;

/// Runs an `approvals` subcommand.
pub async fn approvals(config: &Config, action: ApprovalsAction) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    match action {
        ApprovalsAction::List(filter) => list(&store, "approval", filter).await?,
        ApprovalsAction::Decide {
            key,
            decision,
            reason,
            actor,
        } => {
            let actor = format!("user:{actor}");
            let item = decide_approval(
                &store,
                &key,
                &decision,
                &actor,
                reason.as_deref(),
                chrono::Utc::now(),
            )
            .await?;
            println!("{}: {decision} (run {} continues)", item.key, item.run_id);
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Runs an `exceptions` subcommand.
pub async fn exceptions(config: &Config, action: ExceptionsAction) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let (resolution, args) = match action {
        ExceptionsAction::List(filter) => {
            list(&store, "exception", filter).await?;
            store.close().await;
            return Ok(ExitCode::SUCCESS);
        }
        ExceptionsAction::Retry(args) => (Resolution::Retry, args),
        ExceptionsAction::Skip(args) => (Resolution::Skip, args),
        ExceptionsAction::Cancel(args) => (Resolution::Cancel, args),
    };
    let actor = format!("user:{}", args.actor);
    let item = resolve_exception(
        &store,
        &args.key,
        resolution,
        &actor,
        args.reason.as_deref(),
        chrono::Utc::now(),
    )
    .await?;
    println!(
        "{}: {} (run {})",
        item.key,
        item.decision.unwrap_or_default(),
        item.run_id
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn list(store: &Store, kind: &str, filter: QueueFilter) -> anyhow::Result<()> {
    let items = store
        .list_items(&ItemFilter {
            kind: Some(kind.to_string()),
            role: filter.role,
            workflow: filter.workflow,
            status: Some("open".to_string()),
        })
        .await?;
    if filter.json {
        println!("{}", json!({ "items": items }));
        return Ok(());
    }
    if items.is_empty() {
        println!("no open {kind}s");
    }
    for i in &items {
        let due = i
            .due_at
            .map(|d| format!("  due {}", d.format("%F %T")))
            .unwrap_or_default();
        println!(
            "{}  [{}] {}  {}{due}\n    {}",
            i.key, i.role, i.workflow, i.options, i.title
        );
    }
    Ok(())
}
