//! [`PreparedRecords`]: records with their JSON and content hashes computed
//! ahead of the write, so encoding can run off the writer's critical path.

use storeops_domain::Record;

use crate::batch::{encode, Encoded};
use crate::error::StoreError;

/// Records ready for [`crate::Store::upsert_prepared`]: each with the JSON
/// stored in its `data` column and its content hash.
#[derive(Debug, Clone)]
pub struct PreparedRecords {
    /// The records, in upsert order.
    records: Vec<Record>,
    /// `encoded[i]` belongs to `records[i]`.
    encoded: Vec<Encoded>,
}

impl PreparedRecords {
    /// Serialises and hashes every record. Pure CPU work: call it wherever
    /// it overlaps best with the database writes.
    pub fn new(records: Vec<Record>) -> Result<PreparedRecords, StoreError> {
        let encoded = records.iter().map(encode).collect::<Result<_, _>>()?;
        Ok(PreparedRecords { records, encoded })
    }

    /// The records and their encodings.
    pub(crate) fn into_parts(self) -> (Vec<Record>, Vec<Encoded>) {
        (self.records, self.encoded)
    }
}
