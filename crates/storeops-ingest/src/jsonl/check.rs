//! Semantic validation of JSONL wire values (money, timestamps, dates,
//! labels, keys, quantities), collecting every error under its key path.

use chrono::{DateTime, NaiveDate, Utc};
use storeops_domain::labels::UnknownLabel;
use storeops_domain::{Currency, Money};

use crate::error::FieldError;
use crate::values;

/// Where a value sits: a path prefix (`lines[2].`) and a key (`price`).
pub(crate) type At<'a> = (&'a str, &'a str);

/// Collects the errors of one record.
pub(crate) struct Check {
    store_currency: Currency,
    errors: Vec<FieldError>,
}

impl Check {
    /// A check with the store currency as the default currency.
    pub fn new(store_currency: Currency) -> Check {
        Check {
            store_currency,
            errors: Vec::new(),
        }
    }

    /// The errors found.
    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }

    /// Records a bad value.
    pub fn fail(&mut self, at: At<'_>, message: String) {
        self.errors
            .push(FieldError::new(format!("{}{}", at.0, at.1), message));
    }

    fn parsed<T>(&mut self, at: At<'_>, result: Result<Option<T>, String>) -> Option<T> {
        result.unwrap_or_else(|message| {
            self.fail(at, message);
            None
        })
    }

    /// A natural key: must not be empty.
    pub fn key(&mut self, at: At<'_>, text: &str) {
        if text.trim().is_empty() {
            self.fail(at, "must not be empty".to_string());
        }
    }

    /// The record currency; absent means the store currency.
    pub fn currency(&mut self, at: At<'_>, code: Option<&str>) -> Currency {
        match code.map(Currency::parse) {
            None => self.store_currency,
            Some(Ok(currency)) => currency,
            Some(Err(e)) => {
                self.fail(at, e.to_string());
                self.store_currency
            }
        }
    }

    /// An optional non-negative amount.
    pub fn opt_money(
        &mut self,
        at: At<'_>,
        text: Option<&str>,
        currency: Currency,
    ) -> Option<Money> {
        let text = text?;
        if text.trim().is_empty() {
            self.fail(at, "amount is empty".to_string());
            return None;
        }
        self.parsed(at, values::money(text, currency))
    }

    /// A non-negative amount; absent means zero.
    pub fn money_or_zero(&mut self, at: At<'_>, text: Option<&str>, currency: Currency) -> Money {
        self.opt_money(at, text, currency)
            .unwrap_or(Money::new(0, currency))
    }

    /// A required non-negative amount.
    pub fn money(&mut self, at: At<'_>, text: &str, currency: Currency) -> Money {
        self.opt_money(at, Some(text), currency)
            .unwrap_or(Money::new(0, currency))
    }

    /// An optional timestamp.
    pub fn opt_time(&mut self, at: At<'_>, text: Option<&str>) -> Option<DateTime<Utc>> {
        let text = text?;
        let parsed = self.parsed(at, values::timestamp(text));
        if parsed.is_none() && text.trim().is_empty() {
            self.fail(at, "timestamp is empty".to_string());
        }
        parsed
    }

    /// A required timestamp.
    pub fn time(&mut self, at: At<'_>, text: &str) -> DateTime<Utc> {
        self.opt_time(at, Some(text)).unwrap_or_default()
    }

    /// An optional calendar date.
    pub fn opt_date(&mut self, at: At<'_>, text: Option<&str>) -> Option<NaiveDate> {
        let text = text?;
        let parsed = self.parsed(at, values::date(text));
        if parsed.is_none() && text.trim().is_empty() {
            self.fail(at, "date is empty".to_string());
        }
        parsed
    }

    /// A required calendar date.
    pub fn date(&mut self, at: At<'_>, text: &str) -> NaiveDate {
        self.opt_date(at, Some(text)).unwrap_or_default()
    }

    /// An optional label.
    pub fn opt_label<T>(
        &mut self,
        at: At<'_>,
        text: Option<&str>,
        parse: fn(&str) -> Result<T, UnknownLabel>,
    ) -> Option<T> {
        match parse(text?) {
            Ok(value) => Some(value),
            Err(e) => {
                self.fail(at, e.to_string());
                None
            }
        }
    }

    /// A label, `fallback` when absent (or after an error).
    pub fn label<T>(
        &mut self,
        at: At<'_>,
        text: Option<&str>,
        parse: fn(&str) -> Result<T, UnknownLabel>,
        fallback: T,
    ) -> T {
        self.opt_label(at, text, parse).unwrap_or(fallback)
    }

    /// A count that must be 1 or more.
    pub fn positive(&mut self, at: At<'_>, n: i64) -> i64 {
        if n < 1 {
            self.fail(at, format!("`{n}` is not a quantity (expected 1 or more)"));
        }
        n
    }
}
