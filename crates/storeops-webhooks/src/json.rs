//! Typed access to a JSON payload that remembers where it is, so every error
//! names its path (`line_items[2].price`). Amounts are parsed from their
//! decimal text with the currency's exponent; floats never touch money.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;
use storeops_domain::{Currency, Money};

use crate::mapped::MappingError;

/// A JSON value and its path from the payload root.
#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    value: &'a Value,
    path: String,
}

impl<'a> Node<'a> {
    /// The payload root, which must be an object.
    pub fn root(value: &'a Value) -> Result<Node<'a>, MappingError> {
        if value.is_object() {
            Ok(Node {
                value,
                path: String::new(),
            })
        } else {
            Err(MappingError::new("$", "the payload is not a JSON object"))
        }
    }

    /// Path of this node (`$` for the root).
    pub fn path(&self) -> String {
        if self.path.is_empty() {
            "$".to_string()
        } else {
            self.path.clone()
        }
    }

    /// Path of `key` under this node.
    pub fn path_of(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// An error at `key` under this node.
    pub fn fail(&self, key: &str, message: impl Into<String>) -> MappingError {
        MappingError::new(self.path_of(key), message)
    }

    /// The child `key`, `None` when absent or `null`.
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        self.value
            .get(key)
            .filter(|v| !v.is_null())
            .map(|value| Node {
                value,
                path: self.path_of(key),
            })
    }

    /// The child `key`, which must be present and not `null`.
    pub fn req(&self, key: &str) -> Result<Node<'a>, MappingError> {
        self.get(key).ok_or_else(|| self.fail(key, "required"))
    }

    /// The child object `key`, `None` when absent or `null`.
    pub fn object(&self, key: &str) -> Result<Option<Node<'a>>, MappingError> {
        match self.get(key) {
            Some(node) if node.value.is_object() => Ok(Some(node)),
            Some(node) => Err(node.wrong("an object")),
            None => Ok(None),
        }
    }

    /// The elements of array `key` (none when absent or `null`).
    pub fn items(&self, key: &str) -> Result<Vec<Node<'a>>, MappingError> {
        let Some(node) = self.get(key) else {
            return Ok(Vec::new());
        };
        let Some(items) = node.value.as_array() else {
            return Err(node.wrong("an array"));
        };
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, value)| Node {
                value,
                path: format!("{}[{i}]", node.path),
            })
            .collect())
    }

    /// This node as a float (weights; never money).
    pub fn value_f64(&self) -> Option<f64> {
        self.value.as_f64()
    }

    /// This node as text.
    pub fn as_str(&self) -> Result<&'a str, MappingError> {
        self.value.as_str().ok_or_else(|| self.wrong("a string"))
    }

    /// This node as an object node (elements of arrays of objects).
    pub fn as_object(&self) -> Result<&Node<'a>, MappingError> {
        if self.value.is_object() {
            Ok(self)
        } else {
            Err(self.wrong("an object"))
        }
    }

    /// Text `key`; `None` when absent, `null` or blank.
    pub fn opt_str(&self, key: &str) -> Result<Option<&'a str>, MappingError> {
        match self.get(key) {
            Some(node) => Ok(Some(node.as_str()?.trim()).filter(|s| !s.is_empty())),
            None => Ok(None),
        }
    }

    /// Text `key` as an owned value; empty when absent or `null`.
    pub fn text(&self, key: &str) -> Result<String, MappingError> {
        Ok(self.opt_str(key)?.unwrap_or_default().to_string())
    }

    /// Text `key`, required and not blank.
    pub fn req_str(&self, key: &str) -> Result<&'a str, MappingError> {
        let node = self.req(key)?;
        let text = node.as_str()?.trim();
        if text.is_empty() {
            return Err(node.wrong("non-empty text"));
        }
        Ok(text)
    }

    /// An id: a whole number or non-empty text, as text; `None` when absent,
    /// `null`, `0` or blank (platforms use 0 for "none").
    pub fn opt_id(&self, key: &str) -> Result<Option<String>, MappingError> {
        let Some(node) = self.get(key) else {
            return Ok(None);
        };
        let id = match node.value {
            Value::Number(n) if n.is_u64() || n.is_i64() => n.to_string(),
            Value::String(s) => s.trim().to_string(),
            _ => return Err(node.wrong("an id (a whole number or text)")),
        };
        Ok(Some(id).filter(|id| !id.is_empty() && id != "0"))
    }

    /// A required id.
    pub fn id(&self, key: &str) -> Result<String, MappingError> {
        self.opt_id(key)?.ok_or_else(|| self.fail(key, "required"))
    }

    /// A whole number `key`; `None` when absent or `null`.
    pub fn opt_int(&self, key: &str) -> Result<Option<i64>, MappingError> {
        match self.get(key) {
            Some(node) => node
                .value
                .as_i64()
                .map(Some)
                .ok_or_else(|| node.wrong("a whole number")),
            None => Ok(None),
        }
    }

    /// A required whole number.
    pub fn int(&self, key: &str) -> Result<i64, MappingError> {
        self.opt_int(key)?.ok_or_else(|| self.fail(key, "required"))
    }

    /// A yes/no flag; `default` when absent or `null`.
    pub fn flag(&self, key: &str, default: bool) -> Result<bool, MappingError> {
        match self.get(key) {
            Some(node) => node
                .value
                .as_bool()
                .ok_or_else(|| node.wrong("true or false")),
            None => Ok(default),
        }
    }

    /// An RFC 3339 timestamp with offset (Shopify's `2021-12-31T19:00:00-05:00`).
    pub fn opt_time(&self, key: &str) -> Result<Option<DateTime<Utc>>, MappingError> {
        let Some(text) = self.opt_str(key)? else {
            return Ok(None);
        };
        DateTime::parse_from_rfc3339(text)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| {
                self.fail(
                    key,
                    format!("`{}` is not a date-time with offset (expected e.g. 2021-12-31T19:00:00-05:00)", clip(text)),
                )
            })
    }

    /// A required RFC 3339 timestamp.
    pub fn time(&self, key: &str) -> Result<DateTime<Utc>, MappingError> {
        self.opt_time(key)?
            .ok_or_else(|| self.fail(key, "required"))
    }

    /// A GMT timestamp, with or without offset (WooCommerce's
    /// `date_created_gmt`: `2017-03-22T19:28:02`).
    pub fn opt_gmt_time(&self, key: &str) -> Result<Option<DateTime<Utc>>, MappingError> {
        let Some(text) = self.opt_str(key)? else {
            return Ok(None);
        };
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return Ok(Some(t.with_timezone(&Utc)));
        }
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
            .map(|t| Some(t.and_utc()))
            .map_err(|_| {
                self.fail(
                    key,
                    format!(
                        "`{}` is not a GMT date-time (expected e.g. 2017-03-22T19:28:02)",
                        clip(text)
                    ),
                )
            })
    }

    /// A decimal amount given as text (`"19.99"`); `None` when absent,
    /// `null` or blank. Negative amounts are refused.
    pub fn opt_money(&self, key: &str, currency: Currency) -> Result<Option<Money>, MappingError> {
        let Some(node) = self.get(key) else {
            return Ok(None);
        };
        let text = node
            .as_str()
            .map_err(|_| node.wrong("a decimal amount as text (e.g. \"19.99\")"))?;
        node.parse_amount(text, currency)
    }

    /// A required decimal amount given as text.
    pub fn money(&self, key: &str, currency: Currency) -> Result<Money, MappingError> {
        self.opt_money(key, currency)?
            .ok_or_else(|| self.fail(key, "required"))
    }

    /// An amount given as text or as a JSON number (WooCommerce's line
    /// `price`); the number is read from its shortest decimal form, and one
    /// with more decimals than the currency has is refused, never rounded.
    pub fn opt_money_lenient(
        &self,
        key: &str,
        currency: Currency,
    ) -> Result<Option<Money>, MappingError> {
        let Some(node) = self.get(key) else {
            return Ok(None);
        };
        match node.value {
            Value::String(text) => node.parse_amount(text, currency),
            Value::Number(n) => node.parse_amount(&n.to_string(), currency),
            _ => Err(node.wrong("a decimal amount")),
        }
    }

    fn parse_amount(&self, text: &str, currency: Currency) -> Result<Option<Money>, MappingError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        currency
            .parse_non_negative(text)
            .map(|minor| Some(Money::new(minor, currency)))
            .map_err(|e| MappingError::new(self.path(), e.to_string()))
    }

    /// An error saying this node is not `expected`.
    pub fn wrong(&self, expected: &str) -> MappingError {
        let found = match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "text",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        MappingError::new(self.path(), format!("expected {expected}, found {found}"))
    }
}

/// At most 40 characters of payload text for an error message.
pub(crate) fn clip(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if text.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

/// Splits a comma-separated tag list, trimming tags and dropping empty ones.
pub(crate) fn tags(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}
