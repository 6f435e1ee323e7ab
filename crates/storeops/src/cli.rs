//! Command-line grammar (clap derive). Parsing only; commands live in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::cli_action::ActionAction;
pub use crate::cli_audit::AuditAction;
pub use crate::cli_workflow::{
    ApprovalsAction, ExceptionsAction, RunsAction, WorkerArgs, WorkflowAction, WorkflowBenchArgs,
};

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
    /// Run the HTTP server: JSON API, webhooks, dashboard, /metrics.
    Serve(ServeArgs),
    /// Manage dashboard users.
    User {
        /// User action.
        #[command(subcommand)]
        action: UserAction,
    },
    /// Manage API tokens.
    Token {
        /// Token action.
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Workflow definitions.
    Workflow {
        /// Workflow action.
        #[command(subcommand)]
        action: WorkflowAction,
    },
    /// Registered actions: list them, show one, run one outside a workflow.
    Action {
        /// Action subcommand.
        #[command(subcommand)]
        action: ActionAction,
    },
    /// Workflow runs and their timelines.
    Runs {
        /// Runs action.
        #[command(subcommand)]
        action: RunsAction,
    },
    /// The review queue: approvals.
    Approvals {
        /// Approvals action.
        #[command(subcommand)]
        action: ApprovalsAction,
    },
    /// The review queue: exceptions (steps that failed for good, escalations).
    Exceptions {
        /// Exceptions action.
        #[command(subcommand)]
        action: ExceptionsAction,
    },
    /// Run a workflow worker (PostgreSQL: any number of processes; SQLite: one).
    Worker(WorkerArgs),
    /// The hash-chained audit log of decisions: verify, heads, list.
    Audit {
        /// Audit action.
        #[command(subcommand)]
        action: AuditAction,
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

/// `storeops serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default from config: 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<std::net::SocketAddr>,
    /// Workflow workers run in the server process (0 = none).
    #[arg(long, default_value_t = 1)]
    pub workers: usize,
    /// Run no workflow workers (same as --workers 0).
    #[arg(long)]
    pub no_workers: bool,
}

/// `storeops user …`.
#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create a user; prints a generated password once unless --password-stdin.
    Add {
        /// Username.
        username: String,
        /// admin, operator, reviewer or viewer.
        #[arg(long, default_value = "viewer")]
        role: String,
        /// Read the password (12+ characters) from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List users.
    List(JsonFlag),
    /// Disable a user (their sessions stop working).
    Disable {
        /// Username.
        username: String,
    },
    /// Enable a disabled user.
    Enable {
        /// Username.
        username: String,
    },
}

/// `storeops token …`.
#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Create an API token (256 random bits, stored hashed, shown once).
    Create {
        /// admin, operator, reviewer or viewer.
        #[arg(long)]
        role: String,
        /// A name to recognise it by.
        #[arg(long)]
        name: Option<String>,
        /// Expire after this many days (default: never).
        #[arg(long, value_name = "DAYS")]
        expires_in_days: Option<u32>,
        /// Print `{"token": …}` as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List tokens (never their values).
    List(JsonFlag),
    /// Revoke a token by id.
    Revoke {
        /// Token id from `token list`.
        id: i64,
    },
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
    /// Webhook ingestion: signed Shopify order webhooks against a running server.
    Ingest(IngestBenchArgs),
    /// JSON API list latency (p50/p99 per endpoint) against a running server.
    Api(ApiBenchArgs),
    /// Workflow engine throughput, latency, peak RSS; with --crash, kill -9 recovery.
    Workflow(WorkflowBenchArgs),
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

/// `storeops bench ingest`.
#[derive(Debug, Args)]
pub struct IngestBenchArgs {
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// Shopify webhook secret the server is configured with.
    #[arg(long, env = "STOREOPS_SHOPIFY_WEBHOOK_SECRET", hide_env_values = true)]
    pub secret: String,
    /// Target events per second over all connections (0 = as fast as possible).
    #[arg(long, default_value_t = 0)]
    pub rate: u32,
    /// Seconds to run.
    #[arg(long, default_value_t = 10)]
    pub duration: u64,
    /// Concurrent connections.
    #[arg(long, default_value_t = 64)]
    pub connections: usize,
    /// Stop after this many events.
    #[arg(long, default_value_t = 1_000_000)]
    pub max_events: u64,
    /// Print JSON (the default output is JSON too; kept for symmetry).
    #[arg(long)]
    pub json: bool,
}

/// `storeops bench api`.
#[derive(Debug, Args)]
pub struct ApiBenchArgs {
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// API token (viewer or higher).
    #[arg(long, env = "STOREOPS_TOKEN", hide_env_values = true)]
    pub token: String,
    /// Measured requests per endpoint.
    #[arg(long, default_value_t = 200)]
    pub n: usize,
}
