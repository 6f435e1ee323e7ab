//! Workflow set-up of the dashboard tests: deploying a small definition with
//! an approval step, starting runs and driving a real worker round by round
//! on the test server's store.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use storeops_runtime::{deploy_files, submit, Submission, SystemClock, Worker, WorkerConfig};

use crate::common::TestServer;

/// Approval (reviewer, SLA one day), then a step that records the decision.
pub const REFUND: &str = "name: refund\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: review\n    approval: { role: reviewer, sla: 1d }\n  - id: done\n    uses: core.set\n    with: { values: { decision: '${{ steps.review.output.decision }}' } }\n";

/// An approval only admins may decide.
pub const BIG_REFUND: &str = "name: big_refund\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: review\n    approval: { role: admin }\n";

/// Deploys `yaml` on the server's store.
pub async fn deploy(server: &TestServer, yaml: &str) {
    deploy_files(
        &server.state.store,
        &storeops_runtime::builtin_default(),
        &[("test.yaml".to_string(), yaml.to_string())],
    )
    .await
    .unwrap();
}

/// A worker on the server's store with the real clock.
pub fn worker(server: &TestServer) -> Worker {
    let config = WorkerConfig {
        owner: "dashboard-test".into(),
        batch: 64,
        lease: Duration::from_secs(30),
        control_refresh: Duration::ZERO,
        ..WorkerConfig::default()
    };
    Worker::new(
        server.state.store.clone(),
        storeops_runtime::builtin_default(),
        Arc::new(SystemClock),
        config,
    )
    .unwrap()
}

/// Starts run `id` of `workflow` with `input`.
pub async fn start(server: &TestServer, workflow: &str, id: &str, input: Value) {
    let submission = Submission {
        id: Some(id.to_string()),
        input,
    };
    submit(
        &server.state.store,
        workflow,
        vec![submission],
        chrono::Utc::now(),
    )
    .await
    .unwrap();
}

/// Rounds until one does nothing.
pub async fn drive(worker: &mut Worker) {
    for _ in 0..50 {
        if worker.round().await.unwrap().idle() {
            return;
        }
    }
    panic!("the worker did not settle in 50 rounds");
}

/// The run's status.
pub async fn status(server: &TestServer, id: &str) -> String {
    server.state.store.run(id).await.unwrap().unwrap().status
}
