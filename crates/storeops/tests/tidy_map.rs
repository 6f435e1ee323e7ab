//! Tests that keep the maps true: every crate's storeops dependencies
//! against ARCHITECTURE.md's code map, `docs/actions.md` against the
//! registry it is generated from, and every registered action named by at
//! least one test.

// Tests may panic on unexpected values; helpers outside #[test] included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The binary with every skill switched on.
fn storeops(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_storeops"))
        .args(args)
        .current_dir(repo_root())
        .env_remove("STOREOPS_DATABASE_URL")
        .env("STOREOPS_SKILLS_EXAMPLE_ENABLED", "true")
        .output()
        .unwrap()
}

/// Words of a table cell, with `storeops-` prefixes dropped.
fn words(cell: &str) -> BTreeSet<String> {
    cell.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_start_matches("storeops-").to_string())
        .collect()
}

/// The storeops crates under `[dependencies]` of a Cargo.toml, short names.
fn storeops_dependencies(manifest: &str) -> Vec<String> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == "[dependencies]";
            continue;
        }
        if inside && line.starts_with("storeops-") {
            let name = line.split(['.', ' ', '=']).next().unwrap_or("");
            out.push(name.trim_start_matches("storeops-").to_string());
        }
    }
    out
}

#[test]
fn every_crate_depends_only_on_what_the_code_map_allows() {
    let root = repo_root();
    let map = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut seen = Vec::new();
    let mut problems = Vec::new();
    for row in map.lines().filter(|l| l.starts_with("| `storeops")) {
        let cells: Vec<&str> = row.split(" | ").collect();
        assert!(cells.len() >= 4, "code map row without 4 columns: {row}");
        let name = cells[0].trim_start_matches("| ").trim_matches('`');
        let may = words(cells[2]);
        let must_not = words(cells[3]);
        let manifest = root.join("crates").join(name).join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest)
            .unwrap_or_else(|e| panic!("code map names `{name}`: {e}"));
        for dep in storeops_dependencies(&text) {
            if !may.contains(&dep) {
                problems.push(format!(
                    "{name} depends on {dep}, not in its \"may depend on\""
                ));
            }
            if must_not.contains(&dep) {
                problems.push(format!("{name} depends on {dep}, listed as \"must not\""));
            }
        }
        seen.push(name.to_string());
    }
    let mut crates: Vec<String> = std::fs::read_dir(root.join("crates"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("Cargo.toml").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    crates.sort();
    seen.sort();
    assert_eq!(seen, crates, "every crate has one code map row");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn docs_actions_md_is_what_the_registry_generates() {
    let out = storeops(&["action", "docs"]);
    assert_eq!(out.status.code(), Some(0));
    let generated = String::from_utf8(out.stdout).unwrap();
    let committed = std::fs::read_to_string(repo_root().join("docs/actions.md")).unwrap();
    assert!(
        generated == committed,
        "docs/actions.md is stale: regenerate it with \
         `STOREOPS_SKILLS_EXAMPLE_ENABLED=true storeops action docs > docs/actions.md`"
    );
}

fn test_sources(dir: &Path, out: &mut String) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() && name != "target" && !name.starts_with('.') {
            test_sources(&path, out);
        } else if name.ends_with(".rs") {
            let in_tests = path.components().any(|c| c.as_os_str() == "tests");
            if in_tests || name.ends_with("_tests.rs") {
                out.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
}

#[test]
fn every_registered_action_is_documented_and_tested() {
    let out = storeops(&["action", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs = std::fs::read_to_string(repo_root().join("docs/actions.md")).unwrap();
    let mut tests = String::new();
    test_sources(&repo_root().join("crates"), &mut tests);
    let mut problems = Vec::new();
    for action in list["actions"].as_array().unwrap() {
        let name = action["name"].as_str().unwrap();
        if !docs.contains(&format!("## `{name}`")) {
            problems.push(format!("{name}: no section in docs/actions.md"));
        }
        if !tests.contains(&format!("uses: {name}")) && !tests.contains(&format!("\"{name}\"")) {
            problems.push(format!(
                "{name}: no test names it (`uses: {name}` or \"{name}\")"
            ));
        }
        if action["doc"].as_str().unwrap_or("").trim().is_empty() {
            problems.push(format!("{name}: empty doc"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
