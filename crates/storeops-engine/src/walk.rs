//! Walking the plan forward from a completed step: `switch` branches and
//! `if:` conditions are decided here, purely from the state, so a replay
//! decides the same; the first step that needs the outside world (an
//! action, a timer, a decision, an event, a child run) is what the run
//! then awaits. A `foreach` evaluates its items and opens a frame (see
//! `frames.rs`) and reaching the end of an iteration goes on with the next
//! one; a `parallel` forks a strand per branch (see `strands.rs`) and
//! reaching the end of a branch merges it.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::eval::{condition, evaluate};
use crate::frames::{boundary, finish, Edge};
use crate::inputs::{resolve_inputs, to_json};
use crate::plan::{Plan, PlanStep, StepKind};
use crate::state::{Awaiting, Frame, RunState};
use crate::strands::fork;

/// A run failure decided now.
pub(crate) fn fail(error: String) -> Awaiting {
    Awaiting::Finish {
        output: None,
        error: Some(error),
        cancelled: false,
    }
}

pub(crate) fn millis(ms: u64) -> Duration {
    Duration::milliseconds(i64::try_from(ms).unwrap_or(i64::MAX))
}

/// What comes after step `done` (or the start, for `None`) at time `at`:
/// the next step in the chosen `switch` branches whose `if:` holds (the
/// others are recorded as skipped; switches complete at once), or the end
/// of the run with the last output.
pub(crate) fn next_after(
    plan: &Plan,
    state: &mut RunState,
    done: Option<usize>,
    output: Value,
    at: DateTime<Utc>,
) -> Awaiting {
    walk_from(plan, state, done.map_or(0, |i| i + 1), output, at)
}

/// What the walk reaches from plan index `index` on, `output` being the
/// last output before it (see [`next_after`]).
pub(crate) fn walk_from(
    plan: &Plan,
    state: &mut RunState,
    index: usize,
    output: Value,
    at: DateTime<Utc>,
) -> Awaiting {
    let mut output = output;
    let mut index = index;
    loop {
        match boundary(plan, state, index, &mut output) {
            Some(Edge::Next(next)) => {
                index = next;
                continue;
            }
            Some(Edge::Merge) => return Awaiting::Merge { output },
            None => {}
        }
        let Some(step) = plan
            .step(index)
            .filter(|s| !state.outputs.contains_key(&s.id))
        else {
            return Awaiting::Finish {
                output: Some(output),
                error: None,
                cancelled: false,
            };
        };
        match runs(step, state) {
            Ok(true) => {}
            Ok(false) => {
                state.skipped.insert(step.id.clone());
                index += 1 + plan.nested(index);
                continue;
            }
            Err(e) => return fail(e),
        }
        return match &step.kind {
            StepKind::Action { .. } => Awaiting::Step { index, attempt: 1 },
            StepKind::Wait { duration_ms } => Awaiting::Timer {
                index,
                timer: format!("wait/{}", step.id),
                fire_at: at + millis(*duration_ms),
            },
            StepKind::Approval { sla_ms, .. } => Awaiting::Approval {
                index,
                sla: sla_ms.map(|ms| (format!("sla/{}", step.id), at + millis(ms))),
                escalated: false,
            },
            StepKind::WaitEvent { timeout_ms, .. } => Awaiting::Event {
                index,
                timer: format!("event/{}", step.id),
                fire_at: at + millis(*timeout_ms),
            },
            StepKind::Switch { cases, default } => match choose(step, cases, *default, state) {
                Ok(chosen) => {
                    output = chosen;
                    state.outputs.insert(step.id.clone(), output.clone());
                    index += 1;
                    continue;
                }
                Err(e) => fail(e),
            },
            StepKind::Foreach { items, max, .. } => match list(step, items, *max, state) {
                Ok(items) if items.is_empty() => {
                    output = Value::Array(Vec::new());
                    finish(plan, state, index, output.clone());
                    index += 1 + plan.nested(index);
                    continue;
                }
                Ok(items) => {
                    state.frames.push(Frame {
                        at: index,
                        items: Some(items),
                        index: 0,
                        outputs: Vec::new(),
                    });
                    output = Value::Null;
                    index += 1;
                    continue;
                }
                Err(e) => fail(e),
            },
            StepKind::Parallel { branches } => fork(plan, state, index, branches, at),
            StepKind::Call { with, .. } => match resolve_inputs(with, state) {
                Ok(input) => Awaiting::Child {
                    index,
                    attempt: 1,
                    input,
                },
                Err(e) => fail(format!("the inputs of call step `{}`: {e}", step.id)),
            },
        };
    }
}

/// Whether `step` runs: in the chosen branch of its switch (if any) and its
/// `if:` holds.
fn runs(step: &PlanStep, state: &RunState) -> Result<bool, String> {
    if let Some(guard) = &step.guard {
        if !guard.holds(state.outputs.get(&guard.switch)) {
            return Ok(false);
        }
    }
    match &step.condition {
        Some(source) => {
            condition(source, state).map_err(|e| format!("the `if:` of step `{}` {e}", step.id))
        }
        None => Ok(true),
    }
}

/// The output of switch `step`: the first case whose `when` holds.
fn choose(
    step: &PlanStep,
    cases: &[String],
    default: bool,
    state: &RunState,
) -> Result<Value, String> {
    for (i, when) in cases.iter().enumerate() {
        let holds = condition(when, state)
            .map_err(|e| format!("the `when` of case {i} of switch `{}` {e}", step.id))?;
        if holds {
            return Ok(json!({ "case": i }));
        }
    }
    Ok(if default {
        json!({"case": "default"})
    } else {
        json!({ "case": null })
    })
}

/// The items of foreach `step`: a list of at most `max` values.
fn list(step: &PlanStep, items: &str, max: usize, state: &RunState) -> Result<Vec<Value>, String> {
    let value = evaluate(items, state, None)
        .and_then(|v| to_json(&v))
        .map_err(|e| format!("the `items` of foreach `{}` {e}", step.id))?;
    match value {
        Value::Array(items) if items.len() > max => Err(format!(
            "foreach `{}` has {} items, more than its max of {max}",
            step.id,
            items.len()
        )),
        Value::Array(items) => Ok(items),
        other => Err(format!(
            "the `items` of foreach `{}` is not a list but {other}",
            step.id
        )),
    }
}
