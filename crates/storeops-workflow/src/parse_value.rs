//! Values in definitions: YAML scalars under the core schema, `${{ <cel> }}`
//! templates, `with:` mappings and declared input types.

use crate::definition::{Expr, InputDecl, InputType, Param, TemplatePart, Value, ValueKind};
use crate::error::Span;
use crate::parse::Cx;
use crate::yaml::{Node, NodeKind};

impl Cx {
    /// A mapping of names to values (`with:`, `vars:`).
    pub fn params(&mut self, node: &Node, key: &str) -> Vec<Param> {
        match &node.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .map(|(name, span, n)| Param {
                    span: *span,
                    name: name.clone(),
                    value: self.value(n),
                })
                .collect(),
            _ => {
                self.err(
                    node.span,
                    format!("`{key}` expects a mapping, found {}", node.kind_name()),
                );
                Vec::new()
            }
        }
    }

    /// Any value; strings may embed `${{ <cel> }}`.
    pub fn value(&mut self, node: &Node) -> Value {
        let kind = match &node.kind {
            NodeKind::Seq(items) => ValueKind::List(items.iter().map(|n| self.value(n)).collect()),
            NodeKind::Map(_) => ValueKind::Map(self.params(node, "value")),
            NodeKind::Scalar(text, plain) => {
                let typed = if *plain { typed_scalar(text) } else { None };
                match typed {
                    Some(kind) => kind,
                    None => self.template(text, node.span),
                }
            }
        };
        Value {
            span: node.span,
            kind,
        }
    }

    fn template(&mut self, text: &str, span: Span) -> ValueKind {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            if start > 0 {
                parts.push(TemplatePart::Text(rest[..start].to_owned()));
            }
            let after = &rest[start + 3..];
            let Some(end) = after.find("}}") else {
                self.err(span, "unclosed `${{` in value");
                return ValueKind::Str(text.to_owned());
            };
            let source = after[..end].trim().to_owned();
            parts.push(TemplatePart::Expr(Expr { span, source }));
            rest = &after[end + 2..];
        }
        if !rest.is_empty() {
            parts.push(TemplatePart::Text(rest.to_owned()));
        }
        match parts.as_slice() {
            [] => ValueKind::Str(String::new()),
            [TemplatePart::Text(t)] => ValueKind::Str(t.clone()),
            [TemplatePart::Expr(e)] => ValueKind::Expr(e.clone()),
            _ => ValueKind::Template(parts),
        }
    }

    /// A mapping `name → type` (`string`, `int?`, …).
    pub fn input_decls(&mut self, node: &Node, key: &str) -> Vec<InputDecl> {
        let NodeKind::Map(entries) = &node.kind else {
            self.err(
                node.span,
                format!("`{key}` expects a mapping, found {}", node.kind_name()),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, span, n) in entries {
            let Some(text) = self.text(n, key) else {
                continue;
            };
            let (base, required) = match text.strip_suffix('?') {
                Some(b) => (b, false),
                None => (text.as_str(), true),
            };
            let ty = match base {
                "string" => InputType::Str,
                "int" => InputType::Int,
                "number" => InputType::Number,
                "bool" => InputType::Bool,
                "object" => InputType::Object,
                "array" => InputType::Array,
                "any" => InputType::Any,
                _ => {
                    self.err(n.span, format!("unknown type `{text}` (one of string, int, number, bool, object, array, any; `?` = optional)"));
                    continue;
                }
            };
            out.push(InputDecl {
                span: *span,
                name: name.clone(),
                ty,
                required,
            });
        }
        out
    }
}

/// A plain scalar under the YAML 1.2 core schema, or `None` for a string.
fn typed_scalar(text: &str) -> Option<ValueKind> {
    Some(match text {
        "" | "~" | "null" | "Null" | "NULL" => ValueKind::Null,
        "true" | "True" | "TRUE" => ValueKind::Bool(true),
        "false" | "False" | "FALSE" => ValueKind::Bool(false),
        _ => {
            if let Ok(i) = text.parse::<i64>() {
                ValueKind::Int(i)
            } else if text.chars().any(|c| c.is_ascii_digit()) && !text.contains("${{") {
                ValueKind::Number(text.parse::<f64>().ok().filter(|f| f.is_finite())?)
            } else {
                return None;
            }
        }
    })
}
