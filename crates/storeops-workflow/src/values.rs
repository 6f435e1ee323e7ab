//! Checks of values and expressions: CEL syntax, `steps.<id>` references, and
//! value types against action inputs.

use crate::cel_check::{compile, step_refs};
use crate::definition::{Expr, InputType, Param, TemplatePart, Value, ValueKind};
use crate::error::Issue;

/// Checks one bare expression written under `key`; `visible` are the earlier step ids.
pub fn check_expr(issues: &mut Vec<Issue>, expr: &Expr, key: &str, visible: &[String]) {
    if let Err(message) = compile(&expr.source) {
        issues.push(Issue::new(
            expr.span,
            format!("bad CEL in `{key}`: {message}"),
        ));
        return;
    }
    for id in step_refs(&expr.source) {
        if !visible.contains(&id) {
            issues.push(Issue::new(
                expr.span,
                format!("`steps.{id}` is not an earlier step"),
            ));
        }
    }
}

/// Checks every expression inside a value.
pub fn check_value(issues: &mut Vec<Issue>, value: &Value, key: &str, visible: &[String]) {
    match &value.kind {
        ValueKind::Expr(e) => check_expr(issues, e, key, visible),
        ValueKind::Template(parts) => {
            for part in parts {
                if let TemplatePart::Expr(e) = part {
                    check_expr(issues, e, key, visible);
                }
            }
        }
        ValueKind::List(items) => {
            for item in items {
                check_value(issues, item, key, visible);
            }
        }
        ValueKind::Map(entries) => check_params(issues, entries, key, visible),
        ValueKind::Null
        | ValueKind::Bool(_)
        | ValueKind::Int(_)
        | ValueKind::Number(_)
        | ValueKind::Str(_) => {}
    }
}

/// Checks every value of a mapping; messages name the key as `<key>.<name>`.
pub fn check_params(issues: &mut Vec<Issue>, params: &[Param], key: &str, visible: &[String]) {
    for p in params {
        check_value(issues, &p.value, &format!("{key}.{}", p.name), visible);
    }
}

/// The value's type in messages; `None` for `${{ }}` (typed only at run time).
pub fn found_type(value: &Value) -> Option<&'static str> {
    Some(match &value.kind {
        ValueKind::Null => "null",
        ValueKind::Bool(_) => "a boolean",
        ValueKind::Int(_) | ValueKind::Number(_) => "a number",
        ValueKind::Str(_) | ValueKind::Template(_) => "a string",
        ValueKind::List(_) => "a list",
        ValueKind::Map(_) => "a mapping",
        ValueKind::Expr(_) => return None,
    })
}

/// Whether `value` can be given where `ty` is expected.
pub fn fits(ty: InputType, value: &Value) -> bool {
    matches!(
        (ty, &value.kind),
        (InputType::Any, _)
            | (_, ValueKind::Expr(_))
            | (InputType::Str, ValueKind::Str(_) | ValueKind::Template(_))
            | (InputType::Int, ValueKind::Int(_))
            | (InputType::Number, ValueKind::Int(_) | ValueKind::Number(_))
            | (InputType::Bool, ValueKind::Bool(_))
            | (InputType::Object, ValueKind::Map(_))
            | (InputType::Array, ValueKind::List(_))
    )
}

/// The expected type in messages.
pub fn expected(ty: InputType) -> &'static str {
    match ty {
        InputType::Str => "a string",
        InputType::Int => "an integer",
        InputType::Number => "a number",
        InputType::Bool => "a boolean",
        InputType::Object => "a mapping",
        InputType::Array => "a list",
        InputType::Any => "any value",
    }
}
