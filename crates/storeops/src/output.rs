//! Terminal output helpers: progress bars that stay quiet off a terminal,
//! and the human-readable renderings of reports.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use storeops_app::import::ImportReport;

/// A byte-progress bar on stderr, hidden when stderr is not a terminal.
pub fn byte_progress(label: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template(
        "{prefix:>10} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(label.to_string());
    bar
}

/// Prints an import report for people.
pub fn print_import(report: &ImportReport, file: &str) {
    println!(
        "{file}: {kind}: {imported} imported, {updated} updated, {unchanged} unchanged, {rejected} rejected",
        kind = report.kind,
        imported = report.imported,
        updated = report.updated,
        unchanged = report.unchanged,
        rejected = report.rejected_records,
    );
    for row in &report.rejected {
        println!("  line {}: {}: {}", row.line, row.field, row.message);
    }
}
