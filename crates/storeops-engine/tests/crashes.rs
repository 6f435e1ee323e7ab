//! The crash-replay property: random plans (actions, waits, approvals,
//! event waits, switches with guarded branches, `foreach` loops over 0–3
//! items and `parallel` branches), random outcomes, an
//! operator who retries (or retries with an edited input) then skips, and
//! crashes of the simulated worker at random points; recovery ends exactly
//! like an uninterrupted run and like an independent oracle, without
//! executing a completed step again.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim;

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::{json, Value};
use sim::{
    action, approval, foreach, guarded, in_case, parallel, plan, simulate_setup, switch, wait,
    wait_event, Outcome, Setup,
};
use storeops_engine::{fold, HistoryEvent, OnTimeout, Plan, PlanStep, RunStatus, StepKind};

/// The expected end of a run, computed from the outcome table alone
/// (independent of the machine; switch cases are the CEL literals `true` /
/// `false`, foreach items the literals of [`ITEMS`]): the action executions
/// (history ids) in order and the final status.
fn oracle(p: &Plan, outcome: &dyn Fn(&str, u32) -> Outcome) -> (Vec<(String, u32)>, RunStatus) {
    let mut executed = Vec::new();
    let status = match walk(p, 0, p.steps.len(), "", outcome, &mut executed) {
        Ok(()) => RunStatus::Completed,
        Err(()) => RunStatus::Failed,
    };
    (executed, status)
}

/// The foreach item lists of the random plans.
const ITEMS: [&str; 3] = ["[]", "[1]", "[1, 2, 3]"];

/// Runs plan steps `start..end` (ids suffixed with `suffix`); `Err` when
/// the run fails.
fn walk(
    p: &Plan,
    start: usize,
    end: usize,
    suffix: &str,
    outcome: &dyn Fn(&str, u32) -> Outcome,
    executed: &mut Vec<(String, u32)>,
) -> Result<(), ()> {
    // The branch each switch that ran took (`None`: default or none).
    let mut chosen: BTreeMap<String, Option<usize>> = BTreeMap::new();
    let mut index = start;
    while index < end {
        let step = &p.steps[index];
        let next = index + 1 + p.nested(index);
        let id = format!("{}{suffix}", step.id);
        if let Some(guard) = &step.guard {
            if chosen.get(&guard.switch) != Some(&guard.case) {
                index = next;
                continue;
            }
        }
        match &step.kind {
            StepKind::Action { retry, .. } => {
                let mut attempt = 1;
                let mut raised = 0;
                loop {
                    executed.push((id.clone(), attempt));
                    match outcome(&id, attempt) {
                        Outcome::Ok => break,
                        Outcome::Retryable if attempt < retry.attempts => attempt += 1,
                        // The simulated operator retries once, then skips.
                        _ if step.exception_role.is_some() && raised == 0 => {
                            raised += 1;
                            attempt += 1;
                        }
                        _ if step.exception_role.is_some() => break,
                        _ => return Err(()),
                    }
                }
            }
            StepKind::Switch { cases, .. } => {
                chosen.insert(step.id.clone(), cases.iter().position(|c| c == "true"));
            }
            StepKind::Wait { .. } | StepKind::WaitEvent { .. } => {}
            StepKind::Approval { on_timeout, .. } => {
                if outcome(&id, 1) == Outcome::Fatal && *on_timeout == OnTimeout::Fail {
                    return Err(());
                }
            }
            StepKind::Foreach { items, .. } => {
                let count = [0, 1, 3][ITEMS.iter().position(|i| i == items).unwrap()];
                for k in 0..count {
                    walk(
                        p,
                        index + 1,
                        next,
                        &format!("{suffix}[{k}]"),
                        outcome,
                        executed,
                    )?;
                }
            }
            StepKind::Parallel { branches } => {
                let mut from = index + 1;
                for len in branches {
                    walk(p, from, from + len, suffix, outcome, executed)?;
                    from += len;
                }
            }
            StepKind::Call { .. } => {
                if outcome(&id, 1) != Outcome::Ok {
                    return Err(());
                }
            }
        }
        index = next;
    }
    Ok(())
}

/// Step `i` of a random plan (a switch brings its branches).
fn steps(i: usize, kind: u8, attempts: u32) -> Vec<PlanStep> {
    let timeouts = [
        OnTimeout::Approve,
        OnTimeout::Reject,
        OnTimeout::Escalate,
        OnTimeout::Fail,
    ];
    let id = format!("s{i}");
    match kind {
        0..=1 => vec![action(&id, attempts)],
        2 => vec![guarded(&id, attempts)],
        3 => vec![wait(&id, 60_000)],
        4..=5 => vec![approval(&id, timeouts[(usize::from(kind) + i) % 4])],
        6 => vec![wait_event(&id)],
        8 => vec![
            foreach(&id, ITEMS[i % 3], 3, 3),
            action(&format!("{id}b"), attempts),
            guarded(&format!("{id}g"), attempts),
            wait(&format!("{id}w"), 1_000),
        ],
        9 => vec![
            parallel(&id, &[1, 2]),
            action(&format!("{id}a"), attempts),
            guarded(&format!("{id}b"), attempts),
            approval(&format!("{id}c"), timeouts[i % 4]),
        ],
        _ => {
            // Which branch runs depends on i: case 0, case 1, or default.
            let cases: &[&str] = match i % 3 {
                0 => &["true", "false"],
                1 => &["false", "true"],
                _ => &["false", "false"],
            };
            vec![
                switch(&id, cases, true),
                in_case(guarded(&format!("{id}c0"), attempts), &id, Some(0)),
                in_case(action(&format!("{id}c1"), attempts), &id, Some(1)),
                in_case(wait(&format!("{id}w1"), 1_000), &id, Some(1)),
                in_case(action(&format!("{id}d"), attempts), &id, None),
            ]
        }
    }
}

/// `v` with wait outputs (wall-clock times) replaced by `"waited"`, in
/// lists too (a foreach's output).
fn timeless(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(timeless).collect()),
        v if v.get("waited_until").is_some() => json!("waited"),
        v => v.clone(),
    }
}

/// The outcome of `attempt` of `step` (`s1b[2]`: plan step `s1b`,
/// iteration 2) from the random table `outcomes`.
fn table(p: &Plan, outcomes: &[u8], step: &str, attempt: u32) -> Outcome {
    let (id, iteration) = step.split_once('[').unwrap_or((step, "0]"));
    let iteration: usize = iteration.trim_end_matches(']').parse().unwrap_or(0);
    let i = p.index_of(id).unwrap_or(0) * 4 + attempt as usize + iteration * 7;
    match outcomes[i % outcomes.len()] {
        0..=5 => Outcome::Ok,
        6..=8 => Outcome::Retryable,
        _ => Outcome::Fatal,
    }
}

/// The run's step outputs, wait outputs made timeless.
fn outputs(t: &sim::Trace) -> Vec<(String, Value)> {
    t.state
        .outputs
        .iter()
        .map(|(k, v)| (k.clone(), timeless(v)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Random plans, random outcomes and crashes at random history
    /// positions: the end equals the uninterrupted run and the oracle;
    /// `fold(history)` rebuilds the final state; each step completes at
    /// most once and is never scheduled after completing; all executions of
    /// a step share one idempotency key; attempts after an edited retry get
    /// the edited input.
    #[test]
    fn crashes_anywhere_change_nothing_but_reexecute_in_flight_attempts(
        kinds in proptest::collection::vec(0u8..10, 1..5),
        attempts in 1u32..4,
        outcomes in proptest::collection::vec(0u8..10, 24),
        crashes in proptest::collection::btree_set(1usize..90, 0..12),
        edit in any::<bool>(),
    ) {
        let p = plan(kinds.iter().enumerate().flat_map(|(i, k)| steps(i, *k, attempts)).collect());
        let setup = Setup {
            edited: edit.then(|| json!({"edited": true})),
            ..Setup::default()
        };
        let outcome = |step: &str, attempt: u32| table(&p, &outcomes, step, attempt);
        let clean = simulate_setup(&p, &setup, &outcome, &BTreeSet::new());
        let (expected_executions, expected_status) = oracle(&p, &outcome);
        let executed: Vec<(String, u32)> = clean.executions.iter().map(|(s, a, _)| (s.clone(), *a)).collect();
        prop_assert_eq!(executed, expected_executions);
        prop_assert_eq!(clean.state.status, expected_status);
        let crashed = simulate_setup(&p, &setup, &outcome, &crashes);
        prop_assert_eq!(crashed.state.status, clean.state.status);
        // Wait outputs carry wall-clock times, which reissued commands shift.
        let timeless = |v: &Value| timeless(v);
        prop_assert_eq!(outputs(&crashed), outputs(&clean));
        prop_assert_eq!(&crashed.state.skipped, &clean.state.skipped);
        prop_assert_eq!(crashed.state.output.as_ref().map(timeless), clean.state.output.as_ref().map(timeless));
        prop_assert_eq!(&crashed.state.error, &clean.state.error);
        prop_assert_eq!(fold(&p, &crashed.history), crashed.state.clone());
        prop_assert_eq!(fold(&p, &clean.history), clean.state.clone());
        let ids: BTreeSet<String> = crashed.executions.iter().map(|(s, _, _)| s.clone()).collect();
        prop_assert!(crashed.state.overrides.keys().all(|k| ids.contains(k)));
        for id in &ids {
            let done = |e: &HistoryEvent| matches!(e, HistoryEvent::StepCompleted { step: s, .. } if s == id);
            prop_assert!(crashed.history.iter().filter(|e| done(e)).count() <= 1);
            let keys: BTreeSet<&str> = crashed.executions.iter().filter(|(s, _, _)| s == id).map(|(_, _, k)| k.as_str()).collect();
            prop_assert!(keys.len() <= 1);
            if let Some(at) = crashed.history.iter().position(done) {
                let again = crashed.history[at..].iter().any(|e| matches!(e, HistoryEvent::StepScheduled { step: s, .. } if s == id));
                prop_assert!(!again, "step {} scheduled after it completed", id);
            }
            // Inputs: `{}` until an operator edits, the edited input after.
            let resolved = crashed.history.iter().position(|e| matches!(e, HistoryEvent::ExceptionResolved { step: s, .. } if s == id));
            let edited_from = resolved.and_then(|at| crashed.history[..at].iter().rev().find_map(|e| match e {
                HistoryEvent::StepFailed { step: s, attempt, .. } if s == id => Some(attempt + 1),
                _ => None,
            }));
            prop_assert_eq!(crashed.state.overrides.contains_key(id), edit && resolved.is_some());
            for (_, attempt, input) in crashed.inputs.iter().filter(|(s, _, _)| s == id) {
                let expected = match (edited_from, &setup.edited) {
                    (Some(from), Some(edited)) if *attempt >= from => edited.clone(),
                    _ => json!({}),
                };
                prop_assert_eq!(input, &expected);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// `parallel` branches' steps finishing in any order (and crashes in
    /// between): the run ends as it does when they finish in plan order —
    /// same status, and when it completes the same outputs and skips;
    /// `fold(history)` rebuilds the state; no step completes twice.
    #[test]
    fn branches_finishing_in_any_order_end_the_run_alike(
        kinds in proptest::collection::vec(prop_oneof![Just(9u8), 0u8..10], 1..5),
        attempts in 1u32..4,
        outcomes in proptest::collection::vec(0u8..10, 24),
        picks in proptest::collection::vec(any::<u8>(), 1..16),
        crashes in proptest::collection::btree_set(1usize..90, 0..6),
    ) {
        let p = plan(kinds.iter().enumerate().flat_map(|(i, k)| steps(i, *k, attempts)).collect());
        let outcome = |step: &str, attempt: u32| table(&p, &outcomes, step, attempt);
        let in_order = simulate_setup(&p, &Setup::default(), &outcome, &BTreeSet::new());
        let shuffled = Setup { picks, ..Setup::default() };
        let any_order = simulate_setup(&p, &shuffled, &outcome, &crashes);
        prop_assert_eq!(any_order.state.status, in_order.state.status);
        if in_order.state.status == RunStatus::Completed {
            prop_assert_eq!(outputs(&any_order), outputs(&in_order));
            prop_assert_eq!(&any_order.state.skipped, &in_order.state.skipped);
        }
        prop_assert_eq!(fold(&p, &any_order.history), any_order.state.clone());
        let done = |e: &HistoryEvent| match e {
            HistoryEvent::StepCompleted { step, .. } => Some(step.clone()),
            _ => None,
        };
        let completed: Vec<String> = any_order.history.iter().filter_map(done).collect();
        let distinct: BTreeSet<&String> = completed.iter().collect();
        prop_assert_eq!(distinct.len(), completed.len());
    }
}
