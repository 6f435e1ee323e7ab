//! `store.update`: writes to the store, committed in the same transaction as
//! the step's result. `op: insert` adds one row `(entity, key)` with
//! `fields` to the outcomes table, keeping the first on a repeated key.

use serde_json::{json, Value};
use storeops_store::Outcome;

use super::{fatal, str_input, Action, ActionCtx, ActionFuture, ActionOutput};

/// `store.update`.
pub(super) struct Update;

impl Action for Update {
    fn name(&self) -> &str {
        "store.update"
    }

    fn transactional(&self) -> bool {
        true
    }

    fn execute<'a>(&'a self, ctx: &'a ActionCtx, input: Value) -> ActionFuture<'a> {
        Box::pin(async move {
            let entity = str_input(&input, "entity")?;
            let op = str_input(&input, "op")?;
            if op != "insert" {
                return Err(fatal(
                    "invalid_input",
                    format!("`op: {op}` is not supported yet (supported: insert)"),
                ));
            }
            let key = match input.get("key") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => return Err(fatal("invalid_input", "`key` must be a string or a number")),
            };
            let fields = input.get("fields").cloned().unwrap_or_else(|| json!({}));
            let outcome = Outcome {
                entity: entity.to_string(),
                key: key.clone(),
                fields: fields.to_string(),
                run_id: ctx.run_id.clone(),
                step: ctx.step.clone(),
            };
            Ok(ActionOutput {
                output: json!({ "entity": entity, "op": op, "key": key, "fields": fields }),
                outcomes: vec![outcome],
            })
        })
    }
}
