//! The pure check behind `workflow migrate`: may a run that started on one
//! plan continue on another? Yes when every step the run has touched — run,
//! completed, skipped, failed, is inside of or waits on — exists in the
//! target plan with the same kind, and replaying the run's history on the
//! target plan puts it exactly where it is on its own plan (same status,
//! same completed and skipped steps, same open loops, waiting on the same
//! step); an approval or event wait the run waits on must be defined
//! exactly alike, since its review item or wait registration is out
//! already. The replay condition rules out a target that inserted a step
//! before the run's position, on which the replay would await the new step
//! and run a completed step again.

use std::collections::BTreeSet;

use serde::Serialize;
use storeops_engine::state::Awaiting;
use storeops_engine::{fold, Frame, HistoryEvent, Plan, PlanStep, RunState, StepKind};

/// Why a run cannot move to the target plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Refusal {
    /// A step the run touched is not in the target plan.
    MissingStep {
        /// Its id.
        step: String,
    },
    /// A step the run touched has another kind in the target plan.
    KindChanged {
        /// Its id.
        step: String,
        /// Its kind on the run's plan (`action`, `approval`, `wait`, …).
        from: &'static str,
        /// Its kind on the target plan.
        to: &'static str,
    },
    /// The run waits on an approval or event whose review item or wait
    /// registration is out already, and the target defines that step
    /// differently (role, options, SLA, topic, predicate, …).
    WaitChanged {
        /// Its id.
        step: String,
    },
    /// Replayed on the target plan, the run would be somewhere else.
    Diverges {
        /// Where it is on its own plan.
        expected: String,
        /// Where the replay on the target plan puts it.
        found: String,
    },
}

impl Refusal {
    /// The step id at fault, when one step is.
    pub fn step(&self) -> Option<&str> {
        match self {
            Refusal::MissingStep { step }
            | Refusal::KindChanged { step, .. }
            | Refusal::WaitChanged { step } => Some(step),
            Refusal::Diverges { .. } => None,
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::MissingStep { step } => {
                write!(f, "step `{step}` is not in the target version")
            }
            Refusal::KindChanged { step, from, to } => {
                write!(
                    f,
                    "step `{step}` is {from} here but {to} in the target version"
                )
            }
            Refusal::WaitChanged { step } => write!(
                f,
                "step `{step}` is waited on and defined differently in the target version \
                 (its review item or event wait is out already)"
            ),
            Refusal::Diverges { expected, found } => write!(
                f,
                "replayed on the target version the run would be at {found}, not {expected}"
            ),
        }
    }
}

/// The kind of a step, as `workflow migrate` compares it.
pub fn kind_name(kind: &StepKind) -> &'static str {
    match kind {
        StepKind::Action { .. } => "action",
        StepKind::Wait { .. } => "wait",
        StepKind::Approval { .. } => "approval",
        StepKind::Switch { .. } => "switch",
        StepKind::WaitEvent { .. } => "event wait",
        StepKind::Foreach { .. } => "foreach",
        StepKind::Parallel { .. } => "parallel",
        StepKind::Call { .. } => "call",
    }
}

/// Checks that the run with `history` (on plan `from`) may continue on
/// plan `to`; the first problem found, in plan order of `from`.
pub fn check(from: &Plan, to: &Plan, history: &[HistoryEvent]) -> Result<(), Refusal> {
    let here = fold(from, history);
    let touched = touched(from, &here, history);
    for step in from.steps.iter().filter(|s| touched.contains(&s.id)) {
        let Some(target) = to.steps.iter().find(|t| t.id == step.id) else {
            return Err(Refusal::MissingStep {
                step: step.id.clone(),
            });
        };
        let (was, is) = (kind_name(&step.kind), kind_name(&target.kind));
        if was != is {
            return Err(Refusal::KindChanged {
                step: step.id.clone(),
                from: was,
                to: is,
            });
        }
    }
    for step in waited_on(from, &here) {
        if to
            .steps
            .iter()
            .any(|t| t.id == step.id && t.kind != step.kind)
        {
            return Err(Refusal::WaitChanged {
                step: step.id.clone(),
            });
        }
    }
    let there = fold(to, history);
    let (expected, found) = (position(from, &here), position(to, &there));
    if expected != found {
        return Err(Refusal::Diverges { expected, found });
    }
    Ok(())
}

/// The plan step ids the run has touched: named by a history event (loop
/// and compensation suffixes removed), completed or skipped, failed, inside
/// an open loop, or awaited.
fn touched(plan: &Plan, state: &RunState, history: &[HistoryEvent]) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut add = |id: &str| {
        for part in id.split('@') {
            let plain = part.split('[').next().unwrap_or(part);
            ids.insert(plain.to_string());
        }
    };
    for event in history {
        if let Some(step) = event_step(event) {
            add(step);
        }
    }
    for id in state
        .outputs
        .keys()
        .chain(&state.skipped)
        .chain(state.failures.keys())
        .chain(state.overrides.keys())
    {
        add(id);
    }
    for (frames, awaiting) in state.walks() {
        for frame in frames {
            if let Some(step) = plan.step(frame.at) {
                add(&step.id);
            }
        }
        if let Some(step) = awaiting.and_then(|a| awaited(plan, a)) {
            add(step);
        }
    }
    ids
}

/// The approval and event-wait steps the run waits on, whose review items
/// or wait registrations are out.
fn waited_on<'p>(plan: &'p Plan, state: &RunState) -> Vec<&'p PlanStep> {
    state
        .walks()
        .filter_map(|(_, awaiting)| match awaiting {
            Some(Awaiting::Approval { index, .. } | Awaiting::Event { index, .. }) => {
                plan.step(*index)
            }
            _ => None,
        })
        .collect()
}

/// The step an event is about, if any.
fn event_step(event: &HistoryEvent) -> Option<&str> {
    match event {
        HistoryEvent::StepScheduled { step, .. }
        | HistoryEvent::StepCompleted { step, .. }
        | HistoryEvent::StepFailed { step, .. }
        | HistoryEvent::ApprovalRequested { step, .. }
        | HistoryEvent::ApprovalDecided { step, .. }
        | HistoryEvent::ExceptionResolved { step, .. }
        | HistoryEvent::EventMatched { step, .. }
        | HistoryEvent::ChildFinished { step, .. } => Some(step),
        _ => None,
    }
}

/// The id of the step a run awaits (`None` when it awaits its end).
fn awaited<'p>(plan: &'p Plan, awaiting: &Awaiting) -> Option<&'p str> {
    let index = match awaiting {
        Awaiting::Step { index, .. }
        | Awaiting::Retry { index, .. }
        | Awaiting::Timer { index, .. }
        | Awaiting::Event { index, .. }
        | Awaiting::Approval { index, .. }
        | Awaiting::Exception { index, .. }
        | Awaiting::Compensate { index, .. }
        | Awaiting::Child { index, .. }
        | Awaiting::Join { index, .. } => *index,
        Awaiting::Finish { .. } | Awaiting::Merge { .. } => return None,
    };
    plan.step(index).map(|s| s.id.as_str())
}

/// Where a run is, independent of plan indices: status, completed and
/// skipped steps, and per walk (the top level, then the `parallel`
/// branches in progress, sorted) its open loops and branches by step id and
/// iteration or branch, and what it awaits.
fn position(plan: &Plan, state: &RunState) -> String {
    let walk = |frames: &[Frame], awaiting: Option<&Awaiting>| {
        let frames: Vec<String> = frames
            .iter()
            .map(|f| {
                let id = plan.step(f.at).map_or("?", |s| s.id.as_str());
                format!("{id}#{}", f.index)
            })
            .collect();
        let awaiting = match awaiting {
            None => "nothing".to_string(),
            Some(Awaiting::Finish { .. }) => "its end".to_string(),
            Some(a) => format!("step `{}`", awaited(plan, a).unwrap_or("?")),
        };
        format!("{awaiting} in {frames:?}")
    };
    let mut walks: Vec<String> = state.walks().map(|(f, a)| walk(f, a)).collect();
    walks[1..].sort();
    let walks = walks.join(", ");
    let done: Vec<&String> = state.outputs.keys().collect();
    let skipped: Vec<&String> = state.skipped.iter().collect();
    format!(
        "{walks} ({:?}; done {done:?}; skipped {skipped:?})",
        state.status
    )
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
