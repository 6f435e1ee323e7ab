//! The binary as a user runs it: exit codes, `--json` shapes, and the demo.

// Tests may panic on unexpected values; helpers outside #[test] included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::storeops;

use std::process::{Command, Output};

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

const PRODUCTS: &str = "\
Handle,Title,Body (HTML),Vendor,Type,Tags,Status,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Barcode,Cost per item,Image Src
mug,Mug,<p>A mug</p>,Acme,Kitchen,,active,Title,Default Title,MUG-1,12.50,4006381333931,4.00,https://cdn.example.com/mug.jpg
bad-price,Bad,<p>x</p>,Acme,Kitchen,,active,Title,Default Title,BAD-1,12;99,,1.00,
,Orphan,<p>x</p>,Acme,Kitchen,,active,Title,Default Title,ORPH-1,1.00,,1.00,
odd-status,Odd,<p>x</p>,Acme,Kitchen,,live,Title,Default Title,ODD-1,3.00,,1.00,
";

#[test]
fn import_reports_bad_rows_with_line_and_field_and_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("products.csv");
    std::fs::write(&file, PRODUCTS).unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let args = [
        "--database-url",
        &db,
        "import",
        "products",
        "products.csv",
        "--json",
    ];
    let output = storeops(&args, dir.path());
    assert_eq!(
        output.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json(&output);
    assert_eq!(report["kind"], "products");
    assert_eq!(report["imported"], 1);
    assert_eq!(report["updated"], 0);
    assert_eq!(report["unchanged"], 0);
    let rejected: Vec<(u64, String)> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        vec![
            (3, "Variant Price".to_string()),
            (4, "Handle".to_string()),
            (5, "Status".to_string()),
        ]
    );

    let again = storeops(&args, dir.path());
    assert_eq!(again.status.code(), Some(3));
    let report = json(&again);
    assert_eq!(
        (report["imported"].as_u64(), report["unchanged"].as_u64()),
        (Some(0), Some(1))
    );
}

#[test]
fn fatal_and_usage_errors_have_their_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let missing = storeops(
        &["--database-url", &db, "import", "orders", "nope.csv"],
        dir.path(),
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope.csv"));
    let bad_kind = storeops(&["import", "widgets", "x.csv"], dir.path());
    assert_eq!(bad_kind.status.code(), Some(2));
    let csv_tickets = storeops(
        &[
            "--database-url",
            &db,
            "import",
            "tickets",
            "x.jsonl",
            "--format",
            "shopify-csv",
        ],
        dir.path(),
    );
    assert_eq!(csv_tickets.status.code(), Some(2));
    let bad_as_of = storeops(
        &["--database-url", &db, "readiness", "--as-of", "yesterday"],
        dir.path(),
    );
    assert_eq!(bad_as_of.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_as_of.stderr).contains("--as-of: `yesterday`"));
}

#[test]
fn config_check_lists_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("storeops.toml"),
        "[log]\nformat = \"xml\"\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_storeops"))
        .args(["config", "check", "--json"])
        .current_dir(dir.path())
        .env("STOREOPS_IMPORT_BATCH_SIZE", "0")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    assert_eq!(report["ok"], false);
    let keys: Vec<&str> = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec!["log.format", "import.batch_size"]);
}

#[test]
fn a_bad_http_ca_file_stops_commands_at_start_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("ca.pem");
    let output = Command::new(env!("CARGO_BIN_EXE_storeops"))
        .args(["readiness"])
        .current_dir(dir.path())
        .env("STOREOPS_HTTP_CA_FILE", &missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let expected = format!(
        "error: invalid configuration: http.ca_file (STOREOPS_HTTP_CA_FILE): cannot read `{}`: \
         No such file or directory (os error 2)",
        missing.display()
    );
    assert_eq!(stderr.lines().next(), Some(expected.as_str()), "{stderr}");
}

#[test]
fn demo_json_reports_counts_and_every_planted_problem_found() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let output = storeops(
        &[
            "--database-url",
            &db,
            "demo",
            "--no-serve",
            "--json",
            "--scale",
            "0.05",
            "--today",
            "2026-06-15",
        ],
        dir.path(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = json(&output);
    assert!(summary["counts"]["products"].as_u64().unwrap() >= 20);
    assert!(summary["counts"]["variants"].as_u64().unwrap() >= 80);
    assert!(summary["counts"]["orders"].as_u64().unwrap() >= 2000);
    let planted = &summary["planted"];
    assert_eq!(planted["found"], planted["total"]);
    assert_eq!(planted["missed"].as_array().unwrap().len(), 0);

    let workflows = storeops(
        &["--database-url", &db, "workflow", "list", "--json"],
        dir.path(),
    );
    assert_eq!(workflows.status.code(), Some(0));
    let names: Vec<String> = json(&workflows)["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        ["order-triage", "returns-triage-basic", "stock-alert-basic"]
    );

    let readiness = storeops(
        &[
            "--database-url",
            &db,
            "readiness",
            "--json",
            "--as-of",
            "2026-06-15",
            "--max-ids",
            "2",
        ],
        dir.path(),
    );
    assert_eq!(readiness.status.code(), Some(0));
    let report = json(&readiness);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 22);
    assert!(findings
        .iter()
        .all(|f| f["ids"].as_array().unwrap().len() <= 2));
    let verdicts: Vec<&str> = report["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, vec!["blocked"; 5]);
}
