//! Switches, waits for events and retries with an edited input, driven
//! event by event and through the simulated worker (`sim/`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim;

use std::collections::BTreeSet;

use chrono::Duration;
use serde_json::{json, Value};
use sim::{
    action, guarded, in_case, plan, simulate, simulate_setup, switch, t0, wait_event, Outcome,
    Setup,
};
use storeops_engine::{
    apply, fold, resume, Command, HistoryEvent, Plan, Resolution, RunState, RunStatus, StepError,
};

fn start(p: &Plan, input: Value) -> (RunState, Vec<Command>) {
    let started = HistoryEvent::RunStarted {
        run_id: "r".into(),
        workflow: "w".into(),
        version: "v".into(),
        input,
        at: t0(),
        variant: None,
        parent: None,
    };
    apply(p, RunState::new(), &started)
}

#[test]
fn a_switch_runs_the_first_case_that_holds_and_skips_the_others() {
    // Simulated input: total 150.
    let p = plan(vec![
        switch("tier", &["input.total > 1000", "input.total > 100"], false),
        in_case(action("gold", 1), "tier", Some(0)),
        in_case(action("silver", 1), "tier", Some(1)),
        in_case(
            switch("sub", &["input.order_id == 'A-1'"], true),
            "tier",
            Some(1),
        ),
        in_case(action("a1", 1), "sub", Some(0)),
        in_case(action("other", 1), "sub", None),
        switch("none", &["false"], false),
        in_case(action("never", 1), "none", Some(0)),
        action("after", 1),
    ]);
    let t = simulate(&p, &|_, _| Outcome::Ok, &BTreeSet::new());
    assert_eq!(t.state.status, RunStatus::Completed);
    let ran: Vec<&str> = t.executions.iter().map(|(s, _, _)| s.as_str()).collect();
    assert_eq!(ran, ["silver", "a1", "after"]);
    let skipped: Vec<&str> = t.state.skipped.iter().map(String::as_str).collect();
    assert_eq!(skipped, ["gold", "never", "other"]);
    assert_eq!(t.state.outputs["tier"], json!({"case": 1}));
    assert_eq!(t.state.outputs["sub"], json!({"case": 0}));
    assert_eq!(t.state.outputs["none"], json!({"case": null}));
    // Switches are decided, not executed: no events of their own.
    assert_eq!(t.history.len(), 1 + 3 * 2 + 1);
    assert_eq!(fold(&p, &t.history), t.state);

    // A skipped switch skips its whole branch, nested switches included.
    let p = plan(vec![
        switch("outer", &["false"], false),
        in_case(switch("inner", &["true"], true), "outer", Some(0)),
        in_case(action("x", 1), "inner", Some(0)),
        in_case(action("y", 1), "inner", None),
    ]);
    let t = simulate(&p, &|_, _| Outcome::Ok, &BTreeSet::new());
    let skipped: Vec<&str> = t.state.skipped.iter().map(String::as_str).collect();
    assert_eq!(skipped, ["inner", "x", "y"]);
    assert_eq!(t.state.output, Some(json!({"case": null})));

    // A case that cannot be evaluated fails the run.
    let p = plan(vec![switch("bad", &["input.nope.deeper"], true)]);
    let t = simulate(&p, &|_, _| Outcome::Ok, &BTreeSet::new());
    assert_eq!(t.state.status, RunStatus::Failed);
    assert!(
        t.state
            .error
            .as_deref()
            .unwrap_or_default()
            .starts_with("the `when` of case 0 of switch `bad` cannot be evaluated"),
        "{:?}",
        t.state.error
    );
}

#[test]
fn an_operator_retries_a_failed_step_with_an_edited_input() {
    let p = plan(vec![guarded("charge", 1), action("notify", 1)]);
    let (state, _) = start(&p, json!({"amount": 10}));
    let failed = HistoryEvent::StepFailed {
        step: "charge".into(),
        attempt: 1,
        error: StepError {
            kind: "http_4xx".into(),
            message: "amount too high".into(),
            retryable: false,
        },
        at: t0(),
    };
    let (state, _) = apply(&p, state, &failed);
    let edited = json!({"amount": 9});
    let resolved = HistoryEvent::ExceptionResolved {
        step: "charge".into(),
        resolution: Resolution::RetryWith {
            input: edited.clone(),
        },
        actor: "user:ops".into(),
        reason: Some("capped".into()),
        at: t0(),
    };
    let (state, commands) = apply(&p, state, &resolved);
    let expected = [Command::ScheduleStep {
        step: "charge".into(),
        index: 0,
        attempt: 2,
        idempotency_key: "r/charge/0".into(),
        input_override: Some(edited.clone()),
    }];
    assert_eq!(commands, expected);
    assert_eq!(state.overrides["charge"], edited);
    assert_eq!(
        resume(&p, &state),
        expected,
        "a restarted worker uses it too"
    );
    let json = serde_json::to_value(&resolved).unwrap();
    assert_eq!(
        json["resolution"],
        json!({"retry_with": {"input": {"amount": 9}}})
    );
    assert_eq!(
        serde_json::from_value::<HistoryEvent>(json).unwrap(),
        resolved
    );

    // Through the simulated worker: attempts after the edit get the edited
    // input, the other steps keep their `with:`.
    let setup = Setup {
        edited: Some(edited.clone()),
        ..Setup::default()
    };
    let t = simulate_setup(
        &p,
        &setup,
        &|s, a| {
            if s == "charge" && a == 1 {
                Outcome::Fatal
            } else {
                Outcome::Ok
            }
        },
        &BTreeSet::new(),
    );
    assert_eq!(t.state.status, RunStatus::Completed);
    let inputs: Vec<(&str, u32, &Value)> = t
        .inputs
        .iter()
        .map(|(s, a, i)| (s.as_str(), *a, i))
        .collect();
    assert_eq!(
        inputs,
        [
            ("charge", 1, &json!({})),
            ("charge", 2, &edited),
            ("notify", 1, &json!({}))
        ]
    );
}

#[test]
fn an_event_wait_completes_with_the_matching_event_or_times_out() {
    let p = plan(vec![wait_event("shipped"), action("after", 1)]);
    let (state, commands) = start(&p, json!({"order_id": "A-1"}));
    let fire_at = t0() + Duration::hours(1);
    assert_eq!(
        commands,
        [
            Command::AwaitEvent {
                step: "shipped".into(),
                topic: "order.shipped".into(),
                predicate: "event.order_id == input.order_id".into(),
                timer: "event/shipped".into(),
                fire_at,
                idempotency_key: "r/shipped/0".into(),
            },
            Command::SetTimer {
                timer: "event/shipped".into(),
                fire_at,
            }
        ]
    );
    assert_eq!(resume(&p, &state), commands, "reissued after a restart");
    // An event for another step or a foreign timer changes nothing.
    let stray = HistoryEvent::EventMatched {
        step: "other".into(),
        event: json!({}),
        at: t0(),
    };
    assert_eq!(
        apply(&p, state.clone(), &stray),
        (state.clone(), Vec::new())
    );

    let matched = HistoryEvent::EventMatched {
        step: "shipped".into(),
        event: json!({"order_id": "A-1"}),
        at: t0(),
    };
    let (after, commands) = apply(&p, state.clone(), &matched);
    assert_eq!(
        after.outputs["shipped"],
        json!({"timed_out": false, "event": {"order_id": "A-1"}})
    );
    assert!(matches!(&commands[0], Command::ScheduleStep { step, .. } if step == "after"));

    let fired = HistoryEvent::TimerFired {
        timer: "event/shipped".into(),
        at: fire_at,
    };
    let (after, _) = apply(&p, state, &fired);
    assert_eq!(after.outputs["shipped"], json!({"timed_out": true}));
    // A late match after the timeout is ignored.
    assert_eq!(apply(&p, after.clone(), &matched), (after, Vec::new()));

    // Simulated: nobody ships, the timer fires.
    let t = simulate(
        &p,
        &|s, _| {
            if s == "shipped" {
                Outcome::Fatal
            } else {
                Outcome::Ok
            }
        },
        &BTreeSet::new(),
    );
    assert_eq!(t.state.outputs["shipped"], json!({"timed_out": true}));
    assert_eq!(t.state.status, RunStatus::Completed);
}
