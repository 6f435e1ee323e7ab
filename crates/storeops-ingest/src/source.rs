//! The streaming reader handed to the import pipeline: an iterator of parsed
//! records and rejections over any `Read`, with a byte count for progress.

use std::io::Read;

use crate::error::{IngestError, Parsed};

/// Counts the bytes pulled from the input.
pub(crate) struct CountingRead {
    inner: Box<dyn Read + Send>,
    count: u64,
}

impl CountingRead {
    /// Wraps an input.
    pub fn new(inner: Box<dyn Read + Send>) -> CountingRead {
        CountingRead { inner, count: 0 }
    }

    /// Bytes read so far.
    pub fn count(&self) -> u64 {
        self.count
    }
}

impl Read for CountingRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
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
