//! `storeops workflow validate` as a user runs it: the reference workflows
//! pass, and a broken file reports every problem as file:line:col, exit 1.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{json_ok, storeops};

use std::path::Path;

#[test]
fn reference_workflows_validate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = storeops(
        &[
            "workflow",
            "validate",
            "workflows/order-triage.yaml",
            "workflows/returns-triage-basic.yaml",
            "workflows/stock-alert-basic.yaml",
            "--json",
        ],
        &root,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], true);
    let names: Vec<&str> = report["valid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["order-triage", "returns-triage-basic", "stock-alert-basic"]
    );
    assert_eq!(report["valid"][0]["hash"].as_str().unwrap().len(), 64);
}

#[test]
fn every_problem_is_reported_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.yaml");
    std::fs::write(
        &file,
        "name: bad\ntrigger:\n  manual: {}\nsteps:\n  - id: a\n    uses: http.requst\n  - id: a\n    uses: core.log\n    with:\n      message: hi\n",
    )
    .unwrap();
    let out = storeops(&["workflow", "validate", "bad.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("bad.yaml:6:11: unknown action `http.requst` (did you mean `http.request`?)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad.yaml:7:9: duplicate step id `a`"),
        "{stderr}"
    );
    let out = storeops(&["workflow", "validate"], dir.path());
    assert_eq!(out.status.code(), Some(2), "no files is a usage error");
}

/// A small workflow: a reviewer approves, then a value is set.
const REFUND: &str = "name: refund\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: review\n    approval: { role: reviewer }\n  - id: done\n    uses: core.set\n    with: { values: { decision: '${{ steps.review.output.decision }}' } }\n";

/// Polls `args` until `ready` holds for its JSON output (at most 20 s).
fn wait_for(
    db: &str,
    dir: &Path,
    args: &[&str],
    ready: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let mut all = vec!["--database-url", db];
    all.extend_from_slice(args);
    for _ in 0..200 {
        let value = json_ok(&storeops(&all, dir));
        if ready(&value) {
            return value;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("`storeops {}` never became ready", args.join(" "));
}

#[test]
fn a_run_is_deployed_started_approved_and_audited_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("wf.db").display());
    std::fs::write(dir.path().join("refund.yaml"), REFUND).unwrap();
    let deployed = json_ok(&storeops(
        &[
            "--database-url",
            &db,
            "workflow",
            "deploy",
            "refund.yaml",
            "--json",
        ],
        dir.path(),
    ));
    assert_eq!(deployed["deployed"][0]["workflow"], "refund");
    assert_eq!(deployed["deployed"][0]["new"], true);
    let started = json_ok(&storeops(
        &[
            "--database-url",
            &db,
            "workflow",
            "run",
            "refund",
            "--input",
            r#"{"amount": 5}"#,
            "--id",
            "r1",
            "--json",
        ],
        dir.path(),
    ));
    assert_eq!(started, serde_json::json!({"id": "r1", "new": true}));

    let mut worker = std::process::Command::new(env!("CARGO_BIN_EXE_storeops"))
        .args(["--database-url", &db, "worker", "--owner", "cli-test"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let items = wait_for(&db, dir.path(), &["approvals", "list", "--json"], |v| {
        v["items"].as_array().is_some_and(|i| !i.is_empty())
    });
    assert_eq!(items["items"][0]["key"], "r1/review/0");
    let reject = storeops(
        &[
            "--database-url",
            &db,
            "approvals",
            "decide",
            "r1/review/0",
            "reject",
        ],
        dir.path(),
    );
    assert_eq!(reject.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&reject.stderr).contains("reason: a rejection needs a reason"));
    let approve = storeops(
        &[
            "--database-url",
            &db,
            "approvals",
            "decide",
            "r1/review/0",
            "approve",
            "--actor",
            "rita",
        ],
        dir.path(),
    );
    assert_eq!(
        approve.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&approve.stderr)
    );
    let run = wait_for(&db, dir.path(), &["runs", "show", "r1", "--json"], |v| {
        v["run"]["status"] == "completed"
    });
    let types: Vec<&str> = run["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "run_started",
            "approval_requested",
            "approval_decided",
            "step_completed",
            "run_completed"
        ]
    );
    assert_eq!(run["timeline"][2]["actor"], "user:rita");
    std::process::Command::new("kill")
        .args(["-TERM", &worker.id().to_string()])
        .status()
        .unwrap();
    assert!(worker.wait().unwrap().success());

    let audit = json_ok(&storeops(
        &["--database-url", &db, "audit", "verify", "--json"],
        dir.path(),
    ));
    assert_eq!(audit["ok"], true);
    assert_eq!(audit["entries"], 3);
    let list = json_ok(&storeops(
        &["--database-url", &db, "audit", "list", "--json"],
        dir.path(),
    ));
    let actions: Vec<&str> = list["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    let mut sorted = actions.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        ["approval.decided", "run.completed", "run.waiting"],
        "{actions:?}"
    );
}

#[test]
fn the_peer_harness_workflow_validates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = storeops(
        &[
            "workflow",
            "validate",
            "bench/peers/storeops/order-triage-harness.yaml",
        ],
        &root,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout)
        .starts_with("ok  bench/peers/storeops/order-triage-harness.yaml  order-triage-harness  "));
}
