//! storeops workflow definitions: YAML parsing into a spanned AST, validation
//! against an action catalog, and the content hash runs are pinned to.
//!
//! Pure: the caller hands in file names and contents; nothing here reads files,
//! spawns tasks or touches a database. [`validate_files`] reports every problem
//! of every file at once as `path:line:col: message` ([`Diagnostic`]). The syntax
//! is documented in `docs/workflows.md`.

mod catalog;
mod cel_check;
mod definition;
mod duration;
mod error;
mod hash;
mod parse;
mod parse_step;
mod parse_value;
pub mod schema;
mod step;
mod validate;
mod values;
mod yaml;

pub use catalog::{ActionCatalog, ActionSpec, SpecList};
pub use definition::{
    DurationSpec, Expr, InputDecl, InputType, Mode, Param, TemplatePart, Trigger, Value, ValueKind,
    VariantArm, Variants, Workflow,
};
pub use duration::parse_duration;
pub use error::{closest, suggest, Diagnostic, Span};
pub use hash::{canonical_json, content_hash};
pub use schema::Schema;
pub use step::{Approval, Backoff, Case, OnError, OnTimeout, Retry, Step, StepBody, Wait};

use std::collections::{BTreeMap, BTreeSet};

/// A workflow that validated clean.
#[derive(Debug, Clone, PartialEq)]
pub struct Validated {
    /// The file it came from.
    pub path: String,
    /// The definition.
    pub workflow: Workflow,
    /// Its [`content_hash`].
    pub hash: String,
}

/// The outcome of [`validate_files`].
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Files without any problem, in input order.
    pub workflows: Vec<Validated>,
    /// Every problem, by file (input order), then line and column.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// True when nothing was wrong.
    pub fn is_ok(&self) -> bool {
        self.diagnostics.is_empty()
    }
}

/// Parses one file into the AST (structure only, no catalog checks).
pub fn parse_workflow(path: &str, text: &str) -> Result<Workflow, Vec<Diagnostic>> {
    match parse_partial(text) {
        (Some(wf), issues) if issues.is_empty() => Ok(wf),
        (_, issues) => Err(to_diagnostics(path, issues)),
    }
}

/// The AST as far as it could be built, and the structural issues.
fn parse_partial(text: &str) -> (Option<Workflow>, Vec<error::Issue>) {
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            return (
                None,
                vec![error::Issue::new(Span { line: 1, col: 1 }, "empty file")],
            )
        }
        Err(issue) => return (None, vec![issue]),
    };
    let mut cx = parse::Cx::default();
    let wf = parse::workflow(&mut cx, &root);
    (wf, cx.issues)
}

fn to_diagnostics(path: &str, issues: Vec<error::Issue>) -> Vec<Diagnostic> {
    let mut d: Vec<Diagnostic> = issues
        .into_iter()
        .map(|i| Diagnostic::from_issue(path, i))
        .collect();
    d.sort_by_key(|d| d.span);
    d
}

/// Parses and checks `files` (`(path, contents)`) together: `call:` may name any
/// workflow in `files` or in `known_workflows`; call cycles among `files` are errors.
pub fn validate_files(
    files: &[(&str, &str)],
    catalog: &dyn ActionCatalog,
    known_workflows: &[&str],
) -> Report {
    let mut per_file: Vec<Vec<Diagnostic>> = vec![Vec::new(); files.len()];
    let mut parsed: Vec<Option<Workflow>> = Vec::with_capacity(files.len());
    for (i, (path, text)) in files.iter().enumerate() {
        // Semantic checks run on whatever parsed, so all problems show at once.
        let (wf, issues) = parse_partial(text);
        per_file[i] = to_diagnostics(path, issues);
        parsed.push(wf);
    }
    let mut names: BTreeSet<String> = known_workflows.iter().map(|s| (*s).to_owned()).collect();
    let mut owner: BTreeMap<String, usize> = BTreeMap::new();
    for (i, wf) in parsed.iter().enumerate() {
        let Some(wf) = wf else { continue };
        if let Some(&first) = owner.get(&wf.name) {
            let message = format!(
                "duplicate workflow name `{}` (first in {})",
                wf.name, files[first].0
            );
            per_file[i].push(Diagnostic {
                path: files[i].0.to_owned(),
                span: wf.span,
                message,
            });
        } else {
            owner.insert(wf.name.clone(), i);
        }
        names.insert(wf.name.clone());
    }
    let inputs: BTreeMap<String, Vec<InputDecl>> = owner
        .iter()
        .filter_map(|(name, &i)| {
            parsed[i]
                .as_ref()
                .map(|wf| (name.clone(), wf.inputs.clone()))
        })
        .collect();
    let env = validate::Env {
        catalog,
        workflows: &names,
        inputs: &inputs,
    };
    let mut calls: BTreeMap<String, Vec<(String, Span)>> = BTreeMap::new();
    for (i, wf) in parsed.iter().enumerate() {
        let Some(wf) = wf else { continue };
        let (issues, c) = validate::check(wf, &env);
        per_file[i].extend(
            issues
                .into_iter()
                .map(|x| Diagnostic::from_issue(files[i].0, x)),
        );
        if owner.get(&wf.name) == Some(&i) {
            calls.insert(wf.name.clone(), c);
        }
    }
    for (name, cycle, span) in find_cycles(&calls) {
        if let Some(&i) = owner.get(&name) {
            let message = format!("call cycle: {}", cycle.join(" → "));
            per_file[i].push(Diagnostic {
                path: files[i].0.to_owned(),
                span,
                message,
            });
        }
    }
    let mut report = Report::default();
    for (i, (wf, mut diags)) in parsed.into_iter().zip(per_file).enumerate() {
        diags.sort_by_key(|d| d.span);
        match wf {
            Some(workflow) if diags.is_empty() => {
                let hash = content_hash(&workflow);
                report.workflows.push(Validated {
                    path: files[i].0.to_owned(),
                    workflow,
                    hash,
                });
            }
            _ => report.diagnostics.extend(diags),
        }
    }
    report
}

/// Each elementary call cycle once, reported on its smallest workflow name at the
/// call that starts it: (workflow, `[a, b, a]`, call position).
fn find_cycles(calls: &BTreeMap<String, Vec<(String, Span)>>) -> Vec<(String, Vec<String>, Span)> {
    let mut out = Vec::new();
    for start in calls.keys() {
        // Depth-first search for paths back to `start` through names greater than it.
        let mut stack: Vec<(Vec<String>, Span)> = Vec::new();
        for (callee, span) in calls.get(start).into_iter().flatten() {
            stack.push((vec![start.clone(), callee.clone()], *span));
        }
        let mut seen: BTreeSet<Vec<String>> = BTreeSet::new();
        let mut budget = 10_000u32;
        while let Some((path, span)) = stack.pop() {
            budget = budget.saturating_sub(1);
            if budget == 0 {
                break;
            }
            let Some(last) = path.last() else { continue };
            if last == start {
                if seen.insert(path.clone()) {
                    out.push((start.clone(), path, span));
                }
                continue;
            }
            if last < start || path[..path.len() - 1].contains(last) || path.len() > 64 {
                continue;
            }
            for (callee, _) in calls.get(last).into_iter().flatten() {
                let mut next = path.clone();
                next.push(callee.clone());
                stack.push((next, span));
            }
        }
    }
    out.sort_by(|a, b| (a.2, &a.1).cmp(&(b.2, &b.1)));
    out
}
