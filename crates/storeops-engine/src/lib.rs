//! The workflow engine's pure core: a run is the fold of its append-only
//! history, and [`apply`] is the only transition — `apply(plan, state, event)
//! -> (state, commands)`. No I/O, no clock, no randomness: the shell (worker)
//! executes the [`Command`]s, appends what happened as new
//! [`HistoryEvent`]s, and feeds them back. Replaying a history therefore
//! always rebuilds the same state, which is what makes crash recovery,
//! property tests and benchmarks simple.
//!
//! This first slice runs a linear sequence of steps — actions with retries
//! (exponential back-off with deterministic jitter), waits on durable
//! timers, and approvals with an SLA — plus completion, failure and
//! cancellation; [`resume`] gives the commands a restarted worker must
//! reissue. Branches, loops, calls and event waits extend [`plan::Plan`] and
//! the event set later.

pub mod backoff;
pub mod command;
pub mod compile;
pub mod eval;
pub mod history;
pub mod machine;
pub mod plan;
pub mod state;

pub use command::Command;
pub use compile::{compile, CompileError};
pub use history::{HistoryEvent, Resolution, StepError};
pub use machine::{apply, fold, resume};
pub use plan::{OnTimeout, Plan, PlanStep, RetryPolicy, StepKind};
pub use state::{RunState, RunStatus};
