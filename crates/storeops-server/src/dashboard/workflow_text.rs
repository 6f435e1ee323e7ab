//! Display text of the workflow pages: SLA countdowns ("due in 3h 12m",
//! "overdue by 5m"; `storeops.js` recomputes the same text every second),
//! short version hashes, second-precision times, and one summary line per
//! history event of a run's timeline.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::format::field;

/// Longest JSON shown inline in a timeline row.
const MAX_SUMMARY: usize = 160;

/// Characters of a version hash shown.
const SHORT_VERSION: usize = 12;

/// `due in 3h 12m` before `due`, `overdue by 5m` after it.
pub fn due_text(due: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (due - now).num_seconds();
    if seconds >= 0 {
        format!("due in {}", span(seconds))
    } else {
        format!("overdue by {}", span(-seconds))
    }
}

/// A length of time in its two largest units (`2d 3h`, `3h 12m`, `5m`, `40s`).
fn span(seconds: i64) -> String {
    let (d, h, m, s) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
        seconds % 60,
    );
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else if m > 0 {
        format!("{m}m")
    } else {
        format!("{s}s")
    }
}

/// The first characters of a version hash.
pub fn short_version(version: &str) -> &str {
    match version.char_indices().nth(SHORT_VERSION) {
        Some((cut, _)) => &version[..cut],
        None => version,
    }
}

/// `YYYY-MM-DD HH:MM:SS` (UTC).
pub fn when(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// An RFC 3339 time from JSON as [`when`]; other text unchanged.
fn when_text(text: &str) -> String {
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) => when(&t.with_timezone(&Utc)),
        Err(_) => text.to_string(),
    }
}

/// Compact JSON, cut to [`MAX_SUMMARY`] characters.
pub fn json_summary(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(MAX_SUMMARY) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// One row of a run's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineRow {
    /// When it happened (`—` for a timer being set).
    pub at: String,
    /// Event type (`step_completed`, …).
    pub kind: String,
    /// Step or timer id.
    pub subject: String,
    /// Attempt number, when the event has one.
    pub attempt: String,
    /// Output, error, decision or reason.
    pub detail: String,
    /// Badge class for failures and cancellations.
    pub class: &'static str,
}

/// The timeline row of one history event.
pub fn timeline_row(event: &Value) -> TimelineRow {
    let kind = field(event, "type");
    let subject = match field(event, "step") {
        "" => field(event, "timer"),
        step => step,
    };
    let attempt = event["attempt"]
        .as_u64()
        .map(|a| a.to_string())
        .unwrap_or_default();
    // A timer_set has no time of its own, only when it fires (in the detail).
    let at = match field(event, "at") {
        "" => "—".to_string(),
        at => when_text(at),
    };
    let reason = |text: String| match event["reason"].as_str() {
        Some(r) if !r.is_empty() => format!("{text} — reason: {r}"),
        _ => text,
    };
    let (detail, class) = match kind {
        "run_started" => (format!("input: {}", json_summary(&event["input"])), ""),
        "step_completed" | "run_completed" => {
            (format!("output: {}", json_summary(&event["output"])), "ok")
        }
        "step_failed" => {
            let error = &event["error"];
            let retry = if error["retryable"].as_bool() == Some(true) {
                " (retryable)"
            } else {
                ""
            };
            (
                format!(
                    "{}: {}{retry}",
                    field(error, "kind"),
                    field(error, "message")
                ),
                "bad",
            )
        }
        "approval_decided" => (
            reason(format!(
                "{} by {}",
                field(event, "decision"),
                field(event, "actor")
            )),
            "",
        ),
        "exception_resolved" => {
            let resolution = match &event["resolution"] {
                Value::String(s) => s.clone(),
                Value::Object(o) => o.keys().next().cloned().unwrap_or_default(),
                other => other.to_string(),
            };
            (
                reason(format!("{resolution} by {}", field(event, "actor"))),
                "",
            )
        }
        "event_matched" => (format!("event: {}", json_summary(&event["event"])), ""),
        "timer_set" => (
            format!("fires at {}", when_text(field(event, "fire_at"))),
            "",
        ),
        "run_failed" => (field(event, "error").to_string(), "bad"),
        "run_cancelled" => (field(event, "reason").to_string(), "warn"),
        "run_migrated" => (
            format!(
                "moved from version {} to {}",
                short_version(field(event, "from")),
                short_version(field(event, "to"))
            ),
            "",
        ),
        _ => (String::new(), ""),
    };
    TimelineRow {
        at,
        kind: kind.to_string(),
        subject: subject.to_string(),
        attempt,
        detail,
        class,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use serde_json::json;

    #[test]
    fn due_and_overdue() {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
        let at = |s: i64| now + Duration::seconds(s);
        assert_eq!(due_text(at(3 * 3600 + 12 * 60 + 5), now), "due in 3h 12m");
        assert_eq!(due_text(at(-5 * 60), now), "overdue by 5m");
        assert_eq!(due_text(at(40), now), "due in 40s");
        assert_eq!(due_text(at(0), now), "due in 0s");
        assert_eq!(due_text(at(86_400 + 7_200), now), "due in 1d 2h");
        assert_eq!(due_text(at(-86_400 * 3), now), "overdue by 3d 0h");
    }

    #[test]
    fn versions_and_summaries() {
        assert_eq!(short_version("0123456789abcdef"), "0123456789ab");
        assert_eq!(short_version("abc"), "abc");
        let long = json!({"x": "y".repeat(400)});
        assert_eq!(json_summary(&long).chars().count(), MAX_SUMMARY + 1);
    }

    #[test]
    fn timeline_rows() {
        let row = timeline_row(&json!({"type": "approval_decided", "step": "review",
            "decision": "reject", "actor": "user:rita", "reason": "damaged",
            "at": "2026-11-25T12:00:05Z"}));
        assert_eq!(row.at, "2026-11-25 12:00:05");
        assert_eq!(row.subject, "review");
        assert_eq!(row.detail, "reject by user:rita — reason: damaged");
        let row = timeline_row(&json!({"type": "timer_set", "timer": "sla/review",
            "fire_at": "2026-11-26T12:00:00Z"}));
        assert_eq!(
            (row.at.as_str(), row.subject.as_str(), row.detail.as_str()),
            ("—", "sla/review", "fires at 2026-11-26 12:00:00")
        );
        let row = timeline_row(&json!({"type": "step_failed", "step": "call", "attempt": 2,
            "error": {"kind": "network", "message": "refused", "retryable": true}}));
        assert_eq!(
            (row.attempt.as_str(), row.detail.as_str(), row.class),
            ("2", "network: refused (retryable)", "bad")
        );
        let row = timeline_row(&json!({"type": "exception_resolved", "step": "call",
            "resolution": {"retry_with": {"input": {}}}, "actor": "user:o"}));
        assert_eq!(row.detail, "retry_with by user:o");
        let row = timeline_row(&json!({"type": "run_migrated", "from": "0123456789abcdef",
            "to": "fedcba9876543210", "at": "2026-11-25T12:00:05Z"}));
        assert_eq!(
            row.detail,
            "moved from version 0123456789ab to fedcba987654"
        );
    }
}
