//! Evaluating a step's `with:` inputs: the JSON of the plan with every
//! `${{ <cel> }}` replaced by its value over the run (see [`crate::eval`]
//! for the variables). A string that is exactly one `${{ … }}` becomes the
//! typed value; `${{ … }}` inside other text is rendered into the string
//! (strings without quotes, other values as JSON); everything else is kept.

use std::fmt;

use serde_json::{Map, Number, Value};

use crate::eval::evaluate;
use crate::lookup::plain_reference;
use crate::state::RunState;

/// Where an input sits in `with:` (`with.fields.total`, `with.list[1]`),
/// rendered only for an error message.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => f.write_str("with"),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// A piece of a `with:` string.
enum Part<'a> {
    Text(&'a str),
    Expr(&'a str),
}

/// Splits `text` at its `${{ … }}` parts (the same rule as the definition
/// parser: up to the next `}}`); `None` when one is not closed.
fn parts(text: &str) -> Option<Vec<Part<'_>>> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        if start > 0 {
            parts.push(Part::Text(&rest[..start]));
        }
        let after = &rest[start + 3..];
        let end = after.find("}}")?;
        parts.push(Part::Expr(after[..end].trim()));
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest));
    }
    Some(parts)
}

/// The inputs of a step: `with` evaluated over `state`. Errors name the
/// input's path and the expression (``with.fields.total: `${{ … }}` …``).
pub fn resolve_inputs(with: &Value, state: &RunState) -> Result<Value, String> {
    resolve(with, state, &Path::Root)
}

fn resolve(value: &Value, state: &RunState, path: &Path<'_>) -> Result<Value, String> {
    match value {
        Value::String(text) if text.contains("${{") => string(text, state, path),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| resolve(item, state, &Path::Index(path, i)))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| Ok((k.clone(), resolve(v, state, &Path::Key(path, k))?)))
            .collect::<Result<Map<_, _>, String>>()
            .map(Value::Object),
        other => Ok(other.clone()),
    }
}

fn string(text: &str, state: &RunState, path: &Path<'_>) -> Result<Value, String> {
    let parts = parts(text).ok_or_else(|| format!("{path}: unclosed `${{{{` in `{text}`"))?;
    let value = |source: &str| match plain_reference(source, state) {
        Some(found) => Ok(found),
        None => evaluate(source, state, None)
            .and_then(|v| to_json(&v))
            .map_err(|e| format!("{path}: `${{{{ {source} }}}}` {e}")),
    };
    if let [Part::Expr(source)] = parts.as_slice() {
        return value(source);
    }
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Expr(source) => match value(source)? {
                Value::String(s) => out.push_str(&s),
                other => out.push_str(&other.to_string()),
            },
        }
    }
    Ok(Value::String(out))
}

/// A CEL result as JSON: numbers, strings, booleans, null, lists and maps
/// (keys as strings); timestamps as RFC 3339 and durations as seconds
/// (`"90s"`) strings. Bytes, functions and opaque values are refused.
pub fn to_json(value: &cel::Value) -> Result<Value, String> {
    Ok(match value {
        cel::Value::Null => Value::Null,
        cel::Value::Bool(b) => Value::Bool(*b),
        cel::Value::Int(i) => Value::from(*i),
        cel::Value::UInt(u) => Value::from(*u),
        cel::Value::Float(f) => Number::from_f64(*f)
            .map(Value::Number)
            .ok_or_else(|| format!("gave {f}, which JSON cannot hold"))?,
        cel::Value::String(s) => Value::String(s.to_string()),
        cel::Value::List(items) => {
            Value::Array(items.iter().map(to_json).collect::<Result<Vec<_>, _>>()?)
        }
        cel::Value::Map(map) => {
            let mut entries: Vec<(String, Value)> = map
                .map
                .iter()
                .map(|(k, v)| Ok((key(k), to_json(v)?)))
                .collect::<Result<_, String>>()?;
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().collect())
        }
        cel::Value::Timestamp(t) => Value::String(t.to_rfc3339()),
        cel::Value::Duration(d) => Value::String(format!("{}s", d.num_seconds())),
        other => return Err(format!("gave {other:?}, which is not a JSON value")),
    })
}

fn key(key: &cel::objects::Key) -> String {
    use cel::objects::Key;
    match key {
        Key::String(s) => s.to_string(),
        Key::Int(i) => i.to_string(),
        Key::Uint(u) => u.to_string(),
        Key::Bool(b) => b.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn state() -> RunState {
        let mut s = RunState::new();
        s.run_id = "run-1".into();
        s.workflow = "order-triage".into();
        s.input = json!({"order": {"id": "A-1", "total": 150, "lines": [1, 2]}});
        s.outputs.insert("enrich".into(), json!({"total": 12.5}));
        s
    }

    #[test]
    fn whole_expressions_are_typed_and_embedded_ones_rendered() {
        let with = json!({
            "key": "${{ event.order.id }}",
            "n": 7,
            "fields": {
                "total": "${{ steps.enrich.output.total }}",
                "big": "${{ input.order.total > 100 }}",
                "lines": "${{ input.order.lines }}",
                "none": "${{ null }}",
                "map": "${{ {'b': 1, 'a': [true]} }}",
            },
            "list": ["x", "${{ run.id }}"],
            "text": "Order ${{ input.order.id }} of ${{ input.order.total }}: ${{ input.order.lines }}",
            "vars": "${{ size(vars) }}",
        });
        assert_eq!(
            resolve_inputs(&with, &state()),
            Ok(json!({
                "key": "A-1",
                "n": 7,
                "fields": {
                    "total": 12.5,
                    "big": true,
                    "lines": [1, 2],
                    "none": null,
                    "map": {"a": [true], "b": 1},
                },
                "list": ["x", "run-1"],
                "text": "Order A-1 of 150: [1,2]",
                "vars": 0,
            }))
        );
    }

    #[test]
    fn errors_name_the_input_and_the_expression() {
        let with = json!({"fields": {"total": "${{ input.order.missing.x }}"}});
        let error = resolve_inputs(&with, &state()).unwrap_err();
        assert!(
            error.starts_with(
                "with.fields.total: `${{ input.order.missing.x }}` cannot be evaluated"
            ),
            "{error}"
        );
        let error = resolve_inputs(&json!({"a": ["${{ 1 + }}"]}), &state()).unwrap_err();
        assert!(
            error.starts_with("with.a[0]: `${{ 1 + }}` does not compile"),
            "{error}"
        );
        let error = resolve_inputs(&json!({"a": "x ${{ 1"}), &state()).unwrap_err();
        assert!(error.starts_with("with.a: unclosed"), "{error}");
    }
}
