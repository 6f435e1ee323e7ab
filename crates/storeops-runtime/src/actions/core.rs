//! `core.set` (its output is its `values`) and `core.log` (writes a log
//! line, outputs the message).

use serde_json::{json, Value};
use storeops_actions::{ActionSpec, Schema};

use super::{fatal, str_input, Action, ActionCtx, ActionFuture, ActionOutput};

/// `core.set`: outputs `values`.
pub(super) struct Set {
    spec: ActionSpec,
}

impl Set {
    pub(super) fn new() -> Set {
        let values = Schema::object().open();
        Set {
            spec: ActionSpec::new(
                "core.set",
                "Outputs its `values`, so later steps read them as `steps.<id>.output.<key>`.",
                Schema::object().field("values", values.clone().doc("the values to output")),
                values.doc("the `values` given"),
            ),
        }
    }
}

impl Action for Set {
    fn spec(&self) -> &ActionSpec {
        &self.spec
    }

    fn execute<'a>(&'a self, _ctx: &'a ActionCtx, input: Value) -> ActionFuture<'a> {
        Box::pin(async move {
            match input {
                Value::Object(mut map) => match map.remove("values") {
                    Some(values @ Value::Object(_)) => Ok(ActionOutput::value(values)),
                    _ => Err(fatal("invalid_input", "`values` must be an object")),
                },
                _ => Err(fatal("invalid_input", "the input must be an object")),
            }
        })
    }
}

/// `core.log`: logs `message` at `level` (info by default).
pub(super) struct Log {
    spec: ActionSpec,
}

impl Log {
    pub(super) fn new() -> Log {
        Log {
            spec: ActionSpec::new(
                "core.log",
                "Writes `message` (with `data`) to the server log at `level`.",
                Schema::object()
                    .field("message", Schema::string())
                    .optional(
                        "level",
                        Schema::one_of(&["info", "warn", "error"]).doc("default info"),
                    )
                    .optional("data", Schema::any().doc("logged beside the message")),
                Schema::object().field("message", Schema::string()),
            ),
        }
    }
}

impl Action for Log {
    fn spec(&self) -> &ActionSpec {
        &self.spec
    }

    fn execute<'a>(&'a self, ctx: &'a ActionCtx, input: Value) -> ActionFuture<'a> {
        Box::pin(async move {
            let message = str_input(&input, "message")?;
            let data = input.get("data").cloned().unwrap_or(Value::Null);
            match input.get("level").and_then(Value::as_str).unwrap_or("info") {
                "warn" => tracing::warn!(run = %ctx.run_id, step = %ctx.step, %data, "{message}"),
                "error" => tracing::error!(run = %ctx.run_id, step = %ctx.step, %data, "{message}"),
                _ => tracing::info!(run = %ctx.run_id, step = %ctx.step, %data, "{message}"),
            }
            Ok(ActionOutput::value(json!({ "message": message })))
        })
    }
}
