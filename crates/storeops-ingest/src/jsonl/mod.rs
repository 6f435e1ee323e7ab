//! JSONL: one JSON object per line for every kind. Wire structs per kind
//! carry amounts as decimal strings with a record-level `currency`,
//! timestamps as RFC 3339 and enums as their labels.

mod catalog;
mod check;
mod fulfilment;
mod orders;
mod people;
mod stock;
mod support;

use std::io::{BufRead, BufReader, Write};

use serde::de::DeserializeOwned;
use serde::Serialize;
use storeops_domain::{Currency, Record, RecordKind};

use crate::error::{FieldError, IngestError, Parsed, Rejected};
use crate::source::{CountingRead, Source};
use crate::ReaderOptions;
use check::Check;

/// A kind's JSONL wire struct.
pub(crate) trait Wire: DeserializeOwned + Serialize {
    /// Validates and converts to a domain record; errors go to `check`.
    fn into_record(self, check: &mut Check) -> Record;
}

type ParseFn = fn(&[u8], Currency) -> Result<Record, Vec<FieldError>>;

/// Parses one line as the wire struct `W`.
fn parse_as<W: Wire>(line: &[u8], currency: Currency) -> Result<Record, Vec<FieldError>> {
    if line.first() != Some(&b'{') {
        return Err(vec![FieldError::new(
            "",
            "expected a JSON object (`{...}`) on the line",
        )]);
    }
    let mut de = serde_json::Deserializer::from_slice(line);
    let wire: W = serde_path_to_error::deserialize(&mut de).map_err(|e| vec![json_error(&e)])?;
    de.end()
        .map_err(|e| vec![FieldError::new("", json_message(&e))])?;
    let mut check = Check::new(currency);
    let record = wire.into_record(&mut check);
    let errors = check.into_errors();
    if errors.is_empty() {
        Ok(record)
    } else {
        Err(errors)
    }
}

/// A serde error with its key path; "missing field `x`" names `x` itself.
fn json_error(e: &serde_path_to_error::Error<serde_json::Error>) -> FieldError {
    let path = e.path().to_string();
    let path = match path.as_str() {
        "." | "?" => String::new(),
        p => p.strip_suffix(".?").unwrap_or(p).to_string(),
    };
    let message = json_message(e.inner());
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(key, _)| key);
    let field = match missing {
        Some(key) if path.is_empty() => key.to_string(),
        Some(key) => format!("{path}.{key}"),
        None => path,
    };
    FieldError::new(field, message)
}

/// serde_json's message with "at line 1 column N" (the line is always 1
/// within one JSONL line) shortened to "at column N".
fn json_message(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match message.strip_suffix(&suffix) {
        Some(text) if e.line() > 0 => format!("{text} at column {}", e.column()),
        _ => message,
    }
}

fn parser_for(kind: RecordKind) -> ParseFn {
    match kind {
        RecordKind::Products => parse_as::<catalog::ProductWire>,
        RecordKind::Customers => parse_as::<people::CustomerWire>,
        RecordKind::Orders => parse_as::<orders::OrderWire>,
        RecordKind::Inventory => parse_as::<stock::InventoryWire>,
        RecordKind::Shipments => parse_as::<fulfilment::ShipmentWire>,
        RecordKind::Returns => parse_as::<fulfilment::ReturnWire>,
        RecordKind::Tickets => parse_as::<support::TicketWire>,
        RecordKind::Docs => parse_as::<support::DocWire>,
    }
}

/// Reads JSONL lines, skipping blank ones.
struct JsonlSource {
    input: BufReader<CountingRead>,
    buf: Vec<u8>,
    line: u64,
    parse: ParseFn,
    currency: Currency,
}

/// Opens a JSONL source for `kind`.
pub(crate) fn open(
    kind: RecordKind,
    input: CountingRead,
    options: &ReaderOptions,
) -> Box<dyn Source> {
    Box::new(JsonlSource {
        input: BufReader::with_capacity(64 * 1024, input),
        buf: Vec::with_capacity(4096),
        line: 0,
        parse: parser_for(kind),
        currency: options.currency,
    })
}

impl Source for JsonlSource {
    fn next_item(&mut self) -> Option<Result<Parsed, IngestError>> {
        loop {
            self.buf.clear();
            match self.input.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => self.line += 1,
                Err(e) => return Some(Err(IngestError::Io(e))),
            }
            let mut text = self.buf.trim_ascii();
            if self.line == 1 {
                text = text
                    .strip_prefix(b"\xEF\xBB\xBF".as_slice())
                    .unwrap_or(text);
            }
            if text.is_empty() {
                continue;
            }
            let line = self.line;
            return Some(Ok(match (self.parse)(text, self.currency) {
                Ok(record) => Parsed::Record { line, record },
                Err(errors) => Parsed::Rejected(Rejected { line, errors }),
            }));
        }
    }

    fn bytes_read(&self) -> u64 {
        self.input.get_ref().count()
    }
}

/// Writes records as JSONL, one line each, streaming.
#[derive(Debug)]
pub struct JsonlWriter<W: Write> {
    out: W,
    line: Vec<u8>,
}

impl<W: Write> JsonlWriter<W> {
    /// A writer over `out` (wrap files in a `BufWriter`).
    pub fn new(out: W) -> JsonlWriter<W> {
        JsonlWriter {
            out,
            line: Vec::with_capacity(1024),
        }
    }

    /// Writes one record of any kind.
    pub fn write(&mut self, record: &Record) -> Result<(), IngestError> {
        self.line.clear();
        match record {
            Record::Product(p) => {
                serde_json::to_writer(&mut self.line, &catalog::ProductWire::from_domain(p)?)?
            }
            Record::Customer(c) => {
                serde_json::to_writer(&mut self.line, &people::CustomerWire::from_domain(c))?
            }
            Record::Order(o) => {
                serde_json::to_writer(&mut self.line, &orders::OrderWire::from_domain(o)?)?
            }
            Record::Inventory(i) => {
                serde_json::to_writer(&mut self.line, &stock::InventoryWire::from_domain(i))?
            }
            Record::Shipment(s) => {
                serde_json::to_writer(&mut self.line, &fulfilment::ShipmentWire::from_domain(s))?
            }
            Record::Return(r) => {
                serde_json::to_writer(&mut self.line, &fulfilment::ReturnWire::from_domain(r)?)?
            }
            Record::Ticket(t) => {
                serde_json::to_writer(&mut self.line, &support::TicketWire::from_domain(t))?
            }
            Record::Doc(d) => {
                serde_json::to_writer(&mut self.line, &support::DocWire::from_domain(d))?
            }
        }
        self.line.push(b'\n');
        self.out.write_all(&self.line)?;
        Ok(())
    }

    /// Flushes and returns the output.
    pub fn finish(mut self) -> Result<W, IngestError> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes records of any kinds as JSONL.
pub fn write_jsonl<W: Write>(records: &[Record], out: W) -> Result<(), IngestError> {
    let mut writer = JsonlWriter::new(out);
    for record in records {
        writer.write(record)?;
    }
    writer.finish().map(drop)
}
