//! Retention of finished runs: their histories are pruned once they are
//! older than the configured number of days (`workflow.retention_days`;
//! 0 keeps everything), and their counts survive in the store for KPIs
//! ([`Store::prune_runs`]). `serve` and `worker` prune once at start and
//! then hourly ([`run_pruner`]); `storeops runs prune` does it on demand.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use storeops_store::{Pruned, Store};

use crate::clock::Clock;
use crate::error::RuntimeError;

/// How often the periodic pruner runs.
pub const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// Runs finished before this are pruned: `now` minus `days`; `None` when
/// `days` is 0 (keep forever).
pub fn cutoff(now: DateTime<Utc>, days: u32) -> Option<DateTime<Utc>> {
    (days > 0).then(|| now - chrono::Duration::days(i64::from(days)))
}

/// Prunes the runs that finished more than `days` before `now` (nothing
/// when `days` is 0).
pub async fn prune(store: &Store, days: u32, now: DateTime<Utc>) -> Result<Pruned, RuntimeError> {
    match cutoff(now, days) {
        Some(before) => Ok(store.prune_runs(before).await?),
        None => Ok(Pruned::default()),
    }
}

/// Prunes at once and then every `every` until `shutdown` completes; a
/// failed round is logged and retried at the next one. Returns at once
/// when `days` is 0.
pub async fn run_pruner(
    store: Store,
    days: u32,
    clock: Arc<dyn Clock>,
    every: Duration,
    shutdown: impl Future<Output = ()>,
) {
    if days == 0 {
        return;
    }
    tokio::pin!(shutdown);
    loop {
        match prune(&store, days, clock.now()).await {
            Ok(pruned) if pruned.runs > 0 => {
                tracing::info!(runs = pruned.runs, days, "pruned finished workflow runs");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "pruning finished workflow runs failed"),
        }
        tokio::select! {
            () = &mut shutdown => return,
            () = tokio::time::sleep(every) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::cutoff;

    #[test]
    fn the_cutoff_is_days_before_now_and_zero_keeps_forever() {
        let now = chrono::Utc
            .with_ymd_and_hms(2024, 3, 31, 12, 0, 0)
            .single()
            .unwrap();
        assert_eq!(
            cutoff(now, 30),
            chrono::Utc.with_ymd_and_hms(2024, 3, 1, 12, 0, 0).single()
        );
        assert_eq!(cutoff(now, 0), None);
    }
}
