//! Cron schedules: a scheduled workflow starts run
//! `sched-<workflow>-<fire time>` at each fire time of its cron expression
//! in its time zone. The store keeps the last fire time started
//! (`wf_schedules`); moving that mark and starting the run is one
//! transaction, so two workers never both fire. When fire times were missed
//! (no worker running), only the latest is started. A workflow seen for the
//! first time starts counting from now.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde_json::json;
use storeops_store::Store;

use super::Target;
use crate::error::RuntimeError;
use crate::launch::{prepare, Prepared, Source};

/// When each scheduled workflow (by name and version) next fires.
#[derive(Debug, Default)]
pub struct Schedules {
    next: HashMap<(String, String), DateTime<Utc>>,
}

impl Schedules {
    /// Starts the runs of every schedule due at `now`; how many started.
    pub async fn fire(
        &mut self,
        store: &Store,
        targets: &[Target],
        now: DateTime<Utc>,
    ) -> Result<usize, RuntimeError> {
        let mut started = 0;
        for target in targets.iter().filter(|t| !t.paused) {
            let key = (target.name.clone(), target.plan.version.clone());
            if self.next.get(&key).is_some_and(|next| *next > now) {
                continue;
            }
            let Some((cron, tz, text)) = parse(target) else {
                continue;
            };
            let mark = store.schedule_mark(&target.name).await?;
            let Some(mark) = mark else {
                store
                    .fire_schedule(&target.name, None, now, &[], None)
                    .await?;
                self.next.insert(key, next_after(&cron, tz, now));
                continue;
            };
            let latest = cron
                .find_previous_occurrence(&now.with_timezone(&tz), true)
                .ok()
                .map(|t| t.with_timezone(&Utc));
            if let Some(fire) = latest.filter(|fire| *fire > mark) {
                let id = format!("sched-{}-{}", target.name, fire.to_rfc3339());
                let input = json!({"schedule": {
                    "fire_at": fire.to_rfc3339(),
                    "cron": text,
                    "timezone": tz.name(),
                }});
                let (runs, outcome) = match prepare(
                    &target.plan,
                    &target.mode,
                    id,
                    input,
                    now,
                    Source::Direct,
                    None,
                )? {
                    Prepared::Start(run) => (vec![run], "started"),
                    Prepared::Skip(outcome, why) => {
                        tracing::info!(workflow = %target.name, outcome, why = why.as_deref().unwrap_or(""), "scheduled run not started");
                        (Vec::new(), outcome)
                    }
                };
                // The mark, the run and its count move together (or not at
                // all, when another worker fired this time first).
                if store
                    .fire_schedule(&target.name, Some(mark), fire, &runs, Some(outcome))
                    .await?
                {
                    started += runs.len();
                }
            }
            self.next.insert(key, next_after(&cron, tz, now));
        }
        Ok(started)
    }
}

/// The cron, time zone and cron text of a scheduled target.
fn parse(target: &Target) -> Option<(croner::Cron, chrono_tz::Tz, String)> {
    let storeops_engine::TriggerSpec::Schedule { cron, timezone } = &target.plan.launch.trigger
    else {
        return None;
    };
    // Validated on deploy; a stored plan that no longer parses is skipped.
    let parsed = croner::Cron::from_str(cron).ok()?;
    let tz = chrono_tz::Tz::from_str(timezone).ok()?;
    Some((parsed, tz, cron.clone()))
}

/// The first fire time after `now` (far in the future when there is none).
fn next_after(cron: &croner::Cron, tz: chrono_tz::Tz, now: DateTime<Utc>) -> DateTime<Utc> {
    cron.find_next_occurrence(&now.with_timezone(&tz), false)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}
