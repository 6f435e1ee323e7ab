//! `storeops workflow migrate` and `storeops runs prune` as a user runs
//! them: a dry run, a refusal naming the missing step (exit 1), migration
//! by hash prefix with the `run_migrated` event in the timeline, then a
//! worker finishes one run and pruning removes it while the counts stay.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

use common::storeops;
use serde_json::{json, Value};

const V1: &str = "name: refund\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: review\n    approval: { role: reviewer }\n  - id: done\n    uses: core.set\n    with: { values: { v: 1 } }\n";

fn run(db: &str, dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--database-url", db];
    all.extend_from_slice(args);
    storeops(&all, dir)
}

fn json_of(out: &Output, code: i32) -> Value {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Deploys `yaml`; its version hash.
fn deploy(db: &str, dir: &Path, yaml: &str) -> String {
    std::fs::write(dir.join("refund.yaml"), yaml).unwrap();
    let out = json_of(
        &run(db, dir, &["workflow", "deploy", "refund.yaml", "--json"]),
        0,
    );
    out["deployed"][0]["version"].as_str().unwrap().to_string()
}

fn verdicts(report: &Value) -> Vec<(String, String)> {
    report["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn runs_are_migrated_checked_and_pruned_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let db = format!("sqlite://{}", path.join("wf.db").display());
    let v1 = deploy(&db, path, V1);
    for id in ["r1", "r2"] {
        json_of(
            &run(
                &db,
                path,
                &["workflow", "run", "refund", "--id", id, "--json"],
            ),
            0,
        );
    }
    let v2 = deploy(&db, path, &V1.replace("v: 1", "v: 2"));
    let dry = json_of(
        &run(
            &db,
            path,
            &["workflow", "migrate", "refund", "--dry-run", "--json"],
        ),
        0,
    );
    assert_eq!(
        (&dry["to"], &dry["migrated"], &dry["failed"]),
        (&json!(v2), &json!(2), &json!(0))
    );
    assert_eq!(
        verdicts(&dry),
        pairs(&[("r1", "would_migrate"), ("r2", "would_migrate")])
    );

    // The active version drops `review`: both runs are refused, exit 1.
    let no_review = "name: refund\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: done\n    uses: core.set\n    with: { values: { v: 3 } }\n";
    deploy(&db, path, no_review);
    let refused = json_of(
        &run(&db, path, &["workflow", "migrate", "refund", "--json"]),
        1,
    );
    assert_eq!(
        (&refused["migrated"], &refused["failed"]),
        (&json!(0), &json!(2))
    );
    assert_eq!(refused["runs"][0]["step"], "review");
    let text = run(
        &db,
        path,
        &["workflow", "migrate", "refund", "--from", &v1[..12]],
    );
    assert_eq!(text.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&text.stdout);
    let line = format!(
        "refused        r1  from {}  step `review` is not in the target version",
        &v1[..12]
    );
    assert!(stdout.contains(&line), "{stdout}");
    assert!(stdout.contains("refund: 0 run(s) migrated to"), "{stdout}");
    let dry = run(&db, path, &["workflow", "migrate", "refund", "--dry-run"]);
    assert_eq!(
        dry.status.code(),
        Some(0),
        "a dry run reports, it does not fail"
    );

    // To v2 by a prefix of its hash.
    let moved = json_of(
        &run(
            &db,
            path,
            &["workflow", "migrate", "refund", "--to", &v2[..12], "--json"],
        ),
        0,
    );
    assert_eq!(
        verdicts(&moved),
        pairs(&[("r1", "migrated"), ("r2", "migrated")])
    );
    let audit = json_of(&run(&db, path, &["audit", "list", "--json"]), 0);
    let migrated: Vec<(&str, &str)> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "run.migrated")
        .map(|e| (e["subject"].as_str().unwrap(), e["actor"].as_str().unwrap()))
        .collect();
    assert_eq!(migrated, [("r1", "user:cli"), ("r2", "user:cli")]);
    let shown = json_of(&run(&db, path, &["runs", "show", "r1", "--json"]), 0);
    assert_eq!(shown["run"]["version"], json!(v2));
    let last = shown["timeline"].as_array().unwrap().last().unwrap();
    assert_eq!(
        (&last["type"], &last["from"], &last["to"]),
        (&json!("run_migrated"), &json!(v1), &json!(v2))
    );
    let text = run(&db, path, &["runs", "show", "r1"]);
    let timeline = String::from_utf8_lossy(&text.stdout);
    let line = timeline.lines().last().unwrap();
    assert!(line.contains("run_migrated"), "{timeline}");
    assert!(
        line.ends_with(&format!(
            "moved from version {} to {}",
            &v1[..12],
            &v2[..12]
        )),
        "{timeline}"
    );

    // A worker takes both runs to their approval; r1 is approved and ends.
    let mut worker = std::process::Command::new(env!("CARGO_BIN_EXE_storeops"))
        .args(["--database-url", &db, "worker", "--owner", "migrate-test"])
        .current_dir(path)
        .env_remove("STOREOPS_DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut waited = 0;
    while json_of(&run(&db, path, &["approvals", "list", "--json"]), 0)["items"]
        .as_array()
        .is_none_or(|i| i.len() < 2)
    {
        waited += 1;
        assert!(waited < 200, "the worker never asked for approvals");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let approve = run(
        &db,
        path,
        &["approvals", "decide", "r1/review/0", "approve"],
    );
    assert_eq!(approve.status.code(), Some(0));
    let mut waited = 0;
    loop {
        let shown = json_of(&run(&db, path, &["runs", "show", "r1", "--json"]), 0);
        if shown["run"]["status"] == "completed" {
            assert_eq!(shown["run"]["output"], "{\"v\":2}");
            break;
        }
        waited += 1;
        assert!(waited < 200, "r1 never completed");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::process::Command::new("kill")
        .args(["-TERM", &worker.id().to_string()])
        .status()
        .unwrap();
    assert!(worker.wait().unwrap().success());

    let counts = |db: &str| json_of(&run(db, path, &["workflow", "list", "--json"]), 0);
    let before = counts(&db);
    let kept = json_of(&run(&db, path, &["runs", "prune", "--json"]), 0);
    assert_eq!((&kept["runs"], &kept["groups"]), (&json!(0), &json!([])));
    let pruned = json_of(
        &run(&db, path, &["runs", "prune", "--older-than", "0", "--json"]),
        0,
    );
    assert_eq!(
        (&pruned["runs"], &pruned["groups"]),
        (
            &json!(1),
            &json!([{"workflow": "refund", "status": "completed", "runs": 1}])
        )
    );
    assert_eq!(
        run(&db, path, &["runs", "show", "r1"]).status.code(),
        Some(1)
    );
    let r2 = json_of(&run(&db, path, &["runs", "show", "r2", "--json"]), 0);
    assert_eq!(r2["run"]["status"], "waiting");
    assert_eq!(counts(&db), before);
    let text = run(&db, path, &["runs", "prune", "--older-than", "0"]);
    assert!(String::from_utf8_lossy(&text.stdout).starts_with("pruned 0 finished run(s)"));
}
