//! `storeops migrate`: apply pending migrations.

use std::process::ExitCode;

use storeops_app::config::Config;
use storeops_store::Store;

/// Applies migrations and reports what ran.
pub async fn run(config: &Config, json: bool) -> anyhow::Result<ExitCode> {
    let store = Store::connect(&config.database_url)
        .await
        .map_err(storeops_app::AppError::from)?;
    let report = store
        .migrate()
        .await
        .map_err(storeops_app::AppError::from)?;
    if json {
        println!(
            "{}",
            serde_json::json!({ "applied": report.applied, "current": report.current })
        );
    } else if report.applied.is_empty() {
        println!("database is current (version {})", report.current);
    } else {
        println!(
            "applied {} migration(s); now at version {}",
            report.applied.len(),
            report.current
        );
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
