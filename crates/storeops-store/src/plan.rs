//! Deciding what an upsert writes: each record is compared, by natural key
//! and content hash, with what is stored.
//!
//! When a key repeats within one slice, the last occurrence wins: only it is
//! compared with the database and written; the earlier occurrences are
//! superseded and count as unchanged (they cause no write of their own). So
//! counts always add up to the number of records, and re-upserting the same
//! slice reports everything unchanged. `[A, A']` for a new key counts one
//! imported and one unchanged.

use std::collections::HashMap;
use std::hash::Hash;

use crate::counts::UpsertCounts;

/// One record of the slice with its key and content hash.
#[derive(Debug, Clone)]
pub(crate) struct Keyed<'a, K, T> {
    /// Natural key.
    pub key: K,
    /// The record.
    pub record: &'a T,
    /// `content_hash` of the record.
    pub hash: String,
    /// The record as JSON (the `data` column).
    pub json: String,
}

/// A record to write.
#[derive(Debug, Clone)]
pub(crate) struct Write<'a, K, T> {
    /// Natural key.
    pub key: K,
    /// The record (last occurrence of its key in the slice).
    pub record: &'a T,
    /// Its content hash.
    pub hash: String,
    /// The record as JSON.
    pub json: String,
    /// Whether a row with this key exists already (its child rows must be
    /// replaced).
    pub existed: bool,
}

/// Distinct keys of the slice, in first-seen order (for the lookup of
/// stored hashes).
pub(crate) fn distinct_keys<K: Eq + Hash + Clone, T>(items: &[Keyed<'_, K, T>]) -> Vec<K> {
    let mut seen = HashMap::with_capacity(items.len());
    let mut keys = Vec::with_capacity(items.len());
    for item in items {
        if seen.insert(item.key.clone(), ()).is_none() {
            keys.push(item.key.clone());
        }
    }
    keys
}

/// Counts the slice against the stored hashes and returns the rows to write,
/// in the order their keys were first seen.
pub(crate) fn plan<'a, K: Eq + Hash + Clone, T>(
    items: Vec<Keyed<'a, K, T>>,
    stored: &HashMap<K, String>,
) -> (UpsertCounts, Vec<Write<'a, K, T>>) {
    let mut counts = UpsertCounts::default();
    let mut slot_of: HashMap<K, usize> = HashMap::with_capacity(items.len());
    let mut last: Vec<Keyed<'a, K, T>> = Vec::new();
    for item in items {
        match slot_of.get(&item.key) {
            Some(&slot) => {
                counts.unchanged += 1;
                last[slot] = item;
            }
            None => {
                slot_of.insert(item.key.clone(), last.len());
                last.push(item);
            }
        }
    }
    let mut writes = Vec::with_capacity(last.len());
    for item in last {
        match stored.get(&item.key) {
            Some(hash) if *hash == item.hash => counts.unchanged += 1,
            old => {
                if old.is_some() {
                    counts.updated += 1;
                } else {
                    counts.imported += 1;
                }
                writes.push(Write {
                    existed: old.is_some(),
                    key: item.key,
                    record: item.record,
                    hash: item.hash,
                    json: item.json,
                });
            }
        }
    }
    (counts, writes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn keyed<'a>(key: &str, record: &'a u8, hash: &str) -> Keyed<'a, String, u8> {
        Keyed {
            key: key.to_string(),
            record,
            hash: hash.to_string(),
            json: String::new(),
        }
    }

    #[test]
    fn classifies_against_stored_hashes() {
        let r = [0u8, 1, 2, 3];
        let stored: HashMap<String, String> = [
            ("a".to_string(), "h1".to_string()),
            ("b".to_string(), "h2".to_string()),
        ]
        .into();
        let items = vec![
            keyed("a", &r[0], "h1"),
            keyed("b", &r[1], "hX"),
            keyed("c", &r[2], "h3"),
        ];
        let (counts, writes) = plan(items, &stored);
        assert_eq!(
            counts,
            UpsertCounts {
                imported: 1,
                updated: 1,
                unchanged: 1
            }
        );
        let written: Vec<(&str, bool)> =
            writes.iter().map(|w| (w.key.as_str(), w.existed)).collect();
        assert_eq!(written, vec![("b", true), ("c", false)]);
    }

    #[test]
    fn repeated_keys_last_wins_and_earlier_count_unchanged() {
        let r = [0u8, 1, 2];
        let items = vec![
            keyed("a", &r[0], "h1"),
            keyed("a", &r[1], "h1"),
            keyed("a", &r[2], "h2"),
        ];
        let (counts, writes) = plan(items, &HashMap::new());
        assert_eq!(
            counts,
            UpsertCounts {
                imported: 1,
                updated: 0,
                unchanged: 2
            }
        );
        assert_eq!(writes.len(), 1);
        assert_eq!(*writes[0].record, 2);
        assert!(!writes[0].existed);
    }

    #[test]
    fn returning_to_the_stored_content_writes_nothing() {
        let r = [0u8, 1];
        let stored: HashMap<String, String> = [("a".to_string(), "h1".to_string())].into();
        let items = vec![keyed("a", &r[0], "h2"), keyed("a", &r[1], "h1")];
        let (counts, writes) = plan(items, &stored);
        assert_eq!(
            counts,
            UpsertCounts {
                imported: 0,
                updated: 0,
                unchanged: 2
            }
        );
        assert!(writes.is_empty());
    }

    proptest! {
        #[test]
        fn counts_add_up_and_writes_are_distinct(
            items in proptest::collection::vec((0u8..6, 0u8..3), 0..40),
            stored in proptest::collection::hash_map(0u8..6, 0u8..3, 0..6),
        ) {
            let records: Vec<u8> = items.iter().map(|(_, h)| *h).collect();
            let keyed_items: Vec<Keyed<'_, u8, u8>> = items
                .iter()
                .zip(&records)
                .map(|((k, h), r)| Keyed { key: *k, record: r, hash: h.to_string(), json: String::new() })
                .collect();
            let stored: HashMap<u8, String> =
                stored.into_iter().map(|(k, h)| (k, h.to_string())).collect();
            let keys = distinct_keys(&keyed_items);
            let (counts, writes) = plan(keyed_items, &stored);
            prop_assert_eq!(counts.total(), items.len() as u64);
            prop_assert_eq!(counts.imported + counts.updated, writes.len() as u64);
            for w in &writes {
                let last = items.iter().rev().find(|(k, _)| *k == w.key).map(|(_, h)| h.to_string());
                prop_assert_eq!(Some(w.hash.clone()), last);
                prop_assert_ne!(stored.get(&w.key), Some(&w.hash));
                prop_assert_eq!(w.existed, stored.contains_key(&w.key));
            }
            let written: Vec<u8> = writes.iter().map(|w| w.key).collect();
            let expected: Vec<u8> = keys
                .into_iter()
                .filter(|k| {
                    let last = items.iter().rev().find(|(key, _)| key == k).map(|(_, h)| h.to_string());
                    stored.get(k) != last.as_ref()
                })
                .collect();
            prop_assert_eq!(written, expected);
        }
    }
}
