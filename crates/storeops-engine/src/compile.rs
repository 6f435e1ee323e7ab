//! Compiling a validated workflow definition into the [`Plan`] the state
//! machine runs. The engine core runs actions (with retry, timeout,
//! exception routing and `if:`), waits for a duration or an event,
//! approvals, and `switch` (flattened: the switch step, then each branch's
//! steps guarded by it); every other construct is refused here with its
//! position, so nothing in a definition is silently ignored. `with:` is
//! carried as plain JSON with `${{ <cel> }}` strings, as written, for
//! [`crate::resolve_inputs`].

use std::fmt;

use serde_json::{Map, Value};
use storeops_workflow::{
    ActionCatalog, Backoff, OnError, OnTimeout as DefTimeout, Param, Step, StepBody, TemplatePart,
    Validated, ValueKind, Wait,
};

use crate::plan::{Guard, OnTimeout, Plan, PlanStep, RetryPolicy, StepKind};

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
    flatten(
        validated,
        &validated.workflow.steps,
        None,
        catalog,
        &mut steps,
        &mut errors,
    );
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

/// Appends the plan steps of `source` (in the branch `guard`, if any) to
/// `steps`; nested `switch` steps flatten the same way.
fn flatten(
    validated: &Validated,
    source: &[Step],
    guard: Option<Guard>,
    catalog: &dyn ActionCatalog,
    steps: &mut Vec<PlanStep>,
    errors: &mut Vec<CompileError>,
) {
    for step in source {
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
                guard: guard.clone(),
            }),
            Err(messages) => errors.extend(messages.into_iter().map(error)),
        }
        if let StepBody::Switch { cases, default } = &step.body {
            let branches = cases
                .iter()
                .enumerate()
                .map(|(i, case)| (Some(i), &case.steps))
                .chain(std::iter::once((None, default)));
            for (case, branch) in branches {
                let guard = Guard {
                    switch: step.id.clone(),
                    case,
                };
                flatten(validated, branch, Some(guard), catalog, steps, errors);
            }
        }
    }
}

/// `with:` as plain JSON: expressions back as `${{ <cel> }}` strings.
fn with_json(params: &[Param]) -> Value {
    Value::Object(
        params
            .iter()
            .map(|p| (p.name.clone(), value_json(&p.value.kind)))
            .collect::<Map<_, _>>(),
    )
}

fn value_json(kind: &ValueKind) -> Value {
    match kind {
        ValueKind::Null => Value::Null,
        ValueKind::Bool(b) => Value::Bool(*b),
        ValueKind::Int(i) => Value::from(*i),
        ValueKind::Number(n) => Value::from(*n),
        ValueKind::Str(s) => Value::String(s.clone()),
        ValueKind::Expr(e) => Value::String(format!("${{{{ {} }}}}", e.source)),
        ValueKind::Template(parts) => Value::String(
            parts
                .iter()
                .map(|part| match part {
                    TemplatePart::Text(t) => t.clone(),
                    TemplatePart::Expr(e) => format!("${{{{ {} }}}}", e.source),
                })
                .collect(),
        ),
        ValueKind::List(items) => Value::Array(items.iter().map(|v| value_json(&v.kind)).collect()),
        ValueKind::Map(entries) => with_json(entries),
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
                with: with_json(with),
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
        StepBody::Wait(Wait::Event {
            topic,
            matches,
            timeout,
        }) => Some(StepKind::WaitEvent {
            topic: topic.clone(),
            predicate: matches.source.clone(),
            timeout_ms: timeout.secs.saturating_mul(1000),
        }),
        StepBody::Switch { cases, default } => Some(StepKind::Switch {
            cases: cases.iter().map(|c| c.when.source.clone()).collect(),
            default: !default.is_empty(),
        }),
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
