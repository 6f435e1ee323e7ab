//! Tests of the migration check: exact refusals for removed steps, changed
//! kinds and inserted steps, and a property test over random linear plans.

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};
use storeops_engine::{HistoryEvent, OnTimeout, Plan, PlanStep, RetryPolicy, StepKind};

use super::{check, Refusal};

fn t(s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, s).single().unwrap()
}

fn step(id: &str, kind: StepKind) -> PlanStep {
    PlanStep {
        id: id.to_string(),
        kind,
        exception_role: None,
        condition: None,
        guard: None,
        compensate: None,
    }
}

fn action(id: &str) -> PlanStep {
    step(
        id,
        StepKind::Action {
            action: "core.set".into(),
            side_effects: false,
            retry: RetryPolicy {
                attempts: 1,
                ..RetryPolicy::default()
            },
            timeout_ms: None,
            with: Value::Null,
        },
    )
}

fn approval(id: &str) -> PlanStep {
    step(
        id,
        StepKind::Approval {
            role: "operator".into(),
            options: vec!["approve".into(), "reject".into()],
            sla_ms: None,
            on_timeout: OnTimeout::Escalate,
        },
    )
}

fn plan(version: &str, steps: Vec<PlanStep>) -> Plan {
    Plan {
        workflow: "w".into(),
        version: version.into(),
        steps,
        launch: Default::default(),
    }
}

/// The history of a run on a linear plan of actions whose first `done`
/// steps completed (each scheduled then completed).
fn history(ids: &[&str], done: usize) -> Vec<HistoryEvent> {
    let mut events = vec![HistoryEvent::RunStarted {
        run_id: "r".into(),
        workflow: "w".into(),
        version: "v1".into(),
        input: json!({}),
        variant: None,
        parent: None,
        at: t(0),
    }];
    for id in ids.iter().take(done) {
        events.push(HistoryEvent::StepScheduled {
            step: (*id).into(),
            attempt: 1,
            at: t(1),
        });
        events.push(HistoryEvent::StepCompleted {
            step: (*id).into(),
            attempt: 1,
            output: json!({"id": id}),
            at: t(2),
        });
    }
    events
}

#[test]
fn a_run_may_move_when_only_later_steps_change() {
    let from = plan("v1", vec![action("a"), action("b"), action("c")]);
    let to = plan(
        "v2",
        vec![action("a"), action("b"), approval("c2"), action("d")],
    );
    // Done with `a`, waiting for `b`: `c` is not touched yet.
    assert_eq!(check(&from, &to, &history(&["a", "b", "c"], 1)), Ok(()));
}

#[test]
fn a_removed_step_the_run_completed_is_named() {
    let from = plan("v1", vec![action("a"), action("b"), action("c")]);
    let to = plan("v2", vec![action("b"), action("c")]);
    assert_eq!(
        check(&from, &to, &history(&["a", "b", "c"], 1)),
        Err(Refusal::MissingStep { step: "a".into() })
    );
}

#[test]
fn the_awaited_step_must_exist_with_the_same_kind() {
    let from = plan("v1", vec![action("a"), action("b")]);
    let gone = plan("v2", vec![action("a"), action("c")]);
    assert_eq!(
        check(&from, &gone, &history(&["a", "b"], 1)),
        Err(Refusal::MissingStep { step: "b".into() })
    );
    let changed = plan("v3", vec![action("a"), approval("b")]);
    let refusal = check(&from, &changed, &history(&["a", "b"], 1)).unwrap_err();
    assert_eq!(
        refusal,
        Refusal::KindChanged {
            step: "b".into(),
            from: "action",
            to: "approval"
        }
    );
    assert_eq!(
        refusal.to_string(),
        "step `b` is action here but approval in the target version"
    );
    assert_eq!(refusal.step(), Some("b"));
}

#[test]
fn an_approval_the_run_waits_on_must_be_unchanged() {
    let from = plan("v1", vec![approval("gate"), action("b")]);
    let events = history(&["gate", "b"], 0);
    let mut other_role = approval("gate");
    if let StepKind::Approval { role, .. } = &mut other_role.kind {
        *role = "admin".into();
    }
    let refusal = check(&from, &plan("v2", vec![other_role, action("b")]), &events).unwrap_err();
    assert_eq!(
        refusal,
        Refusal::WaitChanged {
            step: "gate".into()
        }
    );
    assert_eq!(
        refusal.to_string(),
        "step `gate` is waited on and defined differently in the target version \
         (its review item or event wait is out already)"
    );
    // A later step may change.
    let later = plan("v3", vec![approval("gate"), approval("b")]);
    assert_eq!(check(&from, &later, &events), Ok(()));
}

#[test]
fn a_step_inserted_before_the_run_position_diverges() {
    let from = plan("v1", vec![action("a"), action("b")]);
    let to = plan("v2", vec![action("x"), action("a"), action("b")]);
    let refusal = check(&from, &to, &history(&["a", "b"], 1)).unwrap_err();
    assert_eq!(
        refusal,
        Refusal::Diverges {
            expected: "step `b` in [] (Running; done [\"a\"]; skipped [])".into(),
            found: "step `x` in [] (Running; done []; skipped [])".into(),
        }
    );
    assert_eq!(refusal.step(), None);
}

#[test]
fn compensation_and_loop_ids_name_their_plan_steps() {
    let mut events = history(&["a"], 0);
    events.push(HistoryEvent::StepScheduled {
        step: "undo@charge[2]".into(),
        attempt: 1,
        at: t(3),
    });
    let with_undo = plan("v1", vec![action("a"), action("undo"), action("charge")]);
    let without = plan("v2", vec![action("a"), action("charge")]);
    assert_eq!(
        check(&with_undo, &without, &events),
        Err(Refusal::MissingStep {
            step: "undo".into()
        })
    );
}

#[test]
fn the_migration_marker_changes_nothing_the_fold_decides() {
    let from = plan("v1", vec![action("a"), action("b")]);
    let mut events = history(&["a", "b"], 1);
    let before = storeops_engine::fold(&from, &events);
    events.push(HistoryEvent::RunMigrated {
        from: "v1".into(),
        to: "v2".into(),
        at: t(5),
    });
    assert_eq!(storeops_engine::fold(&from, &events), before);
    let (_, commands) = storeops_engine::apply(&from, before, &events[events.len() - 1]);
    assert!(commands.is_empty());
    // A history with a migration in it can move again.
    let to = plan("v3", vec![action("a"), action("b"), action("c")]);
    assert_eq!(check(&from, &to, &events), Ok(()));
}

proptest! {
    /// On a linear plan of n actions with k completed: keeping the first
    /// k + 1 steps and changing anything after is allowed; removing any of
    /// them names exactly that step.
    #[test]
    fn removing_a_touched_step_is_refused_and_later_changes_are_not(
        n in 1usize..6,
        k_seed in 0usize..6,
        removed_seed in 0usize..6,
        extra in 0usize..3,
    ) {
        let k = k_seed % n;
        let ids: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let from = plan("v1", refs.iter().map(|id| action(id)).collect());
        let events = history(&refs, k);
        let mut kept: Vec<PlanStep> = refs.iter().take(k + 1).map(|id| action(id)).collect();
        kept.extend((0..extra).map(|i| approval(&format!("new{i}"))));
        prop_assert_eq!(check(&from, &plan("v2", kept), &events), Ok(()));
        let removed = removed_seed % (k + 1);
        let without: Vec<PlanStep> = refs
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != removed)
            .map(|(_, id)| action(id))
            .collect();
        prop_assert_eq!(
            check(&from, &plan("v3", without), &events),
            Err(Refusal::MissingStep { step: ids[removed].clone() })
        );
    }
}
