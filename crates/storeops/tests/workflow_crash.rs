//! Real processes killed with SIGKILL: `storeops bench workflow --crash`
//! kills a worker process mid-way through 1,000 order-triage runs and
//! restarts it; no run may be lost, no step completion committed twice and
//! no completed step executed again. On PostgreSQL two worker processes
//! share the runs (one is killed), so the step log also proves that two
//! workers never ran one step twice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{json_ok, storeops};

fn crash(args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec!["bench", "workflow", "--crash"];
    all.extend_from_slice(args);
    json_ok(&storeops(&all, dir.path()))
}

fn assert_nothing_lost_or_repeated(result: &serde_json::Value) {
    assert_eq!(result["rows"], 1000, "{result}");
    assert_eq!(result["lost"], 0, "{result}");
    assert_eq!(result["duplicates"], 0, "{result}");
    assert_eq!(result["reexecuted_completed_steps"], 0, "{result}");
    assert!(result["rows_at_kill"].as_i64().unwrap() >= 250, "{result}");
    assert_eq!(result["killed"], true);
    assert!(result["executions"].as_i64().unwrap() >= 3000, "{result}");
}

#[test]
fn sqlite_worker_killed_mid_run_loses_and_repeats_nothing() {
    assert_nothing_lost_or_repeated(&crash(&[]));
}

#[test]
fn two_postgres_workers_one_killed_never_run_a_step_twice() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    if runtime.block_on(storeops_testkit::pg_reachable()).is_none() {
        return;
    }
    let result = crash(&["--backend", "postgres", "--workers", "2"]);
    assert_eq!(result["workers"], 2);
    assert_nothing_lost_or_repeated(&result);
    // Without a kill, every step of every run executes exactly once across
    // the two processes.
    let shared = crash(&["--backend", "postgres", "--workers", "2", "--kill-at", "0"]);
    assert_eq!(shared["rows"], 1000, "{shared}");
    assert_eq!(shared["executions"], 3000, "{shared}");
    assert_eq!(shared["reexecuted_uncommitted_steps"], 0, "{shared}");
}
