//! Conformance cases for migration 0005: events offered once to triggers
//! and waits (also with two dispatchers), wait matches delivered to the
//! inbox only while the wait is stored, trigger counts, schedule marks
//! moved by exactly one caller, and a commit's waits, child runs and
//! messages.

use chrono::{TimeZone, Utc};
use serde_json::json;
use storeops_domain::{Event, EventStatus};
use storeops_store::{EventDispatch, InboxMessage, NewWait, RunUpdate, Store, WaitChange, WaitRow};

use super::workflow::{at, new_run, update};

async fn stored_event(store: &Store, id: &str) -> i64 {
    let event = Event {
        source: "generic:shop".into(),
        topic: "order.created".into(),
        external_id: id.into(),
        payload: json!({"id": id}),
        received_at: Utc.with_ymd_and_hms(2024, 6, 1, 9, 0, 0).unwrap(),
        status: EventStatus::Stored,
        error: None,
    };
    assert!(store.append_event(&event).await.unwrap());
    let pending = store.pending_events(100).await.unwrap();
    pending.iter().find(|e| e.external_id == id).unwrap().id
}

fn offer(event_id: i64, run: &str) -> EventDispatch {
    EventDispatch {
        event_id,
        starts: vec![new_run(run, "w", at(1, 9))],
        matches: Vec::new(),
        counts: vec![("w".into(), "started".into())],
        due_at: at(1, 9),
    }
}

pub async fn events_are_offered_once_even_by_two_dispatchers(store: &Store) {
    store.migrate().await.unwrap();
    let e1 = stored_event(store, "e1").await;
    let e2 = stored_event(store, "e2").await;
    let pending = store.pending_events(10).await.unwrap();
    assert_eq!(
        pending.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![e1, e2]
    );
    assert_eq!(pending[0].payload, json!({"id": "e1"}));
    // The first dispatcher takes e1 only; the second offers both and gets e2.
    assert_eq!(
        store.dispatch_events(&[offer(e1, "r1")]).await.unwrap(),
        vec![e1]
    );
    let second = [offer(e1, "r1-again"), offer(e2, "r2")];
    assert_eq!(store.dispatch_events(&second).await.unwrap(), vec![e2]);
    assert!(store.pending_events(10).await.unwrap().is_empty());
    assert!(store.run("r1").await.unwrap().is_some());
    assert!(store.run("r1-again").await.unwrap().is_none());
    assert!(store.run("r2").await.unwrap().is_some());
    let counts: Vec<(String, i64)> = store
        .trigger_counts()
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.outcome, c.count))
        .collect();
    assert_eq!(counts, vec![("started".to_string(), 2)]);
}

pub async fn waits_are_stored_by_commits_and_matched_once(store: &Store) {
    store.migrate().await.unwrap();
    store
        .start_runs(&[new_run("r-w", "w", at(1, 9))])
        .await
        .unwrap();
    let claimed = store
        .claim_runs("w1", at(1, 9), at(1, 10), 10, false)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let wait = NewWait {
        step: "ship".into(),
        topic: "shipment.created".into(),
        predicate: "event.order == input.order".into(),
        context: "{}".into(),
    };
    // A second branch of the run waits for another event.
    let paid = NewWait {
        step: "pay".into(),
        topic: "payment.captured".into(),
        predicate: "true".into(),
        context: "{}".into(),
    };
    let child = new_run("r-w/call/0", "child", at(1, 9));
    let waiting = RunUpdate {
        wait: WaitChange::Replace(vec![wait, paid]),
        starts: vec![child],
        messages: vec![InboxMessage {
            run_id: "nobody".into(),
            event: "{}".into(),
            due_at: at(1, 9),
        }],
        ..update("r-w", 1, "waiting", None)
    };
    assert_eq!(
        store.commit_runs("w1", &[waiting], &[], &[]).await.unwrap(),
        vec![true]
    );
    // The child started with the commit; a message to an unknown run is dropped.
    assert_eq!(
        store.run("r-w/call/0").await.unwrap().unwrap().status,
        "running"
    );
    let topics = ["shipment.created".to_string()];
    let waits = store.waits(&topics).await.unwrap();
    let expected = WaitRow {
        run_id: "r-w".into(),
        step: "ship".into(),
        topic: "shipment.created".into(),
        predicate: "event.order == input.order".into(),
        context: "{}".into(),
    };
    assert_eq!(waits, vec![expected.clone()]);
    let e1 = stored_event(store, "x1").await;
    let e2 = stored_event(store, "x2").await;
    let matched = |event_id: i64, message: &str| EventDispatch {
        event_id,
        starts: Vec::new(),
        matches: vec![(expected.clone(), message.to_string())],
        counts: Vec::new(),
        due_at: at(1, 11),
    };
    let both = [matched(e1, "{\"first\":1}"), matched(e2, "{\"second\":2}")];
    assert_eq!(store.dispatch_events(&both).await.unwrap(), vec![e1, e2]);
    assert!(store.waits(&topics).await.unwrap().is_empty());
    // The other wait of the run is still there.
    let payment = ["payment.captured".to_string()];
    let left: Vec<String> = store
        .waits(&payment)
        .await
        .unwrap()
        .into_iter()
        .map(|w| format!("{}/{}", w.run_id, w.step))
        .collect();
    assert_eq!(left, ["r-w/pay"]);
    let claimed = store
        .claim_runs("w1", at(1, 11), at(1, 12), 10, false)
        .await
        .unwrap();
    let run = claimed.iter().find(|c| c.id == "r-w").unwrap();
    let inbox: Vec<&str> = run.inbox.iter().map(|(_, e)| e.as_str()).collect();
    assert_eq!(inbox, vec!["{\"first\":1}"]);
    let clear = RunUpdate {
        wait: WaitChange::Replace(Vec::new()),
        ..update("r-w", 2, "completed", None)
    };
    assert_eq!(
        store.commit_runs("w1", &[clear], &[], &[]).await.unwrap(),
        vec![true]
    );
    assert!(store.waits(&payment).await.unwrap().is_empty());
}

pub async fn schedule_marks_move_for_one_caller(store: &Store) {
    store.migrate().await.unwrap();
    assert_eq!(store.schedule_mark("daily").await.unwrap(), None);
    assert!(store
        .fire_schedule("daily", None, at(1, 7), &[], None)
        .await
        .unwrap());
    assert!(!store
        .fire_schedule("daily", None, at(1, 7), &[], None)
        .await
        .unwrap());
    let run = new_run("sched-daily-2", "daily", at(2, 7));
    assert!(store
        .fire_schedule(
            "daily",
            Some(at(1, 7)),
            at(2, 7),
            std::slice::from_ref(&run),
            Some("started")
        )
        .await
        .unwrap());
    // A second worker with the old mark starts nothing.
    let late = new_run("sched-daily-2b", "daily", at(2, 7));
    assert!(!store
        .fire_schedule("daily", Some(at(1, 7)), at(2, 7), &[late], Some("started"))
        .await
        .unwrap());
    assert_eq!(store.schedule_mark("daily").await.unwrap(), Some(at(2, 7)));
    assert!(store.run("sched-daily-2").await.unwrap().is_some());
    assert!(store.run("sched-daily-2b").await.unwrap().is_none());
    // Counted once, by the caller that moved the mark.
    let counts: Vec<(String, String, i64)> = store
        .trigger_counts()
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.workflow, c.outcome, c.count))
        .collect();
    assert_eq!(
        counts,
        vec![("daily".to_string(), "started".to_string(), 1)]
    );
}
