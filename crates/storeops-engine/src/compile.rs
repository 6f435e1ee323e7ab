//! Compiling a validated workflow definition into the [`Plan`] the state
//! machine runs. The engine core runs linear plans of actions (with retry,
//! timeout, exception routing and `if:`), waits and approvals so far; every other
//! construct is refused here with its position, so nothing in a definition
//! is silently ignored.

use std::fmt;

use storeops_workflow::{
    ActionCatalog, Backoff, OnError, OnTimeout as DefTimeout, Step, StepBody, Validated, Wait,
};

use crate::plan::{OnTimeout, Plan, PlanStep, RetryPolicy, StepKind};

/// A construct the engine cannot run (yet), or an action missing from the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// The workflow file.
    pub path: String,
    /// Line of the step.
    pub line: u32,
    /// Column of the step.
    pub col: u32,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.col, self.message
        )
    }
}

impl std::error::Error for CompileError {}

/// The plan of `validated`, pinned to its content hash; every problem at once.
pub fn compile(
    validated: &Validated,
    catalog: &dyn ActionCatalog,
) -> Result<Plan, Vec<CompileError>> {
    let mut errors = Vec::new();
    let mut steps = Vec::new();
    for step in &validated.workflow.steps {
        let error = |message: String| CompileError {
            path: validated.path.clone(),
            line: step.span.line,
            col: step.span.col,
            message: format!("step `{}`: {message}", step.id),
        };
        match compile_step(step, catalog) {
            Ok((kind, exception_role)) => steps.push(PlanStep {
                id: step.id.clone(),
                kind,
                exception_role,
                condition: step.condition.as_ref().map(|c| c.source.clone()),
            }),
            Err(messages) => errors.extend(messages.into_iter().map(error)),
        }
    }
    if errors.is_empty() {
        Ok(Plan {
            workflow: validated.workflow.name.clone(),
            version: validated.hash.clone(),
            steps,
        })
    } else {
        Err(errors)
    }
}

/// Not supported by the engine yet: the message for `what`.
fn unsupported(what: &str) -> String {
    format!("{what} is not supported by the engine yet")
}

/// The step's kind and exception role.
fn compile_step(
    step: &Step,
    catalog: &dyn ActionCatalog,
) -> Result<(StepKind, Option<String>), Vec<String>> {
    let mut problems = Vec::new();
    let exception_role = match &step.on_error {
        None => None,
        Some(OnError::Exception { assignee_role, .. }) => Some(assignee_role.clone()),
        Some(OnError::Compensate { .. }) => {
            problems.push(unsupported("`on_error: compensate`"));
            None
        }
    };
    let kind = match &step.body {
        StepBody::Uses { action, with, .. } => match catalog.action(action) {
            Some(spec) => Some(StepKind::Action {
                action: action.clone(),
                side_effects: spec.side_effects,
                retry: step.retry.as_ref().map_or(
                    RetryPolicy {
                        attempts: 1,
                        ..RetryPolicy::default()
                    },
                    |r| policy(r.attempts, &r.backoff),
                ),
                timeout_ms: step.timeout.as_ref().map(|d| d.secs.saturating_mul(1000)),
                with: serde_json::to_value(with).unwrap_or_default(),
            }),
            None => {
                problems.push(format!("action `{action}` is not in the catalog"));
                None
            }
        },
        StepBody::Wait(Wait::Duration(d)) => Some(StepKind::Wait {
            duration_ms: d.secs.saturating_mul(1000),
        }),
        StepBody::Approval(a) => Some(StepKind::Approval {
            role: a.role.clone(),
            options: a.options.clone(),
            sla_ms: a.sla.as_ref().map(|d| d.secs.saturating_mul(1000)),
            on_timeout: match a.on_timeout {
                DefTimeout::Escalate => OnTimeout::Escalate,
                DefTimeout::Approve => OnTimeout::Approve,
                DefTimeout::Reject => OnTimeout::Reject,
                DefTimeout::Fail => OnTimeout::Fail,
            },
        }),
        StepBody::Wait(Wait::Event { .. }) => {
            problems.push(unsupported("waiting for an event"));
            None
        }
        StepBody::Switch { .. } => {
            problems.push(unsupported("`switch:`"));
            None
        }
        StepBody::Parallel { .. } => {
            problems.push(unsupported("`parallel:`"));
            None
        }
        StepBody::Foreach { .. } => {
            problems.push(unsupported("`foreach:`"));
            None
        }
        StepBody::Call { .. } => {
            problems.push(unsupported("`call:`"));
            None
        }
    };
    match kind {
        Some(kind) if problems.is_empty() => Ok((kind, exception_role)),
        _ => Err(problems),
    }
}

fn policy(attempts: u32, backoff: &Backoff) -> RetryPolicy {
    RetryPolicy {
        attempts: attempts.max(1),
        initial_ms: backoff.initial.secs.saturating_mul(1000),
        multiplier: backoff.multiplier,
        max_delay_ms: backoff.max_delay.secs.saturating_mul(1000),
        jitter: backoff.jitter,
    }
}
