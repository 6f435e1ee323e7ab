//! Command-line grammar of the workflow engine: definitions, runs, the
//! review queue (approvals and exceptions), workers and the workflow
//! benchmark.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

/// `storeops workflow …`.
#[derive(Debug, Subcommand)]
pub enum WorkflowAction {
    /// Check workflow files; reports every problem as file:line:col and exits 1 if any.
    Validate {
        /// Workflow YAML files (validated together: `call:` targets and cycles across them).
        files: Vec<PathBuf>,
        /// Print `{"ok", "errors", "valid"}` as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Validate, compile and store definitions; each becomes its workflow's active version.
    Deploy {
        /// Workflow YAML files (nothing is deployed unless all are valid).
        files: Vec<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Deployed workflows with mode, pause state and run counts.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// One workflow: versions, mode, the active definition.
    Show {
        /// Workflow name.
        name: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Switch a workflow's mode (new runs use it).
    Mode {
        /// Workflow name.
        name: String,
        /// off | shadow | live.
        #[arg(value_enum)]
        mode: ModeArg,
        /// Who and why, for the audit entry.
        #[command(flatten)]
        by: ByArgs,
    },
    /// Stop new runs and hold running ones at their next step boundary.
    Pause {
        /// Workflow name.
        name: String,
        /// Who and why, for the audit entry.
        #[command(flatten)]
        by: ByArgs,
    },
    /// Let a paused workflow continue.
    Resume {
        /// Workflow name.
        name: String,
        /// Who and why, for the audit entry.
        #[command(flatten)]
        by: ByArgs,
    },
    /// Start a run by hand with a JSON input.
    Run {
        /// Workflow name.
        name: String,
        /// Trigger input (JSON object).
        #[arg(long, default_value = "{}")]
        input: String,
        /// Run id (idempotent: the same id starts one run).
        #[arg(long)]
        id: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Move unfinished runs to another version, each checked step by step;
    /// exits 1 when any run could not move (except with --dry-run).
    Migrate {
        /// Workflow name.
        name: String,
        /// Only runs on this version (hash or unique prefix; default: every other version).
        #[arg(long)]
        from: Option<String>,
        /// Target version (hash or unique prefix; default: the active version).
        #[arg(long)]
        to: Option<String>,
        /// Check only; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Who migrates (recorded in the audit log as `user:<name>`).
        #[arg(long, default_value = "cli")]
        actor: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// A workflow mode.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ModeArg {
    /// No new runs.
    Off,
    /// Runs record side effects instead of performing them.
    Shadow,
    /// Runs perform side effects.
    Live,
}

impl ModeArg {
    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            ModeArg::Off => "off",
            ModeArg::Shadow => "shadow",
            ModeArg::Live => "live",
        }
    }
}

/// `storeops runs …`.
#[derive(Debug, Subcommand)]
pub enum RunsAction {
    /// Recent runs, newest first.
    List {
        /// Only this workflow.
        #[arg(long)]
        workflow: Option<String>,
        /// Only this status (running, waiting, completed, failed, cancelled).
        #[arg(long)]
        status: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// One run with its timeline (every history event).
    Show {
        /// Run id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove finished runs last updated more than DAYS ago (their counts stay).
    Prune {
        /// Age in days (default: the `workflow.retention_days` setting; 0 = every finished run).
        #[arg(long, value_name = "DAYS")]
        older_than: Option<u32>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `storeops approvals …`.
#[derive(Debug, Subcommand)]
pub enum ApprovalsAction {
    /// Open approvals, oldest first.
    List(QueueFilter),
    /// Decide an approval.
    Decide {
        /// Item key (from `approvals list`).
        key: String,
        /// One of the item's options (approve, reject, …).
        decision: String,
        /// Why (required to reject).
        #[arg(long)]
        reason: Option<String>,
        /// Who decides (recorded as `user:<name>`).
        #[arg(long, default_value = "cli")]
        actor: String,
    },
}

/// `storeops exceptions …`.
#[derive(Debug, Subcommand)]
pub enum ExceptionsAction {
    /// Open exceptions, oldest first.
    List(QueueFilter),
    /// Run the failed step again.
    Retry(Resolve),
    /// Mark the failed step done without output and continue.
    Skip(Resolve),
    /// Cancel the run.
    Cancel(Resolve),
}

/// Filters of the review queue listings.
#[derive(Debug, Args)]
pub struct QueueFilter {
    /// Only items for this role.
    #[arg(long)]
    pub role: Option<String>,
    /// Only this workflow.
    #[arg(long)]
    pub workflow: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Resolving one exception.
#[derive(Debug, Args)]
pub struct Resolve {
    /// Item key (from `exceptions list`).
    pub key: String,
    /// Why.
    #[arg(long)]
    pub reason: Option<String>,
    /// Who resolves (recorded as `user:<name>`).
    #[arg(long, default_value = "cli")]
    pub actor: String,
}

/// `storeops worker`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Most runs held at once.
    #[arg(long, default_value_t = 4096)]
    pub batch: usize,
    /// Lease owner name (default: a random one).
    #[arg(long)]
    pub owner: Option<String>,
    /// Most steps without outside effects one run executes per round before
    /// committing (1 = commit after every step).
    #[arg(long, default_value_t = 16)]
    pub max_chain: usize,
    /// After a round that claimed several runs, wait this long for more
    /// before the next claim, so that busy rounds are shared by more runs
    /// (0 = claim at once).
    #[arg(long, default_value_t = 2)]
    pub linger_ms: u64,
    /// Append one line per step execution here (crash tests).
    #[arg(long, env = "BENCH_STEP_LOG")]
    pub step_log: Option<PathBuf>,
    /// Touch this file once the worker is ready.
    #[arg(long, env = "BENCH_READY_FILE")]
    pub ready_file: Option<PathBuf>,
    /// PostgreSQL schema (benchmarks run in a scratch schema).
    #[arg(long, hide = true)]
    pub pg_schema: Option<String>,
}

/// `storeops bench workflow`.
#[derive(Debug, Args)]
pub struct WorkflowBenchArgs {
    /// Workload: `order-triage`, `waiting` (N runs parked at an approval; reports RSS), or
    /// `parallel` (three slow HTTP calls in `parallel` branches against the same calls in a row).
    #[arg(long, default_value = "order-triage")]
    pub workload: String,
    /// Workflows submitted at once for the throughput figure.
    #[arg(long, default_value_t = 2000)]
    pub n: usize,
    /// Workflows run one after another for the latency figures.
    #[arg(long, default_value_t = 200)]
    pub latency_n: usize,
    /// sqlite (in-process worker) or postgres (worker processes).
    #[arg(long, value_enum, default_value = "sqlite")]
    pub backend: BenchBackend,
    /// Worker processes (postgres).
    #[arg(long, default_value_t = 1)]
    pub workers: usize,
    /// Worker `--max-chain` (1 = commit after every step).
    #[arg(long, default_value_t = 16)]
    pub max_chain: usize,
    /// Kill -9 the worker process mid-way, restart it, and count lost and repeated work.
    #[arg(long)]
    pub crash: bool,
    /// With --crash: kill once this many of the 1,000 rows exist (0 = never
    /// kill: all workers just share the runs).
    #[arg(long, default_value_t = 250)]
    pub kill_at: usize,
    /// With `--workload parallel`: how long the loopback server takes to
    /// answer each call, in milliseconds (1..=10000).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub call_ms: u64,
    /// Print JSON (the output is JSON either way).
    #[arg(long)]
    pub json: bool,
}

/// Database of a benchmark.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum BenchBackend {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh schema in STOREOPS_TEST_DATABASE_URL (default the local `test` database).
    Postgres,
}

/// Who makes a control change and why (recorded in the audit log, chain `control`).
#[derive(Debug, Args)]
pub struct ByArgs {
    /// Who changes it (recorded as `user:<name>`; default the OS user).
    #[arg(long, value_name = "A")]
    pub actor: Option<String>,
    /// Why.
    #[arg(long, value_name = "R")]
    pub reason: Option<String>,
}
