//! `storeops audit verify|head|list`: the hash-chained audit log of
//! decisions (see `storeops_domain::audit_chain`). `verify` exits 1 when it
//! finds problems; `head --json` prints what `verify --expect-heads` reads,
//! because deleting the newest rows of a chain is only detectable against
//! heads saved outside the database.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use storeops_app::config::Config;
use storeops_store::{AuditHead, Store};

use super::open_store;
use crate::cli::AuditAction;

/// What `audit head --json` prints and `verify --expect-heads` reads.
#[derive(Debug, Serialize, Deserialize)]
struct Heads {
    /// Every chain's last seq and hash, by chain.
    heads: Vec<AuditHead>,
}

/// Runs an `audit` subcommand.
pub async fn run(config: &Config, action: AuditAction) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let code = match action {
        AuditAction::Verify { expect_heads, json } => {
            verify(&store, expect_heads.as_deref(), json).await?
        }
        AuditAction::Head { json } => {
            let heads = store.audit_heads().await?;
            if json {
                println!("{}", serde_json::to_string(&Heads { heads })?);
            } else {
                for h in &heads {
                    println!("{} {} {}", h.chain, h.seq, h.hash);
                }
            }
            ExitCode::SUCCESS
        }
        AuditAction::List {
            chain,
            after,
            limit,
            json,
        } => {
            let rows = store.audit_rows(chain.as_deref(), after, limit).await?;
            if json {
                println!("{}", serde_json::json!({ "entries": rows }));
            } else {
                for r in &rows {
                    let e = &r.entry;
                    println!(
                        "{} {:>6}  {}  {:<16} {:<24} {}  {}",
                        e.chain,
                        r.seq,
                        e.at.format("%F %T"),
                        e.actor,
                        e.action,
                        e.subject,
                        &r.hash[..r.hash.len().min(12)]
                    );
                }
            }
            ExitCode::SUCCESS
        }
    };
    store.close().await;
    Ok(code)
}

/// `audit verify`: the report, exit 0 when the log is intact, 1 otherwise.
async fn verify(store: &Store, expect: Option<&Path>, json: bool) -> anyhow::Result<ExitCode> {
    let heads = match expect {
        None => Vec::new(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let heads: Heads = serde_json::from_str(&text).with_context(|| {
                format!(
                    "{} is not the output of `storeops audit head --json`",
                    path.display()
                )
            })?;
            heads.heads
        }
    };
    let report = store.verify_audit_against(&heads).await?;
    if json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        for p in &report.problems {
            println!("{} {}: {}", p.chain, p.seq, p.message);
        }
        let verdict = if report.ok { "ok" } else { "FAILED" };
        println!(
            "audit log {verdict}: {} entries in {} chains, {} problems",
            report.entries,
            report.chains,
            report.problems.len()
        );
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
