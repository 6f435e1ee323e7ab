//! Offering stored events to event triggers and to runs waiting for an
//! event. Each event gets its trigger input ([`super::view::event_input`]);
//! every workflow listening to its topic admits it or not (filter, scope,
//! variant) and the admitted ones start run `evt-<event id>-<workflow>`;
//! every wait on its topic whose predicate holds (evaluated on the waiting
//! run's stored state) gets an `event_matched` in its inbox — one event per
//! wait (a run's `parallel` branches may each wait), the oldest first. The events are marked offered in the same
//! transaction, so a crash offers them again and ids keep that idempotent.
//!
//! Cost: each event evaluates the predicates of all waits on its topic.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use storeops_engine::{event_matches, HistoryEvent, RunState};
use storeops_store::{EventDispatch, Store, WaitRow};

use super::view::{domain_topic, event_input};
use super::TriggerIndex;
use crate::error::RuntimeError;
use crate::launch::{prepare, Prepared, Source};

/// Offers up to `limit` pending events; how many this call marked.
pub async fn dispatch(
    store: &Store,
    index: &TriggerIndex,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<usize, RuntimeError> {
    let events = store.pending_events(limit).await?;
    if events.is_empty() {
        return Ok(0);
    }
    let topics: HashSet<String> = events
        .iter()
        .flat_map(|e| [domain_topic(&e.source, &e.topic), e.topic.clone()])
        .collect();
    let topics: Vec<String> = topics.into_iter().collect();
    let waits = store.waits(&topics).await?;
    let states = wait_states(&waits);
    let mut taken: HashSet<(&str, &str)> = HashSet::new();
    let mut dispatches = Vec::with_capacity(events.len());
    for event in &events {
        let input = event_input(event);
        let domain = domain_topic(&event.source, &event.topic);
        let mut d = EventDispatch {
            event_id: event.id,
            starts: Vec::new(),
            matches: Vec::new(),
            counts: Vec::new(),
            due_at: now,
        };
        for target in index.listeners(&domain, &event.topic) {
            if target.paused {
                d.counts.push((target.name.clone(), "paused".into()));
                continue;
            }
            let id = format!("evt-{}-{}", event.id, target.name);
            let prepared = prepare(
                &target.plan,
                &target.mode,
                id,
                input.clone(),
                now,
                Source::Event,
                None,
            )?;
            d.counts
                .push((target.name.clone(), prepared.outcome().into()));
            match prepared {
                Prepared::Start(run) => d.starts.push(run),
                Prepared::Skip(_, Some(why)) => {
                    tracing::warn!(workflow = %target.name, event = event.id, %why, "event trigger not admitted");
                }
                Prepared::Skip(_, None) => {}
            }
        }
        for wait in &waits {
            if wait.topic != domain && wait.topic != event.topic
                || taken.contains(&(wait.run_id.as_str(), wait.step.as_str()))
            {
                continue;
            }
            let Some(state) = states.get(&(wait.run_id.as_str(), wait.step.as_str())) else {
                continue;
            };
            match event_matches(&wait.predicate, state, &input) {
                Ok(true) => {
                    taken.insert((&wait.run_id, &wait.step));
                    let matched = HistoryEvent::EventMatched {
                        step: wait.step.clone(),
                        event: input.clone(),
                        at: now,
                    };
                    d.matches
                        .push((wait.clone(), serde_json::to_string(&matched)?));
                }
                Ok(false) => {}
                Err(why) => {
                    tracing::warn!(run = %wait.run_id, step = %wait.step, %why, "wait predicate failed");
                }
            }
        }
        dispatches.push(d);
    }
    Ok(store.dispatch_events(&dispatches).await?.len())
}

/// The stored run states of the waits by run and step (unreadable ones are
/// skipped, logged).
fn wait_states(waits: &[WaitRow]) -> HashMap<(&str, &str), RunState> {
    waits
        .iter()
        .filter_map(|w| match serde_json::from_str::<RunState>(&w.context) {
            Ok(state) => Some(((w.run_id.as_str(), w.step.as_str()), state)),
            Err(e) => {
                tracing::warn!(run = %w.run_id, error = %e, "unreadable wait context");
                None
            }
        })
        .collect()
}
