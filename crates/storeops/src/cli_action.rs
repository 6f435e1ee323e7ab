//! Grammar of `storeops action …`: list, show, run and docs of the
//! registered actions.

use clap::Subcommand;

/// `storeops action …`.
#[derive(Debug, Subcommand)]
pub enum ActionAction {
    /// Every registered action: name, side effects, summary.
    List {
        /// Print JSON: `{"actions":[{name, side_effects, input_schema, output_schema, errors, doc}]}`.
        #[arg(long)]
        json: bool,
    },
    /// One action: its doc, input and output schema, error kinds.
    Show {
        /// Action name, e.g. `store.query`.
        name: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Run one action outside a workflow (audited on chain `actions`).
    /// Exit 0 done, 1 the action failed, 2 usage or input invalid.
    Run {
        /// Action name, e.g. `store.query`.
        name: String,
        /// Input JSON, or `@FILE` to read it from a file.
        #[arg(long, default_value = "{}")]
        input: String,
        /// Describe a side effect instead of performing it.
        #[arg(long)]
        dry_run: bool,
        /// Idempotency key handed to the action (fresh when not given).
        #[arg(long, value_name = "K")]
        key: Option<String>,
        /// Who runs it (recorded as `user:<name>`; default the OS user).
        #[arg(long, value_name = "A")]
        actor: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the Markdown reference of every registered action (docs/actions.md).
    Docs,
}
