//! The JSON Schema (a subset) of an action's input and output: types,
//! nested objects and arrays, required fields, string enums and number
//! ranges. One checker serves both moments a value is known: literal
//! values of `with:` at deploy (expressions are skipped there: their type is
//! known only at run time) and evaluated inputs at run time. [`Schema::to_json`]
//! writes it as standard JSON Schema for `action list --json`, the API and
//! `docs/actions.md`.

use serde_json::{json, Map, Value as Json};

/// A schema: what a value must look like, with an optional description.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// The shape.
    pub kind: Kind,
    /// What the value means (shown in docs).
    pub description: Option<String>,
}

/// The shapes a [`Schema`] allows.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Anything.
    Any,
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool,
    /// A whole number within the bounds (inclusive).
    Integer {
        /// Smallest allowed.
        min: Option<i64>,
        /// Largest allowed.
        max: Option<i64>,
    },
    /// Any number.
    Number,
    /// Text; when `allowed` is not empty, one of those words.
    String {
        /// The allowed values (empty: any text).
        allowed: Vec<String>,
    },
    /// A list whose items all match.
    Array(Box<Schema>),
    /// An object with declared fields; other keys match `rest` (None: not allowed).
    Object {
        /// Declared fields, in documentation order.
        fields: Vec<Field>,
        /// Schema of keys not declared; `None` refuses them.
        rest: Option<Box<Schema>>,
    },
    /// One of several shapes.
    AnyOf(Vec<Schema>),
}

/// A declared field of an object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Key.
    pub name: String,
    /// Its schema.
    pub schema: Schema,
    /// Whether it must be present (and not null).
    pub required: bool,
}

impl Schema {
    fn of(kind: Kind) -> Schema {
        Schema {
            kind,
            description: None,
        }
    }

    /// Any value.
    pub fn any() -> Schema {
        Schema::of(Kind::Any)
    }

    /// `null`.
    pub fn null() -> Schema {
        Schema::of(Kind::Null)
    }

    /// A boolean.
    pub fn boolean() -> Schema {
        Schema::of(Kind::Bool)
    }

    /// A whole number.
    pub fn integer() -> Schema {
        Schema::of(Kind::Integer {
            min: None,
            max: None,
        })
    }

    /// A whole number from `min` to `max`.
    pub fn integer_in(min: i64, max: i64) -> Schema {
        Schema::of(Kind::Integer {
            min: Some(min),
            max: Some(max),
        })
    }

    /// Any number.
    pub fn number() -> Schema {
        Schema::of(Kind::Number)
    }

    /// Any text.
    pub fn string() -> Schema {
        Schema::of(Kind::String {
            allowed: Vec::new(),
        })
    }

    /// One of `words`.
    pub fn one_of(words: &[&str]) -> Schema {
        Schema::of(Kind::String {
            allowed: words.iter().map(|w| w.to_string()).collect(),
        })
    }

    /// A list of `item`.
    pub fn array(item: Schema) -> Schema {
        Schema::of(Kind::Array(Box::new(item)))
    }

    /// An object with no fields yet and no other keys (add them with
    /// [`Schema::field`] / [`Schema::optional`]).
    pub fn object() -> Schema {
        Schema::of(Kind::Object {
            fields: Vec::new(),
            rest: None,
        })
    }

    /// An object with any keys whose values match `value`.
    pub fn map(value: Schema) -> Schema {
        Schema::of(Kind::Object {
            fields: Vec::new(),
            rest: Some(Box::new(value)),
        })
    }

    /// Any of `options`.
    pub fn any_of(options: Vec<Schema>) -> Schema {
        Schema::of(Kind::AnyOf(options))
    }

    /// The same schema with a description.
    pub fn doc(mut self, text: &str) -> Schema {
        self.description = Some(text.to_string());
        self
    }

    /// Adds required field `name` (objects only; ignored otherwise).
    pub fn field(self, name: &str, schema: Schema) -> Schema {
        self.with_field(name, schema, true)
    }

    /// Adds optional field `name` (objects only; ignored otherwise).
    pub fn optional(self, name: &str, schema: Schema) -> Schema {
        self.with_field(name, schema, false)
    }

    /// The same object also accepting keys it does not declare, of any value.
    pub fn open(mut self) -> Schema {
        if let Kind::Object { rest, .. } = &mut self.kind {
            *rest = Some(Box::new(Schema::any()));
        }
        self
    }

    fn with_field(mut self, name: &str, schema: Schema, required: bool) -> Schema {
        if let Kind::Object { fields, .. } = &mut self.kind {
            fields.push(Field {
                name: name.to_string(),
                schema,
                required,
            });
        }
        self
    }

    /// The declared fields of an object schema (empty otherwise).
    pub fn fields(&self) -> &[Field] {
        match &self.kind {
            Kind::Object { fields, .. } => fields,
            _ => &[],
        }
    }

    /// Whether an object schema accepts keys it does not declare.
    pub fn is_open(&self) -> bool {
        matches!(&self.kind, Kind::Object { rest: Some(_), .. })
    }

    /// The schema as standard JSON Schema.
    pub fn to_json(&self) -> Json {
        let mut out = match &self.kind {
            Kind::Any => Map::new(),
            Kind::Null => typed("null"),
            Kind::Bool => typed("boolean"),
            Kind::Integer { min, max } => {
                let mut m = typed("integer");
                if let Some(min) = min {
                    m.insert("minimum".into(), json!(min));
                }
                if let Some(max) = max {
                    m.insert("maximum".into(), json!(max));
                }
                m
            }
            Kind::Number => typed("number"),
            Kind::String { allowed } => {
                let mut m = typed("string");
                if !allowed.is_empty() {
                    m.insert("enum".into(), json!(allowed));
                }
                m
            }
            Kind::Array(item) => {
                let mut m = typed("array");
                m.insert("items".into(), item.to_json());
                m
            }
            Kind::Object { fields, rest } => {
                let mut m = typed("object");
                let properties: Map<String, Json> = fields
                    .iter()
                    .map(|f| (f.name.clone(), f.schema.to_json()))
                    .collect();
                if !properties.is_empty() {
                    m.insert("properties".into(), Json::Object(properties));
                }
                let required: Vec<&str> = fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| f.name.as_str())
                    .collect();
                if !required.is_empty() {
                    m.insert("required".into(), json!(required));
                }
                let additional = match rest {
                    None => json!(false),
                    Some(s) if s.kind == Kind::Any && s.description.is_none() => json!(true),
                    Some(s) => s.to_json(),
                };
                m.insert("additionalProperties".into(), additional);
                m
            }
            Kind::AnyOf(options) => {
                let mut m = Map::new();
                m.insert(
                    "anyOf".into(),
                    Json::Array(options.iter().map(Schema::to_json).collect()),
                );
                m
            }
        };
        if let Some(d) = &self.description {
            out.insert("description".into(), json!(d));
        }
        Json::Object(out)
    }

    /// Every way `value` does not match, as (path, message); paths are
    /// dotted keys and `[i]` indexes from the top (`""` for the top itself).
    /// Sorted by path.
    pub fn check(&self, value: &Json) -> Vec<Mismatch> {
        let mut out = Vec::new();
        walk(self, value, "", &mut out);
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }

    /// Checks a value of the workflow AST written under key `at`:
    /// [`Schema::check`] for the parts written literally; `${{ }}`
    /// expressions match anything here (their value is checked when the step
    /// runs). Paths start with `at`; mismatches carry the span of the
    /// offending value, in source order.
    pub(crate) fn check_literal_at(
        &self,
        value: &crate::definition::Value,
        at: &str,
    ) -> Vec<Mismatch> {
        let mut out = Vec::new();
        walk(self, value, at, &mut out);
        out
    }
}

fn typed(name: &str) -> Map<String, Json> {
    let mut m = Map::new();
    m.insert("type".into(), json!(name));
    m
}

/// One way a value does not match its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Where: dotted keys and `[i]` from the top; empty for the top itself.
    pub path: String,
    /// What is wrong, naming the path.
    pub message: String,
    /// Where it was written (workflow literals only).
    pub span: Option<crate::error::Span>,
}

/// What the checker needs to know of a value.
enum Shape<'a, T> {
    /// Known only at run time (a workflow expression).
    Unknown,
    Null,
    Bool,
    Int(i64),
    Float(f64),
    /// Text (`None`: a template, whose text is known only at run time).
    Str(Option<&'a str>),
    List(Vec<&'a T>),
    Map(Vec<(&'a str, &'a T)>),
}

trait Instance: Sized {
    fn shape(&self) -> Shape<'_, Self>;
    fn span(&self) -> Option<crate::error::Span>;
}

impl Instance for Json {
    fn shape(&self) -> Shape<'_, Json> {
        match self {
            Json::Null => Shape::Null,
            Json::Bool(_) => Shape::Bool,
            Json::Number(n) => match n.as_i64() {
                Some(i) => Shape::Int(i),
                None => Shape::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Json::String(s) => Shape::Str(Some(s)),
            Json::Array(items) => Shape::List(items.iter().collect()),
            Json::Object(map) => Shape::Map(map.iter().map(|(k, v)| (k.as_str(), v)).collect()),
        }
    }

    fn span(&self) -> Option<crate::error::Span> {
        None
    }
}

impl Instance for crate::definition::Value {
    fn shape(&self) -> Shape<'_, Self> {
        use crate::definition::ValueKind as V;
        match &self.kind {
            V::Null => Shape::Null,
            V::Bool(_) => Shape::Bool,
            V::Int(i) => Shape::Int(*i),
            V::Number(f) => Shape::Float(*f),
            V::Str(s) => Shape::Str(Some(s)),
            V::Template(_) => Shape::Str(None),
            V::Expr(_) => Shape::Unknown,
            V::List(items) => Shape::List(items.iter().collect()),
            V::Map(params) => {
                Shape::Map(params.iter().map(|p| (p.name.as_str(), &p.value)).collect())
            }
        }
    }

    fn span(&self) -> Option<crate::error::Span> {
        Some(self.span)
    }
}

fn found<T>(shape: &Shape<'_, T>) -> &'static str {
    match shape {
        Shape::Unknown => "an expression",
        Shape::Null => "null",
        Shape::Bool => "a boolean",
        Shape::Int(_) | Shape::Float(_) => "a number",
        Shape::Str(_) => "a string",
        Shape::List(_) => "a list",
        Shape::Map(_) => "an object",
    }
}

/// How the expected shape reads in messages.
pub fn expected(schema: &Schema) -> String {
    match &schema.kind {
        Kind::Any => "any value".into(),
        Kind::Null => "null".into(),
        Kind::Bool => "a boolean".into(),
        Kind::Integer { .. } => "an integer".into(),
        Kind::Number => "a number".into(),
        Kind::String { .. } => "a string".into(),
        Kind::Array(_) => "a list".into(),
        Kind::Object { .. } => "an object".into(),
        Kind::AnyOf(options) => options
            .iter()
            .map(expected)
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn named(path: &str) -> String {
    if path.is_empty() {
        "the value".to_string()
    } else {
        format!("`{path}`")
    }
}

fn walk<T: Instance>(schema: &Schema, value: &T, path: &str, out: &mut Vec<Mismatch>) {
    let span = value.span();
    let push = |out: &mut Vec<Mismatch>, message: String| {
        out.push(Mismatch {
            path: path.to_string(),
            message,
            span,
        })
    };
    let wrong = |shape: &Shape<'_, T>| {
        format!(
            "{} must be {}, found {}",
            named(path),
            expected(schema),
            found(shape)
        )
    };
    match (&schema.kind, value.shape()) {
        (Kind::Any, _) | (_, Shape::Unknown) => {}
        (Kind::Null, Shape::Null) | (Kind::Bool, Shape::Bool) => {}
        (Kind::Number, Shape::Int(_) | Shape::Float(_)) => {}
        (Kind::Integer { min, max }, Shape::Int(i)) => {
            if let Some(m) = range(path, i, *min, *max) {
                push(out, m);
            }
        }
        (Kind::Integer { min, max }, Shape::Float(f)) if f.fract() == 0.0 && f.abs() < 9e15 => {
            if let Some(m) = range(path, f as i64, *min, *max) {
                push(out, m);
            }
        }
        (Kind::String { allowed }, Shape::Str(text)) => {
            if let Some(text) = text {
                if !allowed.is_empty() && !allowed.iter().any(|a| a == text) {
                    let hint = crate::error::suggest(text, allowed.iter().map(String::as_str));
                    let message = format!(
                        "{} must be one of {}, found `{text}`{hint}",
                        named(path),
                        allowed.join(", "),
                    );
                    push(out, message);
                }
            }
        }
        (Kind::Array(item), Shape::List(items)) => {
            for (i, v) in items.into_iter().enumerate() {
                walk(item, v, &format!("{path}[{i}]"), out);
            }
        }
        (Kind::Object { fields, rest }, Shape::Map(entries)) => {
            object(fields, rest.as_deref(), &entries, path, span, out)
        }
        (Kind::AnyOf(options), shape) => {
            let fits = options.iter().any(|o| {
                let mut inner = Vec::new();
                walk(o, value, path, &mut inner);
                inner.is_empty()
            });
            if !fits {
                push(out, wrong(&shape));
            }
        }
        (_, shape) => push(out, wrong(&shape)),
    }
}

fn object<T: Instance>(
    fields: &[Field],
    rest: Option<&Schema>,
    entries: &[(&str, &T)],
    path: &str,
    span: Option<crate::error::Span>,
    out: &mut Vec<Mismatch>,
) {
    for (key, v) in entries {
        let inner = join(path, key);
        match (fields.iter().find(|f| f.name == *key), rest) {
            // A null stands for an absent field, unless its schema takes null.
            (Some(f), _) if is_null(*v) && !accepts_null(&f.schema) => {}
            (Some(f), _) => walk(&f.schema, *v, &inner, out),
            (None, Some(rest)) => walk(rest, *v, &inner, out),
            (None, None) => {
                let names = fields.iter().map(|f| f.name.as_str());
                let hint = crate::error::suggest(key, names.clone());
                let list = names.collect::<Vec<_>>().join(", ");
                out.push(Mismatch {
                    message: format!("`{inner}` is not a known field (one of {list}){hint}"),
                    path: inner,
                    span: v.span(),
                });
            }
        }
    }
    for f in fields.iter().filter(|f| f.required) {
        let present = entries
            .iter()
            .any(|(k, v)| *k == f.name && (!is_null(*v) || accepts_null(&f.schema)));
        if !present {
            let inner = join(path, &f.name);
            out.push(Mismatch {
                message: format!("`{inner}` is required"),
                path: inner,
                span,
            });
        }
    }
}

fn is_null<T: Instance>(value: &T) -> bool {
    matches!(value.shape(), Shape::Null)
}

fn accepts_null(schema: &Schema) -> bool {
    match &schema.kind {
        Kind::Any | Kind::Null => true,
        Kind::AnyOf(options) => options.iter().any(accepts_null),
        _ => false,
    }
}

fn range(path: &str, n: i64, min: Option<i64>, max: Option<i64>) -> Option<String> {
    let low = min.is_some_and(|m| n < m);
    let high = max.is_some_and(|m| n > m);
    if !(low || high) {
        return None;
    }
    let bounds = match (min, max) {
        (Some(a), Some(b)) => format!("from {a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => String::new(),
    };
    Some(format!("{} must be {bounds}, found {n}", named(path)))
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
