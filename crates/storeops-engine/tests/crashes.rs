//! The crash-replay property: random plans (actions, waits, approvals,
//! event waits, switches with guarded branches), random outcomes, an
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
    action, approval, guarded, in_case, plan, simulate_setup, switch, wait, wait_event, Outcome,
    Setup,
};
use storeops_engine::{fold, HistoryEvent, OnTimeout, Plan, PlanStep, RunStatus, StepKind};

/// The expected end of a run, computed from the outcome table alone
/// (independent of the machine; switch cases are the CEL literals `true` /
/// `false`): the action executions in order and the final status.
fn oracle(p: &Plan, outcome: &dyn Fn(&str, u32) -> Outcome) -> (Vec<(String, u32)>, RunStatus) {
    let mut executed = Vec::new();
    // The branch each switch that ran took (`None`: default or none).
    let mut chosen: BTreeMap<String, Option<usize>> = BTreeMap::new();
    for step in &p.steps {
        if let Some(guard) = &step.guard {
            if chosen.get(&guard.switch) != Some(&guard.case) {
                continue;
            }
        }
        match &step.kind {
            StepKind::Action { retry, .. } => {
                let mut attempt = 1;
                let mut raised = 0;
                loop {
                    executed.push((step.id.clone(), attempt));
                    match outcome(&step.id, attempt) {
                        Outcome::Ok => break,
                        Outcome::Retryable if attempt < retry.attempts => attempt += 1,
                        // The simulated operator retries once, then skips.
                        _ if step.exception_role.is_some() && raised == 0 => {
                            raised += 1;
                            attempt += 1;
                        }
                        _ if step.exception_role.is_some() => break,
                        _ => return (executed, RunStatus::Failed),
                    }
                }
            }
            StepKind::Switch { cases, .. } => {
                chosen.insert(step.id.clone(), cases.iter().position(|c| c == "true"));
            }
            StepKind::Wait { .. } | StepKind::WaitEvent { .. } => {}
            StepKind::Approval { on_timeout, .. } => {
                if outcome(&step.id, 1) == Outcome::Fatal && *on_timeout == OnTimeout::Fail {
                    return (executed, RunStatus::Failed);
                }
            }
        }
    }
    (executed, RunStatus::Completed)
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
        kinds in proptest::collection::vec(0u8..8, 1..5),
        attempts in 1u32..4,
        outcomes in proptest::collection::vec(0u8..10, 24),
        crashes in proptest::collection::btree_set(1usize..60, 0..10),
        edit in any::<bool>(),
    ) {
        let p = plan(kinds.iter().enumerate().flat_map(|(i, k)| steps(i, *k, attempts)).collect());
        let setup = Setup {
            edited: edit.then(|| json!({"edited": true})),
            ..Setup::default()
        };
        let outcome = |step: &str, attempt: u32| {
            let i = p.index_of(step).unwrap_or(0) * 4 + attempt as usize;
            match outcomes[i % outcomes.len()] {
                0..=5 => Outcome::Ok,
                6..=8 => Outcome::Retryable,
                _ => Outcome::Fatal,
            }
        };
        let clean = simulate_setup(&p, &setup, &outcome, &BTreeSet::new());
        let (expected_executions, expected_status) = oracle(&p, &outcome);
        let executed: Vec<(String, u32)> = clean.executions.iter().map(|(s, a, _)| (s.clone(), *a)).collect();
        prop_assert_eq!(executed, expected_executions);
        prop_assert_eq!(clean.state.status, expected_status);
        let crashed = simulate_setup(&p, &setup, &outcome, &crashes);
        prop_assert_eq!(crashed.state.status, clean.state.status);
        // Wait outputs carry wall-clock times, which reissued commands shift.
        let timeless = |v: &Value| if v.get("waited_until").is_some() { json!("waited") } else { v.clone() };
        let outputs = |t: &sim::Trace| -> Vec<(String, Value)> {
            t.state.outputs.iter().map(|(k, v)| (k.clone(), timeless(v))).collect()
        };
        prop_assert_eq!(outputs(&crashed), outputs(&clean));
        prop_assert_eq!(&crashed.state.skipped, &clean.state.skipped);
        prop_assert_eq!(crashed.state.output.as_ref().map(timeless), clean.state.output.as_ref().map(timeless));
        prop_assert_eq!(&crashed.state.error, &clean.state.error);
        prop_assert_eq!(fold(&p, &crashed.history), crashed.state.clone());
        prop_assert_eq!(fold(&p, &clean.history), clean.state.clone());
        for step in &p.steps {
            let done = |e: &HistoryEvent| matches!(e, HistoryEvent::StepCompleted { step: s, .. } if *s == step.id);
            prop_assert!(crashed.history.iter().filter(|e| done(e)).count() <= 1);
            let keys: BTreeSet<&str> = crashed.executions.iter().filter(|(s, _, _)| *s == step.id).map(|(_, _, k)| k.as_str()).collect();
            prop_assert!(keys.len() <= 1);
            if let Some(at) = crashed.history.iter().position(done) {
                let again = crashed.history[at..].iter().any(|e| matches!(e, HistoryEvent::StepScheduled { step: s, .. } if *s == step.id));
                prop_assert!(!again, "step {} scheduled after it completed", step.id);
            }
            // Inputs: `{}` until an operator edits, the edited input after.
            let resolved = crashed.history.iter().position(|e| matches!(e, HistoryEvent::ExceptionResolved { step: s, .. } if *s == step.id));
            let edited_from = resolved.and_then(|at| crashed.history[..at].iter().rev().find_map(|e| match e {
                HistoryEvent::StepFailed { step: s, attempt, .. } if *s == step.id => Some(attempt + 1),
                _ => None,
            }));
            prop_assert_eq!(crashed.state.overrides.contains_key(&step.id), edit && resolved.is_some());
            for (_, attempt, input) in crashed.inputs.iter().filter(|(s, _, _)| *s == step.id) {
                let expected = match (edited_from, &setup.edited) {
                    (Some(from), Some(edited)) if *attempt >= from => edited.clone(),
                    _ => json!({}),
                };
                prop_assert_eq!(input, &expected);
            }
        }
    }
}
