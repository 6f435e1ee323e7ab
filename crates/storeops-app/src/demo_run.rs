//! `storeops demo` end to end: generate, write, import, audit, compare.

use std::path::Path;
use std::time::Instant;

use chrono::{NaiveDate, Utc};
use indicatif::ProgressBar;
use serde::Serialize;
use storeops_demo::DemoOptions;
use storeops_ingest::ReaderOptions;
use storeops_insights::{AreaScore, ReadinessReport, WorkflowVerdict};
use storeops_store::{Store, StoreCounts};

use crate::config::Config;
use crate::demo::{compare_planted, import_demo, write_demo, DemoFile, PlantedSummary};
use crate::error::AppError;
use crate::import::ImportReport;

/// Wall-clock milliseconds per phase.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DemoTimings {
    /// Generating the store in memory.
    pub generate_ms: u64,
    /// Writing CSV/JSONL files.
    pub write_ms: u64,
    /// Importing them.
    pub import_ms: u64,
    /// Running the audit.
    pub audit_ms: u64,
}

/// What `storeops demo` reports.
#[derive(Debug, Clone, Serialize)]
pub struct DemoSummary {
    /// Seed used.
    pub seed: u64,
    /// The demo's "today".
    pub today: NaiveDate,
    /// Records stored, per table.
    pub counts: StoreCounts,
    /// Audit vs planted ground truth.
    pub planted: PlantedSummary,
    /// Overall readiness score.
    pub overall_score: u8,
    /// Scores per area.
    pub areas: Vec<AreaScore>,
    /// Verdict per workflow.
    pub workflows: Vec<WorkflowVerdict>,
    /// One report per imported file.
    pub imports: Vec<ImportReport>,
    /// Time per phase.
    pub timings: DemoTimings,
}

/// Runs the demo into `store`, writing files under `dir`.
pub async fn run_demo(
    options: &DemoOptions,
    store: &Store,
    dir: &Path,
    config: &Config,
    progress: impl Fn(&DemoFile) -> ProgressBar,
) -> Result<(DemoSummary, ReadinessReport), AppError> {
    let mut timings = DemoTimings::default();
    let started = Instant::now();
    let demo = storeops_demo::generate(options);
    timings.generate_ms = millis(started);

    let started = Instant::now();
    let files = write_demo(&demo, dir)?;
    timings.write_ms = millis(started);

    let started = Instant::now();
    let reader = ReaderOptions {
        currency: demo.currency,
    };
    let imports = import_demo(store, &files, config.import_batch_size, &reader, progress).await?;
    timings.import_ms = millis(started);

    let started = Instant::now();
    let as_of = crate::readiness::midday(options.today);
    let report = crate::readiness::readiness(store, config, as_of).await?;
    timings.audit_ms = millis(started);

    let summary = DemoSummary {
        seed: options.seed,
        today: options.today,
        counts: store.counts().await?,
        planted: compare_planted(&demo.planted, &report),
        overall_score: report.overall_score,
        areas: report.areas.clone(),
        workflows: report.workflows.clone(),
        imports,
        timings,
    };
    Ok((summary, report))
}

/// Today's date in UTC, the demo's default "today".
pub fn utc_today() -> NaiveDate {
    Utc::now().date_naive()
}

fn millis(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}
