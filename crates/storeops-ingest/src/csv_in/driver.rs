//! Drives a CSV file through a kind's parser: reads the header once, reuses
//! one `ByteRecord`, skips blank rows, and either hands each row to a
//! row parser or groups consecutive rows by key (products by Handle, orders
//! by Name) and detects keys that reappear later in the file.

use std::collections::{HashMap, VecDeque};

use csv::{ByteRecord, Reader, ReaderBuilder};
use storeops_domain::Record;

use crate::csv_in::header::{Column, Header};
use crate::error::{FieldError, IngestError, Parsed, Rejected};
use crate::source::{CountingRead, Source};

/// Parses kinds with one record per row (customers, inventory levels).
pub(crate) trait RowParser: Send {
    /// Parses a row; `None` skips it without a record or rejection.
    fn parse(&self, row: &ByteRecord, line: u64) -> Option<Result<Record, Vec<FieldError>>>;
}

/// Parses kinds whose records span consecutive rows sharing a key.
pub(crate) trait GroupParser: Send {
    /// Record being assembled.
    type Builder: Send;
    /// Logical id of the key column.
    fn key_column(&self) -> usize;
    /// The header, for the key's column name.
    fn header(&self) -> &Header;
    /// Starts a record.
    fn start(&self, key: String, line: u64) -> Self::Builder;
    /// Adds one row (the first one too); `note` is its line unless it is the
    /// group's first.
    fn add_row(&self, builder: &mut Self::Builder, row: &ByteRecord, note: Option<u64>);
    /// Completes a record.
    fn finish(&self, builder: Self::Builder) -> Result<Record, Vec<FieldError>>;
}

/// Opens a CSV reader and reads its header row; `None` for an empty input.
pub(crate) fn open(
    mut input: CountingRead,
) -> Result<(Reader<CountingRead>, Option<ByteRecord>), IngestError> {
    input.track_lines();
    let mut csv = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut raw = ByteRecord::new();
    let found = csv
        .read_byte_record(&mut raw)
        .map_err(IngestError::from_csv)?;
    Ok((csv, found.then_some(raw)))
}

/// Matches a header row, or fails when the input is empty.
pub(crate) fn header(
    raw: Option<&ByteRecord>,
    spec: &[Column],
    required: &[usize],
) -> Result<Header, IngestError> {
    let raw = raw.ok_or_else(|| IngestError::Csv {
        line: 1,
        message: "the file is empty (no header row)".to_string(),
    })?;
    Header::new(raw, spec, required)
}

/// Reads the next non-blank row; `Ok(None)` at the end.
fn next_row(
    csv: &mut Reader<CountingRead>,
    row: &mut ByteRecord,
) -> Result<Option<u64>, IngestError> {
    loop {
        if !csv.read_byte_record(row).map_err(IngestError::from_csv)? {
            return Ok(None);
        }
        if row.iter().any(|cell| !cell.trim_ascii().is_empty()) {
            let at = row.position().map_or(0, csv::Position::byte);
            return Ok(Some(csv.get_mut().line_at(at)));
        }
    }
}

fn into_parsed(line: u64, result: Result<Record, Vec<FieldError>>) -> Parsed {
    match result {
        Ok(record) => Parsed::Record { line, record },
        Err(errors) => Parsed::Rejected(Rejected { line, errors }),
    }
}

/// One record per row.
pub(crate) struct RowSource<P> {
    csv: Reader<CountingRead>,
    row: ByteRecord,
    parser: P,
}

impl<P: RowParser> RowSource<P> {
    /// A source over an opened reader.
    pub fn new(csv: Reader<CountingRead>, parser: P) -> RowSource<P> {
        RowSource {
            csv,
            row: ByteRecord::new(),
            parser,
        }
    }
}

impl<P: RowParser> Source for RowSource<P> {
    fn next_item(&mut self) -> Option<Result<Parsed, IngestError>> {
        loop {
            let line = match next_row(&mut self.csv, &mut self.row) {
                Ok(Some(line)) => line,
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            };
            if let Some(result) = self.parser.parse(&self.row, line) {
                return Some(Ok(into_parsed(line, result)));
            }
        }
    }

    fn bytes_read(&self) -> u64 {
        self.csv.get_ref().count()
    }
}

struct Open<B> {
    key: String,
    line: u64,
    duplicate_of: Option<u64>,
    builder: B,
}

/// Records spanning consecutive rows with the same key.
pub(crate) struct GroupSource<P: GroupParser> {
    csv: Reader<CountingRead>,
    row: ByteRecord,
    parser: P,
    open: Option<Open<P::Builder>>,
    seen: HashMap<String, u64>,
    /// Rejections of key-less rows inside the open group, emitted right
    /// after it so output stays in line order.
    deferred: Vec<Parsed>,
    queue: VecDeque<Parsed>,
    ended: bool,
}

impl<P: GroupParser> GroupSource<P> {
    /// A source over an opened reader.
    pub fn new(csv: Reader<CountingRead>, parser: P) -> GroupSource<P> {
        GroupSource {
            csv,
            row: ByteRecord::new(),
            parser,
            open: None,
            seen: HashMap::new(),
            deferred: Vec::new(),
            queue: VecDeque::new(),
            ended: false,
        }
    }

    /// Completes a group and queues the rejections deferred behind it.
    fn close(&mut self, group: Open<P::Builder>) -> Parsed {
        self.queue.extend(self.deferred.drain(..));
        let result = self.parser.finish(group.builder);
        let Some(first) = group.duplicate_of else {
            return into_parsed(group.line, result);
        };
        let column = self.parser.header().name(self.parser.key_column());
        let mut errors = vec![FieldError::new(
            column,
            format!("`{}` duplicates the record at line {first}", group.key),
        )];
        if let Err(more) = result {
            errors.extend(more);
        }
        Parsed::Rejected(Rejected {
            line: group.line,
            errors,
        })
    }
}

/// The trimmed key cell of a row, or why it is unusable.
fn row_key<'r>(
    header: &Header,
    column: usize,
    row: &'r ByteRecord,
) -> Result<&'r str, &'static str> {
    let cell = header
        .position(column)
        .and_then(|p| row.get(p))
        .unwrap_or(b"");
    match std::str::from_utf8(cell) {
        Ok(key) if key.trim().is_empty() => Err("missing (every row must carry its record's key)"),
        Ok(key) => Ok(key.trim()),
        Err(_) => Err("invalid UTF-8"),
    }
}

impl<P: GroupParser> Source for GroupSource<P> {
    fn next_item(&mut self) -> Option<Result<Parsed, IngestError>> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(Ok(item));
            }
            if self.ended {
                let group = self.open.take()?;
                return Some(Ok(self.close(group)));
            }
            let line = match next_row(&mut self.csv, &mut self.row) {
                Ok(Some(line)) => line,
                Ok(None) => {
                    self.ended = true;
                    continue;
                }
                Err(e) => {
                    self.ended = true;
                    self.open = None;
                    return Some(Err(e));
                }
            };
            let key = match row_key(self.parser.header(), self.parser.key_column(), &self.row) {
                Ok(key) => key,
                Err(message) => {
                    let field = self.parser.header().name(self.parser.key_column());
                    let errors = vec![FieldError::new(field, message)];
                    let rejected = Parsed::Rejected(Rejected { line, errors });
                    if self.open.is_some() {
                        self.deferred.push(rejected);
                        continue;
                    }
                    return Some(Ok(rejected));
                }
            };
            if let Some(group) = self.open.as_mut().filter(|g| g.key == key) {
                self.parser
                    .add_row(&mut group.builder, &self.row, Some(line));
                continue;
            }
            let key = key.to_string();
            let duplicate_of = match self.seen.get(&key) {
                Some(&first) => Some(first),
                None => {
                    self.seen.insert(key.clone(), line);
                    None
                }
            };
            let mut builder = self.parser.start(key.clone(), line);
            self.parser.add_row(&mut builder, &self.row, None);
            let next = Open {
                key,
                line,
                duplicate_of,
                builder,
            };
            if let Some(done) = self.open.replace(next) {
                return Some(Ok(self.close(done)));
            }
        }
    }

    fn bytes_read(&self) -> u64 {
        self.csv.get_ref().count()
    }
}
