//! Typed access to the cells of one CSV row: per-cell UTF-8 decoding and
//! value parsing that records every bad field under its header text instead
//! of stopping at the first.

use csv::ByteRecord;
use storeops_domain::labels::UnknownLabel;

use crate::csv_in::header::Header;
use crate::error::FieldError;

/// One row being read, with the error list of the record it belongs to.
pub(crate) struct Row<'a> {
    header: &'a Header,
    record: &'a ByteRecord,
    errors: &'a mut Vec<FieldError>,
    note: Option<u64>,
}

impl<'a> Row<'a> {
    /// Wraps a row; `note` is the row's line when it is not the first line of
    /// its record, so messages can say which row was bad.
    pub fn new(
        header: &'a Header,
        record: &'a ByteRecord,
        errors: &'a mut Vec<FieldError>,
        note: Option<u64>,
    ) -> Row<'a> {
        Row {
            header,
            record,
            errors,
            note,
        }
    }

    fn bytes(&self, id: usize) -> &'a [u8] {
        self.header
            .position(id)
            .and_then(|p| self.record.get(p))
            .unwrap_or(b"")
    }

    /// Whether the cell is missing or only whitespace (no decoding).
    pub fn blank(&self, id: impl Into<usize>) -> bool {
        self.bytes(id.into()).trim_ascii().is_empty()
    }

    /// The trimmed cell text; invalid UTF-8 is reported and read as empty.
    pub fn text(&mut self, id: impl Into<usize>) -> &'a str {
        let id = id.into();
        match std::str::from_utf8(self.bytes(id)) {
            Ok(text) => text.trim(),
            Err(_) => {
                self.fail(id, "invalid UTF-8".to_string());
                ""
            }
        }
    }

    /// The trimmed cell text as an owned string, `None` when empty.
    pub fn optional(&mut self, id: impl Into<usize>) -> Option<String> {
        let text = self.text(id);
        (!text.is_empty()).then(|| text.to_string())
    }

    /// Records a bad field.
    pub fn fail(&mut self, id: impl Into<usize>, message: String) {
        let message = match self.note {
            Some(line) => format!("{message} (line {line})"),
            None => message,
        };
        let field = self.header.name(id).to_string();
        self.errors.push(FieldError { field, message });
    }

    /// Parses the cell with `parse`; errors are recorded and read as `None`.
    pub fn value<T>(
        &mut self,
        id: impl Into<usize> + Copy,
        parse: impl FnOnce(&str) -> Result<Option<T>, String>,
    ) -> Option<T> {
        let text = self.text(id);
        match parse(text) {
            Ok(value) => value,
            Err(message) => {
                self.fail(id, message);
                None
            }
        }
    }

    /// Parses a label cell; empty is `None`, unknown labels are recorded.
    pub fn label<T>(
        &mut self,
        id: impl Into<usize> + Copy,
        parse: impl FnOnce(&str) -> Result<T, UnknownLabel>,
    ) -> Option<T> {
        self.value(id, |text| {
            if text.is_empty() {
                return Ok(None);
            }
            parse(text).map(Some).map_err(|e| e.to_string())
        })
    }

    /// Stores record-level cells in `level`: the first non-empty value of
    /// each column wins, and a later different value is recorded as an error.
    pub fn absorb(&mut self, level: &mut Level, ids: impl IntoIterator<Item = usize>, what: &str) {
        for id in ids {
            if self.blank(id) {
                continue;
            }
            let text = self.text(id);
            match level.value(id) {
                None => level.set(id, text),
                Some(first) if first == text => {}
                Some(first) => {
                    let message =
                        format!("`{text}` differs from `{first}` given earlier for this {what}");
                    self.fail(id, message);
                }
            }
        }
    }
}

/// Record-level cell values of a group of rows (product or order fields that
/// Shopify writes on the group's first row only), kept in one buffer.
pub(crate) struct Level {
    text: String,
    spans: Vec<Option<(usize, usize)>>,
}

impl Level {
    /// An empty set for a header with `columns` logical columns.
    pub fn new(columns: usize) -> Level {
        Level {
            text: String::with_capacity(256),
            spans: vec![None; columns],
        }
    }

    /// The stored value of a column, if one was stored.
    fn value(&self, id: usize) -> Option<&str> {
        let (start, end) = self.spans.get(id).copied().flatten()?;
        self.text.get(start..end)
    }

    fn set(&mut self, id: usize, value: &str) {
        let start = self.text.len();
        self.text.push_str(value);
        if let Some(span) = self.spans.get_mut(id) {
            *span = Some((start, self.text.len()));
        }
    }

    /// The stored value of a column ("" when none).
    pub fn get(&self, id: impl Into<usize>) -> &str {
        self.value(id.into()).unwrap_or("")
    }
}

/// Parses stored record-level values, recording errors under header texts.
pub(crate) struct LevelValues<'a> {
    header: &'a Header,
    level: &'a Level,
    errors: &'a mut Vec<FieldError>,
}

impl<'a> LevelValues<'a> {
    /// Wraps the stored values of a finished group.
    pub fn new(
        header: &'a Header,
        level: &'a Level,
        errors: &'a mut Vec<FieldError>,
    ) -> LevelValues<'a> {
        LevelValues {
            header,
            level,
            errors,
        }
    }

    /// The stored text of a column ("" when none).
    pub fn text(&self, id: impl Into<usize>) -> &'a str {
        self.level.get(id)
    }

    /// The stored text, `None` when empty.
    pub fn optional(&self, id: impl Into<usize>) -> Option<String> {
        let text = self.text(id);
        (!text.is_empty()).then(|| text.to_string())
    }

    /// Records a bad field.
    pub fn fail(&mut self, id: impl Into<usize>, message: String) {
        let field = self.header.name(id).to_string();
        self.errors.push(FieldError { field, message });
    }

    /// Parses a stored value; errors are recorded and read as `None`.
    pub fn value<T>(
        &mut self,
        id: impl Into<usize> + Copy,
        parse: impl FnOnce(&str) -> Result<Option<T>, String>,
    ) -> Option<T> {
        match parse(self.text(id)) {
            Ok(value) => value,
            Err(message) => {
                self.fail(id, message);
                None
            }
        }
    }

    /// Parses a stored label; empty is `None`.
    pub fn label<T>(
        &mut self,
        id: impl Into<usize> + Copy,
        parse: impl FnOnce(&str) -> Result<T, UnknownLabel>,
    ) -> Option<T> {
        self.value(id, |text| {
            if text.is_empty() {
                return Ok(None);
            }
            parse(text).map(Some).map_err(|e| e.to_string())
        })
    }
}
