//! The workflow runtime: the shell around the pure engine
//! (`storeops-engine`). It deploys validated definitions, submits runs, and
//! runs workers that claim due runs with leases, execute the commands the
//! state machine returns (actions, timers, review items), and commit each
//! round's history chunks for all runs in one transaction (group commit).
//!
//! Invariants kept here (the machine keeps the rest):
//! - one step per run per round: a step's result is committed before the
//!   next step of that run executes;
//! - an action with outside side effects runs only after its
//!   `step_scheduled` intent is durable; actions on the store itself
//!   (`store.update`) write their effect in the same transaction as their
//!   result, so they take effect exactly once;
//! - only the lease holder appends to a run's history; everything from
//!   outside (decisions, resolutions) goes through the run's inbox.

pub mod actions;
pub mod clock;
pub mod deploy;
mod error;
pub mod review;
pub mod submit;
pub mod worker;

pub use actions::{Action, ActionCtx, ActionOutput, Registry, SmtpSettings, SmtpTls};
pub use clock::{Clock, ManualClock, SystemClock};
pub use deploy::{deploy_files, Deployed};
pub use error::RuntimeError;
pub use submit::{submit, submit_many, Started, Submission};
pub use worker::{Worker, WorkerConfig};
