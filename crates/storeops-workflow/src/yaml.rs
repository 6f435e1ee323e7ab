//! A small spanned YAML tree built from `saphyr-parser` events.
//!
//! Every node keeps the line and column where it starts, so that every
//! validation error can point at `line:col`. Anchors and aliases are refused
//! (definitions stay explicit), and nesting is bounded so hostile input
//! cannot exhaust the stack of the later recursive passes.

use crate::error::{Issue, Span};
use saphyr_parser::{Event, Parser, ScalarStyle};

/// Deepest nesting accepted; real workflows stay far below it.
pub const MAX_DEPTH: usize = 64;

/// A YAML node with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node starts.
    pub span: Span,
    /// What it holds.
    pub kind: NodeKind,
}

/// The shapes of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar and whether it was written plain (unquoted).
    Scalar(String, bool),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping with its keys (key text and key position) in source order.
    Map(Vec<(String, Span, Node)>),
}

impl Node {
    /// A short name of the node's shape for messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar(text, plain) => scalar_kind(text, *plain),
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

/// The kind of a scalar under the YAML 1.2 core schema, for messages.
pub fn scalar_kind(text: &str, plain: bool) -> &'static str {
    if !plain {
        return "a string";
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => "null",
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => "a boolean",
        _ if text.parse::<i64>().is_ok() => "a number",
        _ if text.parse::<f64>().is_ok() && text.chars().any(|c| c.is_ascii_digit()) => "a number",
        _ => "a string",
    }
}

enum Frame {
    Seq(Span, Vec<Node>),
    Map(Span, Vec<(String, Span, Node)>, Option<(String, Span)>),
}

fn span_of(marker: &saphyr_parser::Marker) -> Span {
    Span {
        line: u32::try_from(marker.line()).unwrap_or(u32::MAX),
        col: u32::try_from(marker.col() + 1).unwrap_or(u32::MAX),
    }
}

/// Parses one YAML document into a tree; `Ok(None)` for an empty document.
pub fn parse(text: &str) -> Result<Option<Node>, Issue> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0usize;
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| Issue {
            span: span_of(e.marker()),
            message: format!("invalid YAML: {}", e.info()),
        })?;
        let at = span_of(&span.start);
        let node = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(Issue::new(
                        at,
                        "one workflow per file: found a second YAML document",
                    ));
                }
                continue;
            }
            Event::Alias(_) => return Err(Issue::new(at, "YAML aliases are not supported")),
            Event::Scalar(value, style, anchor, _) => {
                if anchor != 0 {
                    return Err(Issue::new(at, "YAML anchors are not supported"));
                }
                let plain = matches!(style, ScalarStyle::Plain);
                Node {
                    span: at,
                    kind: NodeKind::Scalar(value.into_owned(), plain),
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Issue::new(at, "nesting too deep"));
                }
                if matches!(event, Event::SequenceStart(..)) {
                    stack.push(Frame::Seq(at, Vec::new()));
                } else {
                    stack.push(Frame::Map(at, Vec::new(), None));
                }
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(s, items)) => Node {
                    span: s,
                    kind: NodeKind::Seq(items),
                },
                Some(Frame::Map(s, entries, _)) => Node {
                    span: s,
                    kind: NodeKind::Map(entries),
                },
                None => continue,
            },
            _ => continue,
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                None => match node.kind {
                    NodeKind::Scalar(key, _) => {
                        if let Some((_, first, _)) = entries.iter().find(|(k, _, _)| *k == key) {
                            return Err(Issue::new(
                                node.span,
                                format!(
                                    "duplicate key `{key}` (first at {}:{})",
                                    first.line, first.col
                                ),
                            ));
                        }
                        *pending = Some((key, node.span));
                    }
                    _ => return Err(Issue::new(node.span, "mapping keys must be plain strings")),
                },
                Some((key, key_span)) => entries.push((key, key_span, node)),
            },
        }
    }
    Ok(root)
}
