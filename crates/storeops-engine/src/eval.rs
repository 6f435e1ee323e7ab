//! Evaluating CEL (`if:` conditions, `switch` cases, `with:` expressions,
//! event predicates) against the run so far. Pure and deterministic: the
//! same history gives the same decision on replay.
//!
//! Variables: `input` (the trigger input), `event` (the trigger input too,
//! or the incoming event for [`event_matches`]), `steps`
//! (`steps.<id>.output` of completed steps; skipped steps are absent, so
//! `has(steps.x.output)` tells whether `x` ran), `run` (`run.id`,
//! `run.workflow`), `vars` (the variables of the run's A/B variant; empty without one), and
//! inside a `foreach` body `item` (the current item) and `index` (its
//! position, from 0; the innermost loop's when nested).
//!
//! Compiled programs are cached process-wide by source, and only the
//! variables (and `steps.<id>` entries) an expression names are converted
//! for it, so evaluating is cheap enough for a worker's hot path.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, OnceLock, RwLock};

use cel::objects::{Key, Map as CelMap};
use cel::{Context, Env, Program};
use serde_json::{Map, Value};

use crate::frames::current_item;
pub use crate::inputs::resolve_inputs;
use crate::state::RunState;

/// Most programs kept; the cache starts over when full (sources come from
/// plans, so this is only reached with very many workflow versions).
const CACHE_LIMIT: usize = 10_000;

/// Which `steps.<id>` entries an expression reads.
#[derive(Debug)]
enum StepRefs {
    /// Only these ids (every use of `steps` is `steps.<id>`).
    Some(BTreeSet<String>),
    /// All of them (`steps` used otherwise, e.g. iterated).
    All,
}

/// A compiled expression and what it reads.
struct Compiled {
    program: Program,
    /// Names of the top-level variables it reads.
    variables: Vec<&'static str>,
    /// The steps it reads, when it reads `steps`.
    steps: StepRefs,
}

const VARIABLES: [&str; 7] = ["input", "event", "steps", "run", "vars", "item", "index"];

/// The cached program of `source`; `Err` when it does not compile.
fn compiled(source: &str) -> Result<Arc<Compiled>, String> {
    static CACHE: OnceLock<RwLock<HashMap<String, Arc<Compiled>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(found) = cache.read().ok().and_then(|m| m.get(source).cloned()) {
        return Ok(found);
    }
    let program = Program::compile(source).map_err(|e| format!("does not compile: {e}"))?;
    let references = program.references();
    let variables = VARIABLES
        .into_iter()
        .filter(|v| references.has_variable(v))
        .collect();
    let compiled = Arc::new(Compiled {
        steps: step_refs(source),
        variables,
        program,
    });
    if let Ok(mut map) = cache.write() {
        if map.len() >= CACHE_LIMIT {
            map.clear();
        }
        map.insert(source.to_owned(), Arc::clone(&compiled));
    }
    Ok(compiled)
}

/// The ids read as `steps.<id>` in `source`, or `All` when `steps` is used
/// any other way (conservative: string contents count too).
fn step_refs(source: &str) -> StepRefs {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut ids = BTreeSet::new();
    for (at, _) in source.match_indices("steps") {
        let before = source[..at].chars().next_back();
        let after = &source[at + "steps".len()..];
        if before.is_some_and(|c| ident(c) || c == '.') || after.starts_with(ident) {
            continue; // part of another name, or a field called `steps`
        }
        let Some(rest) = after.strip_prefix('.') else {
            return StepRefs::All;
        };
        let id: String = rest.chars().take_while(|c| ident(*c)).collect();
        if id.is_empty() {
            return StepRefs::All;
        }
        ids.insert(id);
    }
    StepRefs::Some(ids)
}

/// The standard environment, built once.
fn env() -> Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    Arc::clone(ENV.get_or_init(|| Arc::new(Env::stdlib())))
}

/// A JSON value as CEL sees it (the same conversion as binding it through
/// serde: non-negative integers are `uint`, negative ones `int`).
pub fn to_cel(value: &Value) -> cel::Value {
    match value {
        Value::Null => cel::Value::Null,
        Value::Bool(b) => cel::Value::Bool(*b),
        // Whole numbers are CEL `int` (so `x + 1` works on JSON input);
        // only integers beyond i64 become `uint`.
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => cel::Value::Int(i),
            (None, Some(u)) => cel::Value::UInt(u),
            _ => cel::Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => cel::Value::String(Arc::new(s.clone())),
        Value::Array(items) => cel::Value::List(Arc::new(items.iter().map(to_cel).collect())),
        Value::Object(map) => cel_map(map.iter().map(|(k, v)| (k.clone(), to_cel(v)))),
    }
}

fn cel_map(entries: impl Iterator<Item = (String, cel::Value)>) -> cel::Value {
    let map: HashMap<Key, cel::Value> = entries.map(|(k, v)| (Key::from(k), v)).collect();
    cel::Value::Map(CelMap { map: Arc::new(map) })
}

/// Evaluates `source` over the run; `event` replaces the `event` variable
/// (an incoming event tested by a wait). `Err` says why it failed.
pub(crate) fn evaluate(
    source: &str,
    state: &RunState,
    event: Option<&Value>,
) -> Result<cel::Value, String> {
    let compiled = compiled(source)?;
    let mut context = Context::with_env(env());
    for name in &compiled.variables {
        let value = match *name {
            "input" => to_cel(&state.input),
            "event" => to_cel(event.unwrap_or(&state.input)),
            "steps" => steps(state, &compiled.steps),
            "run" => cel_map(
                [
                    ("id".to_string(), cel::Value::from(state.run_id.as_str())),
                    (
                        "workflow".to_string(),
                        cel::Value::from(state.workflow.as_str()),
                    ),
                ]
                .into_iter(),
            ),
            "item" | "index" => match current_item(state) {
                Some((item, _)) if *name == "item" => to_cel(&item),
                Some((_, index)) => cel::Value::Int(i64::try_from(index).unwrap_or(i64::MAX)),
                // Outside a loop: left undeclared, so using it is an error.
                None => continue,
            },
            "vars" => to_cel(&state.vars),
            _ => to_cel(&Value::Object(Map::new())),
        };
        context.add_variable_from_value(*name, value);
    }
    compiled
        .program
        .execute(&context)
        .map_err(|e| format!("cannot be evaluated: {e}"))
}

/// `steps`: `{<id>: {"output": …}}` for the completed steps in `refs`, and
/// `{<id>: {"skipped": true}}` for the skipped ones, so that
/// `has(steps.<id>.output)` is false (rather than an error) for those.
fn steps(state: &RunState, refs: &StepRefs) -> cel::Value {
    let entry = |id: &String| {
        let value = match state.outputs.get(id) {
            Some(output) => ("output".to_string(), to_cel(output)),
            None if state.skipped.contains(id) => ("skipped".to_string(), cel::Value::Bool(true)),
            None => return None,
        };
        Some((id.clone(), cel_map(std::iter::once(value))))
    };
    match refs {
        StepRefs::All => cel_map(
            state
                .outputs
                .keys()
                .chain(state.skipped.iter())
                .filter_map(entry),
        ),
        StepRefs::Some(ids) => cel_map(ids.iter().filter_map(entry)),
    }
}

/// Whether the condition holds; `Err` with the reason when it does not
/// compile, fails to evaluate or is not a boolean.
pub fn condition(source: &str, state: &RunState) -> Result<bool, String> {
    boolean(evaluate(source, state, None)?)
}

/// Whether `event` satisfies a wait step's `predicate` (`event` is the
/// incoming event; the run's other variables as for conditions). The shell
/// calls it for events on the awaited topic and appends `EventMatched` for
/// the first that does.
pub fn event_matches(predicate: &str, state: &RunState, event: &Value) -> Result<bool, String> {
    boolean(evaluate(predicate, state, Some(event))?)
}

fn boolean(value: cel::Value) -> Result<bool, String> {
    match value {
        cel::Value::Bool(holds) => Ok(holds),
        other => Err(format!("is not true or false but {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        let mut skipped = s.clone();
        skipped.skipped.insert("high".into());
        let high = "has(steps.high.output) ? 'high' : 'normal'";
        assert_eq!(
            evaluate(high, &skipped, None).map(|v| format!("{v:?}")),
            Ok("String(\"normal\")".into())
        );
        assert_eq!(
            condition("steps.high.skipped && size(steps) == 2", &skipped),
            Ok(true)
        );
        assert_eq!(condition("has(steps.enrich.output)", &s), Ok(true));
        assert_eq!(condition("size(steps) == 1", &s), Ok(true));
        assert_eq!(condition("'enrich' in steps", &s), Ok(true));
        assert_eq!(condition("run.id == 'run-9'", &s), Ok(true));
        assert_eq!(condition("size(vars) == 0", &s), Ok(true));
    }

    #[test]
    fn only_the_steps_named_are_bound_unless_steps_is_used_otherwise() {
        let ids = |s: &str| match step_refs(s) {
            StepRefs::Some(ids) => Some(ids.into_iter().collect::<Vec<_>>()),
            StepRefs::All => None,
        };
        assert_eq!(
            ids("has(steps.a.output) && steps.b_2.output.x > input.steps"),
            Some(vec!["a".to_string(), "b_2".to_string()])
        );
        assert_eq!(ids("size(steps) > 0"), None);
        assert_eq!(ids("steps['a'].output"), None);
        assert_eq!(ids("input.total"), Some(vec![]));
    }

    #[test]
    fn events_are_matched_against_the_incoming_event() {
        let s = state(json!({"order_id": "A-1"}), &[]);
        let event = json!({"order_id": "A-1", "carrier": "dhl"});
        let predicate = "event.order_id == input.order_id";
        assert_eq!(event_matches(predicate, &s, &event), Ok(true));
        let other = json!({"order_id": "B-2"});
        assert_eq!(event_matches(predicate, &s, &other), Ok(false));
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
