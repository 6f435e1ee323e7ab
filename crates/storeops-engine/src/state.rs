//! The state of one run: the fold of its history.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// No `RunStarted` yet.
    NotStarted,
    /// Working or waiting.
    Running,
    /// Finished successfully.
    Completed,
    /// Failed for good.
    Failed,
    /// Cancelled by an operator.
    Cancelled,
}

impl RunStatus {
    /// Whether nothing more will happen.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            RunStatus::Completed | RunStatus::Failed | RunStatus::Cancelled
        )
    }
}

/// What one walk of a run (its top level, or a `parallel` branch) waits
/// for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum Awaiting {
    /// The result of a step attempt.
    Step {
        /// Index in the plan.
        index: usize,
        /// Attempt, from 1.
        attempt: u32,
    },
    /// A retry timer, after which `attempt` of step `index` runs.
    Retry {
        /// Index in the plan.
        index: usize,
        /// The attempt the timer starts.
        attempt: u32,
        /// Timer id.
        timer: String,
        /// When it fires.
        fire_at: DateTime<Utc>,
    },
    /// A wait step's timer.
    Timer {
        /// Index in the plan.
        index: usize,
        /// Timer id (`wait/<step>`).
        timer: String,
        /// When it fires.
        fire_at: DateTime<Utc>,
    },
    /// An event matching a `wait: { event }` step, or its timeout timer.
    Event {
        /// Index in the plan.
        index: usize,
        /// Timeout timer id (`event/<step>`).
        timer: String,
        /// When it fires.
        fire_at: DateTime<Utc>,
    },
    /// A decision on an approval step.
    Approval {
        /// Index in the plan.
        index: usize,
        /// The SLA timer (`sla/<step>`) and when it fires, until it fired.
        sla: Option<(String, DateTime<Utc>)>,
        /// Whether the SLA passed and the approval was escalated.
        escalated: bool,
    },
    /// An operator's resolution of a step that failed for good.
    Exception {
        /// Index in the plan.
        index: usize,
        /// The attempt that failed last.
        attempt: u32,
        /// The failure, for the exception item.
        error: String,
    },
    /// The result of the compensation step `index` of a step that failed
    /// for good (one attempt); the run fails afterwards either way.
    Compensate {
        /// Index in the plan of the compensation step.
        index: usize,
        /// Its step id in the history: `<compensation>@<failed step>`.
        step: String,
        /// The original failure.
        error: String,
    },
    /// The end of the child run started by call step `index`.
    Child {
        /// Index in the plan.
        index: usize,
        /// Attempt, from 1 (a retry from the exception queue starts a new
        /// child).
        attempt: u32,
        /// The evaluated `with:`.
        input: Value,
    },
    /// The branches of `parallel` step `index`, each walking on its own
    /// strand: the last output of each that ended, in branch order.
    Join {
        /// Index in the plan of the `parallel` step.
        index: usize,
        /// Per branch: its last output once it ended.
        outputs: Vec<Option<Value>>,
    },
    /// A strand reached the end of its branch with this last output. Never
    /// stays in a state: the machine merges it into its join at once.
    Merge {
        /// The branch's last output.
        output: Value,
    },
    /// The terminal event the run decided on (completion, failure or
    /// cancellation from the exception queue).
    Finish {
        /// `Some` output to complete with, or `None` to fail.
        output: Option<Value>,
        /// Why it fails (when `output` is `None`).
        error: Option<String>,
        /// Whether the run ends cancelled rather than failed.
        #[serde(default)]
        cancelled: bool,
    },
}

/// An open `foreach` or `parallel` step: where the walk is inside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    /// Plan index of the `foreach` / `parallel` step.
    pub at: usize,
    /// The items of a `foreach` (`None` for `parallel`).
    pub items: Option<Vec<Value>>,
    /// The current iteration (`foreach`) or the strand's branch
    /// (`parallel`), from 0.
    pub index: usize,
    /// The last output of each finished iteration (`foreach`).
    pub outputs: Vec<Value>,
}

/// One branch of a `parallel` step in progress: its own position (its
/// parent's frames plus the branch's) and what it awaits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Strand {
    /// The open `foreach` / `parallel` steps, outermost first; the last is
    /// the branch's `parallel`.
    pub frames: Vec<Frame>,
    /// What the branch awaits.
    pub awaiting: Option<Awaiting>,
}

/// A run's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunState {
    /// Run id.
    pub run_id: String,
    /// Workflow name.
    pub workflow: String,
    /// Pinned definition version.
    pub version: String,
    /// Where it is.
    pub status: RunStatus,
    /// Trigger input.
    pub input: Value,
    /// Outputs of completed steps by step id.
    pub outputs: BTreeMap<String, Value>,
    /// Steps whose `if:` did not hold.
    #[serde(default)]
    pub skipped: std::collections::BTreeSet<String>,
    /// Failed attempts per step id.
    pub failures: BTreeMap<String, u32>,
    /// Inputs given by operators (`retry_with`) per step id, used instead
    /// of the step's `with:`.
    #[serde(default)]
    pub overrides: BTreeMap<String, Value>,
    /// The open `foreach` / `parallel` steps of the top-level walk,
    /// outermost first.
    #[serde(default)]
    pub frames: Vec<Frame>,
    /// What the top-level walk waits for (`None` when terminal or not
    /// started; `Join` while `parallel` branches run).
    pub awaiting: Option<Awaiting>,
    /// The `parallel` branches in progress, each with its own walk.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strands: Vec<Strand>,
    /// Final output.
    pub output: Option<Value>,
    /// Final error.
    pub error: Option<String>,
    /// The A/B variant assigned at the start, if the plan has variants.
    #[serde(default)]
    pub variant: Option<String>,
    /// The variant's variables (`vars.*`); an empty object without one.
    #[serde(default)]
    pub vars: Value,
    /// The run and call step waiting for this run to end (`call:`).
    #[serde(default)]
    pub parent: Option<(String, String)>,
}

impl RunState {
    /// The state before any event.
    pub fn new() -> RunState {
        RunState {
            run_id: String::new(),
            workflow: String::new(),
            version: String::new(),
            status: RunStatus::NotStarted,
            input: Value::Null,
            outputs: BTreeMap::new(),
            skipped: std::collections::BTreeSet::new(),
            failures: BTreeMap::new(),
            overrides: BTreeMap::new(),
            frames: Vec::new(),
            awaiting: None,
            strands: Vec::new(),
            output: None,
            error: None,
            variant: None,
            vars: Value::Object(serde_json::Map::new()),
            parent: None,
        }
    }
}

impl RunState {
    /// Every walk of the run: the top level, then each `parallel` branch in
    /// progress, as its frames and what it awaits.
    pub fn walks(&self) -> impl Iterator<Item = (&[Frame], Option<&Awaiting>)> {
        std::iter::once((self.frames.as_slice(), self.awaiting.as_ref())).chain(
            self.strands
                .iter()
                .map(|s| (s.frames.as_slice(), s.awaiting.as_ref())),
        )
    }
}

impl Default for RunState {
    fn default() -> RunState {
        RunState::new()
    }
}
