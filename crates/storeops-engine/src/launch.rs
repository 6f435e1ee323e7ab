//! Starting runs: what a plan's trigger listens to, its `scope`, and its A/B
//! `variants`. [`admit`] decides, purely from the plan and the trigger
//! input, whether a trigger starts a run (the event filter and the scope
//! hold) and which variant the run gets: a stable hash of the declared key,
//! so the same customer always lands in the same arm.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::eval::{condition, evaluate};
use crate::inputs::{resolve_inputs, to_json};
use crate::state::RunState;

/// What starts runs of a plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TriggerSpec {
    /// Started by hand (CLI/API) or by a caller (`call:`).
    #[default]
    Manual,
    /// A domain event on `topic` (e.g. `order.created`) whose `filter` holds.
    Event {
        /// Domain or source topic.
        topic: String,
        /// CEL over `event`.
        filter: Option<String>,
    },
    /// A cron schedule in a time zone.
    Schedule {
        /// Cron expression.
        cron: String,
        /// IANA time zone.
        timezone: String,
    },
    /// The workflow's own signed inbound webhook.
    Webhook,
}

/// One weighted arm of an A/B test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantArm {
    /// Arm name.
    pub name: String,
    /// Relative weight (> 0).
    pub weight: u32,
    /// Variables (`vars.*`), JSON with `${{ }}` expressions over `input`.
    pub vars: Value,
}

/// A/B variants: arms assigned by a stable hash of `key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantSpec {
    /// CEL giving the assignment key (e.g. `input.order.customer`).
    pub key: String,
    /// The arms, in definition order.
    pub arms: Vec<VariantArm>,
}

/// How runs of a plan start.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Launch {
    /// What starts runs.
    #[serde(default)]
    pub trigger: TriggerSpec,
    /// CEL that must hold for the workflow to act.
    #[serde(default)]
    pub scope: Option<String>,
    /// A/B variants.
    #[serde(default)]
    pub variants: Option<VariantSpec>,
}

/// The variant a run was assigned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    /// Arm name.
    pub name: String,
    /// The assignment key's value.
    pub key: String,
    /// The arm's variables, evaluated.
    pub vars: Value,
}

/// What a trigger comes to.
#[derive(Debug, Clone, PartialEq)]
pub enum Admission {
    /// Start a run (with its variant, when the plan has variants).
    Start(Option<Assignment>),
    /// The event trigger's `filter` does not hold: not a trigger at all.
    Filtered,
    /// The `scope` does not hold: counted, not run.
    OutOfScope,
}

impl Admission {
    /// The name counted for this outcome (`started`, `filtered`, `out_of_scope`).
    pub fn outcome(&self) -> &'static str {
        match self {
            Admission::Start(_) => "started",
            Admission::Filtered => "filtered",
            Admission::OutOfScope => "out_of_scope",
        }
    }
}

/// Decides whether `input` starts a run of `workflow` under `launch`.
/// `apply_filter` is false for manual starts (the event filter belongs to
/// the event trigger). `Err` names the expression that failed and why.
pub fn admit(
    launch: &Launch,
    workflow: &str,
    input: &Value,
    apply_filter: bool,
) -> Result<Admission, String> {
    let mut state = RunState::new();
    state.workflow = workflow.to_string();
    state.input = input.clone();
    if let (
        true,
        TriggerSpec::Event {
            filter: Some(f), ..
        },
    ) = (apply_filter, &launch.trigger)
    {
        if !condition(f, &state).map_err(|e| format!("filter `{f}` {e}"))? {
            return Ok(Admission::Filtered);
        }
    }
    if let Some(scope) = &launch.scope {
        if !condition(scope, &state).map_err(|e| format!("scope `{scope}` {e}"))? {
            return Ok(Admission::OutOfScope);
        }
    }
    let Some(variants) = &launch.variants else {
        return Ok(Admission::Start(None));
    };
    let failed = |e: String| format!("variant key `{}` {e}", variants.key);
    let key =
        match to_json(&evaluate(&variants.key, &state, None).map_err(failed)?).map_err(failed)? {
            Value::String(s) => s,
            other => other.to_string(),
        };
    let arm = pick(workflow, &key, &variants.arms)
        .ok_or_else(|| "variants have no arm with a weight above 0".to_string())?;
    let vars =
        resolve_inputs(&arm.vars, &state).map_err(|e| format!("vars of `{}`: {e}", arm.name))?;
    Ok(Admission::Start(Some(Assignment {
        name: arm.name.clone(),
        key,
        vars,
    })))
}

/// The arm for `key`: SHA-256 of `<workflow>\0<key>`, its first 8 bytes as
/// a number modulo the total weight, walked over the arms in order.
pub fn pick<'a>(workflow: &str, key: &str, arms: &'a [VariantArm]) -> Option<&'a VariantArm> {
    let total: u64 = arms.iter().map(|a| u64::from(a.weight)).sum();
    if total == 0 {
        return None;
    }
    let mut hasher = Sha256::new();
    hasher.update(workflow.as_bytes());
    hasher.update([0]);
    hasher.update(key.as_bytes());
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let mut point = u64::from_be_bytes(first) % total;
    arms.iter().find(|arm| {
        let weight = u64::from(arm.weight);
        if point < weight {
            true
        } else {
            point -= weight;
            false
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn arms() -> Vec<VariantArm> {
        vec![
            VariantArm {
                name: "a".into(),
                weight: 1,
                vars: json!({"discount": 5}),
            },
            VariantArm {
                name: "b".into(),
                weight: 3,
                vars: json!({"discount": "${{ input.order.total / 10 }}"}),
            },
        ]
    }

    fn launch() -> Launch {
        Launch {
            trigger: TriggerSpec::Event {
                topic: "order.created".into(),
                filter: Some("event.order.total > 100".into()),
            },
            scope: Some("input.order.country in ['DE', 'AT']".into()),
            variants: Some(VariantSpec {
                key: "input.order.customer".into(),
                arms: arms(),
            }),
        }
    }

    #[test]
    fn filter_then_scope_then_variant() {
        let l = launch();
        let small = json!({"order": {"total": 50, "country": "DE", "customer": "c1"}});
        assert_eq!(admit(&l, "w", &small, true), Ok(Admission::Filtered));
        // Manual starts skip the event filter but not the scope.
        let Ok(Admission::Start(Some(_))) = admit(&l, "w", &small, false) else {
            panic!("manual start of an in-scope input must start");
        };
        let abroad = json!({"order": {"total": 500, "country": "FR", "customer": "c1"}});
        assert_eq!(admit(&l, "w", &abroad, true), Ok(Admission::OutOfScope));
        let ok = json!({"order": {"total": 500, "country": "DE", "customer": "c1"}});
        let Ok(Admission::Start(Some(assignment))) = admit(&l, "w", &ok, true) else {
            panic!("in scope must start");
        };
        assert_eq!(assignment.key, "c1");
        let expected = pick("w", "c1", &arms()).map(|a| a.name.clone());
        assert_eq!(Some(assignment.name.clone()), expected);
        let vars = if assignment.name == "a" {
            json!({"discount": 5})
        } else {
            json!({"discount": 50})
        };
        assert_eq!(assignment.vars, vars);
    }

    #[test]
    fn evaluation_errors_name_the_expression() {
        let l = launch();
        let err = admit(&l, "w", &json!({}), true).unwrap_err();
        assert!(err.starts_with("filter `event.order.total > 100`"), "{err}");
    }

    #[test]
    fn assignment_is_stable_and_follows_weights() {
        let arms = arms();
        let mut b = 0;
        for i in 0..4000 {
            let key = format!("customer-{i}");
            let first = pick("w", &key, &arms).map(|a| a.name.clone());
            assert_eq!(first, pick("w", &key, &arms).map(|a| a.name.clone()));
            if first.as_deref() == Some("b") {
                b += 1;
            }
        }
        // Weight 3 of 4: 3,000 expected; the hash is uniform enough for ±150.
        assert!((2850..=3150).contains(&b), "{b} of 4000 in arm b");
        assert!(pick("w", "k", &[]).is_none());
    }
}
