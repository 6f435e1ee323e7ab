//! From the spanned YAML tree to the [`Workflow`] AST, collecting every
//! structural problem (unknown keys, wrong shapes, bad durations) at once.

use crate::definition::{DurationSpec, Expr, Mode, Trigger, VariantArm, Variants, Workflow};
use crate::duration::parse_duration;
use crate::error::{suggest, Issue, Span};
use crate::yaml::{Node, NodeKind};

/// Collects issues while building the AST.
#[derive(Default)]
pub struct Cx {
    /// Problems found so far.
    pub issues: Vec<Issue>,
}

/// A mapping whose keys were checked against the allowed ones.
pub struct Obj<'a> {
    /// Where the mapping starts.
    pub span: Span,
    entries: &'a [(String, Span, Node)],
}

impl<'a> Obj<'a> {
    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, _, n)| n)
    }

    /// Whether `key` is present.
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Entries in source order.
    pub fn entries(&self) -> &'a [(String, Span, Node)] {
        self.entries
    }
}

impl Cx {
    /// Records an issue.
    pub fn err(&mut self, span: Span, message: impl Into<String>) {
        self.issues.push(Issue::new(span, message));
    }

    /// `node` as a mapping `what` with only `allowed` keys (unknown ones reported).
    pub fn obj<'a>(&mut self, node: &'a Node, what: &str, allowed: &[&str]) -> Option<Obj<'a>> {
        let NodeKind::Map(entries) = &node.kind else {
            self.err(
                node.span,
                format!("{what} must be a mapping, found {}", node.kind_name()),
            );
            return None;
        };
        for (key, span, _) in entries {
            if !allowed.contains(&key.as_str()) {
                let hint = suggest(key, allowed.iter().copied());
                self.err(*span, format!("unknown key `{key}` in {what}{hint}"));
            }
        }
        Some(Obj {
            span: node.span,
            entries,
        })
    }

    /// A required key: reports `missing key` when absent.
    pub fn need<'a>(&mut self, obj: &Obj<'a>, key: &str, what: &str) -> Option<&'a Node> {
        let found = obj.get(key);
        if found.is_none() {
            self.err(obj.span, format!("{what} needs `{key}`"));
        }
        found
    }

    /// Scalar text of `node` (`key` names it in messages).
    pub fn text(&mut self, node: &Node, key: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Scalar(text, _) => Some(text.clone()),
            _ => {
                self.err(
                    node.span,
                    format!("`{key}` expects a string, found {}", node.kind_name()),
                );
                None
            }
        }
    }

    /// A bare CEL expression.
    pub fn expr(&mut self, node: &Node, key: &str) -> Option<Expr> {
        self.text(node, key).map(|source| Expr {
            span: node.span,
            source,
        })
    }

    /// A whole number within `u32`.
    pub fn count(&mut self, node: &Node, key: &str) -> Option<u32> {
        if let NodeKind::Scalar(text, true) = &node.kind {
            if let Ok(n) = text.parse::<u32>() {
                return Some(n);
            }
        }
        self.err(
            node.span,
            format!("`{key}` expects a whole number, found {}", node.kind_name()),
        );
        None
    }

    /// A boolean.
    pub fn boolean(&mut self, node: &Node, key: &str) -> Option<bool> {
        match &node.kind {
            NodeKind::Scalar(text, true) if text == "true" => Some(true),
            NodeKind::Scalar(text, true) if text == "false" => Some(false),
            _ => {
                self.err(
                    node.span,
                    format!("`{key}` expects true or false, found {}", node.kind_name()),
                );
                None
            }
        }
    }

    /// A duration like `30s`.
    pub fn duration(&mut self, node: &Node, key: &str) -> Option<DurationSpec> {
        let text = self.text(node, key)?;
        match parse_duration(&text) {
            Some(secs) => Some(DurationSpec {
                span: node.span,
                secs,
            }),
            None => {
                self.err(
                    node.span,
                    format!("invalid duration `{text}` in `{key}` (use e.g. 30s, 5m, 2h, 1d)"),
                );
                None
            }
        }
    }

    /// A list of strings.
    pub fn strings(&mut self, node: &Node, key: &str) -> Vec<String> {
        match &node.kind {
            NodeKind::Seq(items) => items.iter().filter_map(|n| self.text(n, key)).collect(),
            _ => {
                self.err(
                    node.span,
                    format!("`{key}` expects a list, found {}", node.kind_name()),
                );
                Vec::new()
            }
        }
    }

    /// A list of nodes.
    pub fn list<'a>(&mut self, node: &'a Node, key: &str) -> &'a [Node] {
        match &node.kind {
            NodeKind::Seq(items) => items,
            _ => {
                self.err(
                    node.span,
                    format!("`{key}` expects a list, found {}", node.kind_name()),
                );
                &[]
            }
        }
    }
}

const WORKFLOW_KEYS: &[&str] = &[
    "name",
    "description",
    "version",
    "mode",
    "trigger",
    "scope",
    "variants",
    "inputs",
    "steps",
];

/// Builds the AST from a YAML tree; `None` when the root is not usable.
pub fn workflow(cx: &mut Cx, root: &Node) -> Option<Workflow> {
    let obj = cx.obj(root, "workflow", WORKFLOW_KEYS)?;
    let name = cx
        .need(&obj, "name", "workflow")
        .and_then(|n| cx.text(n, "name"));
    let description = obj
        .get("description")
        .and_then(|n| cx.text(n, "description"));
    let version = obj.get("version").and_then(|n| cx.text(n, "version"));
    let mode = match obj.get("mode") {
        None => Mode::default(),
        Some(n) => match cx.text(n, "mode").as_deref() {
            Some("off") => Mode::Off,
            Some("shadow") => Mode::Shadow,
            Some("live") => Mode::Live,
            Some(other) => {
                cx.err(
                    n.span,
                    format!("unknown mode `{other}` (one of off, shadow, live)"),
                );
                Mode::default()
            }
            None => Mode::default(),
        },
    };
    let trigger = cx
        .need(&obj, "trigger", "workflow")
        .and_then(|n| trigger(cx, n));
    let scope = obj.get("scope").and_then(|n| cx.expr(n, "scope"));
    let variants = obj.get("variants").and_then(|n| variants(cx, n));
    let inputs = obj
        .get("inputs")
        .map(|n| cx.input_decls(n, "inputs"))
        .unwrap_or_default();
    let steps = match cx.need(&obj, "steps", "workflow") {
        Some(n) => crate::parse_step::steps(cx, n, "steps"),
        None => Vec::new(),
    };
    Some(Workflow {
        span: root.span,
        name: name?,
        description,
        version,
        mode,
        trigger: trigger?,
        scope,
        variants,
        inputs,
        steps,
    })
}

fn trigger(cx: &mut Cx, node: &Node) -> Option<Trigger> {
    let kinds = ["event", "schedule", "manual", "webhook"];
    let obj = cx.obj(node, "trigger", &kinds)?;
    let present: Vec<&(String, Span, Node)> = obj
        .entries()
        .iter()
        .filter(|(k, _, _)| kinds.contains(&k.as_str()))
        .collect();
    let [(kind, span, body)] = present.as_slice() else {
        cx.err(
            node.span,
            "trigger needs exactly one of `event`, `schedule`, `manual`, `webhook`",
        );
        return None;
    };
    let span = *span;
    match kind.as_str() {
        "event" => {
            let o = cx.obj(body, "event trigger", &["topic", "filter"])?;
            let topic = cx
                .need(&o, "topic", "event trigger")
                .and_then(|n| cx.text(n, "topic"));
            let filter = o.get("filter").and_then(|n| cx.expr(n, "filter"));
            Some(Trigger::Event {
                span,
                topic: topic?,
                filter,
            })
        }
        "schedule" => {
            let o = cx.obj(body, "schedule trigger", &["cron", "timezone"])?;
            let cron = cx
                .need(&o, "cron", "schedule trigger")
                .and_then(|n| cx.text(n, "cron"));
            let timezone = match o.get("timezone") {
                Some(n) => cx.text(n, "timezone")?,
                None => "UTC".to_owned(),
            };
            Some(Trigger::Schedule {
                span,
                cron: cron?,
                timezone,
            })
        }
        "manual" => {
            let input = match &body.kind {
                NodeKind::Scalar(t, true) if t.is_empty() => Vec::new(),
                _ => {
                    let o = cx.obj(body, "manual trigger", &["input"])?;
                    o.get("input")
                        .map(|n| cx.input_decls(n, "input"))
                        .unwrap_or_default()
                }
            };
            Some(Trigger::Manual { span, input })
        }
        _ => {
            if !matches!(&body.kind, NodeKind::Scalar(t, true) if t.is_empty()) {
                cx.obj(body, "webhook trigger", &[])?;
            }
            Some(Trigger::Webhook { span })
        }
    }
}

fn variants(cx: &mut Cx, node: &Node) -> Option<Variants> {
    let o = cx.obj(node, "variants", &["key", "arms"])?;
    let key = cx
        .need(&o, "key", "variants")
        .and_then(|n| cx.expr(n, "key"));
    let mut arms = Vec::new();
    if let Some(list) = cx.need(&o, "arms", "variants") {
        for item in cx.list(list, "arms") {
            let Some(a) = cx.obj(item, "variant arm", &["name", "weight", "vars"]) else {
                continue;
            };
            let name = cx
                .need(&a, "name", "variant arm")
                .and_then(|n| cx.text(n, "name"));
            let weight = cx
                .need(&a, "weight", "variant arm")
                .and_then(|n| cx.count(n, "weight"));
            let vars = a
                .get("vars")
                .map(|n| cx.params(n, "vars"))
                .unwrap_or_default();
            if let (Some(name), Some(weight)) = (name, weight) {
                arms.push(VariantArm {
                    span: item.span,
                    name,
                    weight,
                    vars,
                });
            }
        }
    }
    Some(Variants {
        span: node.span,
        key: key?,
        arms,
    })
}
