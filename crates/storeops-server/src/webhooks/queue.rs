//! Group commit of webhook events: handlers hand their event to one writer
//! task and wait; the writer takes everything queued (up to
//! `server.ingest_batch`), stores it in one transaction and answers each
//! handler after the commit. Under load many events share one fsync; alone,
//! an event waits for nobody.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use chrono::Utc;
use storeops_store::{Ingest, Store};
use tokio::sync::{mpsc, oneshot, Notify};

use super::rates::{IngestStats, Rates};
use crate::error::ApiError;

/// Events waiting for the writer before submitters wait for room.
const QUEUE_CAPACITY: usize = 16_384;

/// One queued event and where to send its outcome.
struct Job {
    item: Ingest,
    reply: oneshot::Sender<Result<bool, ()>>,
}

/// Handle to the writer task. Cloning shares it; the task ends when every
/// handle is gone and the queue is drained.
#[derive(Clone)]
pub struct IngestQueue {
    tx: mpsc::Sender<Job>,
    depth: Arc<AtomicUsize>,
    rates: Arc<Rates>,
}

impl IngestQueue {
    /// Spawns the writer; `wake` is notified after commits that stored new
    /// events (the local workflow worker offers them to triggers and waits).
    pub fn start(store: Store, batch: usize, wake: Arc<Notify>) -> IngestQueue {
        let (tx, rx) = mpsc::channel(QUEUE_CAPACITY);
        let depth = Arc::new(AtomicUsize::new(0));
        let rates = Arc::new(Rates::default());
        tokio::spawn(write_loop(
            store,
            rx,
            batch.max(1),
            depth.clone(),
            rates.clone(),
            wake,
        ));
        IngestQueue { tx, depth, rates }
    }

    /// Stores `item` durably; `true` when it was new, `false` for a duplicate.
    pub async fn submit(&self, item: Ingest) -> Result<bool, ApiError> {
        let (reply, answer) = oneshot::channel();
        self.depth.fetch_add(1, Ordering::Relaxed);
        if self.tx.send(Job { item, reply }).await.is_err() {
            self.depth.fetch_sub(1, Ordering::Relaxed);
            return Err(ApiError::unavailable("the server is shutting down"));
        }
        match answer.await {
            Ok(Ok(new)) => Ok(new),
            Ok(Err(())) => Err(ApiError::unavailable(
                "event not stored (database error, logged); retry",
            )),
            Err(_) => Err(ApiError::unavailable("the event writer stopped; retry")),
        }
    }

    /// Events queued or being written.
    pub fn depth(&self) -> usize {
        self.depth.load(Ordering::Relaxed)
    }

    /// Events stored recently and since start.
    pub fn stats(&self) -> IngestStats {
        self.rates.stats(Utc::now(), self.depth() as u64)
    }
}

async fn write_loop(
    store: Store,
    mut rx: mpsc::Receiver<Job>,
    batch: usize,
    depth: Arc<AtomicUsize>,
    rates: Arc<Rates>,
    wake: Arc<Notify>,
) {
    let mut jobs = Vec::with_capacity(batch);
    while rx.recv_many(&mut jobs, batch).await > 0 {
        let (items, replies): (Vec<Ingest>, Vec<_>) =
            jobs.drain(..).map(|j| (j.item, j.reply)).unzip();
        let outcome = store.ingest(&items).await;
        depth.fetch_sub(items.len(), Ordering::Relaxed);
        match outcome {
            Ok(flags) => {
                let stored = flags.iter().filter(|new| **new).count() as u64;
                rates.record(stored, Utc::now());
                if stored > 0 {
                    wake.notify_one();
                }
                for (reply, new) in replies.into_iter().zip(flags) {
                    // The handler may have gone (client hung up); the event is stored anyway.
                    let _ = reply.send(Ok(new));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, events = items.len(), "storing webhook events failed");
                for reply in replies {
                    let _ = reply.send(Err(()));
                }
            }
        }
    }
}
