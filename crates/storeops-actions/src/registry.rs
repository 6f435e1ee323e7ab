//! [`Registry`]: the actions by name, the HTTP client and CPU pool their
//! attempts share. It is the catalog `uses:` steps are validated against.

use std::collections::BTreeMap;
use std::sync::Arc;

use storeops_workflow::{ActionCatalog, ActionSpec};

use crate::action::Action;
use crate::cpu::CpuPool;

/// Actions by name, with the HTTP client and the CPU pool of their attempts.
#[derive(Clone)]
pub struct Registry {
    actions: BTreeMap<String, Arc<dyn Action>>,
    http: reqwest::Client,
    cpu: CpuPool,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&String> = self.actions.keys().collect();
        f.debug_struct("Registry").field("actions", &names).finish()
    }
}

impl Registry {
    /// An empty registry whose actions call out through `http` and run
    /// CPU-bound work on a pool of one thread per core.
    pub fn new(http: reqwest::Client) -> Registry {
        Registry {
            actions: BTreeMap::new(),
            http,
            cpu: CpuPool::per_core(),
        }
    }

    /// Adds (or replaces) an action under its spec's name.
    pub fn register(&mut self, action: Arc<dyn Action>) {
        self.actions.insert(action.spec().name.clone(), action);
    }

    /// The action called `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<dyn Action>> {
        self.actions.get(name)
    }

    /// Every action, by name.
    pub fn actions(&self) -> impl Iterator<Item = &Arc<dyn Action>> {
        self.actions.values()
    }

    /// The registered name closest to `name` (a typo), if one is close.
    pub fn closest(&self, name: &str) -> Option<&str> {
        storeops_workflow::closest(name, self.actions.keys().map(String::as_str))
    }

    /// The client of actions calling out (workers hand it to every attempt).
    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    /// The pool CPU-bound work runs on.
    pub fn cpu(&self) -> &CpuPool {
        &self.cpu
    }
}

impl ActionCatalog for Registry {
    fn action(&self, name: &str) -> Option<&ActionSpec> {
        self.actions.get(name).map(|a| a.spec())
    }

    fn names(&self) -> Vec<&str> {
        self.actions.keys().map(String::as_str).collect()
    }
}
