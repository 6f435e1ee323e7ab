//! `storeops workflow …`: workflow definitions. So far `validate`: parse every
//! file, check it against the action registry (built-ins and skills) and the other files,
//! and report every problem at once as `file:line:col: message`.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use storeops_app::AppError;
use storeops_workflow::{validate_files, ActionCatalog};

/// One problem, for `--json`.
#[derive(Serialize)]
struct Problem {
    file: String,
    line: u32,
    col: u32,
    message: String,
}

/// One valid workflow, for `--json`.
#[derive(Serialize)]
struct Valid {
    file: String,
    name: String,
    hash: String,
}

/// Validates `files`; exit 0 when all are valid, 1 otherwise.
pub fn validate(
    catalog: &dyn ActionCatalog,
    files: &[PathBuf],
    json: bool,
) -> anyhow::Result<ExitCode> {
    if files.is_empty() {
        return Err(AppError::Usage("name at least one workflow file".into()).into());
    }
    let mut texts = Vec::with_capacity(files.len());
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| AppError::io(file, e))?;
        texts.push((file.display().to_string(), text));
    }
    let inputs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let report = validate_files(&inputs, catalog, &[]);
    if json {
        let problems: Vec<Problem> = report
            .diagnostics
            .iter()
            .map(|d| Problem {
                file: d.path.clone(),
                line: d.span.line,
                col: d.span.col,
                message: d.message.clone(),
            })
            .collect();
        let valid: Vec<Valid> = report
            .workflows
            .iter()
            .map(|w| Valid {
                file: w.path.clone(),
                name: w.workflow.name.clone(),
                hash: w.hash.clone(),
            })
            .collect();
        let value = serde_json::json!({ "ok": report.is_ok(), "errors": problems, "valid": valid });
        println!("{value}");
    } else {
        for d in &report.diagnostics {
            eprintln!("{d}");
        }
        for w in &report.workflows {
            println!(
                "ok  {}  {}  {}",
                w.path,
                w.workflow.name,
                &w.hash[..12.min(w.hash.len())]
            );
        }
        if !report.is_ok() {
            eprintln!(
                "{} problem(s) in {} file(s)",
                report.diagnostics.len(),
                files.len()
            );
        }
    }
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
