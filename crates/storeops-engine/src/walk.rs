//! Walking the plan forward from a completed step: `switch` branches and
//! `if:` conditions are decided here, purely from the state, so a replay
//! decides the same; the first step that needs the outside world (an
//! action, a timer, a decision, an event) is what the run then awaits.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::eval::condition;
use crate::plan::{Plan, PlanStep, StepKind};
use crate::state::{Awaiting, RunState};

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
    let mut output = output;
    let mut index = done.map_or(0, |i| i + 1);
    loop {
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
                index += 1;
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
