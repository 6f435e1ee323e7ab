//! Tests of the schema checker and its JSON Schema form.

use proptest::prelude::*;
use serde_json::json;

use super::{Mismatch, Schema};

fn query() -> Schema {
    Schema::object()
        .field("entity", Schema::one_of(&["products", "orders"]))
        .optional("limit", Schema::integer_in(1, 1000))
        .optional(
            "filter",
            Schema::object()
                .optional("skus", Schema::array(Schema::string()))
                .optional("window_days", Schema::integer()),
        )
        .optional("extra", Schema::map(Schema::number()))
}

fn messages(m: Vec<Mismatch>) -> Vec<String> {
    m.into_iter().map(|m| m.message).collect()
}

#[test]
fn a_matching_value_has_no_mismatch() {
    let v = json!({"entity": "products", "limit": 5, "filter": {"skus": ["a", "b"]}, "extra": {"x": 1.5}});
    assert_eq!(query().check(&v), vec![]);
}

#[test]
fn every_mismatch_names_its_path() {
    let v = json!({
        "entity": "prodcts",
        "limit": 0,
        "filter": {"skus": ["a", 3], "windw_days": 2},
        "extra": {"x": "no"}
    });
    assert_eq!(
        messages(query().check(&v)),
        vec![
            "`entity` must be one of products, orders, found `prodcts` (did you mean `products`?)",
            "`extra.x` must be a number, found a string",
            "`filter.skus[1]` must be a string, found a number",
            "`filter.windw_days` is not a known field (one of skus, window_days) (did you mean `window_days`?)",
            "`limit` must be from 1 to 1000, found 0",
        ]
    );
}

#[test]
fn missing_and_null_required_fields_are_reported() {
    assert_eq!(
        messages(query().check(&json!({}))),
        vec!["`entity` is required"]
    );
    assert_eq!(
        messages(query().check(&json!({"entity": null, "limit": null}))),
        vec!["`entity` is required"]
    );
    assert_eq!(
        messages(query().check(&json!([1]))),
        vec!["the value must be an object, found a list"]
    );
}

#[test]
fn whole_floats_are_integers_and_any_of_takes_either() {
    let s = Schema::object().field("n", Schema::integer()).field(
        "to",
        Schema::any_of(vec![Schema::string(), Schema::array(Schema::string())]),
    );
    assert_eq!(s.check(&json!({"n": 3.0, "to": ["a"]})), vec![]);
    assert_eq!(
        messages(s.check(&json!({"n": 3.5, "to": 1}))),
        vec![
            "`n` must be an integer, found a number",
            "`to` must be a string or a list, found a number",
        ]
    );
}

#[test]
fn json_schema_form() {
    assert_eq!(
        query().to_json(),
        json!({
            "type": "object",
            "properties": {
                "entity": {"type": "string", "enum": ["products", "orders"]},
                "limit": {"type": "integer", "minimum": 1, "maximum": 1000},
                "filter": {
                    "type": "object",
                    "properties": {
                        "skus": {"type": "array", "items": {"type": "string"}},
                        "window_days": {"type": "integer"}
                    },
                    "additionalProperties": false
                },
                "extra": {"type": "object", "additionalProperties": {"type": "number"}}
            },
            "required": ["entity"],
            "additionalProperties": false
        })
    );
    assert_eq!(
        Schema::object().open().doc("d").to_json(),
        json!({"type": "object", "additionalProperties": true, "description": "d"})
    );
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(json!(null)),
        any::<bool>().prop_map(|b| json!(b)),
        any::<i64>().prop_map(|i| json!(i)),
        "[a-z]{0,6}".prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn any_matches_everything_and_paths_lead_to_the_value(v in arb_json()) {
        prop_assert!(Schema::any().check(&v).is_empty());
        for m in query().check(&v) {
            // A reported path is either the top, a key of the value, or a
            // declared field that is missing.
            let first = m.path.split(['.', '[']).next().unwrap_or("");
            let known = ["entity", "limit", "filter", "extra"].contains(&first);
            let present = v.get(first).is_some();
            prop_assert!(m.path.is_empty() || known || present, "{m:?}");
        }
    }
}
