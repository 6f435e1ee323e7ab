//! Triggers: what starts runs besides a direct submission, and what wakes
//! runs waiting for an event. [`TriggerIndex`] is built from the deployed
//! workflows (active version, mode, pause); [`dispatch`] offers stored
//! events to event triggers and event waits; [`schedule`] starts runs of
//! cron-scheduled workflows. Both write through the store in one
//! transaction per batch, idempotently (run ids derive from the event or
//! fire time), so several workers never start a run twice.

pub mod dispatch;
pub mod schedule;
pub mod view;

use std::collections::HashMap;
use std::sync::Arc;

use storeops_engine::{Plan, TriggerSpec};

/// A workflow that triggers can start.
#[derive(Debug, Clone)]
pub struct Target {
    /// Workflow name.
    pub name: String,
    /// `shadow` or `live`.
    pub mode: String,
    /// Paused workflows start nothing (the trigger is counted as `paused`).
    pub paused: bool,
    /// The active version's plan.
    pub plan: Arc<Plan>,
}

/// The deployed workflows by what triggers them.
#[derive(Debug, Clone, Default)]
pub struct TriggerIndex {
    /// Event-triggered workflows by topic (as written in the trigger).
    pub by_topic: HashMap<String, Vec<Target>>,
    /// Scheduled workflows.
    pub scheduled: Vec<Target>,
}

impl TriggerIndex {
    /// Adds a workflow (mode `off` is left out).
    pub fn add(&mut self, target: Target) {
        if target.mode == "off" {
            return;
        }
        match &target.plan.launch.trigger {
            TriggerSpec::Event { topic, .. } => {
                self.by_topic.entry(topic.clone()).or_default().push(target);
            }
            TriggerSpec::Schedule { .. } => self.scheduled.push(target),
            TriggerSpec::Manual | TriggerSpec::Webhook => {}
        }
    }

    /// The workflows listening to an event with this domain and source topic.
    pub fn listeners<'a>(&'a self, domain: &str, source: &str) -> Vec<&'a Target> {
        let mut found: Vec<&Target> = self.by_topic.get(domain).into_iter().flatten().collect();
        if source != domain {
            found.extend(self.by_topic.get(source).into_iter().flatten());
        }
        found
    }
}
