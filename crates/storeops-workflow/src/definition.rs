//! The workflow definition AST. Every node keeps its source [`Span`]; spans are
//! skipped when the AST is serialized for the content hash.

use crate::error::Span;
use crate::step::Step;
use serde::Serialize;

/// A bare CEL expression (`if`, `when`, `filter`, `scope`, `match`, `items`, `key`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expr {
    /// Where the expression's YAML scalar starts.
    #[serde(skip)]
    pub span: Span,
    /// The CEL source.
    pub source: String,
}

/// A value given to an action input, a call input, a prompt or a variant variable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Value {
    /// Where the value starts.
    #[serde(skip)]
    pub span: Span,
    /// What it is.
    pub kind: ValueKind,
}

/// The shapes of a [`Value`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A non-integer number.
    Number(f64),
    /// Plain text without `${{ }}`.
    Str(String),
    /// The whole string is `${{ <cel> }}`: a typed value.
    Expr(Expr),
    /// Text with embedded `${{ <cel> }}`: an interpolated string.
    Template(Vec<TemplatePart>),
    /// A list.
    List(Vec<Value>),
    /// A mapping, in source order.
    Map(Vec<Param>),
}

/// A piece of an interpolated string.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplatePart {
    /// Literal text.
    Text(String),
    /// An embedded expression.
    Expr(Expr),
}

/// A named value (`with:` entry, variant variable, map entry).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    /// Where the key starts.
    #[serde(skip)]
    pub span: Span,
    /// The key.
    pub name: String,
    /// The value.
    pub value: Value,
}

/// A duration such as `30s`, `5m`, `2h`, `1d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DurationSpec {
    /// Where it was written.
    #[serde(skip)]
    pub span: Span,
    /// Length in seconds.
    pub secs: u64,
}

/// Whether runs happen and perform side effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// No runs.
    Off,
    /// Runs record side effects instead of performing them (the default).
    #[default]
    Shadow,
    /// Runs perform side effects.
    Live,
}

/// The type of a declared input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputType {
    /// `string`.
    Str,
    /// `int`.
    Int,
    /// `number` (also accepts integers).
    Number,
    /// `bool`.
    Bool,
    /// `object`.
    Object,
    /// `array`.
    Array,
    /// `any`.
    Any,
}

/// A declared input: `name: type` (a trailing `?` makes it optional).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputDecl {
    /// Where the name was written.
    #[serde(skip)]
    pub span: Span,
    /// The input name.
    pub name: String,
    /// Its type.
    pub ty: InputType,
    /// False when the type ends with `?`.
    pub required: bool,
}

/// A whole workflow definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workflow {
    /// Where the document starts.
    #[serde(skip)]
    pub span: Span,
    /// Unique name.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// Free-form version label.
    pub version: Option<String>,
    /// `off | shadow | live`.
    pub mode: Mode,
    /// What starts a run.
    pub trigger: Trigger,
    /// Where the workflow acts; out-of-scope triggers are counted, not run.
    pub scope: Option<Expr>,
    /// A/B variants.
    pub variants: Option<Variants>,
    /// Inputs a caller (`call:`) passes.
    pub inputs: Vec<InputDecl>,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// What starts a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A domain event on `topic`, optionally filtered.
    Event {
        /// Where the trigger was written.
        #[serde(skip)]
        span: Span,
        /// Event topic, e.g. `order.created`.
        topic: String,
        /// CEL filter over `event`.
        filter: Option<Expr>,
    },
    /// A cron schedule in a time zone.
    Schedule {
        /// Where the trigger was written.
        #[serde(skip)]
        span: Span,
        /// Cron expression (5 or 6 fields).
        cron: String,
        /// IANA time zone name; `UTC` by default.
        timezone: String,
    },
    /// Started by hand (CLI/API) with JSON input.
    Manual {
        /// Where the trigger was written.
        #[serde(skip)]
        span: Span,
        /// The input schema.
        input: Vec<InputDecl>,
    },
    /// A per-workflow inbound webhook.
    Webhook {
        /// Where the trigger was written.
        #[serde(skip)]
        span: Span,
    },
}

/// Weighted A/B arms assigned by a stable hash of `key`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variants {
    /// Where `variants:` was written.
    #[serde(skip)]
    pub span: Span,
    /// CEL giving the assignment key (e.g. the customer id).
    pub key: Expr,
    /// The arms.
    pub arms: Vec<VariantArm>,
}

/// One variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantArm {
    /// Where the arm was written.
    #[serde(skip)]
    pub span: Span,
    /// Arm name.
    pub name: String,
    /// Relative weight (> 0).
    pub weight: u32,
    /// Variables visible as `vars.*`.
    pub vars: Vec<Param>,
}
