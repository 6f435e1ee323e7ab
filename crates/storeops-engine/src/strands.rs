//! Concurrent `parallel` branches. A run walks its top level with one
//! cursor (`RunState::frames` / `awaiting`) and each branch in progress
//! with one more, a [`Strand`]. Reaching a `parallel` step forks: that
//! cursor awaits [`Awaiting::Join`] and every branch walks on its own
//! strand, so their steps are outstanding together. A strand reaching the
//! end of its branch merges its last output into the join and goes away;
//! when the last branch has merged, the joined cursor goes on past the
//! `parallel` step with the list of outputs in branch order. A strand that
//! decides the run's end (a failure for good, a cancellation) ends the run
//! and every other strand with it.
//!
//! The rest of the machine works on one cursor at a time: the strand in
//! question is swapped into the top-level slot while it runs
//! ([`with_cursor`]), so paths, loop indices and `item` are the strand's.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::frames::finish;
use crate::plan::Plan;
use crate::state::{Awaiting, Frame, RunState, Strand};
use crate::walk::walk_from;

/// Runs `f` with strand `slot` (`None`: the top level) in the state's
/// top-level slot. `f` may add strands (they are appended), never remove.
pub(crate) fn with_cursor<R>(
    state: &mut RunState,
    slot: Option<usize>,
    f: impl FnOnce(&mut RunState) -> R,
) -> R {
    let Some(i) = slot else {
        return f(state);
    };
    swap(state, i);
    let result = f(state);
    swap(state, i);
    result
}

fn swap(state: &mut RunState, i: usize) {
    if let Some(strand) = state.strands.get_mut(i) {
        std::mem::swap(&mut state.frames, &mut strand.frames);
        std::mem::swap(&mut state.awaiting, &mut strand.awaiting);
    }
}

/// Every cursor's slot: the top level, then the strands.
pub(crate) fn slots(state: &RunState) -> impl Iterator<Item = Option<usize>> {
    std::iter::once(None).chain((0..state.strands.len()).map(Some))
}

/// Forks the branches (`branches`: steps per branch) of `parallel` step
/// `at`, reached by the cursor in the top-level slot at time `when`: one
/// strand per branch, each walked to what it first awaits. What that
/// cursor awaits now.
pub(crate) fn fork(
    plan: &Plan,
    state: &mut RunState,
    at: usize,
    branches: &[usize],
    when: DateTime<Utc>,
) -> Awaiting {
    let mut start = at + 1;
    for (branch, steps) in branches.iter().enumerate() {
        let mut frames = state.frames.clone();
        frames.push(Frame {
            at,
            items: None,
            index: branch,
            outputs: Vec::new(),
        });
        state.strands.push(Strand {
            frames,
            awaiting: None,
        });
        let i = state.strands.len() - 1;
        with_cursor(state, Some(i), |s| {
            s.awaiting = Some(walk_from(plan, s, start, Value::Null, when));
        });
        start += steps;
    }
    Awaiting::Join {
        index: at,
        outputs: vec![None; branches.len()],
    }
}

/// Brings the cursors in line after one of them moved at time `at`: a
/// decided end of the run becomes the run's (and drops every strand);
/// ended branches merge into their joins; a join whose branches all
/// merged goes on.
pub(crate) fn settle(plan: &Plan, state: &mut RunState, at: DateTime<Utc>) {
    loop {
        let finished = state
            .strands
            .iter()
            .position(|s| matches!(s.awaiting, Some(Awaiting::Finish { .. })));
        if let Some(i) = finished {
            let strand = state.strands.swap_remove(i);
            state.awaiting = strand.awaiting;
        }
        if matches!(state.awaiting, Some(Awaiting::Finish { .. })) {
            state.strands.clear();
            return;
        }
        if let Some(i) = state
            .strands
            .iter()
            .position(|s| matches!(s.awaiting, Some(Awaiting::Merge { .. })))
        {
            let strand = state.strands.remove(i);
            merge(state, strand);
            continue;
        }
        let Some(slot) = slots(state).find(|slot| joined(state, *slot)) else {
            return;
        };
        with_cursor(state, slot, |s| {
            if let Some(Awaiting::Join { index, outputs }) = s.awaiting.take() {
                let output = Value::Array(outputs.into_iter().flatten().collect());
                finish(plan, s, index, output.clone());
                s.awaiting = Some(walk_from(
                    plan,
                    s,
                    index + 1 + plan.nested(index),
                    output,
                    at,
                ));
            }
        });
    }
}

/// Puts the last output of `strand`, which ended its branch, into the join
/// of its `parallel` step (only one cursor can await that join: the one
/// walking the branch or level that holds the step).
fn merge(state: &mut RunState, strand: Strand) {
    let (Some(Awaiting::Merge { output }), Some(frame)) = (strand.awaiting, strand.frames.last())
    else {
        return;
    };
    let joins = std::iter::once(&mut state.awaiting)
        .chain(state.strands.iter_mut().map(|s| &mut s.awaiting));
    for awaiting in joins {
        if let Some(Awaiting::Join { index, outputs }) = awaiting {
            if *index == frame.at {
                if let Some(slot) = outputs.get_mut(frame.index) {
                    *slot = Some(output);
                }
                return;
            }
        }
    }
}

/// Whether the cursor at `slot` awaits a join whose branches all merged.
fn joined(state: &RunState, slot: Option<usize>) -> bool {
    let awaiting = match slot {
        None => state.awaiting.as_ref(),
        Some(i) => state.strands.get(i).and_then(|s| s.awaiting.as_ref()),
    };
    matches!(awaiting, Some(Awaiting::Join { outputs, .. }) if outputs.iter().all(Option::is_some))
}

/// The order cursors' commands are issued in: the plan's order (a branch's
/// nested branches before the next branch), whatever order they forked in.
pub(crate) fn in_plan_order(state: &RunState) -> Vec<&Strand> {
    let mut strands: Vec<&Strand> = state.strands.iter().collect();
    strands.sort_by_cached_key(|s| s.frames.iter().map(|f| (f.at, f.index)).collect::<Vec<_>>());
    strands
}
