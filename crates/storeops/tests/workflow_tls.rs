//! `storeops worker` over HTTPS as an operator runs it: an `http.request`
//! step reaches a loopback HTTPS server whose certificate a throwaway CA
//! signed when `STOREOPS_HTTP_CA_FILE` names that CA, and fails once (no
//! retry) with the `tls` error when the worker trusts only the Mozilla
//! roots.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use storeops_testkit::sinks::https;

use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{json_ok, storeops};

const HOOK: &str = "name: hook\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: call\n    retry: { attempts: 3, backoff: { initial: 1s }, retry_on: [network, tls] }\n    uses: http.request\n    with: { url: 'https://127.0.0.1:PORT/hook', method: POST, body: { order: '${{ input.order }}' } }\n";

fn ok_json(args: &[&str], dir: &Path) -> serde_json::Value {
    json_ok(&storeops(args, dir))
}

fn worker(db: &str, dir: &Path, ca_file: Option<&Path>) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_storeops"));
    command
        .args(["--database-url", db, "worker", "--owner", "tls-test"])
        .current_dir(dir)
        .env_remove("STOREOPS_DATABASE_URL")
        .env_remove("STOREOPS_HTTP_CA_FILE")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(ca_file) = ca_file {
        command.env("STOREOPS_HTTP_CA_FILE", ca_file);
    }
    command.spawn().unwrap()
}

fn stop(mut worker: Child) {
    Command::new("kill")
        .args(["-TERM", &worker.id().to_string()])
        .status()
        .unwrap();
    assert!(worker.wait().unwrap().success());
}

/// Polls `runs show id` until the run has finished (at most 20 s).
fn finished(db: &str, dir: &Path, id: &str) -> serde_json::Value {
    for _ in 0..200 {
        let run = ok_json(&["--database-url", db, "runs", "show", id, "--json"], dir);
        if run["run"]["status"] == "completed" || run["run"]["status"] == "failed" {
            return run["run"].clone();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("run {id} did not finish");
}

#[test]
fn the_worker_trusts_the_ca_of_http_ca_file_and_only_then() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sink = runtime.block_on(https::https_sink());
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("wf.db").display());
    let ca_file = dir.path().join("private-ca.pem");
    std::fs::write(&ca_file, &sink.ca_pem).unwrap();
    let yaml = HOOK.replace("PORT", &sink.port.to_string());
    std::fs::write(dir.path().join("hook.yaml"), yaml).unwrap();
    ok_json(
        &[
            "--database-url",
            &db,
            "workflow",
            "deploy",
            "hook.yaml",
            "--json",
        ],
        dir.path(),
    );
    let run = |id: &str, order: &str| {
        let input = format!(r#"{{"order": "{order}"}}"#);
        ok_json(
            &[
                "--database-url",
                &db,
                "workflow",
                "run",
                "hook",
                "--input",
                &input,
                "--id",
                id,
                "--json",
            ],
            dir.path(),
        )
    };

    run("h1", "#3001");
    let trusting = worker(&db, dir.path(), Some(&ca_file));
    let h1 = finished(&db, dir.path(), "h1");
    stop(trusting);
    assert_eq!(h1["status"], "completed", "{h1}");
    let requests = sink.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let (head, body) = requests[0].split_once("\r\n\r\n").unwrap();
    let head = head.to_lowercase();
    assert!(head.starts_with("post /hook http/1.1\r\n"), "{head}");
    assert!(
        head.contains("\r\nidempotency-key: h1/call/0\r\n"),
        "{head}"
    );
    assert_eq!(body, r##"{"order":"#3001"}"##);

    run("h2", "#3002");
    let default_roots = worker(&db, dir.path(), None);
    let h2 = finished(&db, dir.path(), "h2");
    stop(default_roots);
    assert_eq!(h2["status"], "failed", "{h2}");
    assert_eq!(
        h2["error"],
        format!(
            "step `call` failed after 1 attempt(s): tls: certificate verification failed: \
             invalid peer certificate: UnknownIssuer (https://127.0.0.1:{}/hook)",
            sink.port
        )
    );
    assert_eq!(sink.requests.lock().unwrap().len(), 1);
}
