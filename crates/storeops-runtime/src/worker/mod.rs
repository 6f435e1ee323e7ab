//! The worker: claims due runs with a lease, advances every held run (a
//! chain of steps without outside effects, or one step with them) per
//! round, executes that round's actions concurrently, and
//! commits all runs' history chunks, store effects and review items in one
//! transaction (group commit). Runs with a next step stay held (and their
//! lease extended); waiting and finished runs are released with the time
//! they next need attention. On SQLite one worker runs in the server
//! process; on PostgreSQL any number of processes share the runs (claims use
//! `FOR UPDATE SKIP LOCKED`; `LISTEN/NOTIFY` wakes idle workers).

mod active;
mod commit;
mod controls;
mod execute;
mod hydrate;
mod links;
mod round;
mod settle;
mod steplog;

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use storeops_engine::HistoryEvent;
use storeops_store::{NewItem, Store, StoreEffect};
use tokio::sync::Notify;

use crate::actions::Registry;
use crate::clock::Clock;
use crate::error::RuntimeError;
use crate::triggers::schedule::Schedules;
use crate::triggers::TriggerIndex;
use active::Active;
pub use round::Round;
use settle::{settle, Env, Settled};

/// Most events offered to triggers and waits per round.
const DISPATCH_LIMIT: i64 = 512;

/// How a worker behaves.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Lease owner name (unique per worker).
    pub owner: String,
    /// Most runs held at once.
    pub batch: usize,
    /// Most runs claimed per round, so that several workers share a burst
    /// and new runs join held ones in a pipeline.
    pub claim_limit: usize,
    /// How long a claim lasts without renewal.
    pub lease: Duration,
    /// Longest idle sleep before looking for due runs again.
    pub poll: Duration,
    /// When set, one line per step execution is appended here (crash tests).
    pub step_log: Option<PathBuf>,
    /// How stale the cached pause switches may be.
    pub control_refresh: Duration,
    /// Most steps one run executes in a round: a chain of steps without
    /// outside effects, committed together (1 = commit after every step).
    pub max_chain: usize,
    /// After a wake-up that follows a round which claimed several runs, how
    /// long to gather more before claiming (zero: claim at once).
    pub linger: Duration,
}

impl Default for WorkerConfig {
    fn default() -> WorkerConfig {
        WorkerConfig {
            owner: format!("worker-{}", uuid::Uuid::new_v4()),
            batch: 4096,
            claim_limit: 512,
            lease: Duration::from_secs(30),
            poll: Duration::from_secs(1),
            step_log: None,
            control_refresh: Duration::from_millis(500),
            max_chain: 16,
            linger: Duration::from_millis(2),
        }
    }
}

/// A worker. Drive it with [`Worker::run`], or round by round with
/// [`Worker::round`] (tests, with a manual clock).
pub struct Worker {
    store: Store,
    registry: Registry,
    clock: Arc<dyn Clock>,
    config: WorkerConfig,
    http: reqwest::Client,
    active: HashMap<String, Active>,
    paused: HashSet<String>,
    paused_checked: Option<std::time::Instant>,
    triggers: TriggerIndex,
    schedules: Schedules,
    /// When events were last looked for, and whether to look next round
    /// regardless (woken, or the last look found a full batch).
    dispatch_checked: Option<std::time::Instant>,
    dispatch_now: bool,
    leases_extended: std::time::Instant,
    wake: Arc<Notify>,
    step_log: Option<steplog::StepLog>,
    finished: Option<tokio::sync::mpsc::UnboundedSender<String>>,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("owner", &self.config.owner)
            .field("held", &self.active.len())
            .finish()
    }
}

impl Worker {
    /// A worker over `store` with these actions and clock.
    pub fn new(
        store: Store,
        registry: Registry,
        clock: Arc<dyn Clock>,
        config: WorkerConfig,
    ) -> Result<Worker, RuntimeError> {
        let step_log = match &config.step_log {
            Some(path) => Some(steplog::StepLog::open(path)?),
            None => None,
        };
        let http = registry.http_client().clone();
        Ok(Worker {
            store,
            registry,
            clock,
            config,
            http,
            active: HashMap::new(),
            paused: HashSet::new(),
            paused_checked: None,
            triggers: TriggerIndex::default(),
            schedules: Schedules::default(),
            dispatch_checked: None,
            dispatch_now: true,
            leases_extended: std::time::Instant::now(),
            wake: Arc::new(Notify::new()),
            step_log,
            finished: None,
        })
    }

    /// Sends the id of every run this worker finishes, after its commit
    /// (benchmarks and tests wait on it).
    pub fn notify_finished(&mut self, sender: tokio::sync::mpsc::UnboundedSender<String>) {
        self.finished = Some(sender);
    }

    /// Wakes this worker with `wake` (shared with the HTTP server, which
    /// notifies it after submissions and decisions).
    pub fn set_waker(&mut self, wake: Arc<Notify>) {
        self.wake = wake;
    }

    /// A handle that wakes this worker (after a local submission).
    pub fn waker(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Runs rounds until `shutdown` completes; idle, it sleeps until woken,
    /// notified by the database, or the poll interval passes. Leases are
    /// released on the way out.
    pub async fn run(mut self, shutdown: impl Future<Output = ()>) -> Result<(), RuntimeError> {
        tokio::pin!(shutdown);
        // A worker restarted under the same owner name takes its runs back
        // at once instead of waiting for their leases to expire.
        self.store.release_leases(&self.config.owner).await?;
        let mut listener = self.store.listen_runs().await?;
        loop {
            let round = tokio::select! {
                biased;
                () = &mut shutdown => break,
                round = self.round() => round,
            };
            match round {
                Ok(round) if round.quiet() => {
                    tokio::select! {
                        () = &mut shutdown => break,
                        () = self.wake.notified() => {}
                        _ = listener.wait(self.config.poll) => {}
                    }
                    self.dispatch_now = true;
                    if round.streaming() && !self.config.linger.is_zero() {
                        tokio::select! {
                            () = &mut shutdown => break,
                            () = tokio::time::sleep(self.config.linger) => {}
                        }
                    }
                }
                Ok(_) => {}
                Err(e) if e.is_unavailable() => {
                    tracing::warn!(error = %e, "workflow worker: database unavailable, retrying");
                    tokio::time::sleep(self.config.poll).await;
                }
                Err(e) => return Err(e),
            }
        }
        self.store.release_leases(&self.config.owner).await?;
        Ok(())
    }

    /// One round: claim, settle, execute, commit; then the housekeeping
    /// (pause switches and trigger index when stale, offering pending
    /// events, firing schedules), after the commit so that it never delays
    /// a run's result. Runs it starts are claimed by the next round.
    pub async fn round(&mut self) -> Result<Round, RuntimeError> {
        let now = self.clock.now();
        // The first round needs the pause switches before it claims.
        if self.paused_checked.is_none() {
            self.refresh_controls().await?;
        }
        self.extend_leases(now).await?;
        let mut round = Round::default();
        self.advance(now, &mut round).await?;
        self.refresh_controls().await?;
        let now = self.clock.now();
        let dispatched = self.dispatch(now).await?;
        let scheduled = self
            .schedules
            .fire(&self.store, &self.triggers.scheduled, now)
            .await?;
        round.triggered = dispatched + scheduled;
        Ok(round)
    }

    /// Claims due runs, advances every held run, executes the round's
    /// actions and commits the results.
    async fn advance(&mut self, now: DateTime<Utc>, round: &mut Round) -> Result<(), RuntimeError> {
        let timer = std::time::Instant::now();
        let room = self
            .config
            .batch
            .saturating_sub(self.active.len())
            .min(self.config.claim_limit);
        if room > 0 {
            let lease_until =
                now + chrono::Duration::from_std(self.config.lease).unwrap_or_default();
            let claimed = self
                .store
                .claim_runs(&self.config.owner, now, lease_until, room, true)
                .await?;
            round.claimed = claimed.len();
            round.drained = claimed.len() < room;
            for run in claimed {
                let id = run.id.clone();
                match self.hydrate(run).await {
                    Ok(active) => {
                        self.active.insert(active.id.clone(), active);
                    }
                    // One unreadable run must not hold every other back: it
                    // stays leased (taken up again when its lease ends) and
                    // is logged naming the row.
                    Err(e @ RuntimeError::Corrupt { .. }) => {
                        tracing::error!(run = %id, error = %e, "claimed run is unreadable; left");
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        if self.active.is_empty() {
            return Ok(());
        }
        let claimed_ms = timer.elapsed().as_secs_f64() * 1e3;
        let mut items: Vec<NewItem> = Vec::new();
        let mut effects: Vec<StoreEffect> = Vec::new();
        let mut results: HashMap<String, Settled> = HashMap::new();
        let mut jobs = Vec::new();
        for run in self.active.values_mut() {
            let env = Env {
                now,
                registry: &self.registry,
                execute: true,
                paused: self.paused.contains(&run.plan.workflow),
            };
            match settle(run, &env, &mut items) {
                Settled::Execute(next) => {
                    jobs.extend(next.into_iter().map(|j| (run.id.clone(), j)))
                }
                other => {
                    results.insert(run.id.clone(), other);
                }
            }
        }
        let settled_ms = timer.elapsed().as_secs_f64() * 1e3;
        // Steps without outside effects chain: their results fold in and the
        // run's next step executes in the same round, all committed together.
        let max_chain = self.config.max_chain.max(1);
        for wave in 0..max_chain {
            if jobs.is_empty() {
                break;
            }
            round.executed += jobs.len();
            let executed = execute::all(self, std::mem::take(&mut jobs)).await;
            // Every result of a run (one per walk) folds in before the run
            // is settled again, so no job in flight is scheduled twice.
            let mut chains: Vec<(String, bool)> = Vec::new();
            for (id, job, result) in executed {
                let Some(run) = self.active.get_mut(&id) else {
                    continue;
                };
                let at = self.clock.now();
                let mut chain = job.chainable && wave + 1 < max_chain;
                let event = match result {
                    Ok(output) => {
                        // Store writes are committed before the run's next
                        // step, which may read them (`store.query`).
                        chain &= output.effects.is_empty();
                        effects.extend(output.effects);
                        HistoryEvent::StepCompleted {
                            step: job.step,
                            attempt: job.attempt,
                            output: output.output,
                            at,
                        }
                    }
                    Err(error) => HistoryEvent::StepFailed {
                        step: job.step,
                        attempt: job.attempt,
                        error,
                        at,
                    },
                };
                run.push(event);
                // A run's jobs are adjacent: they were queued together.
                match chains.last_mut() {
                    Some((run, all)) if *run == id => *all &= chain,
                    _ => chains.push((id, chain)),
                }
            }
            for (id, chain) in chains {
                let Some(run) = self.active.get_mut(&id) else {
                    continue;
                };
                let env = Env {
                    now: self.clock.now(),
                    registry: &self.registry,
                    execute: chain,
                    paused: self.paused.contains(&run.plan.workflow),
                };
                match settle(run, &env, &mut items) {
                    Settled::Execute(next) => {
                        jobs.extend(next.into_iter().map(|j| (id.clone(), j)))
                    }
                    other => {
                        results.insert(id, other);
                    }
                }
            }
        }
        self.start_children(now, &mut results, &mut items).await?;
        // A run settled more than once in the round (its `parallel` branches
        // went on) reissued its open review items: keep one of each.
        let mut keys = HashSet::new();
        items.retain(|item| keys.insert(item.key.clone()));
        let executed_ms = timer.elapsed().as_secs_f64() * 1e3;
        self.commit(now, results, effects, items, round).await?;
        tracing::debug!(
            claimed = round.claimed,
            executed = round.executed,
            finished = round.finished,
            held = round.held,
            claimed_ms,
            settled_ms,
            executed_ms,
            total_ms = timer.elapsed().as_secs_f64() * 1e3,
            "workflow round"
        );
        Ok(())
    }
}

fn corrupt(what: &'static str, key: &str, e: impl std::fmt::Display) -> RuntimeError {
    RuntimeError::Corrupt {
        what,
        key: key.to_string(),
        message: e.to_string(),
    }
}
