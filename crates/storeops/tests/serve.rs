//! `storeops serve`, `user` and `token` as a user runs them: the first admin
//! printed once, tokens that work against the running server, and a clean
//! exit 0 on SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::storeops;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Starts `serve` on a free port; returns the child, the base URL and
/// everything it printed up to the admin credentials.
fn start_server(db: &str, cwd: &Path) -> (Child, String, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_storeops"))
        .args(["--database-url", db, "serve", "--listen", "127.0.0.1:0"])
        .current_dir(cwd)
        .env_remove("STOREOPS_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    let mut printed = vec![first];
    // The banner ends with the curl example (new database) or the hint to
    // log in with an existing user.
    for line in lines.by_ref() {
        let line = line.unwrap();
        let last = line.contains("(e.g. curl") || line.contains("log in with an existing user");
        printed.push(line);
        if last {
            break;
        }
    }
    (child, base, printed)
}

fn value_after(lines: &[String], label: &str) -> String {
    lines
        .iter()
        .find_map(|l| l.trim().strip_prefix(label))
        .unwrap_or_else(|| panic!("no `{label}` in {lines:?}"))
        .trim()
        .to_string()
}

fn get(url: &str, token: &str) -> (u16, String) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let r = reqwest::Client::new()
            .get(url)
            .bearer_auth(token)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    })
}

#[test]
fn serve_prints_the_first_admin_once_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("s.db").display());
    let (mut child, base, printed) = start_server(&db, dir.path());
    let token = value_after(&printed, "API token");
    let password = value_after(&printed, "password");
    assert!(token.starts_with("sot_") && token.len() == 47, "{token}");
    assert_eq!(password.len(), 24);
    let (status, body) = get(&format!("{base}/api/v1/me"), &token);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"role\":\"admin\""), "{body}");

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "graceful shutdown exits 0");

    // A second start on the same database creates no new admin.
    let (mut child, _, printed) = start_server(&db, dir.path());
    assert!(
        printed.iter().all(|l| !l.contains("API token")),
        "{printed:?}"
    );
    child.kill().unwrap();
    child.wait().unwrap();

    let users = storeops(
        &["--database-url", &db, "user", "list", "--json"],
        dir.path(),
    );
    let users: serde_json::Value = serde_json::from_slice(&users.stdout).unwrap();
    assert_eq!(users.as_array().unwrap().len(), 1);
    assert_eq!(users[0]["username"], "admin");
    assert_eq!(users[0]["role"], "admin");
}

#[test]
fn tokens_are_created_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let out = storeops(
        &[
            "--database-url",
            &db,
            "token",
            "create",
            "--role",
            "operator",
            "--name",
            "ci",
            "--json",
        ],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let token = created["token"].as_str().unwrap();
    assert!(token.starts_with("sot_"));
    assert_eq!(created["role"], "operator");

    let out = storeops(
        &["--database-url", &db, "token", "list", "--json"],
        dir.path(),
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["name"], "ci");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(token),
        "token values are never listed"
    );

    let id = created["id"].to_string();
    let out = storeops(&["--database-url", &db, "token", "revoke", &id], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let out = storeops(&["--database-url", &db, "token", "revoke", &id], dir.path());
    assert_eq!(
        out.status.code(),
        Some(2),
        "revoking twice is a usage error"
    );

    let out = storeops(
        &["--database-url", &db, "token", "create", "--role", "root"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--role"));

    let out = storeops(
        &[
            "--database-url",
            &db,
            "user",
            "add",
            "ann",
            "--role",
            "reviewer",
            "--json",
        ],
        dir.path(),
    );
    let added: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(added["user"]["role"], "reviewer");
    assert_eq!(added["password"].as_str().unwrap().len(), 24);
    let out = storeops(&["--database-url", &db, "user", "add", "ann"], dir.path());
    assert_ne!(out.status.code(), Some(0), "duplicate username refused");
    let out = storeops(
        &["--database-url", &db, "user", "disable", "ann"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let out = storeops(
        &["--database-url", &db, "user", "disable", "nobody"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
}
