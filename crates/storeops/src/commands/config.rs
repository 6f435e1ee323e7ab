//! `storeops config check`: every configuration problem at once.

use std::process::ExitCode;

use storeops_app::config::{ConfigError, RawConfig, SETTINGS};

/// Validates and prints the effective settings or every problem.
pub fn check(raw: RawConfig, json: bool) -> ExitCode {
    match raw.resolve() {
        Ok(config) => {
            if json {
                let value = serde_json::json!({ "ok": true, "issues": [], "config": config });
                println!("{value}");
            } else {
                println!("configuration ok");
                let skills = crate::skills::settings();
                for setting in SETTINGS.iter().chain(skills.iter().copied()) {
                    let source = config
                        .sources
                        .get(setting.key)
                        .map_or("default", String::as_str);
                    println!("  {:<28} from {}", setting.key, source);
                }
            }
            ExitCode::SUCCESS
        }
        Err(ConfigError::Invalid { issues }) => {
            if json {
                let value = serde_json::json!({ "ok": false, "issues": issues });
                println!("{value}");
            } else {
                eprintln!("{} configuration problem(s):", issues.len());
                for issue in &issues {
                    eprintln!("  {} ({}): {}", issue.key, issue.source, issue.message);
                }
            }
            ExitCode::from(1)
        }
    }
}
