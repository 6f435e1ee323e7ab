//! Plain references (`input.order.id`, `steps.enrich.output.total`,
//! `vars.tone`, `run.id`) read straight from the run's JSON, without a CEL
//! program: most `with:` expressions are such paths, and on a worker's hot
//! path building CEL values for them costs more than the step itself.
//!
//! The result is the value CEL would give (serde_json objects keep their
//! keys sorted, as [`crate::inputs::to_json`] sorts a CEL map's). Anything
//! else — a missing key, a skipped step, a keyword, any operator — answers
//! `None`, and the caller evaluates the expression with CEL, which also
//! words the error.

use serde_json::Value;

use crate::state::RunState;

/// CEL's reserved words: a path using one is left to the CEL parser.
const RESERVED: [&str; 21] = [
    "true",
    "false",
    "null",
    "in",
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

/// The value of `source` when it is a plain reference that exists.
pub(crate) fn plain_reference(source: &str, state: &RunState) -> Option<Value> {
    let mut segments = source.split('.');
    let root = segments.next()?;
    let rest: Vec<&str> = segments.collect();
    if !identifier(root) || !rest.iter().all(|s| identifier(s)) {
        return None;
    }
    match root {
        "input" | "event" => walk(&state.input, &rest),
        "vars" => walk(&state.vars, &rest),
        "steps" => match rest.as_slice() {
            [id, "output", path @ ..] if !state.skipped.contains(*id) => {
                walk(state.outputs.get(*id)?, path)
            }
            _ => None,
        },
        "run" => match rest.as_slice() {
            ["id"] => Some(Value::String(state.run_id.clone())),
            ["workflow"] => Some(Value::String(state.workflow.clone())),
            _ => None,
        },
        _ => None,
    }
}

fn identifier(segment: &str) -> bool {
    let mut chars = segment.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&segment)
}

fn walk(value: &Value, path: &[&str]) -> Option<Value> {
    let mut at = value;
    for key in path {
        at = at.as_object()?.get(*key)?;
    }
    Some(at.clone())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::eval::evaluate;
    use crate::inputs::to_json;
    use proptest::prelude::*;
    use serde_json::json;

    fn state() -> RunState {
        let mut s = RunState::new();
        s.run_id = "run-1".into();
        s.workflow = "w".into();
        s.input = json!({
            "order": {"id": "A-1", "total": 150, "price": 12.5, "big": 18446744073709551615u64,
                      "lines": [{"sku": "S", "qty": 2}], "note": null, "in": 1,
                      "nested": {"b": 1, "a": {"z": true, "y": [1, 2.5, "x"]}}},
        });
        s.vars = json!({"tone": "warm"});
        s.outputs.insert("enrich".into(), json!({"count": 3}));
        s.skipped.insert("later".into());
        s
    }

    #[test]
    fn plain_paths_give_what_cel_gives() {
        let s = state();
        for source in [
            "input.order.id",
            "input.order.total",
            "input.order.price",
            "input.order.big",
            "input.order.lines",
            "input.order.note",
            "input.order.nested",
            "event.order.nested.a",
            "steps.enrich.output.count",
            "steps.enrich.output",
            "vars.tone",
            "vars",
            "run.id",
            "run.workflow",
            "input",
        ] {
            let cel = evaluate(source, &s, None).and_then(|v| to_json(&v));
            assert_eq!(plain_reference(source, &s), Some(cel.unwrap()), "{source}");
        }
    }

    #[test]
    fn anything_else_is_left_to_cel() {
        let s = state();
        for source in [
            "input.order.missing",
            "input.order.id.deeper",
            "input.order.in",
            "steps.later.output",
            "steps.absent.output.x",
            "steps.enrich",
            "run.other",
            "item.x",
            "index",
            "input.order.total + 1",
            "input .order",
            "input.",
            "",
            "input.order['id']",
            "size(input)",
        ] {
            assert_eq!(plain_reference(source, &s), None, "{source}");
        }
    }

    proptest! {
        /// On any JSON input, a path either agrees with CEL or is left to it.
        #[test]
        fn agrees_with_cel_on_random_input(
            input in proptest::collection::btree_map("[a-c]", proptest::collection::btree_map("[a-c]", any::<i32>().prop_map(Value::from), 0..3).prop_map(|m| Value::Object(m.into_iter().collect())), 0..3),
            path in proptest::collection::vec("[a-d]", 0..3),
        ) {
            let mut s = RunState::new();
            s.input = Value::Object(input.into_iter().collect());
            let source = std::iter::once("input".to_string()).chain(path).collect::<Vec<_>>().join(".");
            let cel = evaluate(&source, &s, None).and_then(|v| to_json(&v));
            match plain_reference(&source, &s) {
                Some(fast) => prop_assert_eq!(Ok(fast), cel),
                // Left to CEL only where CEL fails too (every segment here is plain).
                None => prop_assert!(cel.is_err(), "{} gave {:?}", source, cel),
            }
        }
    }
}
