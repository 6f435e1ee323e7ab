//! The example skill through the running server: `storeops serve` builds
//! its registry from the binary's skills table, so an action a skill
//! registers is run by `POST /api/v1/actions/{name}` with no server code of
//! its own — and is unknown there while the skill is switched off.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

/// Starts `serve` on a free port with `env`; the child, the base URL and
/// the admin token it printed.
fn serve(db: &str, cwd: &std::path::Path, env: &[(&str, &str)]) -> (Child, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_storeops"));
    command
        .args([
            "--database-url",
            db,
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--no-workers",
        ])
        .current_dir(cwd)
        .env_remove("STOREOPS_DATABASE_URL")
        .env_remove("STOREOPS_SKILLS_EXAMPLE_ENABLED")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut base = None;
    let mut token = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if base.is_none() {
            base = line
                .split_whitespace()
                .find(|w| w.starts_with("http://"))
                .map(|w| w.trim_end_matches('/').to_string());
        }
        if let Some(t) = line.trim().strip_prefix("API token") {
            token = Some(t.trim().to_string());
        }
        if line.contains("(e.g. curl") {
            break;
        }
    }
    (child, base.unwrap(), token.unwrap())
}

fn post(url: &str, token: &str, body: Value) -> (u16, Value) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let r = reqwest::Client::new()
            .post(url)
            .bearer_auth(token)
            .json(&body)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    })
}

#[test]
fn the_server_runs_a_skills_action_only_while_the_skill_is_on() {
    for (enabled, expected) in [
        ("true", (200, json!("HELLO, ADA!"))),
        ("false", (404, json!("unknown_action"))),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}", dir.path().join("a.db").display());
        let env = [("STOREOPS_SKILLS_EXAMPLE_ENABLED", enabled)];
        let (mut child, base, token) = serve(&db, dir.path(), &env);
        let body = json!({"input": {"name": "Ada", "shout": true}});
        let (status, out) = post(
            &format!("{base}/api/v1/actions/example.greet"),
            &token,
            body,
        );
        let seen = match status {
            200 => out["output"]["greeting"].clone(),
            _ => out["error"]["code"].clone(),
        };
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!((status, seen), expected, "enabled = {enabled}");
    }
}
