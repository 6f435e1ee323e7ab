//! Loops and branches: the open `foreach` / `parallel` steps of a walk
//! ([`Frame`]s, outermost first) and what they imply — the history id of a
//! step inside a loop (`<step>[<iteration>]`, one `[i]` per enclosing
//! `foreach`), the loop index of its idempotency key, and what happens when
//! the walk reaches the end of an iteration (the next one, or the loop's
//! end) or of a `parallel` branch (the strand merges, see `strands.rs`).

use serde_json::Value;

use crate::plan::{Plan, StepKind};
use crate::state::{Frame, RunState};

/// The id step `id` has in the history at the run's current position:
/// `id`, plus `[i]` for each enclosing `foreach` iteration (`tell[2]`).
pub(crate) fn path(state: &RunState, id: &str) -> String {
    path_in(&state.frames, id)
}

/// [`path`] of a walk at `frames`.
pub(crate) fn path_in(frames: &[Frame], id: &str) -> String {
    let mut path = id.to_string();
    for frame in frames.iter().filter(|f| f.items.is_some()) {
        path.push_str(&format!("[{}]", frame.index));
    }
    path
}

/// The loop index of an idempotency key at the current position: `0`
/// outside loops, the iteration inside one, `1.2` when nested.
pub(crate) fn loop_index(state: &RunState) -> String {
    loop_index_in(&state.frames)
}

/// [`loop_index`] of a walk at `frames`.
pub(crate) fn loop_index_in(frames: &[Frame]) -> String {
    let indices: Vec<String> = frames
        .iter()
        .filter(|f| f.items.is_some())
        .map(|f| f.index.to_string())
        .collect();
    if indices.is_empty() {
        "0".to_string()
    } else {
        indices.join(".")
    }
}

/// The innermost `foreach` iteration: (`item`, `index`).
pub(crate) fn current_item(state: &RunState) -> Option<(Value, usize)> {
    state.frames.iter().rev().find_map(|f| {
        f.items
            .as_ref()
            .map(|items| (items.get(f.index).cloned().unwrap_or(Value::Null), f.index))
    })
}

/// The plan indices of the current iteration or the branch of `frame`.
fn range(plan: &Plan, frame: &Frame) -> (usize, usize) {
    let first = frame.at + 1;
    match plan.step(frame.at).map(|s| &s.kind) {
        Some(StepKind::Foreach { body, .. }) => (first, first + body),
        Some(StepKind::Parallel { branches }) => {
            let start = first + branches.iter().take(frame.index).sum::<usize>();
            (
                start,
                start + branches.get(frame.index).copied().unwrap_or(0),
            )
        }
        _ => (first, first),
    }
}

/// Forgets the outputs and skips of the steps nested in step `at` (the
/// next iteration runs them again; per-iteration outputs stay under their
/// `[i]` ids).
fn clear_body(plan: &Plan, state: &mut RunState, at: usize) {
    for index in at + 1..=at + plan.nested(at) {
        if let Some(step) = plan.step(index) {
            state.outputs.remove(&step.id);
            state.skipped.remove(&step.id);
        }
    }
}

/// Where a walk goes at the end of an iteration or a branch.
pub(crate) enum Edge {
    /// On at this plan index: the body again for the next item, or past
    /// the loop, which then completed with the list of outputs (left in
    /// `output`).
    Next(usize),
    /// The end of the strand's `parallel` branch: it merges its last
    /// output into the join.
    Merge,
}

/// When `index` is the end of the innermost frame's iteration or branch:
/// for a `foreach`, records `output` (the last output in it) and gives the
/// index to go on at; for a `parallel` branch, [`Edge::Merge`]. `None`
/// when `index` is no such end.
pub(crate) fn boundary(
    plan: &Plan,
    state: &mut RunState,
    index: usize,
    output: &mut Value,
) -> Option<Edge> {
    let (_, end) = range(plan, state.frames.last()?);
    if index != end {
        return None;
    }
    let mut frame = state.frames.pop()?;
    let Some(items) = &frame.items else {
        state.frames.push(frame);
        return Some(Edge::Merge);
    };
    let more = frame.index + 1 < items.len();
    frame.outputs.push(std::mem::take(output));
    frame.index += 1;
    let at = frame.at;
    clear_body(plan, state, at);
    if more {
        let (start, _) = range(plan, &frame);
        state.frames.push(frame);
        return Some(Edge::Next(start));
    }
    *output = Value::Array(frame.outputs);
    finish(plan, state, at, output.clone());
    Some(Edge::Next(at + 1 + plan.nested(at)))
}

/// Records the output of a `foreach` / `parallel` step `at` (also under its
/// `[i]` id inside a loop).
pub(crate) fn finish(plan: &Plan, state: &mut RunState, at: usize, output: Value) {
    if let Some(step) = plan.step(at) {
        let path = path(state, &step.id);
        if path != step.id {
            state.outputs.insert(path, output.clone());
        }
        state.outputs.insert(step.id.clone(), output);
    }
}
