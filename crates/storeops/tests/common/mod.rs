//! Shared helper of the binary's integration tests: run `storeops` in a
//! directory without inheriting a database URL from the environment.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the built binary with `args` in `cwd`.
pub fn storeops(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_storeops"))
        .args(args)
        .current_dir(cwd)
        .env_remove("STOREOPS_DATABASE_URL")
        .output()
        .unwrap()
}

/// The JSON stdout of a run that must have exited 0 (stderr shown if not).
pub fn json_ok(out: &Output) -> serde_json::Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
