//! Validators of configuration values: each returns the problem as text
//! naming the bad value (never for secrets, which have no validator that
//! echoes them).

use storeops_domain::Currency;

pub(crate) fn validate_database_url(value: &str) -> Result<(), String> {
    let ok = value.starts_with("sqlite:")
        || value.starts_with("postgres://")
        || value.starts_with("postgresql://");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{value}` is not a database URL: use sqlite://PATH or postgres://…"
        ))
    }
}

pub(crate) fn validate_log_format(value: &str) -> Result<(), String> {
    match value {
        "text" | "json" => Ok(()),
        other => Err(format!("`{other}` is not a log format: use text or json")),
    }
}

pub(crate) fn validate_non_empty(value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        Err("must not be empty".to_string())
    } else {
        Ok(())
    }
}

pub(crate) fn validate_range(value: &str, min: u64, max: u64) -> Result<(), String> {
    match value.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(()),
        Ok(n) => Err(format!("{n} is out of range {min}..={max}")),
        Err(_) => Err(format!("`{value}` is not a whole number")),
    }
}

pub(crate) fn validate_batch_size(value: &str) -> Result<(), String> {
    validate_range(value, 1, 50_000)
}

pub(crate) fn validate_stale_days(value: &str) -> Result<(), String> {
    validate_range(value, 1, 3650)
}

pub(crate) fn validate_max_ids(value: &str) -> Result<(), String> {
    validate_range(value, 1, 10_000)
}

pub(crate) fn validate_currency(value: &str) -> Result<(), String> {
    Currency::parse(value)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
