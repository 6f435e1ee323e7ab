//! The CPU pool: blocking work (an embedding model, a forecast) runs on
//! Tokio's blocking threads, never on the async threads a round's actions
//! and the HTTP server share. At most one job per core runs at a time, each
//! action may be limited further ([`CpuLimit`]), and a job whose attempt is
//! dropped — its step timed out, the caller went away — is told to stop
//! through its [`Cancel`]. Waiting for a slot is async and ends with the
//! attempt too. A permit is held until the job's thread returns, so the
//! bound holds even for work that ignores cancellation.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use storeops_engine::StepError;
use tokio::sync::Semaphore;

use crate::action::{fatal, transient};

/// Slots for blocking work, shared by every action of a registry.
#[derive(Debug, Clone)]
pub struct CpuPool {
    slots: Arc<Semaphore>,
}

/// A per-action bound on jobs in the pool at once.
#[derive(Debug, Clone)]
pub struct CpuLimit {
    slots: Arc<Semaphore>,
}

impl CpuLimit {
    /// At most `jobs` (at least 1) at once.
    pub fn new(jobs: usize) -> CpuLimit {
        CpuLimit {
            slots: Arc::new(Semaphore::new(jobs.max(1))),
        }
    }
}

/// Tells a job that its attempt is gone; poll it between chunks of work.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Whether the attempt was dropped (timed out or abandoned).
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err(timeout)` once cancelled: `cancel.check()?` between chunks.
    pub fn check(&self) -> Result<(), StepError> {
        if self.is_cancelled() {
            Err(transient("timeout", "cancelled: the attempt ended"))
        } else {
            Ok(())
        }
    }
}

/// Sets the flag when the awaiting attempt is dropped before the job ends.
struct CancelOnDrop(Option<Cancel>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(cancel) = self.0.take() {
            cancel.0.store(true, Ordering::Relaxed);
        }
    }
}

impl CpuPool {
    /// A pool running `threads` (at least 1) jobs at once.
    pub fn new(threads: usize) -> CpuPool {
        CpuPool {
            slots: Arc::new(Semaphore::new(threads.max(1))),
        }
    }

    /// One job per core.
    pub fn per_core() -> CpuPool {
        CpuPool::new(std::thread::available_parallelism().map_or(2, usize::from))
    }

    /// Runs `work` on a blocking thread once `limit` and the pool have a
    /// slot; its result, or `timeout` if it stopped on cancellation, or a
    /// `panic` failure if it panicked. Dropping the returned future cancels.
    pub async fn run<T, F>(&self, limit: &CpuLimit, work: F) -> Result<T, StepError>
    where
        T: Send + 'static,
        F: FnOnce(&Cancel) -> Result<T, StepError> + Send + 'static,
    {
        let closed = |_| fatal("cpu_pool", "the CPU pool is closed");
        let own = Arc::clone(&limit.slots)
            .acquire_owned()
            .await
            .map_err(closed)?;
        let shared = Arc::clone(&self.slots)
            .acquire_owned()
            .await
            .map_err(closed)?;
        let cancel = Cancel::default();
        let mut guard = CancelOnDrop(Some(cancel.clone()));
        let job = tokio::task::spawn_blocking(move || {
            let result = work(&cancel);
            drop((own, shared));
            result
        });
        let result = job.await;
        guard.0 = None;
        match result {
            Ok(result) => result,
            Err(e) if e.is_panic() => Err(fatal("panic", "the job panicked")),
            Err(_) => Err(fatal("cpu_pool", "the job was aborted")),
        }
    }

    /// Jobs that could start now.
    pub fn available(&self) -> usize {
        self.slots.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::{Duration, Instant};

    /// Spins until cancelled (or 10 s), counting what it saw.
    fn spin(cancel: &Cancel, stopped: &AtomicUsize) -> Result<u32, StepError> {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if cancel.is_cancelled() {
                stopped.fetch_add(1, Ordering::SeqCst);
                return cancel.check().map(|_| 0);
            }
            std::hint::spin_loop();
        }
        Ok(1)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_timed_out_job_is_cancelled_and_frees_its_slot() {
        let pool = CpuPool::new(1);
        let limit = CpuLimit::new(4);
        let stopped = Arc::new(AtomicUsize::new(0));
        let s = Arc::clone(&stopped);
        let attempt = pool.run(&limit, move |c| spin(c, &s));
        let timed = tokio::time::timeout(Duration::from_millis(50), attempt).await;
        assert!(timed.is_err(), "the attempt timed out");
        let deadline = Instant::now() + Duration::from_secs(5);
        while pool.available() == 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!(stopped.load(Ordering::SeqCst), 1);
        assert_eq!(pool.available(), 1);
        // The pool runs the next job.
        let out = pool.run(&limit, |_| Ok(7)).await;
        assert_eq!(out, Ok(7));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_per_action_limit_and_the_pool_bound_jobs_in_flight() {
        let pool = CpuPool::new(3);
        let limit = CpuLimit::new(2);
        let now = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let jobs = (0..6).map(|_| {
            let (now, peak) = (Arc::clone(&now), Arc::clone(&peak));
            pool.run(&limit, move |_| {
                let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(n, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(30));
                now.fetch_sub(1, Ordering::SeqCst);
                Ok(n)
            })
        });
        let results = futures_util::future::join_all(jobs).await;
        assert_eq!(results.len(), 6);
        assert!(results.iter().all(Result::is_ok));
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_panicking_job_is_a_failure_not_a_crash() {
        let pool = CpuPool::new(1);
        let out: Result<(), StepError> = pool
            .run(&CpuLimit::new(1), |_| panic!("model blew up"))
            .await;
        assert_eq!(out, Err(fatal("panic", "the job panicked")));
        assert_eq!(pool.available(), 1);
    }
}
