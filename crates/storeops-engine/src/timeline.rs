//! A run's timeline for people: one typed [`Entry`] per history event —
//! its kind, the step or timer it is about, the attempt, a one-line detail
//! (output, error, decision and reason, …) and a tone for badges. The CLI's
//! `runs show` and the dashboard's run page both render these; the API
//! returns the history events themselves. Pure.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::history::{HistoryEvent, Resolution};
use crate::state::RunStatus;

/// Longest JSON summary in a detail, in characters.
pub const MAX_SUMMARY: usize = 160;

/// How an entry reads at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    /// Nothing to flag.
    Plain,
    /// A success (a step or the run completed).
    Ok,
    /// A failure.
    Bad,
    /// A cancellation.
    Warn,
}

/// One timeline entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// When it happened (`None` for a timer being set: see the detail).
    pub at: Option<DateTime<Utc>>,
    /// Event type, as in the history (`step_completed`, …).
    pub kind: &'static str,
    /// Step or timer id (empty for run-level events).
    pub subject: String,
    /// Attempt number, for step attempts.
    pub attempt: Option<u32>,
    /// Output, error, decision, reason, …
    pub detail: String,
    /// Badge tone.
    pub tone: Tone,
    /// When a timer fires (`timer_set`).
    pub fire_at: Option<DateTime<Utc>>,
}

/// Compact JSON, cut to [`MAX_SUMMARY`] characters (with `…`).
pub fn summary(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(MAX_SUMMARY) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// The first 12 characters of a version hash.
pub fn short_version(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// A resolution's name.
pub fn resolution_name(resolution: &Resolution) -> &'static str {
    match resolution {
        Resolution::Retry => "retry",
        Resolution::RetryWith { .. } => "retry_with",
        Resolution::Skip => "skip",
        Resolution::Cancel => "cancel",
    }
}

fn status_name(status: RunStatus) -> &'static str {
    match status {
        RunStatus::NotStarted => "not_started",
        RunStatus::Running => "running",
        RunStatus::Completed => "completed",
        RunStatus::Failed => "failed",
        RunStatus::Cancelled => "cancelled",
    }
}

fn with_reason(text: String, reason: &Option<String>) -> String {
    match reason.as_deref() {
        Some(r) if !r.trim().is_empty() => format!("{text} — reason: {r}"),
        _ => text,
    }
}

/// The entry of one history event.
pub fn entry(event: &HistoryEvent) -> Entry {
    let base = |kind: &'static str, subject: &str| Entry {
        at: event.at(),
        kind,
        subject: subject.to_string(),
        attempt: None,
        detail: String::new(),
        tone: Tone::Plain,
        fire_at: None,
    };
    match event {
        HistoryEvent::RunStarted { input, .. } => Entry {
            detail: format!("input: {}", summary(input)),
            ..base("run_started", "")
        },
        HistoryEvent::StepScheduled { step, attempt, .. } => Entry {
            attempt: Some(*attempt),
            ..base("step_scheduled", step)
        },
        HistoryEvent::StepCompleted {
            step,
            attempt,
            output,
            ..
        } => Entry {
            attempt: Some(*attempt),
            detail: format!("output: {}", summary(output)),
            tone: Tone::Ok,
            ..base("step_completed", step)
        },
        HistoryEvent::StepFailed {
            step,
            attempt,
            error,
            ..
        } => {
            let retry = if error.retryable { " (retryable)" } else { "" };
            Entry {
                attempt: Some(*attempt),
                detail: format!("{}: {}{retry}", error.kind, error.message),
                tone: Tone::Bad,
                ..base("step_failed", step)
            }
        }
        HistoryEvent::ApprovalRequested { step, .. } => base("approval_requested", step),
        HistoryEvent::ApprovalDecided {
            step,
            decision,
            actor,
            reason,
            ..
        } => Entry {
            detail: with_reason(format!("{decision} by {actor}"), reason),
            ..base("approval_decided", step)
        },
        HistoryEvent::ExceptionResolved {
            step,
            resolution,
            actor,
            reason,
            ..
        } => Entry {
            detail: with_reason(
                format!("{} by {actor}", resolution_name(resolution)),
                reason,
            ),
            ..base("exception_resolved", step)
        },
        HistoryEvent::EventMatched { step, event, .. } => Entry {
            detail: format!("event: {}", summary(event)),
            ..base("event_matched", step)
        },
        HistoryEvent::ChildFinished {
            step,
            status,
            output,
            error,
            ..
        } => Entry {
            detail: match error {
                Some(e) => format!("{}: {e}", status_name(*status)),
                None => format!("{}: {}", status_name(*status), summary(output)),
            },
            tone: if *status == RunStatus::Completed {
                Tone::Ok
            } else {
                Tone::Bad
            },
            ..base("child_finished", step)
        },
        HistoryEvent::TimerSet { timer, fire_at } => Entry {
            fire_at: Some(*fire_at),
            ..base("timer_set", timer)
        },
        HistoryEvent::TimerFired { timer, .. } => base("timer_fired", timer),
        HistoryEvent::RunCompleted { output, .. } => Entry {
            detail: format!("output: {}", summary(output)),
            tone: Tone::Ok,
            ..base("run_completed", "")
        },
        HistoryEvent::RunFailed { error, .. } => Entry {
            detail: error.clone(),
            tone: Tone::Bad,
            ..base("run_failed", "")
        },
        HistoryEvent::RunCancelled { reason, .. } => Entry {
            detail: reason.clone(),
            tone: Tone::Warn,
            ..base("run_cancelled", "")
        },
        HistoryEvent::RunMigrated { from, to, .. } => Entry {
            detail: format!(
                "moved from version {} to {}",
                short_version(from),
                short_version(to)
            ),
            ..base("run_migrated", "")
        },
    }
}

#[cfg(test)]
#[path = "timeline_tests.rs"]
mod tests;
