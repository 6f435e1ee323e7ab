//! `storeops readiness`: the data-readiness audit, for people or as JSON.

use std::process::ExitCode;

use chrono::{DateTime, NaiveDate, Utc};
use storeops_app::config::Config;
use storeops_insights::ReadinessReport;

use crate::cli::ReadinessArgs;

/// Audits the configured store and prints the report.
pub async fn run(config: &Config, args: ReadinessArgs) -> anyhow::Result<ExitCode> {
    let as_of = match &args.as_of {
        Some(text) => parse_when(text)?,
        None => Utc::now(),
    };
    let store = super::open_store(config).await?;
    let report = storeops_app::readiness::readiness(&store, config, as_of).await?;
    store.close().await;
    let report = report.truncated(args.max_ids.unwrap_or(config.max_listed_ids));
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_report(&report);
    }
    Ok(ExitCode::SUCCESS)
}

/// Parses `YYYY-MM-DD` (midday UTC) or an RFC 3339 timestamp.
pub fn parse_when(text: &str) -> Result<DateTime<Utc>, storeops_app::AppError> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(storeops_app::readiness::midday(day));
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            storeops_app::AppError::Usage(format!(
                "--as-of: `{text}` is neither YYYY-MM-DD nor an RFC 3339 timestamp"
            ))
        })
}

/// Prints scores, verdicts and findings.
pub fn print_report(report: &ReadinessReport) {
    println!(
        "Data readiness as of {}: overall score {}/100",
        report.as_of.format("%Y-%m-%d %H:%M UTC"),
        report.overall_score
    );
    println!();
    for area in &report.areas {
        println!(
            "  {:<10} {:>3}/100  ({} records checked, {} finding(s))",
            area.area.as_str(),
            area.score,
            area.checked,
            area.findings
        );
    }
    println!();
    for verdict in &report.workflows {
        let reasons = if verdict.reasons.is_empty() {
            String::new()
        } else {
            format!(" — {}", verdict.reasons.join("; "))
        };
        println!(
            "  {:<16} {}{}",
            verdict.workflow.as_str(),
            verdict.verdict.as_str(),
            reasons
        );
    }
    if report.findings.is_empty() {
        println!("\nNo findings.");
        return;
    }
    println!();
    for finding in &report.findings {
        println!(
            "[{}] {} — {} ({} of {})",
            finding.severity.as_str(),
            finding.check,
            finding.title,
            finding.count,
            finding.population
        );
        if !finding.ids.is_empty() {
            let more = finding.count.saturating_sub(finding.ids.len() as u64);
            let tail = if more > 0 {
                format!(" … and {more} more")
            } else {
                String::new()
            };
            println!("    affected: {}{}", finding.ids.join(", "), tail);
        }
        if let Some(detail) = &finding.detail {
            println!("    detail:   {detail}");
        }
        println!("    fix:      {}", finding.fix);
    }
}
