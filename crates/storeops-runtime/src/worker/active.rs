//! A run the worker holds: its plan, folded state, the markers the shell
//! needs (intents, timers set, approvals requested) and the events of the
//! current round, not yet committed.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use serde_json::Value;
use storeops_engine::{apply, Command, HistoryEvent, Plan, RunState};
use storeops_store::NewRun;

/// A `call:` whose child run this round must start.
#[derive(Debug, Clone)]
pub(crate) struct ChildCall {
    /// The call step (with `[i]` inside a loop).
    pub step: String,
    /// The called workflow.
    pub workflow: String,
    /// The evaluated `with:`.
    pub input: Value,
    /// The child's run id.
    pub child_id: String,
}

/// One held run.
#[derive(Debug)]
pub(crate) struct Active {
    /// Run id.
    pub id: String,
    /// The pinned plan.
    pub plan: Arc<Plan>,
    /// Shadow mode: side effects are recorded, not performed.
    pub shadow: bool,
    /// The fold of the history so far (committed + this round's chunk).
    pub state: RunState,
    /// Sequence number of the next history chunk.
    pub seq: i64,
    /// Events of this round, committed together as one chunk.
    pub chunk: Vec<HistoryEvent>,
    /// Inbox entries folded in this round.
    pub consumed_inbox: Vec<i64>,
    /// Step attempts whose intent (`step_scheduled`) is in the history.
    intents: HashSet<(String, u32)>,
    /// Timers whose `timer_set` is in the history.
    timers: HashSet<String>,
    /// Approvals whose `approval_requested` is in the history.
    requested: HashSet<String>,
    /// The wait steps whose event waits are stored (`wf_waits`); `None`
    /// after claiming a run that waits for an event (stored, or not yet
    /// when it began waiting without a worker's commit): stored again.
    pub stored_waits: Option<BTreeSet<String>>,
    /// Calls whose child runs this round starts.
    pub children: Vec<ChildCall>,
    /// The child runs to start with this round's commit.
    pub starts: Vec<NewRun>,
}

impl Active {
    /// A run rebuilt from its committed history.
    pub fn new(id: String, plan: Arc<Plan>, shadow: bool, seq: i64) -> Active {
        Active {
            id,
            plan,
            shadow,
            state: RunState::new(),
            seq,
            chunk: Vec::new(),
            consumed_inbox: Vec::new(),
            intents: HashSet::new(),
            timers: HashSet::new(),
            requested: HashSet::new(),
            stored_waits: Some(BTreeSet::new()),
            children: Vec::new(),
            starts: Vec::new(),
        }
    }

    /// Folds a committed event (from the stored history).
    pub fn replay(&mut self, event: &HistoryEvent) {
        self.mark(event);
        let state = std::mem::take(&mut self.state);
        self.state = apply(&self.plan, state, event).0;
    }

    /// Appends a new event to this round's chunk and folds it.
    pub fn push(&mut self, event: HistoryEvent) -> Vec<Command> {
        self.mark(&event);
        let state = std::mem::take(&mut self.state);
        let (state, commands) = apply(&self.plan, state, &event);
        self.state = state;
        self.chunk.push(event);
        commands
    }

    fn mark(&mut self, event: &HistoryEvent) {
        match event {
            HistoryEvent::StepScheduled { step, attempt, .. } => {
                self.intents.insert((step.clone(), *attempt));
            }
            HistoryEvent::TimerSet { timer, .. } => {
                self.timers.insert(timer.clone());
            }
            HistoryEvent::ApprovalRequested { step, .. } => {
                self.requested.insert(step.clone());
            }
            _ => {}
        }
    }

    /// Whether the intent of this attempt is in the history.
    pub fn has_intent(&self, step: &str, attempt: u32) -> bool {
        self.intents.contains(&(step.to_string(), attempt))
    }

    /// Whether the intent of this attempt is in this round's chunk, not
    /// committed yet.
    pub fn intent_uncommitted(&self, step: &str, attempt: u32) -> bool {
        self.chunk.iter().any(|e| {
            matches!(e, HistoryEvent::StepScheduled { step: s, attempt: a, .. } if s == step && *a == attempt)
        })
    }

    /// Whether this timer's `timer_set` is in the history.
    pub fn timer_set(&self, timer: &str) -> bool {
        self.timers.contains(timer)
    }

    /// Whether this approval's `approval_requested` is in the history.
    pub fn requested(&self, step: &str) -> bool {
        self.requested.contains(step)
    }
}
