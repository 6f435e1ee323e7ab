//! Compiling a validated workflow definition into the [`Plan`] the state
//! machine runs. The engine core runs actions (with retry, timeout,
//! exception routing or compensation, and `if:`), waits for a duration or
//! an event, approvals, calls, and `switch` (flattened: the switch step,
//! then each branch's steps guarded by it); `foreach` and `parallel` are
//! flattened too (the step, then its body or its branches one after the
//! other, their lengths in the step). Problems (an unknown action, a
//! compensation step that is not an action) are reported with positions. `with:` is
//! carried as plain JSON with `${{ <cel> }}` strings, as written, for
//! [`crate::resolve_inputs`].

use std::fmt;

use serde_json::{Map, Value};
use storeops_workflow::{
    ActionCatalog, Backoff, OnError, OnTimeout as DefTimeout, Param, Step, StepBody, TemplatePart,
    Trigger, Validated, ValueKind, Wait, Workflow,
};

use crate::launch::{Launch, TriggerSpec, VariantArm, VariantSpec};

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
    let mut spans = Vec::new();
    let mut out = Out {
        steps: &mut steps,
        spans: &mut spans,
        errors: &mut errors,
    };
    flatten(
        validated,
        &validated.workflow.steps,
        None,
        catalog,
        &mut out,
    );
    for (at, step) in steps.iter().enumerate() {
        let Some(target) = &step.compensate else {
            continue;
        };
        let is_action = steps
            .iter()
            .find(|s| s.id == *target)
            .is_some_and(|s| matches!(s.kind, StepKind::Action { .. }));
        if !is_action {
            let (line, col) = spans.get(at).copied().unwrap_or_default();
            errors.push(CompileError {
                path: validated.path.clone(),
                line,
                col,
                message: format!(
                    "step `{}`: compensation step `{target}` is not an action",
                    step.id
                ),
            });
        }
    }
    if errors.is_empty() {
        Ok(Plan {
            workflow: validated.workflow.name.clone(),
            version: validated.hash.clone(),
            steps,
            launch: launch(&validated.workflow),
        })
    } else {
        Err(errors)
    }
}

/// Where flattening writes: the plan steps, their positions, problems.
struct Out<'a> {
    steps: &'a mut Vec<PlanStep>,
    spans: &'a mut Vec<(u32, u32)>,
    errors: &'a mut Vec<CompileError>,
}

/// Appends the plan steps of `source` (in the branch `guard`, if any) to
/// `out`; nested `switch`, `foreach` and `parallel` steps flatten too.
fn flatten(
    validated: &Validated,
    source: &[Step],
    guard: Option<Guard>,
    catalog: &dyn ActionCatalog,
    out: &mut Out<'_>,
) {
    for step in source {
        let error = |message: String| CompileError {
            path: validated.path.clone(),
            line: step.span.line,
            col: step.span.col,
            message: format!("step `{}`: {message}", step.id),
        };
        let at = out.steps.len();
        match compile_step(step, catalog) {
            Ok((kind, exception_role, compensate)) => {
                out.steps.push(PlanStep {
                    id: step.id.clone(),
                    kind,
                    exception_role,
                    condition: step.condition.as_ref().map(|c| c.source.clone()),
                    guard: guard.clone(),
                    compensate,
                });
                out.spans.push((step.span.line, step.span.col));
            }
            Err(messages) => out.errors.extend(messages.into_iter().map(error)),
        }
        let mut lengths = Vec::new();
        let nested: Vec<&Vec<Step>> = match &step.body {
            StepBody::Foreach { steps, .. } => vec![steps],
            StepBody::Parallel { branches } => branches.iter().collect(),
            _ => Vec::new(),
        };
        for branch in nested {
            let before = out.steps.len();
            flatten(validated, branch, None, catalog, out);
            lengths.push(out.steps.len() - before);
        }
        match out.steps.get_mut(at).map(|s| &mut s.kind) {
            Some(StepKind::Foreach { body, .. }) => *body = lengths.iter().sum(),
            Some(StepKind::Parallel { branches }) => *branches = lengths,
            _ => {}
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
                flatten(validated, branch, Some(guard), catalog, out);
            }
        }
    }
}

/// The trigger, scope and variants of `wf`.
fn launch(wf: &Workflow) -> Launch {
    let trigger = match &wf.trigger {
        Trigger::Event { topic, filter, .. } => TriggerSpec::Event {
            topic: topic.clone(),
            filter: filter.as_ref().map(|f| f.source.clone()),
        },
        Trigger::Schedule { cron, timezone, .. } => TriggerSpec::Schedule {
            cron: cron.clone(),
            timezone: timezone.clone(),
        },
        Trigger::Manual { .. } => TriggerSpec::Manual,
        Trigger::Webhook { .. } => TriggerSpec::Webhook,
    };
    Launch {
        trigger,
        scope: wf.scope.as_ref().map(|s| s.source.clone()),
        variants: wf.variants.as_ref().map(|v| VariantSpec {
            key: v.key.source.clone(),
            arms: v
                .arms
                .iter()
                .map(|arm| VariantArm {
                    name: arm.name.clone(),
                    weight: arm.weight,
                    vars: with_json(&arm.vars),
                })
                .collect(),
        }),
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

/// The step's kind, exception role and compensation step (a `foreach`
/// body's and `parallel` branches' lengths are filled in by `flatten`).
fn compile_step(
    step: &Step,
    catalog: &dyn ActionCatalog,
) -> Result<(StepKind, Option<String>, Option<String>), Vec<String>> {
    let mut problems = Vec::new();
    let (exception_role, compensate) = match &step.on_error {
        None => (None, None),
        Some(OnError::Exception { assignee_role, .. }) => (Some(assignee_role.clone()), None),
        Some(OnError::Compensate { step, .. }) => (None, Some(step.clone())),
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
        StepBody::Parallel { .. } => Some(StepKind::Parallel {
            branches: Vec::new(),
        }),
        StepBody::Foreach { items, max, .. } => Some(StepKind::Foreach {
            items: items.source.clone(),
            max: usize::try_from(*max).unwrap_or(usize::MAX),
            body: 0,
        }),
        StepBody::Call { workflow, with, .. } => Some(StepKind::Call {
            workflow: workflow.clone(),
            with: with_json(with),
        }),
    };
    match kind {
        Some(kind) if problems.is_empty() => Ok((kind, exception_role, compensate)),
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
