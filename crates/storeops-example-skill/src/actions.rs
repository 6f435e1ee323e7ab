//! `example.greet` and the skill's settings: `skills.example.enabled`
//! (default false: the action is registered only when it is true) and
//! `skills.example.salutation` (default `Hello`).

use std::sync::Arc;

use serde_json::{json, Value};
use storeops_actions::{
    check_bool, fatal, str_input, Action, ActionCtx, ActionFuture, ActionOutput, ActionSpec,
    CpuLimit, Registry, Schema, Setting, Skill, SkillSettings,
};

/// The skill, as the binary lists it.
pub const SKILL: Skill = Skill {
    name: "example",
    settings: &SETTINGS,
    register,
};

/// The skill's settings.
pub const SETTINGS: [Setting; 2] = [
    Setting {
        key: "skills.example.enabled",
        env: "STOREOPS_SKILLS_EXAMPLE_ENABLED",
        default: "false",
        help: "register the example skill's `example.greet` action (true/false)",
        validate: check_bool,
    },
    Setting {
        key: "skills.example.salutation",
        env: "STOREOPS_SKILLS_EXAMPLE_SALUTATION",
        default: "Hello",
        help: "the word `example.greet` greets with (1-40 characters)",
        validate: check_salutation,
    },
];

fn check_salutation(value: &str) -> Result<(), String> {
    match value.trim().chars().count() {
        1..=40 => Ok(()),
        n => Err(format!("must be 1 to 40 characters, found {n}")),
    }
}

/// Adds `example.greet` when `skills.example.enabled` is true.
pub fn register(registry: &mut Registry, settings: &SkillSettings) {
    if settings.flag("skills.example.enabled") {
        let salutation = settings.get("skills.example.salutation").trim().to_string();
        registry.register(Arc::new(Greet::new(salutation)));
    }
}

/// `example.greet`.
pub struct Greet {
    spec: ActionSpec,
    salutation: String,
    limit: CpuLimit,
}

impl Greet {
    /// The action greeting with `salutation`.
    pub fn new(salutation: String) -> Greet {
        let spec = ActionSpec::new(
            "example.greet",
            "Greets `name` with the configured salutation (the example skill).\n\n\
             Registered only when `skills.example.enabled` is true; the salutation is \
             `skills.example.salutation` (default `Hello`).",
            Schema::object()
                .field("name", Schema::string().doc("who to greet"))
                .optional("shout", Schema::boolean().doc("capitals and `!`")),
            Schema::object().field("greeting", Schema::string()),
        );
        Greet {
            spec,
            salutation,
            limit: CpuLimit::new(1),
        }
    }
}

impl Action for Greet {
    fn spec(&self) -> &ActionSpec {
        &self.spec
    }

    fn execute<'a>(&'a self, ctx: &'a ActionCtx, input: Value) -> ActionFuture<'a> {
        Box::pin(async move {
            let name = str_input(&input, "name")?.to_string();
            let shout = match input.get("shout") {
                None | Some(Value::Null) => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err(fatal("invalid_input", "`shout` must be a boolean")),
            };
            let salutation = self.salutation.clone();
            let greeting = ctx
                .cpu
                .run(&self.limit, move |_| {
                    Ok(crate::greet(&salutation, &name, shout))
                })
                .await?;
            Ok(ActionOutput::value(json!({ "greeting": greeting })))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use storeops_actions::SkillSettings;

    #[test]
    fn registers_only_when_enabled_and_checks_its_settings() {
        let mut registry = Registry::new(reqwest::Client::new());
        register(&mut registry, &SkillSettings::defaults(&[SKILL], &[]));
        assert!(registry.get("example.greet").is_none());
        let on = SkillSettings::defaults(&[SKILL], &[("skills.example.enabled", "true")]);
        register(&mut registry, &on);
        let spec = registry.get("example.greet").map(|a| a.spec().clone());
        assert_eq!(spec.map(|s| s.side_effects), Some(false));
        assert_eq!(
            (SETTINGS[0].validate)("maybe"),
            Err("expected true or false, found `maybe`".into())
        );
        assert_eq!(
            (SETTINGS[1].validate)(""),
            Err("must be 1 to 40 characters, found 0".into())
        );
    }
}
