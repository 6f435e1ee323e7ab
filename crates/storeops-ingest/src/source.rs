//! The streaming reader handed to the import pipeline: an iterator of parsed
//! records and rejections over any `Read`, with a byte count for progress.

use std::collections::VecDeque;
use std::io::Read;

use crate::error::{IngestError, Parsed};

/// Counts the bytes pulled from the input.
pub(crate) struct CountingRead {
    inner: Box<dyn Read + Send>,
    count: u64,
    /// Line tracking (CSV): offsets (and whether `\n`) of the line-end
    /// bytes read but not yet passed by [`CountingRead::line_at`], and how
    /// many `\n` were passed.
    lines: Option<(VecDeque<(u64, bool)>, u64)>,
}

impl CountingRead {
    /// Wraps an input.
    pub fn new(inner: Box<dyn Read + Send>) -> CountingRead {
        CountingRead {
            inner,
            count: 0,
            lines: None,
        }
    }

    /// Bytes read so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Starts recording where lines end, for [`CountingRead::line_at`];
    /// call before the first read.
    pub fn track_lines(&mut self) {
        self.lines = Some((VecDeque::new(), 0));
    }

    /// The 1-based line of the record the csv crate places at byte `at`:
    /// one more than the `\n` bytes before its first byte, which is the
    /// first byte at or after `at` that does not end a line. The csv crate
    /// places a record at the line ends it skipped before it (the `\n` of a
    /// `\r\n`, blank lines), so its own line count is one early in CRLF
    /// files. Calls must not go backwards.
    pub fn line_at(&mut self, at: u64) -> u64 {
        let Some((ahead, passed)) = &mut self.lines else {
            return 0;
        };
        let mut start = at;
        while let Some(&(offset, newline)) = ahead.front() {
            if offset > start {
                break;
            }
            if offset == start {
                start += 1;
            }
            ahead.pop_front();
            *passed += u64::from(newline);
        }
        *passed + 1
    }
}

impl Read for CountingRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some((ahead, _)) = &mut self.lines {
            let base = self.count;
            let read = buf.get(..n).unwrap_or_default();
            ahead.extend(
                read.iter()
                    .enumerate()
                    .filter(|(_, &b)| b == b'\n' || b == b'\r')
                    .map(|(i, &b)| (base + i as u64, b == b'\n')),
            );
        }
        self.count += n as u64;
        Ok(n)
    }
}

/// One format's parser over one input.
pub(crate) trait Source: Send {
    /// The next record or rejection; `None` at the end of the input.
    fn next_item(&mut self) -> Option<Result<Parsed, IngestError>>;
    /// Bytes consumed from the input so far.
    fn bytes_read(&self) -> u64;
}

/// Streams records and rejections from one file.
///
/// Yields `Err` only for fatal problems (I/O errors); after one it ends.
/// Bad data is yielded as [`Parsed::Rejected`] and reading goes on.
pub struct RecordReader {
    source: Box<dyn Source>,
    failed: bool,
}

impl RecordReader {
    pub(crate) fn new(source: Box<dyn Source>) -> RecordReader {
        RecordReader {
            source,
            failed: false,
        }
    }

    /// Bytes consumed from the input so far (for progress bars).
    pub fn bytes_read(&self) -> u64 {
        self.source.bytes_read()
    }
}

impl Iterator for RecordReader {
    type Item = Result<Parsed, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let item = self.source.next_item();
        if matches!(item, Some(Err(_))) {
            self.failed = true;
        }
        item
    }
}

impl std::fmt::Debug for RecordReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordReader")
            .field("bytes_read", &self.bytes_read())
            .finish_non_exhaustive()
    }
}
