//! Deploying definitions: validate every file at once, compile each into a
//! plan, and store the version (YAML source + plan) under its content hash.
//! The workflow's active version becomes the new one; running runs keep the
//! version they started on.

use serde::Serialize;
use storeops_engine::{compile, Plan};
use storeops_store::{Store, WorkflowVersion};
use storeops_workflow::{validate_files, ActionCatalog, Mode};

use crate::error::RuntimeError;

/// One deployed definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deployed {
    /// Workflow name.
    pub workflow: String,
    /// Content hash of the version.
    pub version: String,
    /// Whether this version was new (false: already deployed).
    pub new: bool,
    /// The file it came from.
    pub path: String,
}

/// The mode name stored for a definition's `mode:`.
pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Off => "off",
        Mode::Shadow => "shadow",
        Mode::Live => "live",
    }
}

/// Validates all `files` (`(path, text)`) against `catalog` (the worker's
/// action registry) and compiles them, then deploys them. Nothing is
/// deployed unless every file is valid; the error lists every problem, one
/// `path:line:col: message` per line.
pub async fn deploy_files(
    store: &Store,
    catalog: &dyn ActionCatalog,
    files: &[(String, String)],
) -> Result<Vec<Deployed>, RuntimeError> {
    let deployed_names: Vec<String> = store
        .workflows()
        .await?
        .into_iter()
        .map(|w| w.name)
        .collect();
    let known: Vec<&str> = deployed_names.iter().map(String::as_str).collect();
    let inputs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let report = validate_files(&inputs, catalog, &known);
    let mut problems: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
    let mut plans: Vec<(Plan, &str, String)> = Vec::new();
    for validated in &report.workflows {
        match compile(validated, catalog) {
            Ok(plan) => {
                let source = files
                    .iter()
                    .find(|(p, _)| *p == validated.path)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default();
                plans.push((plan, mode_name(validated.workflow.mode), source));
            }
            Err(errors) => problems.extend(errors.iter().map(ToString::to_string)),
        }
    }
    if !problems.is_empty() {
        return Err(RuntimeError::Invalid(problems.join("\n")));
    }
    let mut out = Vec::new();
    for ((plan, mode, source), validated) in plans.into_iter().zip(&report.workflows) {
        let version = WorkflowVersion {
            workflow: plan.workflow.clone(),
            version: plan.version.clone(),
            source,
            plan: serde_json::to_string(&plan)?,
        };
        let new = store.deploy_workflow(&version, mode).await?;
        out.push(Deployed {
            workflow: plan.workflow,
            version: plan.version,
            new,
            path: validated.path.clone(),
        });
    }
    Ok(out)
}
