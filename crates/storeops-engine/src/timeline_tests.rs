//! Tests of the typed timeline: one entry per history event kind, with the
//! detail people read.

use chrono::{TimeZone, Utc};
use serde_json::json;

use super::{entry, summary, Tone, MAX_SUMMARY};
use crate::history::{HistoryEvent, Resolution, StepError};
use crate::state::RunStatus;

fn at() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 5).unwrap()
}

#[test]
fn entries_say_what_happened() {
    let failed = entry(&HistoryEvent::StepFailed {
        step: "call".into(),
        attempt: 2,
        error: StepError {
            kind: "network".into(),
            message: "refused".into(),
            retryable: true,
        },
        at: at(),
    });
    assert_eq!(
        (
            failed.kind,
            failed.subject.as_str(),
            failed.attempt,
            failed.detail.as_str(),
            failed.tone
        ),
        (
            "step_failed",
            "call",
            Some(2),
            "network: refused (retryable)",
            Tone::Bad
        )
    );
    let decided = entry(&HistoryEvent::ApprovalDecided {
        step: "review".into(),
        decision: "reject".into(),
        actor: "user:rita".into(),
        reason: Some("damaged".into()),
        at: at(),
    });
    assert_eq!(decided.detail, "reject by user:rita — reason: damaged");
    assert_eq!(decided.at, Some(at()));
    let resolved = entry(&HistoryEvent::ExceptionResolved {
        step: "call".into(),
        resolution: Resolution::RetryWith { input: json!({}) },
        actor: "user:o".into(),
        reason: Some("  ".into()),
        at: at(),
    });
    assert_eq!(resolved.detail, "retry_with by user:o");
    let timer = entry(&HistoryEvent::TimerSet {
        timer: "sla/review".into(),
        fire_at: at(),
    });
    assert_eq!(
        (timer.at, timer.fire_at, timer.subject.as_str()),
        (None, Some(at()), "sla/review")
    );
    let child = entry(&HistoryEvent::ChildFinished {
        step: "ask".into(),
        status: RunStatus::Failed,
        output: json!(null),
        error: Some("boom".into()),
        at: at(),
    });
    assert_eq!(
        (child.detail.as_str(), child.tone),
        ("failed: boom", Tone::Bad)
    );
    let moved = entry(&HistoryEvent::RunMigrated {
        from: "0123456789abcdef".into(),
        to: "fedcba9876543210".into(),
        at: at(),
    });
    assert_eq!(
        moved.detail,
        "moved from version 0123456789ab to fedcba987654"
    );
    let cancelled = entry(&HistoryEvent::RunCancelled {
        reason: "stop".into(),
        at: at(),
    });
    assert_eq!(
        (cancelled.kind, cancelled.tone),
        ("run_cancelled", Tone::Warn)
    );
}

#[test]
fn long_outputs_are_cut() {
    let long = json!({"x": "y".repeat(400)});
    assert_eq!(summary(&long).chars().count(), MAX_SUMMARY + 1);
    assert!(summary(&long).ends_with('…'));
    let done = entry(&HistoryEvent::RunCompleted {
        output: json!({"ok": true}),
        at: at(),
    });
    assert_eq!(
        (done.detail.as_str(), done.tone),
        ("output: {\"ok\":true}", Tone::Ok)
    );
}
