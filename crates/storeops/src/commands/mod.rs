//! One module per command; each turns parsed arguments into service calls and output.

pub mod bench;
pub mod config;
pub mod demo;
pub mod import;
pub mod migrate;
pub mod readiness;

use storeops_app::config::Config;
use storeops_store::Store;

/// Connects to the configured database and applies pending migrations.
pub async fn open_store(config: &Config) -> Result<Store, storeops_app::AppError> {
    let store = Store::connect(&config.database_url).await?;
    store.migrate().await?;
    Ok(store)
}
