//! Skills and their settings as data: a [`Skill`] names its settings (file
//! key, environment variable, default, help, validator), so `config check`
//! reports a bad value before anything runs, and registers its actions from
//! the resolved [`SkillSettings`].

use std::collections::BTreeMap;

use crate::registry::Registry;

/// One declared setting (the same shape as every storeops setting).
#[derive(Clone, Copy)]
pub struct Setting {
    /// Dotted key in `storeops.toml` (`section.name`, or `name` at top level).
    pub key: &'static str,
    /// Environment variable that overrides the file.
    pub env: &'static str,
    /// Default value, as text.
    pub default: &'static str,
    /// What it does.
    pub help: &'static str,
    /// Checks a value: `Err` says what is wrong.
    pub validate: fn(&str) -> Result<(), String>,
}

impl std::fmt::Debug for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Setting").field("key", &self.key).finish()
    }
}

/// A skill: a crate of actions, its settings, and how it registers.
#[derive(Clone, Copy)]
pub struct Skill {
    /// Name (`support`, `inventory`, …).
    pub name: &'static str,
    /// Its settings, all under `skills.<name>.`.
    pub settings: &'static [Setting],
    /// Adds its actions to the registry, configured by the settings.
    pub register: fn(&mut Registry, &SkillSettings),
}

/// The resolved values of the skills' settings (every value passed its
/// validator), by key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkillSettings {
    values: BTreeMap<String, String>,
}

impl SkillSettings {
    /// Settings from `(key, value)` pairs.
    pub fn new(values: impl IntoIterator<Item = (String, String)>) -> SkillSettings {
        SkillSettings {
            values: values.into_iter().collect(),
        }
    }

    /// Every declared setting of `skills` at its default, overridden by `set`.
    pub fn defaults(skills: &[Skill], set: &[(&str, &str)]) -> SkillSettings {
        let mut values: BTreeMap<String, String> = skills
            .iter()
            .flat_map(|s| s.settings)
            .map(|s| (s.key.to_string(), s.default.to_string()))
            .collect();
        for (k, v) in set {
            values.insert(k.to_string(), v.to_string());
        }
        SkillSettings { values }
    }

    /// The value of `key` (empty when it is not a declared setting).
    pub fn get(&self, key: &str) -> &str {
        self.values.get(key).map_or("", String::as_str)
    }

    /// `key` read as a boolean (`true`/`false`, `1`/`0`, `yes`/`no`);
    /// false when it is not one.
    pub fn flag(&self, key: &str) -> bool {
        parse_bool(self.get(key)).unwrap_or(false)
    }

    /// Every `(key, value)`, by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Validator of a boolean setting.
pub fn check_bool(value: &str) -> Result<(), String> {
    parse_bool(value)
        .map(|_| ())
        .ok_or_else(|| format!("expected true or false, found `{value}`"))
}

/// Validator of a whole number from `min` to `max`.
pub fn check_range(value: &str, min: i64, max: i64) -> Result<(), String> {
    match value.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(()),
        Ok(n) => Err(format!("must be from {min} to {max}, found {n}")),
        Err(_) => Err(format!("expected a whole number, found `{value}`")),
    }
}
