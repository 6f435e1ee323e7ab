//! Group commit of workflow submissions: `POST …/runs` handlers hand their
//! run to one writer task and wait; the writer starts everything queued (up
//! to 512) in one transaction and answers each handler after the commit, so
//! concurrent submissions share one fsync. Alone, a submission waits for
//! nobody.

use storeops_runtime::{submit_many, RuntimeError, Started, Submission};
use storeops_store::Store;
use tokio::sync::{mpsc, oneshot, Notify};

use crate::error::ApiError;

/// Submissions taken per transaction.
const BATCH: usize = 512;

/// One queued submission and where to send its outcome.
struct Job {
    workflow: String,
    submission: Submission,
    reply: oneshot::Sender<Result<Started, RuntimeError>>,
}

/// Handle to the writer task; clones share it.
#[derive(Clone)]
pub struct SubmitQueue {
    tx: mpsc::Sender<Job>,
}

impl SubmitQueue {
    /// Spawns the writer; it wakes `wake` (the in-process workers) after
    /// every commit.
    pub fn start(store: Store, wake: std::sync::Arc<Notify>) -> SubmitQueue {
        let (tx, rx) = mpsc::channel(4 * BATCH);
        tokio::spawn(write_loop(store, rx, wake));
        SubmitQueue { tx }
    }

    /// Starts the run durably; the result of `submit` for it.
    pub async fn submit(
        &self,
        workflow: String,
        submission: Submission,
    ) -> Result<Started, ApiError> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            workflow,
            submission,
            reply,
        };
        if self.tx.send(job).await.is_err() {
            return Err(ApiError::unavailable("the server is shutting down"));
        }
        match answer.await {
            Ok(result) => Ok(result?),
            Err(_) => Err(ApiError::unavailable(
                "the submission was not stored; retry",
            )),
        }
    }
}

async fn write_loop(store: Store, mut rx: mpsc::Receiver<Job>, wake: std::sync::Arc<Notify>) {
    let mut jobs = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut jobs, BATCH).await > 0 {
        let (submissions, replies): (Vec<_>, Vec<_>) = jobs
            .drain(..)
            .map(|j| ((j.workflow, j.submission), j.reply))
            .unzip();
        match submit_many(&store, submissions, chrono::Utc::now()).await {
            Ok(results) => {
                for (reply, result) in replies.into_iter().zip(results) {
                    // A handler that gave up no longer listens; the run is stored.
                    let _ = reply.send(result);
                }
                wake.notify_one();
            }
            Err(e) => {
                tracing::warn!(error = %e, "storing workflow submissions failed");
                // Dropping the replies answers each handler with 503.
                drop(replies);
            }
        }
    }
}
