//! The content hash that runs are pinned to: SHA-256 over the canonical JSON of
//! the AST without spans, so whitespace and comments do not change it.

use crate::definition::Workflow;
use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256 of the canonical JSON of `wf`.
pub fn content_hash(wf: &Workflow) -> String {
    hex::encode(Sha256::digest(canonical_json(wf).as_bytes()))
}

/// The canonical JSON that [`content_hash`] hashes: fields in declaration order,
/// mappings in source order, no spans.
pub fn canonical_json(wf: &Workflow) -> String {
    // Serializing plain structs, strings and finite numbers cannot fail.
    serde_json::to_string(wf).unwrap_or_default()
}
