//! `storeops workflow validate` as a user runs it: the reference workflows
//! pass, and a broken file reports every problem as file:line:col, exit 1.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::storeops;

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
