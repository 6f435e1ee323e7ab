//! Executing one round's step attempts concurrently, each bounded by its
//! `timeout:` (a timeout is a retryable `timeout` failure).

use std::time::Duration;

use futures_util::future::join_all;
use storeops_engine::StepError;

use super::settle::Job;
use super::Worker;
use crate::actions::{fatal, transient, ActionCtx, ActionOutput};

/// Runs `jobs` (run id, job) at once; results in the same order.
pub(super) async fn all(
    worker: &Worker,
    jobs: Vec<(String, Job)>,
) -> Vec<(String, Job, Result<ActionOutput, StepError>)> {
    let futures = jobs.into_iter().map(|(run, job)| async move {
        let result = one(worker, &run, &job).await;
        (run, job, result)
    });
    join_all(futures).await
}

async fn one(worker: &Worker, run: &str, job: &Job) -> Result<ActionOutput, StepError> {
    let Some(action) = worker.registry.get(&job.action) else {
        return Err(fatal(
            "unknown_action",
            format!("action `{}` is not available", job.action),
        ));
    };
    if let Some(log) = &worker.step_log {
        log.started(&job.step, run)
            .map_err(|e| transient("step_log", e.to_string()))?;
    }
    let workflow = worker
        .active
        .get(run)
        .map(|r| r.plan.workflow.clone())
        .unwrap_or_default();
    let ctx = ActionCtx {
        run_id: run.to_string(),
        workflow,
        step: job.step.clone(),
        attempt: job.attempt,
        idempotency_key: job.key.clone(),
        http: worker.http.clone(),
        store: worker.store.clone(),
        now: worker.clock.now(),
        cpu: worker.registry.cpu().clone(),
    };
    let attempt = action.execute(&ctx, job.input.clone());
    match job.timeout_ms {
        Some(ms) => tokio::time::timeout(Duration::from_millis(ms), attempt)
            .await
            .unwrap_or_else(|_| {
                Err(transient(
                    "timeout",
                    format!("the attempt took longer than {ms} ms"),
                ))
            }),
        None => attempt.await,
    }
}
