//! The workflow engine's pure core: a run is the fold of its append-only
//! history, and [`apply`] is the only transition — `apply(plan, state, event)
//! -> (state, commands)`. No I/O, no clock, no randomness: the shell (worker)
//! executes the [`Command`]s, appends what happened as new
//! [`HistoryEvent`]s, and feeds them back. Replaying a history therefore
//! always rebuilds the same state, which is what makes crash recovery,
//! property tests and benchmarks simple.
//!
//! It runs a flat list of steps — actions with retries (exponential back-off
//! with deterministic jitter), waits on durable timers or for events,
//! approvals with an SLA, and `switch` branches flattened into guarded
//! steps — plus completion, failure and cancellation; [`resume`] gives the
//! commands a restarted worker must reissue. [`resolve_inputs`] evaluates a
//! step's `with:` for the shell. `foreach` loops run their iterations one
//! after the other (flattened into the plan, tracked by [`state::Frame`]s);
//! `parallel` branches run concurrently, each on its own
//! [`state::Strand`]; `call` starts child runs; `on_error: compensate`
//! runs a compensation step before the run fails.

pub mod backoff;
pub mod command;
pub mod compile;
pub mod eval;
mod failure;
mod frames;
pub mod history;
pub mod inputs;
pub mod launch;
mod lookup;
pub mod machine;
pub mod plan;
pub mod resume;
pub mod state;
mod strands;
pub mod timeline;
mod walk;

pub use command::Command;
pub use compile::{compile, CompileError};
pub use eval::{condition, event_matches};
pub use history::{HistoryEvent, ParentRef, Resolution, StepError};
pub use inputs::resolve_inputs;
pub use launch::{admit, Admission, Assignment, Launch, TriggerSpec};
pub use machine::{apply, fold, idempotency_key_at, resume};
pub use plan::{Guard, OnTimeout, Plan, PlanStep, RetryPolicy, StepKind};
pub use state::{Frame, RunState, RunStatus, Strand};
