//! `store.query`: read-only queries of the store for workflows (no side
//! effects, so it also runs in shadow mode). Output `{"rows": […], "count": n}`.
//! Entities and their `filter` keys:
//! - `inventory_low_stock`: SKUs whose available units are at or below their
//!   demand-derived reorder point (`storeops_store::ReorderPolicy`);
//!   `window_days` (default 28) and `lead_time_days` (default 7); rows
//!   `{sku, available, reorder_point, sold, locations}`;
//! - `order`: `name` or `id` (platform id), the stored order (0 or 1 row);
//! - `return`: `id`, the stored return (0 or 1 row);
//! - `outcomes`: `entity`, the rows `store.update` inserted for it,
//!   `{key, fields, run_id, step, created_at}`;
//! - the stored lists — `products`, `variants`, `inventory`, `customers`,
//!   `orders`, `shipments`, `returns`, `tickets`, `docs`, `events` — in the
//!   API's order, with its filters (`q`, `status`, `since`, `until`, `sku`,
//!   `customer`, `order`, `source`, `topic`, as the kind accepts them) and
//!   `cursor`: the output's `next` when more rows follow.
//!
//! `limit` defaults to 100 and may be 1 to 1000.

use serde_json::{json, Map, Value};
use storeops_actions::{ActionSpec, Schema};
use storeops_engine::StepError;
use storeops_store::{ListKind, ListQuery, ReorderPolicy, StoreError};

use super::{db_error, fatal, str_input, Action, ActionCtx, ActionFuture, ActionOutput};

/// Rows returned when `limit` is not given.
const DEFAULT_LIMIT: u64 = 100;
/// Largest `limit`.
const MAX_LIMIT: u64 = 1000;
/// Demand window of reorder points when `filter.window_days` is not given.
const DEFAULT_WINDOW_DAYS: u64 = 28;
/// Supplier lead time when `filter.lead_time_days` is not given.
const DEFAULT_LEAD_TIME_DAYS: u64 = 7;

/// The one-record and computed entities, beside the stored lists.
const SPECIAL: &[&str] = &["inventory_low_stock", "order", "return", "outcomes"];

/// `store.query`.
pub(super) struct Query {
    spec: ActionSpec,
}

impl Query {
    pub(super) fn new() -> Query {
        let mut entities: Vec<&str> = SPECIAL.to_vec();
        entities.extend(ListKind::ALL.iter().map(|k| k.as_str()));
        let input = Schema::object()
            .field("entity", Schema::one_of(&entities))
            .optional(
                "filter",
                Schema::object()
                    .open()
                    .doc("the entity's filters (see the action's doc)"),
            )
            .optional(
                "limit",
                Schema::integer_in(1, MAX_LIMIT as i64).doc("rows, default 100"),
            );
        let output = Schema::object()
            .field("rows", Schema::array(Schema::any()))
            .field("count", Schema::integer())
            .optional(
                "next",
                Schema::any_of(vec![Schema::string(), Schema::null()])
                    .doc("lists: the `filter.cursor` of the next page"),
            );
        Query {
            spec: ActionSpec::new(
                "store.query",
                "Reads the store: the stored lists (products, orders, customers, …) with the \
                 API's filters, one order or return, outcome rows of `store.update`, or SKUs \
                 at or below their reorder point (`inventory_low_stock`).\n\n\
                 Entities and their `filter` keys: `order` (`name` or `id`, 0 or 1 row); \
                 `return` (`id`); `outcomes` (`entity`: the rows `store.update` inserted); \
                 `inventory_low_stock` (`window_days` default 28, `lead_time_days` default 7); \
                 the lists `products`, `variants`, `inventory`, `customers`, `orders`, \
                 `shipments`, `returns`, `tickets`, `docs`, `events` with the API's filters \
                 (`q`, `status`, `since`, `until`, `sku`, `customer`, `order`, `source`, \
                 `topic`, as the list takes them), at most 500 rows a page, and `cursor` \
                 (the previous output's `next`).",
                input,
                output,
            )
            .errors(&["db"]),
        }
    }
}

impl Action for Query {
    fn spec(&self) -> &ActionSpec {
        &self.spec
    }

    fn execute<'a>(&'a self, ctx: &'a ActionCtx, input: Value) -> ActionFuture<'a> {
        Box::pin(async move {
            let entity = str_input(&input, "entity")?;
            let limit = match input.get("limit").filter(|v| !v.is_null()) {
                None => DEFAULT_LIMIT,
                Some(v) => v
                    .as_u64()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        fatal(
                            "invalid_input",
                            format!("`limit` must be a whole number from 1 to {MAX_LIMIT}"),
                        )
                    })?,
            };
            let limit = u32::try_from(limit).unwrap_or(1000);
            let empty = Map::new();
            let filter = match input.get("filter").filter(|v| !v.is_null()) {
                None => &empty,
                Some(Value::Object(map)) => map,
                Some(_) => return Err(fatal("invalid_input", "`filter` must be an object")),
            };
            let rows = match entity {
                "inventory_low_stock" => low_stock(ctx, filter, limit).await?,
                "order" => order(ctx, filter).await?,
                "return" => {
                    only_keys(filter, &["id"])?;
                    let id = text(filter, "id")?
                        .ok_or_else(|| fatal("invalid_input", "`filter.id` is required"))?;
                    one(ctx, ListKind::Returns, id).await?
                }
                "outcomes" => outcomes(ctx, filter, limit).await?,
                other => match other.parse::<ListKind>() {
                    Ok(kind) => return list(ctx, kind, filter, limit).await,
                    Err(_) => {
                        let mut known: Vec<&str> = SPECIAL.to_vec();
                        known.extend(ListKind::ALL.iter().map(|k| k.as_str()));
                        return Err(fatal(
                            "invalid_input",
                            format!(
                                "`entity: {other}` cannot be queried (one of: {})",
                                known.join(", ")
                            ),
                        ));
                    }
                },
            };
            let count = rows.len();
            Ok(ActionOutput::value(json!({ "rows": rows, "count": count })))
        })
    }
}

/// Rejects filter keys other than `allowed`.
fn only_keys(filter: &Map<String, Value>, allowed: &[&str]) -> Result<(), StepError> {
    match filter.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(key) => Err(fatal(
            "invalid_input",
            format!(
                "`filter.{key}` is not a filter of this entity (allowed: {})",
                allowed.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

/// String filter `name`, if given.
fn text<'a>(filter: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, StepError> {
    match filter.get(name).filter(|v| !v.is_null()) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(fatal(
            "invalid_input",
            format!("`filter.{name}` must be a string"),
        )),
    }
}

/// Whole-number filter `name` in `range`, or `default`.
fn days(
    filter: &Map<String, Value>,
    name: &str,
    default: u64,
    range: std::ops::RangeInclusive<u64>,
) -> Result<u32, StepError> {
    let value = match filter.get(name).filter(|v| !v.is_null()) {
        None => default,
        Some(v) => v.as_u64().filter(|n| range.contains(n)).ok_or_else(|| {
            fatal(
                "invalid_input",
                format!(
                    "`filter.{name}` must be a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
            )
        })?,
    };
    Ok(u32::try_from(value).unwrap_or(u32::MAX))
}

async fn low_stock(
    ctx: &ActionCtx,
    filter: &Map<String, Value>,
    limit: u32,
) -> Result<Vec<Value>, StepError> {
    only_keys(filter, &["window_days", "lead_time_days"])?;
    let policy = ReorderPolicy {
        as_of: ctx.now,
        window_days: days(filter, "window_days", DEFAULT_WINDOW_DAYS, 1..=3650)?,
        lead_time_days: days(filter, "lead_time_days", DEFAULT_LEAD_TIME_DAYS, 0..=3650)?,
    };
    let rows = ctx
        .store
        .low_stock(policy, limit)
        .await
        .map_err(|e| db_error(&e))?;
    rows.iter()
        .map(|row| serde_json::to_value(row).map_err(|e| fatal("db", e.to_string())))
        .collect()
}

async fn order(ctx: &ActionCtx, filter: &Map<String, Value>) -> Result<Vec<Value>, StepError> {
    only_keys(filter, &["id", "name"])?;
    let name = match (text(filter, "name")?, text(filter, "id")?) {
        (Some(name), None) => name.to_string(),
        (None, Some(id)) => match ctx.store.order_name_by_id(id).await {
            Ok(Some(name)) => name,
            Ok(None) => return Ok(Vec::new()),
            Err(e) => return Err(db_error(&e)),
        },
        _ => {
            return Err(fatal(
                "invalid_input",
                "`filter` needs exactly one of `name` and `id`",
            ))
        }
    };
    one(ctx, ListKind::Orders, &name).await
}

/// The record of `kind` with this key, as 0 or 1 row.
async fn one(ctx: &ActionCtx, kind: ListKind, key: &str) -> Result<Vec<Value>, StepError> {
    match ctx.store.get(kind, key).await {
        Ok(found) => Ok(found.into_iter().collect()),
        Err(e) => Err(db_error(&e)),
    }
}

async fn outcomes(
    ctx: &ActionCtx,
    filter: &Map<String, Value>,
    limit: u32,
) -> Result<Vec<Value>, StepError> {
    only_keys(filter, &["entity"])?;
    let entity = text(filter, "entity")?
        .ok_or_else(|| fatal("invalid_input", "`filter.entity` is required"))?;
    let rows = ctx
        .store
        .outcome_rows(entity, limit)
        .await
        .map_err(|e| db_error(&e))?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let fields =
                serde_json::from_str::<Value>(&row.fields).unwrap_or(Value::String(row.fields));
            json!({
                "key": row.key,
                "fields": fields,
                "run_id": row.run_id,
                "step": row.step,
                "created_at": row.created_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            })
        })
        .collect())
}

/// A page of a stored list, with the list's filters; `next` continues it.
async fn list(
    ctx: &ActionCtx,
    kind: ListKind,
    filter: &Map<String, Value>,
    limit: u32,
) -> Result<ActionOutput, StepError> {
    if limit > ListQuery::MAX_LIMIT {
        return Err(fatal(
            "invalid_input",
            format!(
                "`limit` must be from 1 to {} for `entity: {kind}`",
                ListQuery::MAX_LIMIT
            ),
        ));
    }
    let mut allowed: Vec<&str> = kind.filters().to_vec();
    allowed.push("cursor");
    only_keys(filter, &allowed)?;
    let owned = |name: &str| text(filter, name).map(|v| v.map(str::to_string));
    let time = |name: &str| -> Result<Option<chrono::DateTime<chrono::Utc>>, StepError> {
        match text(filter, name)? {
            None => Ok(None),
            Some(t) => chrono::DateTime::parse_from_rfc3339(t)
                .map(|d| Some(d.with_timezone(&chrono::Utc)))
                .map_err(|e| {
                    fatal(
                        "invalid_input",
                        format!("`filter.{name}` must be an RFC 3339 time: {e}"),
                    )
                }),
        }
    };
    let query = ListQuery {
        limit,
        cursor: owned("cursor")?,
        q: owned("q")?,
        status: owned("status")?,
        since: time("since")?,
        until: time("until")?,
        sku: owned("sku")?,
        customer: owned("customer")?,
        order: owned("order")?,
        source: owned("source")?,
        topic: owned("topic")?,
    };
    let page = ctx.store.list(kind, &query).await.map_err(|e| match e {
        StoreError::InvalidQuery { field, message } => {
            fatal("invalid_input", format!("`filter.{field}`: {message}"))
        }
        other => db_error(&other),
    })?;
    let count = page.items.len();
    Ok(ActionOutput::value(
        json!({ "rows": page.items, "count": count, "next": page.next }),
    ))
}
