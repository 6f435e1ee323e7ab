//! What `uses:` steps are checked against: each action's [`ActionSpec`]
//! (owned name, input and output [`Schema`], side-effect flag, error kinds,
//! doc text) behind the [`ActionCatalog`] trait. The runtime's action
//! registry is the catalog deployments use; [`SpecList`] is a catalog of
//! given specs (fuzzing, tools without a registry).

use crate::schema::Schema;

/// What an action declares about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionSpec {
    /// Action name, e.g. `http.request`.
    pub name: String,
    /// What it does (first line: a summary).
    pub doc: String,
    /// Its `with:` input: an object schema whose fields are the inputs.
    pub input: Schema,
    /// Its output.
    pub output: Schema,
    /// Whether it changes anything outside the run (shadow mode records instead).
    pub side_effects: bool,
    /// Error kinds it raises (usable in `retry_on`).
    pub errors: Vec<String>,
}

impl ActionSpec {
    /// A spec without side effects or error kinds; set them with the builders.
    pub fn new(name: &str, doc: &str, input: Schema, output: Schema) -> ActionSpec {
        ActionSpec {
            name: name.to_string(),
            doc: doc.to_string(),
            input,
            output,
            side_effects: false,
            errors: Vec::new(),
        }
    }

    /// The same spec marked as changing the outside world.
    pub fn side_effects(mut self) -> ActionSpec {
        self.side_effects = true;
        self
    }

    /// The same spec raising `kinds`.
    pub fn errors(mut self, kinds: &[&str]) -> ActionSpec {
        self.errors = kinds.iter().map(|k| k.to_string()).collect();
        self
    }

    /// The first line of [`ActionSpec::doc`].
    pub fn summary(&self) -> &str {
        self.doc.lines().next().unwrap_or("")
    }
}

/// Where actions are looked up by name.
pub trait ActionCatalog {
    /// The action called `name`, if any.
    fn action(&self, name: &str) -> Option<&ActionSpec>;
    /// All action names (for "did you mean" hints).
    fn names(&self) -> Vec<&str>;
}

/// A catalog of the specs it was given.
#[derive(Debug, Clone, Default)]
pub struct SpecList(pub Vec<ActionSpec>);

impl ActionCatalog for SpecList {
    fn action(&self, name: &str) -> Option<&ActionSpec> {
        self.0.iter().find(|a| a.name == name)
    }

    fn names(&self) -> Vec<&str> {
        self.0.iter().map(|a| a.name.as_str()).collect()
    }
}
