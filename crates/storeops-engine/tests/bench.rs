//! A quick timing of the evaluation hot path, run by hand:
//! `cargo test -p storeops-engine --release --test bench -- --ignored --nocapture`.
//! One op = one `if:` condition + a `with:` of three expressions, over a
//! run with five step outputs; `before` replays the earlier evaluation
//! (compile per call, a fresh standard context, every output bound).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use serde_json::{json, Map, Value};
use storeops_engine::{condition, resolve_inputs, RunState};

const N: u32 = 100_000;
const CONDITION: &str = "steps.enrich.output.total > 100";
const EXPRESSIONS: [&str; 3] = [
    "steps.enrich.output.order_id",
    "steps.enrich.output.total",
    "has(steps.high.output) ? \"high\" : \"normal\"",
];

fn state() -> RunState {
    let mut s = RunState::new();
    s.run_id = "run-1".into();
    s.workflow = "order-triage".into();
    s.input = json!({"order": {"id": "A-1", "total": 150, "lines": (0..20).map(|i| json!({"sku": format!("S{i}"), "qty": i})).collect::<Vec<_>>()}});
    for (i, id) in ["enrich", "high", "fetch", "score", "notify"]
        .iter()
        .enumerate()
    {
        s.outputs.insert(
            (*id).into(),
            json!({"order_id": "A-1", "total": 150, "n": i, "blob": (0..20).map(|j| format!("x{j}")).collect::<Vec<_>>()}),
        );
    }
    s
}

/// The evaluation as it was before the cache.
fn before(source: &str, state: &RunState) -> cel::Value {
    let program = cel::Program::compile(source).unwrap();
    let steps: Map<String, Value> = state
        .outputs
        .iter()
        .map(|(id, output)| (id.clone(), json!({ "output": output })))
        .collect();
    let mut context = cel::Context::default();
    let variables = [
        ("input", state.input.clone()),
        ("event", state.input.clone()),
        ("steps", Value::Object(steps)),
        (
            "run",
            json!({"id": state.run_id, "workflow": state.workflow}),
        ),
    ];
    for (name, value) in variables {
        context.add_variable(name, value).unwrap();
    }
    program.execute(&context).unwrap()
}

#[test]
#[ignore = "timing, run by hand in release"]
fn evaluation_cost_per_condition_and_three_input_with() {
    let s = state();
    let with = json!({
        "key": format!("${{{{ {} }}}}", EXPRESSIONS[0]),
        "fields": {
            "total": format!("${{{{ {} }}}}", EXPRESSIONS[1]),
            "priority": format!("${{{{ {} }}}}", EXPRESSIONS[2]),
        },
    });
    let started = Instant::now();
    for _ in 0..N {
        assert!(matches!(before(CONDITION, &s), cel::Value::Bool(true)));
        for e in EXPRESSIONS {
            std::hint::black_box(before(e, &s));
        }
    }
    let old = started.elapsed().as_secs_f64() * 1e6 / f64::from(N);
    let started = Instant::now();
    for _ in 0..N {
        assert_eq!(condition(CONDITION, &s), Ok(true));
        std::hint::black_box(resolve_inputs(&with, &s).unwrap());
    }
    let new = started.elapsed().as_secs_f64() * 1e6 / f64::from(N);
    println!("before: {old:.2} µs/op, after: {new:.2} µs/op ({N} ops)");
}
