//! Import benchmark support: a large Shopify orders file built from the demo's
//! orders, and the process's own peak memory.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use serde::Serialize;
use storeops_demo::DemoStore;
use storeops_domain::{Record, RecordKind};

use crate::error::AppError;

/// What one import measurement reports.
#[derive(Debug, Clone, Serialize)]
pub struct ImportMeasurement {
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// Order lines imported.
    pub lines: u64,
    /// Orders imported.
    pub orders: u64,
    /// Wall-clock seconds of the import (file open to last commit).
    pub seconds: f64,
    /// Order lines per second.
    pub lines_per_s: f64,
    /// Peak resident memory of the importing process (VmHWM), MiB.
    pub peak_rss_mb: f64,
}

/// Size of a written orders file.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct OrdersFile {
    /// Order lines (CSV data rows).
    pub lines: u64,
    /// Orders.
    pub orders: u64,
}

/// Writes the demo's orders as a Shopify orders CSV; with `min_lines` above
/// the demo's own, repeats them under new names (`#1001-2`, …) until at
/// least that many order lines are written. Streams: memory stays flat.
pub fn write_orders_file(
    demo: &DemoStore,
    path: &Path,
    min_lines: u64,
) -> Result<OrdersFile, AppError> {
    let file = File::create(path).map_err(|e| AppError::io(path, e))?;
    let mut writer = storeops_ingest::CsvWriter::new(
        RecordKind::Orders,
        BufWriter::with_capacity(1 << 20, file),
    )
    .map_err(|source| AppError::Ingest {
        path: path.to_path_buf(),
        source,
    })?;
    let mut written = OrdersFile {
        lines: 0,
        orders: 0,
    };
    let mut copy = 1u64;
    loop {
        for order in &demo.orders {
            let mut order = order.clone();
            if copy > 1 {
                order.name = format!("{}-{copy}", order.name);
            }
            written.lines += order.lines.len() as u64;
            written.orders += 1;
            writer
                .write(&Record::Order(order))
                .map_err(|source| AppError::Ingest {
                    path: path.to_path_buf(),
                    source,
                })?;
        }
        if written.lines >= min_lines || demo.orders.is_empty() {
            break;
        }
        copy += 1;
    }
    writer.finish().map_err(|source| AppError::Ingest {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(written)
}

/// Peak resident set size of this process in MiB (Linux `VmHWM`), 0 elsewhere.
pub fn peak_rss_mb() -> f64 {
    proc_status_mb("self", "VmHWM")
}

/// A memory field (`VmHWM`, `VmRSS`, …) of `/proc/<pid>/status` in MB; 0
/// when unreadable. `pid` may be `self`.
pub fn proc_status_mb(pid: &str, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kib| kib / 1024.0)
}
