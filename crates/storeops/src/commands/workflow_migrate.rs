//! `storeops workflow migrate NAME [--from V] [--to V] [--dry-run] [--actor A] [--json]`:
//! moves unfinished runs to another version (see
//! `storeops_runtime::migrate`), printing one line per run; exit 1 when a
//! run could not move (refused or held by a worker), except on a dry run.

use std::process::ExitCode;

use storeops_app::config::Config;
use storeops_runtime::migrate::Verdict;
use storeops_runtime::MigrateRequest;

use super::open_store;
use super::workflow_defs::short;

/// The parsed arguments.
pub struct Args {
    /// Workflow name.
    pub name: String,
    /// Only runs on this version.
    pub from: Option<String>,
    /// Target version.
    pub to: Option<String>,
    /// Check only.
    pub dry_run: bool,
    /// Who migrates (a user name).
    pub actor: String,
    /// Print JSON.
    pub json: bool,
}

/// Runs `workflow migrate`.
pub async fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let actor = format!("user:{}", args.actor);
    let request = MigrateRequest {
        workflow: &args.name,
        from: args.from.as_deref(),
        to: args.to.as_deref(),
        dry_run: args.dry_run,
        actor: &actor,
    };
    let result = storeops_runtime::migrate(&store, &request, chrono::Utc::now()).await;
    store.close().await;
    let migration = result?;
    if args.json {
        println!("{}", serde_json::json!(migration));
    } else {
        for run in &migration.runs {
            let verdict = match run.verdict {
                Verdict::Migrated => "migrated",
                Verdict::WouldMigrate => "would migrate",
                Verdict::Refused => "refused",
                Verdict::Busy => "busy",
            };
            let reason = run.reason.as_deref().unwrap_or("");
            println!(
                "{verdict:<14} {}  from {}  {reason}",
                run.id,
                short(&run.from)
            );
        }
        let done = if migration.dry_run {
            "would migrate"
        } else {
            "migrated"
        };
        println!(
            "{}: {} run(s) {done} to {}, {} could not",
            migration.workflow,
            migration.migrated,
            short(&migration.to),
            migration.failed
        );
    }
    Ok(if migration.failed > 0 && !migration.dry_run {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
