//! The workflow runtime: the shell around the pure engine
//! (`storeops-engine`). It deploys validated definitions, submits runs, and
//! runs workers that claim due runs with leases, execute the commands the
//! state machine returns (actions, timers, review items), and commit each
//! round's history chunks for all runs in one transaction (group commit).
//!
//! Invariants kept here (the machine keeps the rest):
//! - a step with outside effects ends a round's chain for its run: its
//!   result is committed before the next step of that run executes (steps
//!   without outside effects chain within a round and commit together);
//! - an action with outside side effects runs only after its
//!   `step_scheduled` intent is durable; actions on the store itself
//!   (`store.update`) write their effect in the same transaction as their
//!   result, so they take effect exactly once;
//! - only the lease holder appends to a run's history; everything from
//!   outside (decisions, resolutions) goes through the run's inbox;
//! - a run moves to another version only by `migrate` (checked, lease-safe);
//!   finished runs are pruned after the retention period (`retention`).

pub mod actions;
pub mod call;
pub mod clock;
pub mod control;
pub mod deploy;
mod error;
pub mod launch;
pub mod migrate;
pub mod retention;
pub mod review;
pub mod submit;
pub mod timeline;
pub mod triggers;
pub mod worker;

pub use actions::{
    builtin, builtin_default, Action, ActionCtx, ActionOutput, HttpClientError, HttpSettings,
    Registry, SmtpSettings, SmtpTls,
};
pub use clock::{Clock, ManualClock, SystemClock};
pub use deploy::{deploy_files, Deployed};
pub use error::RuntimeError;
pub use migrate::{migrate, Migration, Request as MigrateRequest};
pub use submit::{submit, submit_many, Started, Submission};
pub use worker::{Worker, WorkerConfig};
