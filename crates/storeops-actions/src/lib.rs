//! The action registry: every `uses:` action, CLI `action run` and
//! `POST /api/v1/actions/{name}` goes through one [`Registry`] of
//! [`Action`] values. An action is its [`ActionSpec`] (owned name, input
//! and output JSON Schema, side-effect flag, error kinds, doc) together with
//! its executor, so workflow validation (the registry is an
//! [`storeops_workflow::ActionCatalog`]) and execution cannot disagree.
//!
//! A skill is a crate whose pure core has no I/O and whose `actions` module
//! exposes a [`Skill`]: its settings declared as data ([`Setting`], checked
//! by `config check`) and a `register` function adding its actions. The
//! binary lists the skills in one place. CPU-bound work runs on the
//! [`CpuPool`], off the async threads, bounded and cancelled at the step's
//! timeout.

mod action;
mod cpu;
mod reference;
mod registry;
mod skill;

pub use action::{
    db_error, fatal, str_input, transient, Action, ActionCtx, ActionFuture, ActionOutput,
};
pub use cpu::{Cancel, CpuLimit, CpuPool};
pub use reference::{describe, markdown};
pub use registry::Registry;
pub use skill::{check_bool, check_range, Setting, Skill, SkillSettings};
pub use storeops_engine::StepError;
pub use storeops_workflow::{schema, ActionSpec, Schema};
