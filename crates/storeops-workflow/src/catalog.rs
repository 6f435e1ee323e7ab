//! The action catalog that `uses:` steps are checked against, and the built-in actions.

use crate::definition::InputType;

/// One declared input of an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputSpec {
    /// Input name as written under `with:`.
    pub name: &'static str,
    /// Expected type.
    pub ty: InputType,
    /// Whether it must be given.
    pub required: bool,
}

/// What an action declares about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionSpec {
    /// Action name, e.g. `http.request`.
    pub name: &'static str,
    /// Its inputs.
    pub inputs: Vec<InputSpec>,
    /// Whether it changes anything outside the run (shadow mode records instead).
    pub side_effects: bool,
    /// Error kinds it raises (usable in `retry_on`).
    pub errors: Vec<&'static str>,
}

/// Where actions are looked up by name.
pub trait ActionCatalog {
    /// The action called `name`, if any.
    fn action(&self, name: &str) -> Option<&ActionSpec>;
    /// All action names (for "did you mean" hints).
    fn names(&self) -> Vec<&str>;
}

/// The engine's built-in actions.
#[derive(Debug, Clone)]
pub struct BuiltinCatalog {
    actions: Vec<ActionSpec>,
}

fn input(name: &'static str, ty: InputType, required: bool) -> InputSpec {
    InputSpec { name, ty, required }
}

impl Default for BuiltinCatalog {
    fn default() -> Self {
        Self::new()
    }
}

impl BuiltinCatalog {
    /// `core.set`, `core.log`, `http.request`, `notify.webhook`, `notify.email`,
    /// `store.update`, `store.query`.
    pub fn new() -> BuiltinCatalog {
        use InputType::{Any, Int, Object, Str};
        let net = vec!["timeout", "network", "http_4xx", "http_5xx", "tls"];
        let actions = vec![
            ActionSpec {
                name: "core.set",
                inputs: vec![input("values", Object, true)],
                side_effects: false,
                errors: vec![],
            },
            ActionSpec {
                name: "core.log",
                inputs: vec![
                    input("message", Str, true),
                    input("level", Str, false),
                    input("data", Any, false),
                ],
                side_effects: false,
                errors: vec![],
            },
            ActionSpec {
                name: "http.request",
                inputs: vec![
                    input("url", Str, true),
                    input("method", Str, false),
                    input("headers", Object, false),
                    input("body", Any, false),
                    input("timeout_ms", Int, false),
                    input("hmac_secret", Str, false),
                ],
                side_effects: true,
                errors: net.clone(),
            },
            ActionSpec {
                name: "notify.webhook",
                inputs: vec![
                    input("url", Str, true),
                    input("text", Str, true),
                    input("blocks", Any, false),
                ],
                side_effects: true,
                errors: net,
            },
            ActionSpec {
                name: "notify.email",
                inputs: vec![
                    input("to", Any, true),
                    input("subject", Str, true),
                    input("body", Str, true),
                    input("from", Str, false),
                ],
                side_effects: true,
                errors: vec![
                    "timeout",
                    "network",
                    "smtp_4xx",
                    "smtp_5xx",
                    "tls",
                    "smtp_protocol",
                    "smtp_not_configured",
                ],
            },
            ActionSpec {
                name: "store.update",
                inputs: vec![
                    input("entity", Str, true),
                    input("op", Str, true),
                    input("key", Any, true),
                    input("fields", Object, false),
                    input("status", Str, false),
                    input("tag", Str, false),
                ],
                side_effects: true,
                errors: vec!["not_found", "db"],
            },
            ActionSpec {
                name: "store.query",
                inputs: vec![
                    input("entity", Str, true),
                    input("filter", Object, false),
                    input("limit", Int, false),
                ],
                side_effects: false,
                errors: vec!["db"],
            },
        ];
        BuiltinCatalog { actions }
    }
}

impl ActionCatalog for BuiltinCatalog {
    fn action(&self, name: &str) -> Option<&ActionSpec> {
        self.actions.iter().find(|a| a.name == name)
    }

    fn names(&self) -> Vec<&str> {
        self.actions.iter().map(|a| a.name).collect()
    }
}
