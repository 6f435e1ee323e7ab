//! Command-line grammar of `storeops audit …` (clap derive), re-exported by
//! `cli.rs`. Parsing only; the command lives in `commands/audit.rs`.

use std::path::PathBuf;

use clap::Subcommand;

/// `storeops audit …`.
#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Recompute every chain; exit 1 and print `chain seq: message` per
    /// problem when a row was edited, deleted or reordered.
    Verify {
        /// Also fail when a chain is shorter than, or diverges from, the
        /// heads in this file (saved from `storeops audit head --json`):
        /// deleting a chain's newest rows is only detectable this way.
        #[arg(long, value_name = "FILE")]
        expect_heads: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Each chain's last seq and hash; keep them outside the database.
    Head {
        /// Print JSON (the input of `verify --expect-heads`).
        #[arg(long)]
        json: bool,
    },
    /// Entries in chain and seq order.
    List {
        /// Only this chain.
        #[arg(long)]
        chain: Option<String>,
        /// Only entries after this seq.
        #[arg(long, default_value_t = 0)]
        after: i64,
        /// At most this many (1–10000).
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}
