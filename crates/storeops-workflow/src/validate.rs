//! Semantic checks of one parsed workflow: step ids, references, actions and
//! their inputs, roles, schedules, variants. Call cycles are checked across
//! files in `lib.rs`.

use crate::catalog::ActionCatalog;
use crate::definition::Value;
use crate::definition::{InputDecl, Param, Trigger, Workflow};
use crate::error::{suggest, Issue, Span};
use crate::schema::{expected, Schema};
use crate::step::{OnError, Step, StepBody, Wait};
use crate::values::{
    check_expr, check_params, check_value, expected as expected_type, fits, found_type,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::str::FromStr;
use storeops_domain::Role;

const ROLES: &str = "admin, operator, reviewer, viewer";

/// What checking a workflow needs from outside.
pub struct Env<'a> {
    /// The actions `uses:` may name.
    pub catalog: &'a dyn ActionCatalog,
    /// The workflows `call:` may name.
    pub workflows: &'a BTreeSet<String>,
    /// Declared `inputs` of the workflows validated together, to check `call:` inputs.
    pub inputs: &'a BTreeMap<String, Vec<InputDecl>>,
}

struct Walk<'a> {
    env: &'a Env<'a>,
    issues: Vec<Issue>,
    ids: HashMap<String, Span>,
    compensations: Vec<(String, Span)>,
    calls: Vec<(String, Span)>,
}

/// Issues of `wf`, and the workflows it calls (name, position) for cycle checks.
pub fn check(wf: &Workflow, env: &Env<'_>) -> (Vec<Issue>, Vec<(String, Span)>) {
    let mut w = Walk {
        env,
        issues: Vec::new(),
        ids: HashMap::new(),
        compensations: Vec::new(),
        calls: Vec::new(),
    };
    match &wf.trigger {
        Trigger::Event {
            filter: Some(f), ..
        } => check_expr(&mut w.issues, f, "filter", &[]),
        Trigger::Schedule {
            span,
            cron,
            timezone,
        } => {
            if let Err(e) = croner::Cron::from_str(cron) {
                w.issues
                    .push(Issue::new(*span, format!("invalid cron `{cron}`: {e}")));
            }
            if chrono_tz::Tz::from_str(timezone).is_err() {
                w.issues
                    .push(Issue::new(*span, format!("unknown time zone `{timezone}`")));
            }
        }
        _ => {}
    }
    if let Some(scope) = &wf.scope {
        check_expr(&mut w.issues, scope, "scope", &[]);
    }
    if let Some(v) = &wf.variants {
        check_expr(&mut w.issues, &v.key, "key", &[]);
        if v.arms.is_empty() {
            w.issues
                .push(Issue::new(v.span, "variants need at least one arm"));
        }
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for arm in &v.arms {
            if let Some(first) = seen.insert(&arm.name, arm.span) {
                w.issues.push(Issue::new(
                    arm.span,
                    format!("duplicate variant `{}` (first at {first})", arm.name),
                ));
            }
            if arm.weight == 0 {
                w.issues.push(Issue::new(
                    arm.span,
                    format!("variant `{}` needs a weight above 0", arm.name),
                ));
            }
            check_params(&mut w.issues, &arm.vars, "vars", &[]);
        }
    }
    let mut visible = Vec::new();
    w.steps(&wf.steps, &mut visible);
    for (target, span) in std::mem::take(&mut w.compensations) {
        if !w.ids.contains_key(&target) {
            w.issues.push(Issue::new(
                span,
                format!("compensation step `{target}` does not exist"),
            ));
        }
    }
    (w.issues, w.calls)
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

fn check_role(issues: &mut Vec<Issue>, role: &str, span: Span) {
    if Role::parse(role).is_err() {
        issues.push(Issue::new(
            span,
            format!("unknown role `{role}` (one of {ROLES})"),
        ));
    }
}

impl Walk<'_> {
    fn err(&mut self, span: Span, message: String) {
        self.issues.push(Issue::new(span, message));
    }

    /// Checks the literal parts of input `name` of `action` against its
    /// schema (expressions are checked when the step runs).
    fn input_value(&mut self, action: &str, name: &str, schema: &Schema, value: &Value) {
        let found = found_type(value).unwrap_or("an expression");
        let wrong_type = format!("`{name}` must be {}, found ", expected(schema));
        for m in schema.check_literal_at(value, name) {
            let message = if m.path == name && m.message.starts_with(&wrong_type) {
                format!(
                    "input `{name}` of `{action}` expects {}, found {found}",
                    expected(schema)
                )
            } else {
                format!("input of `{action}`: {}", m.message)
            };
            self.err(m.span.unwrap_or(value.span), message);
        }
    }

    fn call_inputs(&mut self, workflow: &str, decls: &[InputDecl], with: &[Param], span: Span) {
        for p in with {
            match decls.iter().find(|d| d.name == p.name) {
                None => {
                    let hint = suggest(&p.name, decls.iter().map(|d| d.name.as_str()));
                    self.err(
                        p.span,
                        format!("unknown input `{}` of workflow `{workflow}`{hint}", p.name),
                    );
                }
                Some(d) if !fits(d.ty, &p.value) => {
                    let found = found_type(&p.value).unwrap_or("an expression");
                    let message = format!(
                        "input `{}` of workflow `{workflow}` expects {}, found {found}",
                        p.name,
                        expected_type(d.ty)
                    );
                    self.err(p.value.span, message);
                }
                Some(_) => {}
            }
        }
        for d in decls.iter().filter(|d| d.required) {
            if !with.iter().any(|p| p.name == d.name) {
                self.err(
                    span,
                    format!(
                        "missing required input `{}` of workflow `{workflow}`",
                        d.name
                    ),
                );
            }
        }
    }

    fn steps(&mut self, steps: &[Step], visible: &mut Vec<String>) {
        for step in steps {
            self.step(step, visible);
        }
    }

    /// Checks steps in a branch that starts from `visible`; returns the ids it added.
    fn branch(&mut self, steps: &[Step], visible: &[String]) -> Vec<String> {
        let mut inner = visible.to_vec();
        self.steps(steps, &mut inner);
        inner.split_off(visible.len())
    }

    fn step(&mut self, step: &Step, visible: &mut Vec<String>) {
        if !valid_id(&step.id) {
            self.err(
                step.id_span,
                format!("invalid step id `{}` (use a-z, 0-9, `_`, `-`)", step.id),
            );
        }
        if let Some(first) = self.ids.get(&step.id) {
            let message = format!("duplicate step id `{}` (first at {first})", step.id);
            self.err(step.id_span, message);
        } else {
            self.ids.insert(step.id.clone(), step.id_span);
        }
        if let Some(c) = &step.condition {
            check_expr(&mut self.issues, c, "if", visible);
        }
        match &step.on_error {
            Some(OnError::Exception {
                span,
                assignee_role,
            }) => check_role(&mut self.issues, assignee_role, *span),
            Some(OnError::Compensate { span, step: target }) => {
                if *target == step.id {
                    self.err(*span, format!("step `{target}` cannot compensate itself"));
                }
                self.compensations.push((target.clone(), *span));
            }
            None => {}
        }
        self.body(step, visible);
        visible.push(step.id.clone());
    }

    fn body(&mut self, step: &Step, visible: &mut Vec<String>) {
        match &step.body {
            StepBody::Uses { span, action, with } => {
                check_params(&mut self.issues, with, "with", visible);
                let Some(spec) = self.env.catalog.action(action) else {
                    let hint = suggest(action, self.env.catalog.names());
                    self.err(*span, format!("unknown action `{action}`{hint}"));
                    return;
                };
                let fields = spec.input.fields();
                for p in with {
                    match fields.iter().find(|f| f.name == p.name) {
                        None if spec.input.is_open() => {}
                        None => {
                            let hint = suggest(&p.name, fields.iter().map(|f| f.name.as_str()));
                            self.err(
                                p.span,
                                format!("unknown input `{}` of `{action}`{hint}", p.name),
                            );
                        }
                        Some(input) => self.input_value(action, &p.name, &input.schema, &p.value),
                    }
                }
                for input in fields.iter().filter(|f| f.required) {
                    if !with.iter().any(|p| p.name == input.name) {
                        self.err(
                            *span,
                            format!("missing required input `{}` of `{action}`", input.name),
                        );
                    }
                }
                if let Some(retry) = &step.retry {
                    for kind in &retry.retry_on {
                        if kind != "timeout" && !spec.errors.contains(kind) {
                            let mut kinds = vec!["timeout"];
                            kinds.extend(
                                spec.errors
                                    .iter()
                                    .map(String::as_str)
                                    .filter(|e| *e != "timeout"),
                            );
                            let message = format!(
                                "`retry_on` kind `{kind}` is not an error of `{action}` (one of {})",
                                kinds.join(", ")
                            );
                            self.err(retry.span, message);
                        }
                    }
                }
            }
            StepBody::Call {
                span,
                workflow,
                with,
            } => {
                check_params(&mut self.issues, with, "with", visible);
                if self.env.workflows.contains(workflow) {
                    self.calls.push((workflow.clone(), *span));
                    if let Some(decls) = self.env.inputs.get(workflow) {
                        self.call_inputs(workflow, decls, with, *span);
                    }
                } else {
                    let hint = suggest(workflow, self.env.workflows.iter().map(String::as_str));
                    self.err(
                        *span,
                        format!("unknown workflow `{workflow}` in `call`{hint}"),
                    );
                }
            }
            StepBody::Switch { cases, default } => {
                let mut added = Vec::new();
                for case in cases {
                    check_expr(&mut self.issues, &case.when, "when", visible);
                    added.extend(self.branch(&case.steps, visible));
                }
                added.extend(self.branch(default, visible));
                visible.extend(added);
            }
            StepBody::Parallel { branches } => {
                let added: Vec<String> = branches
                    .iter()
                    .flat_map(|b| self.branch(b, visible))
                    .collect();
                visible.extend(added);
            }
            StepBody::Foreach { items, max, steps } => {
                check_expr(&mut self.issues, items, "items", visible);
                if *max == 0 {
                    self.err(items.span, "foreach `max` must be at least 1".to_owned());
                }
                let added = self.branch(steps, visible);
                visible.extend(added);
            }
            StepBody::Wait(Wait::Event { matches, .. }) => {
                check_expr(&mut self.issues, matches, "match", visible)
            }
            StepBody::Wait(Wait::Duration(_)) => {}
            StepBody::Approval(a) => {
                if a.role.is_empty() {
                    self.err(a.span, format!("approval needs a `role` (one of {ROLES})"));
                } else {
                    check_role(&mut self.issues, &a.role, a.span);
                }
                if let Some(prompt) = &a.prompt {
                    check_value(&mut self.issues, prompt, "prompt", visible);
                }
                if a.options.is_empty() {
                    self.err(a.span, "approval needs at least one option".to_owned());
                }
                for r in &a.reason_required_on {
                    if !a.options.contains(r) {
                        self.err(
                            a.span,
                            format!("`reason_required_on` names `{r}`, which is not an option"),
                        );
                    }
                }
            }
        }
    }
}
