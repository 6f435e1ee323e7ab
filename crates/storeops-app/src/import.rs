//! The import pipeline: file → parser thread → bounded channel → batched upserts.
//!
//! Parsing runs on a blocking thread and hands batches of records to the async
//! writer over a channel of [`CHANNEL_BATCHES`] slots, so memory stays bounded
//! by a few batches whatever the file size. Bad records are collected as
//! per-field rejections and never stop the batch. The parser thread also
//! serialises and hashes each batch ([`PreparedRecords`]), so the writer only
//! talks to the database and the two stages overlap.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use indicatif::ProgressBar;
use serde::Serialize;
use storeops_domain::{Record, RecordKind};
use storeops_ingest::{Format, Parsed, ReaderOptions};
use storeops_store::{PreparedRecords, Store, StoreError, UpsertCounts};
use tokio::sync::mpsc;

use crate::error::AppError;

/// Records written by one import after which planner statistics are
/// refreshed (PostgreSQL plans filtered lists badly without them).
const ANALYZE_AFTER: u64 = 1_000;

/// Batches in flight between parser and writer.
const CHANNEL_BATCHES: usize = 2;

/// One rejected field of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedRow {
    /// Line of the file where the bad record starts (1-based; CSV header is line 1).
    pub line: u64,
    /// Column header (CSV) or key path (JSONL) of the bad field.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// Outcome of importing one file, counted in records of the kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// The kind imported.
    pub kind: RecordKind,
    /// New records stored.
    pub imported: u64,
    /// Existing records that changed.
    pub updated: u64,
    /// Existing records already identical.
    pub unchanged: u64,
    /// Every bad field of every rejected record.
    pub rejected: Vec<RejectedRow>,
    /// Records rejected (one record may have several bad fields).
    #[serde(skip)]
    pub rejected_records: u64,
    /// Data lines read (order lines for orders; records for JSONL).
    #[serde(skip)]
    pub lines: u64,
}

impl ImportReport {
    /// Whether any record was rejected (exit code 3).
    pub fn has_rejections(&self) -> bool {
        self.rejected_records > 0
    }
}

/// How to import one file.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Record kind in the file.
    pub kind: RecordKind,
    /// File format.
    pub format: Format,
    /// Records per write transaction.
    pub batch_size: usize,
    /// Parser options (currency of Shopify product prices).
    pub reader: ReaderOptions,
}

enum Message {
    Batch(Result<PreparedRecords, StoreError>, u64),
    Rejected(storeops_ingest::Rejected),
}

/// Imports `path` into `store`, reporting progress in bytes on `progress`.
pub async fn import_file(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    progress: &ProgressBar,
) -> Result<ImportReport, AppError> {
    let file = File::open(path).map_err(|e| AppError::io(path, e))?;
    if let Ok(meta) = file.metadata() {
        progress.set_length(meta.len());
    }
    let input = BufReader::with_capacity(1 << 20, file);
    import_reader(store, Box::new(input), path, options, progress).await
}

/// Imports from any byte stream (a file, an HTTP request body); `path`
/// names the input in errors. Reading happens on a blocking thread.
pub async fn import_reader(
    store: &Store,
    input: Box<dyn Read + Send>,
    path: &Path,
    options: &ImportOptions,
    progress: &ProgressBar,
) -> Result<ImportReport, AppError> {
    let (tx, mut rx) = mpsc::channel::<Message>(CHANNEL_BATCHES);
    let batch_size = options.batch_size.max(1);
    let bar = progress.clone();
    let (kind, format, reader_options) = (options.kind, options.format, options.reader.clone());
    // The reader is opened on the blocking thread too: opening reads the
    // header, and `input` may block (an HTTP body bridged from async).
    let parser = tokio::task::spawn_blocking(move || {
        let reader = storeops_ingest::reader_with(kind, format, input, &reader_options)?;
        parse_into(reader, batch_size, &tx, &bar)
    });

    let mut counts = UpsertCounts::default();
    let mut report = ImportReport {
        kind: options.kind,
        imported: 0,
        updated: 0,
        unchanged: 0,
        rejected: Vec::new(),
        rejected_records: 0,
        lines: 0,
    };
    while let Some(message) = rx.recv().await {
        match message {
            Message::Batch(prepared, lines) => {
                counts += store.upsert_prepared(prepared?).await?;
                report.lines += lines;
            }
            Message::Rejected(rejected) => {
                report.rejected_records += 1;
                report
                    .rejected
                    .extend(rejected.errors.into_iter().map(|e| RejectedRow {
                        line: rejected.line,
                        field: e.field,
                        message: e.message,
                    }));
            }
        }
    }
    let parsed = parser
        .await
        .map_err(|e| AppError::Internal(format!("parser task: {e}")))?;
    parsed.map_err(|source| AppError::Ingest {
        path: path.to_path_buf(),
        source,
    })?;
    progress.finish_and_clear();
    report.imported = counts.imported;
    report.updated = counts.updated;
    report.unchanged = counts.unchanged;
    if report.imported + report.updated >= ANALYZE_AFTER {
        store.analyze().await?;
    }
    Ok(report)
}

/// Parser side: reads records and sends them in batches. Stops early (without
/// error) when the writer has gone away, which only happens after it failed.
fn parse_into(
    mut reader: storeops_ingest::RecordReader,
    batch_size: usize,
    tx: &mpsc::Sender<Message>,
    progress: &ProgressBar,
) -> Result<(), storeops_ingest::IngestError> {
    let mut batch = Vec::with_capacity(batch_size);
    let mut lines = 0u64;
    while let Some(item) = reader.next() {
        match item? {
            Parsed::Record { record, .. } => {
                lines += data_lines(&record);
                batch.push(record);
                if batch.len() >= batch_size {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(batch_size));
                    let prepared = PreparedRecords::new(full);
                    if tx.blocking_send(Message::Batch(prepared, lines)).is_err() {
                        return Ok(());
                    }
                    lines = 0;
                }
            }
            Parsed::Rejected(rejected) => {
                if tx.blocking_send(Message::Rejected(rejected)).is_err() {
                    return Ok(());
                }
            }
        }
        progress.set_position(reader.bytes_read());
    }
    if !batch.is_empty() {
        // A closed channel here means the writer failed; it reports why.
        let _ = tx.blocking_send(Message::Batch(PreparedRecords::new(batch), lines));
    }
    Ok(())
}

/// Lines a record contributes to throughput: order lines for orders, one otherwise.
fn data_lines(record: &Record) -> u64 {
    match record {
        Record::Order(order) => order.lines.len().max(1) as u64,
        _ => 1,
    }
}
