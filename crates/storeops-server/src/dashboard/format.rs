//! Turning stored JSON into display text: fields, money in minor units,
//! timestamps, and the key fields of a record page.

use chrono::DateTime;
use serde_json::Value;
use storeops_domain::Currency;

/// Longest text shown in a key-field table (the full value is in the JSON).
const MAX_FIELD: usize = 200;

/// A string field of `item`, or `""`.
pub fn field<'a>(item: &'a Value, name: &str) -> &'a str {
    item.get(name).and_then(Value::as_str).unwrap_or("")
}

/// `{"minor": 1999, "currency": "USD"}` as `19.99 USD`.
pub fn money(value: &Value) -> Option<String> {
    let minor = value.get("minor")?.as_i64()?;
    let code = value.get("currency")?.as_str()?;
    let currency = Currency::parse(code).ok()?;
    Some(format!(
        "{} {}",
        currency.format_amount(minor),
        currency.code()
    ))
}

/// An RFC 3339 time as `YYYY-MM-DD HH:MM` (UTC); other text unchanged.
pub fn time(text: &str) -> String {
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) => t.naive_utc().format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => text.to_string(),
    }
}

/// The top-level fields of a record worth a table row: text, numbers,
/// flags and money; nested objects and lists are left to the JSON.
pub fn key_fields(item: &Value) -> Vec<(String, String)> {
    let Some(object) = item.as_object() else {
        return Vec::new();
    };
    object
        .iter()
        .filter_map(|(name, value)| {
            let text = match value {
                Value::String(s) if s.is_empty() => return None,
                Value::String(s) => shorten(&time(s)),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
                Value::Object(_) => money(value)?,
                Value::Null | Value::Array(_) => return None,
            };
            Some((name.replace('_', " "), text))
        })
        .collect()
}

/// At most [`MAX_FIELD`] characters.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_FIELD) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn money_uses_the_currency_exponent() {
        assert_eq!(
            money(&json!({"minor": 1999, "currency": "USD"})).as_deref(),
            Some("19.99 USD")
        );
        assert_eq!(
            money(&json!({"minor": 500, "currency": "JPY"})).as_deref(),
            Some("500 JPY")
        );
        assert_eq!(
            money(&json!({"minor": -5, "currency": "EUR"})).as_deref(),
            Some("-0.05 EUR")
        );
        assert_eq!(money(&json!({"minor": 1})), None);
        assert_eq!(money(&json!({"minor": 1, "currency": "XYZ"})), None);
    }

    #[test]
    fn times_and_key_fields() {
        assert_eq!(time("2024-03-01T10:05:09+02:00"), "2024-03-01 08:05");
        assert_eq!(time("not a time"), "not a time");
        let fields = key_fields(&json!({
            "name": "#1", "total": {"minor": 100, "currency": "USD"}, "lines": [1],
            "note": "", "regulated": true, "address": {"city": "X"}, "long": "x".repeat(300),
        }));
        let fields: std::collections::BTreeMap<String, String> = fields.into_iter().collect();
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        assert_eq!(names, ["long", "name", "regulated", "total"]);
        assert_eq!(fields["long"].chars().count(), MAX_FIELD + 1);
        assert_eq!(fields["regulated"], "yes");
        assert_eq!(fields["total"], "1.00 USD");
    }
}
