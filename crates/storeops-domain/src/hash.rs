//! Content hashes of records, used to tell "unchanged" from "updated" on
//! re-import.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// Hex SHA-256 (first 16 bytes) of the record's JSON serialisation. Struct
/// fields serialise in declaration order and maps are `BTreeMap`s, so equal
/// records hash equally.
pub fn content_hash<T: Serialize>(record: &T) -> String {
    let mut hasher = Sha256::new();
    // Serialising plain data into a Vec cannot fail; an empty hash would only
    // make the next import report the record as updated.
    let bytes = serde_json::to_vec(record).unwrap_or_default();
    hasher.update(&bytes);
    let digest = hasher.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_records_hash_equally() {
        let a = content_hash(&("x", 1, vec![1, 2]));
        assert_eq!(a, content_hash(&("x", 1, vec![1, 2])));
        assert_ne!(a, content_hash(&("x", 2, vec![1, 2])));
        assert_eq!(a.len(), 32);
    }
}
