//! Demo orchestration: write the generated store as Shopify CSV + JSONL files,
//! import them through the real import path, and check the audit against the
//! planted ground truth.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use indicatif::ProgressBar;
use serde::Serialize;
use storeops_demo::{DemoStore, Planted, PlantedProblem};
use storeops_domain::{InventoryRecord, Record, RecordKind};
use storeops_ingest::{Format, ReaderOptions};
use storeops_insights::ReadinessReport;
use storeops_store::Store;

use crate::error::AppError;
use crate::import::{import_file, ImportOptions, ImportReport};

/// Name of the ground-truth file inside a demo directory.
pub const PLANTED_FILE: &str = "planted.json";

/// One written file and how to import it.
#[derive(Debug, Clone, Serialize)]
pub struct DemoFile {
    /// Record kind.
    pub kind: RecordKind,
    /// File format.
    #[serde(serialize_with = "format_label")]
    pub format: Format,
    /// Path.
    pub path: PathBuf,
    /// Records written.
    pub records: usize,
}

/// Files in import order (catalog first so later kinds can refer to it).
pub fn write_demo(store: &DemoStore, dir: &Path) -> Result<Vec<DemoFile>, AppError> {
    std::fs::create_dir_all(dir).map_err(|e| AppError::io(dir, e))?;
    let (levels, adjustments): (Vec<_>, Vec<_>) = store
        .inventory
        .iter()
        .cloned()
        .partition(|r| matches!(r, InventoryRecord::Level(_)));
    let plan: Vec<(RecordKind, Format, &str, Vec<Record>)> = vec![
        (
            RecordKind::Products,
            Format::ShopifyCsv,
            "products.csv",
            wrap(&store.products, Record::Product),
        ),
        (
            RecordKind::Customers,
            Format::ShopifyCsv,
            "customers.csv",
            wrap(&store.customers, Record::Customer),
        ),
        (
            RecordKind::Orders,
            Format::ShopifyCsv,
            "orders.csv",
            wrap(&store.orders, Record::Order),
        ),
        (
            RecordKind::Inventory,
            Format::ShopifyCsv,
            "inventory.csv",
            wrap(&levels, Record::Inventory),
        ),
        (
            RecordKind::Inventory,
            Format::Jsonl,
            "inventory_adjustments.jsonl",
            wrap(&adjustments, Record::Inventory),
        ),
        (
            RecordKind::Shipments,
            Format::Jsonl,
            "shipments.jsonl",
            wrap(&store.shipments, Record::Shipment),
        ),
        (
            RecordKind::Returns,
            Format::Jsonl,
            "returns.jsonl",
            wrap(&store.returns, Record::Return),
        ),
        (
            RecordKind::Tickets,
            Format::Jsonl,
            "tickets.jsonl",
            wrap(&store.tickets, Record::Ticket),
        ),
        (
            RecordKind::Docs,
            Format::Jsonl,
            "docs.jsonl",
            wrap(&store.docs, Record::Doc),
        ),
    ];
    let mut files = Vec::with_capacity(plan.len());
    for (kind, format, name, records) in plan {
        let path = dir.join(name);
        let file = File::create(&path).map_err(|e| AppError::io(&path, e))?;
        let out = BufWriter::with_capacity(1 << 20, file);
        let written = match format {
            Format::ShopifyCsv => storeops_ingest::write_csv(kind, &records, out),
            Format::Jsonl => storeops_ingest::write_jsonl(&records, out),
        };
        written.map_err(|source| AppError::Ingest {
            path: path.clone(),
            source,
        })?;
        files.push(DemoFile {
            kind,
            format,
            path,
            records: records.len(),
        });
    }
    let planted_path = dir.join(PLANTED_FILE);
    let json = serde_json::to_vec_pretty(&store.planted)
        .map_err(|e| AppError::Internal(format!("planted.json: {e}")))?;
    std::fs::write(&planted_path, json).map_err(|e| AppError::io(&planted_path, e))?;
    Ok(files)
}

fn format_label<S: serde::Serializer>(format: &Format, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(format.as_str())
}

fn wrap<T: Clone>(items: &[T], to: fn(T) -> Record) -> Vec<Record> {
    items.iter().cloned().map(to).collect()
}

/// Imports every demo file in order; stops at the first fatal error.
pub async fn import_demo(
    store: &Store,
    files: &[DemoFile],
    batch_size: usize,
    reader: &ReaderOptions,
    progress: impl Fn(&DemoFile) -> ProgressBar,
) -> Result<Vec<ImportReport>, AppError> {
    let mut reports = Vec::with_capacity(files.len());
    for file in files {
        let options = ImportOptions {
            kind: file.kind,
            format: file.format,
            batch_size,
            reader: reader.clone(),
        };
        let bar = progress(file);
        reports.push(import_file(store, &file.path, &options, &bar).await?);
    }
    Ok(reports)
}

/// How the audit did against the planted ground truth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlantedSummary {
    /// Planted problems.
    pub total: usize,
    /// Planted problems the audit reported.
    pub found: usize,
    /// Planted problems the audit did not report.
    pub missed: Vec<PlantedProblem>,
    /// Findings that were not planted (`check id` pairs); empty on a correct audit.
    pub unexpected: Vec<String>,
}

/// Compares the audit's findings (all ids, untruncated) with what was planted.
pub fn compare_planted(planted: &Planted, report: &ReadinessReport) -> PlantedSummary {
    let reported: BTreeSet<(String, String)> = report
        .findings
        .iter()
        .flat_map(|f| f.ids.iter().map(move |id| (f.check.clone(), id.clone())))
        .collect();
    let expected: BTreeSet<(String, String)> = planted
        .problems
        .iter()
        .map(|p| (p.check.clone(), p.id.clone()))
        .collect();
    let missed: Vec<PlantedProblem> = planted
        .problems
        .iter()
        .filter(|p| !reported.contains(&(p.check.clone(), p.id.clone())))
        .cloned()
        .collect();
    let unexpected = reported
        .difference(&expected)
        .map(|(check, id)| format!("{check} {id}"))
        .collect();
    PlantedSummary {
        total: planted.problems.len(),
        found: planted.problems.len() - missed.len(),
        missed,
        unexpected,
    }
}
