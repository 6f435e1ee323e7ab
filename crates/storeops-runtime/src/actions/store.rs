//! `store.update`: writes to the store, committed in the same transaction as
//! the step's result (a [`StoreEffect`]), so each write happens exactly once.
//! Operations:
//! - `op: insert` adds one row `(entity, key)` with `fields` to the outcomes
//!   table, keeping the first on a repeated key;
//! - `op: set_status` (`entity: return`) sets the return `key`'s status to
//!   `status` (or `fields.status`), one of the domain's return statuses;
//! - `op: tag` (`entity: order`) adds `tag` (or `fields.tag`) to the order
//!   named `key` unless it has it.
//!
//! The record must exist when the step runs (`not_found` otherwise); every
//! bad input is a non-retryable `invalid_input` naming the input.

use serde_json::{json, Value};
use storeops_domain::ReturnStatus;
use storeops_store::{ListKind, Outcome, StoreEffect};

use super::{db_error, fatal, str_input, Action, ActionCtx, ActionFuture, ActionOutput};
use storeops_actions::{ActionSpec, Schema};
use storeops_engine::StepError;

/// `store.update`.
pub(super) struct Update {
    spec: ActionSpec,
}

impl Update {
    pub(super) fn new() -> Update {
        let input = Schema::object()
            .field(
                "entity",
                Schema::string().doc("`return` (set_status), `order` (tag), any name (insert)"),
            )
            .field("op", Schema::one_of(&["insert", "set_status", "tag"]))
            .field(
                "key",
                Schema::any_of(vec![Schema::string(), Schema::number()])
                    .doc("the outcome key, return id or order name"),
            )
            .optional(
                "fields",
                Schema::object().open().doc("insert: the row's fields"),
            )
            .optional(
                "status",
                Schema::string().doc("set_status: a return status"),
            )
            .optional("tag", Schema::string().doc("tag: the tag to add"));
        let output = Schema::object()
            .field("entity", Schema::string())
            .field("op", Schema::string())
            .field("key", Schema::string())
            .field("fields", Schema::any())
            .optional("status", Schema::string())
            .optional("tag", Schema::string());
        Update {
            spec: ActionSpec::new(
                "store.update",
                "Writes to the store in the step's own commit, so it happens exactly once: \
                 `insert` an outcome row (the first of a key stays), `set_status` of a return, \
                 `tag` an order.",
                input,
                output,
            )
            .side_effects()
            .errors(&["not_found", "db"]),
        }
    }
}

impl Action for Update {
    fn spec(&self) -> &ActionSpec {
        &self.spec
    }

    fn transactional(&self) -> bool {
        true
    }

    fn execute<'a>(&'a self, ctx: &'a ActionCtx, input: Value) -> ActionFuture<'a> {
        Box::pin(async move {
            let entity = str_input(&input, "entity")?;
            let op = str_input(&input, "op")?;
            let key = match input.get("key") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => return Err(fatal("invalid_input", "`key` must be a string or a number")),
            };
            let fields = input.get("fields").cloned().unwrap_or_else(|| json!({}));
            let mut output = json!({ "entity": entity, "op": op, "key": key, "fields": fields });
            let effect = match op {
                "insert" => StoreEffect::Insert(Outcome {
                    entity: entity.to_string(),
                    key: key.clone(),
                    fields: fields.to_string(),
                    run_id: ctx.run_id.clone(),
                    step: ctx.step.clone(),
                }),
                "set_status" => {
                    only_for(entity, "return", op)?;
                    let text = field(&input, "status")?;
                    let status = ReturnStatus::parse(text).map_err(|_| {
                        fatal(
                            "invalid_input",
                            format!(
                                "`status: {text}` is not a return status (one of: {})",
                                ReturnStatus::ALL
                                    .iter()
                                    .map(ReturnStatus::as_str)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                    })?;
                    exists(ctx, ListKind::Returns, "return", &key).await?;
                    output["status"] = json!(status.as_str());
                    StoreEffect::SetReturnStatus {
                        return_id: key,
                        status,
                        run_id: ctx.run_id.clone(),
                    }
                }
                "tag" => {
                    only_for(entity, "order", op)?;
                    let tag = field(&input, "tag")?.trim();
                    if tag.is_empty() {
                        return Err(fatal("invalid_input", "`tag` must not be empty"));
                    }
                    exists(ctx, ListKind::Orders, "order", &key).await?;
                    output["tag"] = json!(tag);
                    StoreEffect::TagOrder {
                        order: key,
                        tag: tag.to_string(),
                        run_id: ctx.run_id.clone(),
                    }
                }
                other => {
                    return Err(fatal(
                        "invalid_input",
                        format!(
                            "`op: {other}` is not supported (supported: insert, set_status, tag)"
                        ),
                    ))
                }
            };
            Ok(ActionOutput {
                output,
                effects: vec![effect],
            })
        })
    }
}

/// `op` works on `wanted` only.
fn only_for(entity: &str, wanted: &str, op: &str) -> Result<(), StepError> {
    if entity == wanted {
        Ok(())
    } else {
        Err(fatal(
            "invalid_input",
            format!("`entity: {entity}` does not support `op: {op}` (only `entity: {wanted}`)"),
        ))
    }
}

/// String input `name`, given directly or under `fields` (not both, unless
/// equal).
fn field<'a>(input: &'a Value, name: &str) -> Result<&'a str, StepError> {
    let direct = input.get(name).filter(|v| !v.is_null());
    let nested = input
        .get("fields")
        .and_then(|f| f.get(name))
        .filter(|v| !v.is_null());
    let value = match (direct, nested) {
        (Some(a), Some(b)) if a != b => {
            return Err(fatal(
                "invalid_input",
                format!("`{name}` and `fields.{name}` differ; give one"),
            ))
        }
        (Some(v), _) | (None, Some(v)) => v,
        (None, None) => {
            return Err(fatal(
                "invalid_input",
                format!("`{name}` (or `fields.{name}`) is required"),
            ))
        }
    };
    value
        .as_str()
        .ok_or_else(|| fatal("invalid_input", format!("`{name}` must be a string")))
}

/// Fails with `not_found` naming `key` unless the record exists.
async fn exists(ctx: &ActionCtx, kind: ListKind, what: &str, key: &str) -> Result<(), StepError> {
    match ctx.store.get(kind, key).await {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(fatal(
            "not_found",
            format!("`key`: {what} `{key}` does not exist"),
        )),
        Err(e) => Err(db_error(&e)),
    }
}
