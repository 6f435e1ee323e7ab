//! `storeops action list|show|run|docs` as a user runs it: the JSON
//! contracts, exit codes (0 done, 1 failed, 2 usage or input), roles of
//! dry runs, the audit entry of every call, and a skill added by its crate
//! plus one line in the binary (the example skill) being validated in
//! workflows, run, configured and documented.

// Tests may panic on unexpected values; helpers outside #[test] included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{json_ok, storeops};
use serde_json::{json, Value};

const PRODUCTS: &str = "\
Handle,Title,Body (HTML),Vendor,Type,Tags,Status,Option1 Name,Option1 Value,Variant SKU,Variant Price
mug,Mug,<p>A mug</p>,Acme,Kitchen,,active,Title,Default Title,MUG-1,12.50
cup,Cup,<p>A cup</p>,Acme,Kitchen,,active,Title,Default Title,CUP-1,8.00
";

const GREET: &str = "name: greeter\ntrigger: { manual: {} }\nsteps:\n  - id: hi\n    uses: example.greet\n    with: { name: Ada, shout: true }\n";

/// Runs with `env` set (and the database URL of `dir`).
fn run(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let db = format!("sqlite://{}", dir.join("t.db").display());
    let mut command = Command::new(env!("CARGO_BIN_EXE_storeops"));
    command
        .arg("--database-url")
        .arg(&db)
        .args(args)
        .current_dir(dir)
        .env_remove("STOREOPS_DATABASE_URL")
        .env_remove("STOREOPS_SKILLS_EXAMPLE_ENABLED");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn core_set_prints_its_value_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "action",
        "run",
        "core.set",
        "--input",
        r#"{"values":{"x":41}}"#,
        "--actor",
        "ada",
        "--json",
    ];
    let out = json_ok(&run(dir.path(), &[], &args));
    assert_eq!(out["action"], "core.set");
    assert_eq!(out["output"], json!({"x": 41}));
    assert_eq!(out["dry_run"], false);
    let key = out["idempotency_key"].as_str().unwrap();
    assert_eq!(key.len(), 36, "a fresh UUID: {key}");
    assert_eq!(out["audit_entry"]["chain"], "actions");
    assert_eq!(out["audit_entry"]["subject"], key);
    let audit = run(
        dir.path(),
        &[],
        &["audit", "list", "--chain", "actions", "--json"],
    );
    let rows = json_ok(&audit);
    let rows = rows["entries"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["actor"], "user:ada");
    assert_eq!(rows[0]["action"], "action.run");
    assert_eq!(rows[0]["subject"], key);
    let recorded: Value = serde_json::from_str(rows[0]["output"].as_str().unwrap()).unwrap();
    assert_eq!(
        recorded,
        json!({"action": "core.set", "output": {"x": 41}, "dry_run": false, "idempotency_key": key})
    );
    let verify = run(dir.path(), &[], &["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(0));
}

#[test]
fn store_query_returns_imported_products() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("products.csv"), PRODUCTS).unwrap();
    let import = run(dir.path(), &[], &["import", "products", "products.csv"]);
    assert_eq!(import.status.code(), Some(0));
    let input = r#"{"entity":"products","limit":5}"#;
    let args = ["action", "run", "store.query", "--input", input, "--json"];
    let out = json_ok(&run(dir.path(), &[], &args));
    let handles: Vec<&str> = out["output"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["handle"].as_str().unwrap())
        .collect();
    assert_eq!(handles, ["cup", "mug"]);
    assert_eq!(out["output"]["count"], 2);
    // From a file, with a filter and a page of one.
    let file = dir.path().join("q.json");
    std::fs::write(
        &file,
        r#"{"entity":"products","filter":{"q":"mu"},"limit":1}"#,
    )
    .unwrap();
    let at = format!("@{}", file.display());
    let args = [
        "action",
        "run",
        "store.query",
        "--input",
        at.as_str(),
        "--json",
    ];
    let out = json_ok(&run(dir.path(), &[], &args));
    assert_eq!(out["output"]["rows"][0]["title"], "Mug");
    assert_eq!(out["output"]["count"], 1);
}

#[test]
fn bad_calls_exit_2_and_failures_exit_1_with_the_error_shape() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], i32, Value); 4] = [
        (
            &["action", "run", "store.qurey", "--json"],
            2,
            json!({"code": "unknown_action", "field": "action",
                   "message": "unknown action `store.qurey` (did you mean `store.query`?)"}),
        ),
        (
            &[
                "action",
                "run",
                "store.query",
                "--input",
                r#"{"entity":"products","limit":0,"x":1}"#,
                "--json",
            ],
            2,
            json!({"code": "invalid_input", "field": "limit",
                   "message": "`limit` must be from 1 to 1000, found 0; `x` is not a known field (one of entity, filter, limit)"}),
        ),
        (
            &["action", "run", "core.set", "--input", "{nope", "--json"],
            2,
            json!({"code": "invalid_input", "field": "input",
                   "message": "`--input` is not valid JSON: key must be a string at line 1 column 2"}),
        ),
        (
            &[
                "action",
                "run",
                "store.update",
                "--input",
                r##"{"entity":"order","op":"tag","key":"#404","tag":"vip"}"##,
                "--json",
            ],
            1,
            json!({"code": "not_found", "field": null, "message": "`key`: order `#404` does not exist"}),
        ),
    ];
    for (args, code, error) in cases {
        let out = run(dir.path(), &[], args);
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        assert_eq!(stdout_json(&out), json!({ "error": error }), "{args:?}");
    }
    // Calls refused before running are not audited; the one that ran and failed is.
    let audit = json_ok(&run(
        dir.path(),
        &[],
        &["audit", "list", "--chain", "actions", "--json"],
    ));
    let entries = audit["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["action"], "action.failed");
    let recorded: Value = serde_json::from_str(entries[0]["output"].as_str().unwrap()).unwrap();
    assert_eq!(
        recorded["error"],
        json!({"kind": "not_found", "message": "`key`: order `#404` does not exist", "retryable": false})
    );
}

#[test]
fn a_dry_run_describes_the_effect_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = r#"{"entity":"triage","op":"insert","key":"k-1","fields":{"ok":true}}"#;
    let args = [
        "action",
        "run",
        "store.update",
        "--input",
        input,
        "--dry-run",
        "--key",
        "k1",
        "--json",
    ];
    let out = json_ok(&run(dir.path(), &[], &args));
    assert_eq!(out["dry_run"], true);
    assert_eq!(out["idempotency_key"], "k1");
    assert_eq!(
        out["output"],
        json!({"dry_run": true, "action": "store.update", "input": serde_json::from_str::<Value>(input).unwrap()})
    );
    let query = r#"{"entity":"outcomes","filter":{"entity":"triage"}}"#;
    let rows = json_ok(&run(
        dir.path(),
        &[],
        &["action", "run", "store.query", "--input", query, "--json"],
    ));
    assert_eq!(rows["output"]["count"], 0);
    // Performed for real, the row is there, written by the call.
    let args = [
        "action",
        "run",
        "store.update",
        "--input",
        input,
        "--key",
        "k2",
        "--json",
    ];
    json_ok(&run(dir.path(), &[], &args));
    let rows = json_ok(&run(
        dir.path(),
        &[],
        &["action", "run", "store.query", "--input", query, "--json"],
    ));
    assert_eq!(rows["output"]["rows"][0]["run_id"], "action:k2");
    let audit = json_ok(&run(
        dir.path(),
        &[],
        &["audit", "list", "--chain", "actions", "--json"],
    ));
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["action.dry_run", "action.run", "action.run", "action.run"]
    );
}

#[test]
fn the_example_skill_is_one_crate_and_one_line_away() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("greet.yaml"), GREET).unwrap();
    // Off by default: not in the registry, so workflows naming it are refused.
    let off = run(dir.path(), &[], &["workflow", "validate", "greet.yaml"]);
    assert_eq!(off.status.code(), Some(1));
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&off.stdout),
        String::from_utf8_lossy(&off.stderr)
    );
    assert!(
        said.contains("greet.yaml:5:11: unknown action `example.greet`"),
        "{said}"
    );
    let on = [
        ("STOREOPS_SKILLS_EXAMPLE_ENABLED", "true"),
        ("STOREOPS_SKILLS_EXAMPLE_SALUTATION", "Hej"),
    ];
    let valid = run(dir.path(), &on, &["workflow", "validate", "greet.yaml"]);
    assert_eq!(
        valid.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&valid.stdout)
    );
    let args = [
        "action",
        "run",
        "example.greet",
        "--input",
        r#"{"name":"Ada","shout":true}"#,
        "--json",
    ];
    let out = json_ok(&run(dir.path(), &on, &args));
    assert_eq!(out["output"], json!({"greeting": "HEJ, ADA!"}));
    let list = json_ok(&run(dir.path(), &on, &["action", "list", "--json"]));
    let greet = list["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "example.greet")
        .cloned()
        .unwrap();
    assert_eq!(greet["side_effects"], false);
    assert_eq!(greet["input_schema"]["required"], json!(["name"]));
    // Its settings are checked with the rest.
    let bad = run(
        dir.path(),
        &[("STOREOPS_SKILLS_EXAMPLE_ENABLED", "maybe")],
        &["config", "check", "--json"],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(
        stdout_json(&bad)["issues"],
        json!([{"key": "skills.example.enabled", "source": "STOREOPS_SKILLS_EXAMPLE_ENABLED",
                "message": "expected true or false, found `maybe`"}])
    );
}

#[test]
fn list_shows_every_builtin_with_the_json_contract() {
    let dir = tempfile::tempdir().unwrap();
    let list = json_ok(&storeops(&["action", "list", "--json"], dir.path()));
    let actions = list["actions"].as_array().unwrap();
    let names: Vec<&str> = actions
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "core.log",
            "core.set",
            "http.request",
            "notify.email",
            "notify.webhook",
            "store.query",
            "store.update"
        ]
    );
    for a in actions {
        let keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "doc",
                "errors",
                "input_schema",
                "name",
                "output_schema",
                "side_effects"
            ],
            "{a}"
        );
        assert_eq!(a["input_schema"]["type"], "object");
    }
    let show = json_ok(&storeops(
        &["action", "show", "http.request", "--json"],
        dir.path(),
    ));
    assert_eq!(show["side_effects"], true);
    assert_eq!(
        show["errors"],
        json!(["timeout", "network", "http_4xx", "http_5xx", "tls"])
    );
    assert_eq!(show["input_schema"]["required"], json!(["url"]));
    let unknown = storeops(&["action", "show", "http.reqest"], dir.path());
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `http.request`?"));
}
