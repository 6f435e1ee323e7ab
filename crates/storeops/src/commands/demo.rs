//! `storeops demo` and `storeops demo generate`.

use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;
use storeops_app::config::Config;
use storeops_app::demo::write_demo;
use storeops_app::demo_run::{run_demo, utc_today, DemoSummary};
use storeops_app::AppError;
use storeops_demo::DemoOptions;
use storeops_store::Store;

use crate::cli::{DemoAction, DemoArgs};
use crate::output;

/// Database the demo uses unless `--database-url`/config names one.
pub const DEMO_DATABASE_URL: &str = "sqlite://./storeops-demo.db";

/// Runs the demo or writes its files.
pub async fn run(config: &Config, args: DemoArgs) -> anyhow::Result<ExitCode> {
    if let Some(DemoAction::Generate {
        out,
        seed,
        clean,
        today,
        scale,
        json,
    }) = args.action
    {
        return generate(&out, seed, clean, today.as_deref(), scale, json);
    }
    check_scale(args.scale)?;
    let mut options = DemoOptions::new(args.seed, parse_today(args.today.as_deref())?);
    options.scale = args.scale;
    let database_url = demo_database_url(config)?;
    let work = tempfile::tempdir().map_err(|e| AppError::io(std::env::temp_dir(), e))?;
    // The demo is one bulk import after another.
    let store = Store::connect_with(&database_url, &storeops_store::ConnectOptions::bulk())
        .await
        .map_err(AppError::from)?;
    store.migrate().await.map_err(AppError::from)?;
    if !args.json {
        eprintln!(
            "generating the demo store (seed {}, today {}) into {}",
            options.seed, options.today, database_url
        );
    }
    let (summary, report) = run_demo(&options, &store, work.path(), config, |file| {
        output::byte_progress(
            &file
                .path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        )
    })
    .await?;
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        print_summary(&summary, &database_url);
        println!();
        super::readiness::print_report(&report.truncated(config.max_listed_ids.min(5)));
        println!();
    }
    drop(report);
    let deployed = storeops_runtime::deploy_files(
        &store,
        &crate::skills::registry(config)?,
        &reference_workflows(),
    )
    .await?;
    if !args.json {
        for d in &deployed {
            println!(
                "workflow {} deployed ({})",
                d.workflow,
                super::workflow_defs::short(&d.version)
            );
        }
    }
    if args.no_serve {
        store.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    let mut config = config.clone();
    config.database_url = database_url;
    super::serve::serve_store(&config, store, None, 1).await
}

/// The reference workflows of `workflows/`, deployed by the demo.
pub fn reference_workflows() -> Vec<(String, String)> {
    [
        (
            "workflows/order-triage.yaml",
            include_str!("../../../../workflows/order-triage.yaml"),
        ),
        (
            "workflows/returns-triage-basic.yaml",
            include_str!("../../../../workflows/returns-triage-basic.yaml"),
        ),
        (
            "workflows/stock-alert-basic.yaml",
            include_str!("../../../../workflows/stock-alert-basic.yaml"),
        ),
    ]
    .into_iter()
    .map(|(path, text)| (path.to_string(), text.to_string()))
    .collect()
}

/// A fresh SQLite demo database unless the user chose a database.
fn demo_database_url(config: &Config) -> Result<String, AppError> {
    let chosen = config
        .sources
        .get("database_url")
        .is_some_and(|source| source != "default");
    if chosen {
        return Ok(config.database_url.clone());
    }
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("storeops-demo.db{suffix}");
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(AppError::io(path, e)),
        }
    }
    Ok(DEMO_DATABASE_URL.to_string())
}

fn check_scale(scale: f64) -> Result<(), AppError> {
    if scale > 0.0 && scale <= 20.0 {
        Ok(())
    } else {
        Err(AppError::Usage(format!(
            "--scale: {scale} is outside (0, 20]"
        )))
    }
}

fn parse_today(text: Option<&str>) -> Result<NaiveDate, AppError> {
    match text {
        None => Ok(utc_today()),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| AppError::Usage(format!("--today: `{text}` is not a YYYY-MM-DD date"))),
    }
}

fn generate(
    out: &Path,
    seed: u64,
    clean: bool,
    today: Option<&str>,
    scale: f64,
    json: bool,
) -> anyhow::Result<ExitCode> {
    check_scale(scale)?;
    let mut options = DemoOptions::new(seed, parse_today(today)?);
    options.clean = clean;
    options.scale = scale;
    let demo = storeops_demo::generate(&options);
    let files = write_demo(&demo, out)?;
    if json {
        let value = serde_json::json!({
            "out": out,
            "seed": seed,
            "today": options.today,
            "clean": clean,
            "files": files,
            "planted": demo.planted.problems.len(),
        });
        println!("{value}");
    } else {
        println!(
            "wrote the demo store (seed {seed}, today {}) to {}",
            options.today,
            out.display()
        );
        for file in &files {
            println!(
                "  {:<44} {:>7} {}",
                file.path.display(),
                file.records,
                file.kind
            );
        }
        println!(
            "  {} planted data problems in {}",
            demo.planted.problems.len(),
            out.join(storeops_app::demo::PLANTED_FILE).display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_summary(summary: &DemoSummary, database_url: &str) {
    let c = &summary.counts;
    println!("Demo store in {database_url}");
    println!(
        "  {} products, {} variants, {} customers, {} orders ({} lines), {} inventory levels, {} ledger entries",
        c.products, c.variants, c.customers, c.orders, c.order_lines, c.inventory_levels, c.inventory_adjustments
    );
    println!(
        "  {} shipments, {} returns, {} refunds, {} tickets, {} docs",
        c.shipments, c.returns, c.refunds, c.tickets, c.docs
    );
    let t = &summary.timings;
    println!(
        "  generated in {} ms, wrote files in {} ms, imported in {} ms, audited in {} ms",
        t.generate_ms, t.write_ms, t.import_ms, t.audit_ms
    );
    let p = &summary.planted;
    println!(
        "Planted data problems found by the audit: {}/{}{}",
        p.found,
        p.total,
        if p.missed.is_empty() {
            ""
        } else {
            " — MISSED some:"
        }
    );
    for missed in &p.missed {
        println!("  missed {} {} ({})", missed.check, missed.id, missed.what);
    }
}
