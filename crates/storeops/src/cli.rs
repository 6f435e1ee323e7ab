//! Command-line grammar (clap derive). Parsing only; commands live in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// storeops: operations automation for online stores.
#[derive(Debug, Parser)]
#[command(name = "storeops", version, about, propagate_version = true)]
pub struct Cli {
    /// Database URL (sqlite://PATH or postgres://…); default sqlite://./storeops.db.
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Config file; `storeops.toml` is read when present.
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Log format on stderr.
    #[arg(long, global = true, value_enum)]
    pub log_format: Option<LogFormat>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Log output format.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending database migrations.
    Migrate(JsonFlag),
    /// Import a file of one record kind (Shopify CSV export or JSONL).
    Import(ImportArgs),
    /// Generate the demo store, import it and audit it.
    Demo(DemoArgs),
    /// Audit the data before automating on it.
    Readiness(ReadinessArgs),
    /// Inspect configuration.
    Config {
        /// Config action.
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Measure performance; prints JSON.
    Bench {
        /// Benchmark to run.
        #[command(subcommand)]
        action: BenchAction,
    },
}

/// `--json` switch shared by reporting commands.
#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print machine-readable JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Record kinds on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    /// Products with variants.
    Products,
    /// Customers.
    Customers,
    /// Orders with lines.
    Orders,
    /// Inventory levels and ledger entries.
    Inventory,
    /// Shipments with tracking events (JSONL).
    Shipments,
    /// Returns with refunds (JSONL).
    Returns,
    /// Support tickets (JSONL).
    Tickets,
    /// Knowledge documents (JSONL).
    Docs,
}

/// File formats on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Shopify's CSV export layout.
    ShopifyCsv,
    /// One JSON object per line (docs/formats.md).
    Jsonl,
}

/// `storeops import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Kind of records in the file.
    #[arg(value_enum)]
    pub kind: KindArg,
    /// File to import.
    pub file: PathBuf,
    /// File format; default shopify-csv where Shopify exports the kind, else jsonl.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `storeops demo`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DemoArgs {
    /// Only write files.
    #[command(subcommand)]
    pub action: Option<DemoAction>,
    /// Do not start the server after the audit.
    #[arg(long)]
    pub no_serve: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Generator seed.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// The demo's "today" (YYYY-MM-DD); default the current date.
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Size factor (1.0 = ~500 products, ≥50,000 orders).
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
}

/// `storeops demo generate`.
#[derive(Debug, Subcommand)]
pub enum DemoAction {
    /// Write the demo store's files and planted.json into a directory.
    Generate {
        /// Output directory (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Generator seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Plant no data problems.
        #[arg(long)]
        clean: bool,
        /// The store's "today" (YYYY-MM-DD); default the current date.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
        /// Size factor (1.0 = ~500 products, ≥50,000 orders).
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// Print what was written as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `storeops readiness`.
#[derive(Debug, Args)]
pub struct ReadinessArgs {
    /// Print the full report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Audit as of this date or time (YYYY-MM-DD or RFC 3339); default now.
    #[arg(long, value_name = "WHEN")]
    pub as_of: Option<String>,
    /// Affected ids listed per finding (default from config, 20).
    #[arg(long)]
    pub max_ids: Option<usize>,
}

/// `storeops config …`.
#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Validate file + environment and report every problem at once.
    Check(JsonFlag),
}

/// `storeops bench …`.
#[derive(Debug, Subcommand)]
pub enum BenchAction {
    /// Import throughput (order lines/s) and peak RSS.
    Import {
        /// Order lines in the generated orders file (0 = the demo's own orders file).
        #[arg(long, default_value_t = 0)]
        lines: u64,
        /// Keep the generated file here instead of a temp dir.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Internal: import one file in this process and print its own measurements.
    #[command(hide = true)]
    ImportRun {
        /// File of orders.
        file: PathBuf,
        /// PostgreSQL schema to import into (created, dropped afterwards).
        #[arg(long)]
        pg_schema: Option<String>,
    },
}
