//! `storeops import <kind> FILE`: exit 0 when every record was stored, 3 when
//! some were rejected, 1 on fatal errors, 2 on usage errors.

use std::process::ExitCode;

use storeops_app::config::Config;
use storeops_app::import::{import_file, ImportOptions};
use storeops_domain::RecordKind;
use storeops_ingest::{Format, ReaderOptions};
use storeops_store::ConnectOptions;

use crate::cli::{FormatArg, ImportArgs, KindArg};
use crate::output;

/// Exit code when some records were rejected.
pub const EXIT_REJECTED: u8 = 3;

/// Runs one import and prints its report.
pub async fn run(config: &Config, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let kind = record_kind(args.kind);
    let format = match args.format {
        Some(FormatArg::ShopifyCsv) => Format::ShopifyCsv,
        Some(FormatArg::Jsonl) => Format::Jsonl,
        None => Format::default_for(kind),
    };
    if format == Format::ShopifyCsv && !kind.has_shopify_csv() {
        return Err(storeops_app::AppError::Usage(format!(
            "Shopify exports no CSV for {kind}; use --format jsonl"
        ))
        .into());
    }
    let store = super::open_store_with(config, &ConnectOptions::bulk()).await?;
    let options = ImportOptions {
        kind,
        format,
        batch_size: config.import_batch_size,
        reader: ReaderOptions {
            currency: config.import_currency,
        },
    };
    let progress = output::byte_progress(kind.as_str());
    let report = import_file(&store, &args.file, &options, &progress).await?;
    store.close().await;
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        output::print_import(&report, &args.file.display().to_string());
    }
    Ok(if report.has_rejections() {
        ExitCode::from(EXIT_REJECTED)
    } else {
        ExitCode::SUCCESS
    })
}

/// Maps the CLI kind onto the domain kind.
pub fn record_kind(kind: KindArg) -> RecordKind {
    match kind {
        KindArg::Products => RecordKind::Products,
        KindArg::Customers => RecordKind::Customers,
        KindArg::Orders => RecordKind::Orders,
        KindArg::Inventory => RecordKind::Inventory,
        KindArg::Shipments => RecordKind::Shipments,
        KindArg::Returns => RecordKind::Returns,
        KindArg::Tickets => RecordKind::Tickets,
        KindArg::Docs => RecordKind::Docs,
    }
}
