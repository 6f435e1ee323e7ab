//! The state machine driven like a worker would (see `sim/`): scenarios with
//! exact histories (the crash-replay property test: `crashes.rs`; switches,
//! event waits and edited retries: `branches.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim;

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use sim::{action, approval, guarded, plan, simulate, t0, wait, Outcome};
use storeops_engine::{apply, fold, resume, Command, HistoryEvent, OnTimeout, Plan};
use storeops_engine::{Resolution, RunStatus};

/// Applies the start of run `r` to a fresh state.
fn start(p: &Plan) -> (storeops_engine::RunState, Vec<Command>) {
    let started = HistoryEvent::RunStarted {
        run_id: "r".into(),
        workflow: "w".into(),
        version: "v".into(),
        input: Value::Null,
        at: t0(),
        variant: None,
        parent: None,
    };
    apply(p, storeops_engine::RunState::new(), &started)
}

fn none() -> BTreeSet<usize> {
    BTreeSet::new()
}

#[test]
fn three_steps_complete_in_order_with_the_last_output() {
    let p = plan(vec![
        action("enrich", 3),
        action("decide", 3),
        action("record", 3),
    ]);
    let t = simulate(&p, &|_, _| Outcome::Ok, &none());
    assert_eq!(t.state.status, RunStatus::Completed);
    assert_eq!(t.state.output, Some(json!({"step": "record"})));
    let order: Vec<&str> = t.executions.iter().map(|(s, _, _)| s.as_str()).collect();
    assert_eq!(order, ["enrich", "decide", "record"]);
    assert_eq!(t.executions[0].2, "run-1/enrich/0");
    // started, 3 × (scheduled, completed), completed
    assert_eq!(t.history.len(), 8);
    assert_eq!(fold(&p, &t.history), t.state);
}

fn timers(history: &[HistoryEvent]) -> Vec<(String, DateTime<Utc>)> {
    history
        .iter()
        .filter_map(|e| match e {
            HistoryEvent::TimerSet { timer, fire_at } => Some((timer.clone(), *fire_at)),
            _ => None,
        })
        .collect()
}

#[test]
fn retryable_failures_back_off_then_succeed() {
    let p = plan(vec![action("call", 3)]);
    let t = simulate(
        &p,
        &|_, a| {
            if a < 3 {
                Outcome::Retryable
            } else {
                Outcome::Ok
            }
        },
        &none(),
    );
    assert_eq!(t.state.status, RunStatus::Completed);
    assert_eq!(t.executions.len(), 3);
    assert!(
        t.executions.iter().all(|(_, _, key)| key == "run-1/call/0"),
        "one key across attempts"
    );
    let set = timers(&t.history);
    let failed_at: Vec<DateTime<Utc>> = t
        .history
        .iter()
        .filter_map(|e| match e {
            HistoryEvent::StepFailed { at, .. } => Some(*at),
            _ => None,
        })
        .collect();
    // attempt 2 after 100 ms, attempt 3 after 200 ms (no jitter), from the failure.
    assert_eq!(
        (set[0].0.as_str(), set[1].0.as_str()),
        ("retry/call/2", "retry/call/3")
    );
    assert_eq!(set[0].1 - failed_at[0], Duration::milliseconds(100));
    assert_eq!(set[1].1 - failed_at[1], Duration::milliseconds(200));
}

#[test]
fn exhausted_or_fatal_failures_fail_the_run_and_stop() {
    let p = plan(vec![action("a", 2), action("b", 2)]);
    let t = simulate(&p, &|_, _| Outcome::Retryable, &none());
    assert_eq!(t.state.status, RunStatus::Failed);
    assert_eq!(
        t.state.error.as_deref(),
        Some("step `a` failed after 2 attempt(s): boom: simulated")
    );
    assert_eq!(t.executions.len(), 2);
    let t = simulate(
        &p,
        &|s, _| {
            if s == "b" {
                Outcome::Fatal
            } else {
                Outcome::Ok
            }
        },
        &none(),
    );
    assert_eq!(t.state.status, RunStatus::Failed);
    assert_eq!(t.executions.len(), 2, "a fatal error is not retried");
}

#[test]
fn waits_fire_after_their_duration() {
    let p = plan(vec![
        action("a", 1),
        wait("cool-off", 90_000),
        action("b", 1),
    ]);
    let t = simulate(&p, &|_, _| Outcome::Ok, &none());
    assert_eq!(t.state.status, RunStatus::Completed);
    let completed_a = t.history.iter().find_map(|e| match e {
        HistoryEvent::StepCompleted { step, at, .. } if step == "a" => Some(*at),
        _ => None,
    });
    assert_eq!(
        timers(&t.history),
        [(
            "wait/cool-off".to_string(),
            completed_a.unwrap() + Duration::seconds(90)
        )]
    );
    assert!(t.state.outputs.contains_key("cool-off"));
}

#[test]
fn approvals_are_decided_by_people_or_by_their_sla_rule() {
    let cases = [
        (
            Outcome::Ok,
            OnTimeout::Fail,
            RunStatus::Completed,
            json!("approve"),
            "user:ann",
        ),
        (
            Outcome::Retryable,
            OnTimeout::Fail,
            RunStatus::Completed,
            json!("reject"),
            "user:ann",
        ),
        (
            Outcome::Fatal,
            OnTimeout::Approve,
            RunStatus::Completed,
            json!("approve"),
            "sla",
        ),
        (
            Outcome::Fatal,
            OnTimeout::Reject,
            RunStatus::Completed,
            json!("reject"),
            "sla",
        ),
        (
            Outcome::Fatal,
            OnTimeout::Escalate,
            RunStatus::Completed,
            json!("approve"),
            "user:lead",
        ),
        (
            Outcome::Fatal,
            OnTimeout::Fail,
            RunStatus::Failed,
            Value::Null,
            "",
        ),
    ];
    for (who, on_timeout, status, decision, actor) in cases {
        let p = plan(vec![approval("refund-ok", on_timeout), action("refund", 1)]);
        let t = simulate(
            &p,
            &move |s, _| if s == "refund-ok" { who } else { Outcome::Ok },
            &none(),
        );
        assert_eq!(t.state.status, status, "{who:?} {on_timeout:?}");
        let out = t
            .state
            .outputs
            .get("refund-ok")
            .cloned()
            .unwrap_or(Value::Null);
        assert_eq!(
            out.get("decision").cloned().unwrap_or(Value::Null),
            decision,
            "{who:?} {on_timeout:?}"
        );
        if status == RunStatus::Completed {
            assert_eq!(out["actor"], actor);
        } else {
            assert_eq!(
                t.state.error.as_deref(),
                Some("approval `refund-ok` was not decided within its SLA")
            );
        }
        let escalated = usize::from(on_timeout == OnTimeout::Escalate && who == Outcome::Fatal);
        assert_eq!(t.escalations.len(), escalated, "{who:?} {on_timeout:?}");
    }
}

#[test]
fn decisions_outside_the_options_or_for_other_steps_are_ignored() {
    let p = plan(vec![approval("gate", OnTimeout::Fail)]);
    let (state, commands) = start(&p);
    assert!(matches!(&commands[0], Command::RequestApproval { role, .. } if role == "reviewer"));
    assert!(matches!(&commands[1], Command::SetTimer { timer, .. } if timer == "sla/gate"));
    for (step, decision) in [("gate", "maybe"), ("other", "approve")] {
        let event = HistoryEvent::ApprovalDecided {
            step: step.into(),
            decision: decision.into(),
            actor: "user:x".into(),
            reason: None,
            at: t0(),
        };
        let (after, commands) = apply(&p, state.clone(), &event);
        assert_eq!((after, commands), (state.clone(), Vec::new()));
    }
}

#[test]
fn failed_steps_with_an_exception_role_wait_for_an_operator() {
    // Fails for good twice: the operator retries, then skips; the run goes on.
    let p = plan(vec![guarded("charge", 2), action("notify", 1)]);
    let t = simulate(
        &p,
        &|s, a| {
            if s == "charge" && a <= 3 {
                Outcome::Retryable
            } else {
                Outcome::Ok
            }
        },
        &none(),
    );
    assert_eq!(t.state.status, RunStatus::Completed);
    assert_eq!(t.exceptions, ["charge", "charge"]);
    let attempts: Vec<u32> = t
        .executions
        .iter()
        .filter(|(s, _, _)| s == "charge")
        .map(|(_, a, _)| *a)
        .collect();
    assert_eq!(
        attempts,
        [1, 2, 3],
        "one operator retry after the two policy attempts"
    );
    assert_eq!(
        t.state.outputs["charge"],
        json!({"skipped": true, "actor": "user:ops", "reason": "checked"})
    );
    assert!(t.state.outputs.contains_key("notify"));

    // The item names the failure; a cancel from the queue cancels the run.
    let p = plan(vec![guarded("charge", 1)]);
    let (state, _) = start(&p);
    let failed = HistoryEvent::StepFailed {
        step: "charge".into(),
        attempt: 1,
        error: storeops_engine::StepError {
            kind: "http_4xx".into(),
            message: "card declined".into(),
            retryable: false,
        },
        at: t0(),
    };
    let (state, commands) = apply(&p, state, &failed);
    assert_eq!(
        commands,
        [Command::RaiseException {
            step: "charge".into(),
            role: "operator".into(),
            error: "step `charge` failed after 1 attempt(s): http_4xx: card declined".into(),
            idempotency_key: "r/charge/0".into(),
        }]
    );
    assert_eq!(
        resume(&p, &state),
        commands,
        "a restarted worker re-raises the same item"
    );
    let cancel = HistoryEvent::ExceptionResolved {
        step: "charge".into(),
        resolution: Resolution::Cancel,
        actor: "user:ops".into(),
        reason: Some("fraud".into()),
        at: t0(),
    };
    let (state, commands) = apply(&p, state, &cancel);
    assert_eq!(
        commands,
        [Command::CancelRun {
            reason: "user:ops cancelled the run at step `charge`: fraud".into()
        }]
    );
    let (state, _) = apply(
        &p,
        state,
        &HistoryEvent::RunCancelled {
            reason: "user:ops cancelled the run at step `charge`: fraud".into(),
            at: t0(),
        },
    );
    assert_eq!(state.status, RunStatus::Cancelled);
}

#[test]
fn steps_whose_condition_does_not_hold_are_skipped() {
    let when = |step: storeops_engine::PlanStep, cel: &str| storeops_engine::PlanStep {
        condition: Some(cel.into()),
        ..step
    };
    // The simulated trigger input has total 150.
    let p = plan(vec![
        action("enrich", 1),
        when(action("vip", 1), "input.total > 100"),
        when(action("normal", 1), "!has(steps.vip)"),
        when(wait("pause", 1_000), "input.total > 1000"),
    ]);
    let t = simulate(&p, &|_, _| Outcome::Ok, &none());
    assert_eq!(t.state.status, RunStatus::Completed);
    let ran: Vec<&str> = t.executions.iter().map(|(s, _, _)| s.as_str()).collect();
    assert_eq!(ran, ["enrich", "vip"]);
    let skipped: Vec<&str> = t.state.skipped.iter().map(String::as_str).collect();
    assert_eq!(skipped, ["normal", "pause"]);
    assert_eq!(
        t.state.output,
        Some(json!({"step": "vip"})),
        "the last step that ran gives the output"
    );
    assert_eq!(fold(&p, &t.history), t.state);

    let p = plan(vec![
        action("a", 1),
        when(action("b", 1), "input.total.cents > 1"),
    ]);
    let t = simulate(&p, &|_, _| Outcome::Ok, &none());
    assert_eq!(t.state.status, RunStatus::Failed);
    assert!(
        t.state
            .error
            .as_deref()
            .unwrap_or_default()
            .starts_with("the `if:` of step `b` cannot be evaluated"),
        "{:?}",
        t.state.error
    );
}

#[test]
fn late_duplicates_and_events_after_the_end_change_nothing() {
    let p = plan(vec![action("a", 1)]);
    let t = simulate(&p, &|_, _| Outcome::Ok, &none());
    let duplicate = HistoryEvent::StepCompleted {
        step: "a".into(),
        attempt: 1,
        output: Value::Null,
        at: t0(),
    };
    assert_eq!(
        apply(&p, t.state.clone(), &duplicate),
        (t.state.clone(), Vec::new())
    );
    let running = fold(&p, &t.history[..3]);
    assert_eq!(
        apply(&p, running.clone(), &t.history[2]),
        (running, Vec::new())
    );
    let cancel = HistoryEvent::RunCancelled {
        reason: "operator".into(),
        at: t0(),
    };
    let cancelled = apply(&p, fold(&p, &t.history[..1]), &cancel).0;
    assert_eq!(cancelled.status, RunStatus::Cancelled);
    assert_eq!(resume(&p, &cancelled), Vec::new());
}
