//! Evaluating a step's `if:` condition (CEL) against the run so far. Pure
//! and deterministic: the same history gives the same decision on replay.
//!
//! Variables: `input` (the trigger input; also `event` for event triggers),
//! `steps` (`steps.<id>.output` of completed steps; skipped steps are
//! absent, so `has(steps.x.output)` tells whether `x` ran) and `run`
//! (`run.id`, `run.workflow`).

use cel::{Context, Program};
use serde_json::{json, Map, Value};

use crate::state::RunState;

/// Whether the condition holds; `Err` with the reason when it does not
/// compile, fails to evaluate or is not a boolean.
pub fn condition(source: &str, state: &RunState) -> Result<bool, String> {
    let program = Program::compile(source).map_err(|e| format!("does not compile: {e}"))?;
    let steps: Map<String, Value> = state
        .outputs
        .iter()
        .map(|(id, output)| (id.clone(), json!({ "output": output })))
        .collect();
    let mut context = Context::default();
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
        context
            .add_variable(name, value)
            .map_err(|e| format!("cannot bind `{name}`: {e}"))?;
    }
    match program.execute(&context) {
        Ok(cel::Value::Bool(holds)) => Ok(holds),
        Ok(other) => Err(format!("is not true or false but {other:?}")),
        Err(e) => Err(format!("cannot be evaluated: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(input: Value, outputs: &[(&str, Value)]) -> RunState {
        let mut s = RunState::new();
        s.run_id = "run-9".into();
        s.workflow = "w".into();
        s.input = input;
        s.outputs = outputs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        s
    }

    #[test]
    fn conditions_see_input_steps_and_run() {
        let s = state(
            json!({"order": {"total": 150}}),
            &[("enrich", json!({"country": "DE"}))],
        );
        assert_eq!(condition("input.order.total > 100", &s), Ok(true));
        assert_eq!(condition("event.order.total > 200", &s), Ok(false));
        assert_eq!(
            condition("steps.enrich.output.country == 'DE'", &s),
            Ok(true)
        );
        assert_eq!(condition("has(steps.notify)", &s), Ok(false));
        assert_eq!(condition("run.id == 'run-9'", &s), Ok(true));
    }

    #[test]
    fn errors_say_why() {
        let s = state(json!({"total": 1}), &[]);
        assert!(condition("input.total +", &s).is_err_and(|e| e.starts_with("does not compile")));
        assert!(condition("input.total", &s).is_err_and(|e| e.starts_with("is not true or false")));
        assert!(condition("input.missing.deeper > 1", &s)
            .is_err_and(|e| e.starts_with("cannot be evaluated")));
    }
}
