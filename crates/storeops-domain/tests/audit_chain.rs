//! The audit chain's hashing and verification: exact digests, exact
//! problem messages, and property tests that any single-field edit, any
//! deleted row (but the last), any swap of two rows is detected while an
//! untouched log verifies.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use serde_json::json;
use storeops_domain::audit_chain::{
    chain_rows, digest, entry_hash, verify, AuditEntry, AuditHead, AuditRow, Problem, Verifier,
    GENESIS,
};

fn entry(chain: &str, i: i64) -> AuditEntry {
    AuditEntry {
        chain: chain.into(),
        actor: format!("actor-{}", i % 3),
        action: "step.completed".into(),
        subject: format!("run-{i}"),
        inputs_digest: digest(&json!({ "i": i })),
        output: format!("{{\"n\":{i}}}"),
        version: "v1".into(),
        reason: (i % 2 == 0).then(|| format!("reason {i}")),
        at: Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap()
            + chrono::Duration::microseconds(i * 1_000_001),
    }
}

/// Two interleaved chains `a` (n rows) and `b` (n / 2 rows).
fn log(n: usize) -> Vec<AuditRow> {
    let a = chain_rows(0, GENESIS, (0..n as i64).map(|i| entry("a", i)).collect());
    let b = chain_rows(
        0,
        GENESIS,
        (0..(n / 2) as i64).map(|i| entry("b", i)).collect(),
    );
    let mut rows = Vec::new();
    let mut b = b.into_iter();
    for row in a {
        rows.push(row);
        if let Some(other) = b.next() {
            rows.push(other);
        }
    }
    rows
}

fn problem(chain: &str, seq: i64, message: &str) -> Problem {
    Problem {
        chain: chain.into(),
        seq,
        message: message.into(),
    }
}

#[test]
fn digest_is_canonical() {
    let a = json!({ "b": [1, { "y": 2, "x": "s" }], "a": null });
    let b: serde_json::Value =
        serde_json::from_str(r#"{"a": null, "b": [1, {"x": "s", "y": 2}]}"#).unwrap();
    assert_eq!(digest(&a), digest(&b));
    // sha256 of `{"a":null,"b":[1,{"x":"s","y":2}]}`.
    assert_eq!(
        digest(&a),
        "d1b0a47bc31dbb5d7ad79f670dd25533dd8cd1e985f98c0222c59ddb7d5d0122"
    );
    assert_eq!(GENESIS.len(), 64);
}

#[test]
fn hashes_depend_on_every_field() {
    let base = entry("a", 2);
    let h = entry_hash(GENESIS, 1, &base);
    assert_eq!(h.len(), 64);
    assert_ne!(h, entry_hash(GENESIS, 2, &base));
    let mut no_reason = base.clone();
    no_reason.reason = None;
    assert_ne!(h, entry_hash(GENESIS, 1, &no_reason));
    let mut empty_reason = base.clone();
    empty_reason.reason = Some(String::new());
    assert_ne!(
        entry_hash(GENESIS, 1, &no_reason),
        entry_hash(GENESIS, 1, &empty_reason)
    );
    // Moving a character from one field to the next changes the hash.
    let mut shifted = base.clone();
    shifted.actor.push('x');
    shifted.action = shifted.action[..].replacen('s', "", 1);
    let mut other = base.clone();
    other.action = format!("x{}", other.action.replacen('s', "", 1));
    assert_ne!(
        entry_hash(GENESIS, 1, &shifted),
        entry_hash(GENESIS, 1, &other)
    );
}

#[test]
fn problems_have_exact_messages() {
    let mut rows = log(6);
    assert!(verify(rows.clone().into_iter()).ok);
    // rows: a1 b1 a2 b2 a3 b3 a4 a5 a6
    rows[2].entry.output = "{\"n\":99}".into(); // a2 edited
    rows[3].hash = "f".repeat(64); // b2's hash replaced
    rows.remove(6); // a4 deleted
    let v = verify(rows.into_iter());
    assert_eq!((v.entries, v.chains, v.ok), (8, 2, false));
    assert_eq!(
        v.problems,
        vec![
            problem("a", 2, "hash does not match the row's contents"),
            problem("b", 2, "hash does not match the row's contents"),
            problem("b", 3, "prev_hash does not match the hash of seq 2"),
            problem("a", 5, "expected seq 4, found 5"),
        ]
    );
}

#[test]
fn recorded_heads_catch_truncation_and_divergence() {
    let rows = log(4);
    let heads = vec![
        AuditHead {
            chain: "a".into(),
            seq: 4,
            hash: rows[5].hash.clone(),
        },
        AuditHead {
            chain: "b".into(),
            seq: 1,
            hash: "e".repeat(64),
        },
        AuditHead {
            chain: "c".into(),
            seq: 3,
            hash: "d".repeat(64),
        },
    ];
    assert_eq!(rows[5].seq, 4);
    let mut verifier = Verifier::with_heads(&heads);
    // Chain a loses its last two rows.
    for row in rows.iter().filter(|r| !(r.entry.chain == "a" && r.seq > 2)) {
        verifier.push(row);
    }
    let v = verifier.finish();
    assert_eq!(
        v.problems,
        vec![
            problem("b", 1, "hash differs from the recorded head"),
            problem("a", 4, "chain ends at seq 2; the recorded head is seq 4"),
            problem("c", 3, "chain is missing; the recorded head is seq 3"),
        ]
    );
    let mut verifier = Verifier::with_heads(&heads[..1]);
    rows.iter().for_each(|r| verifier.push(r));
    assert!(verifier.finish().ok);
}

/// Edits field `field` (0–10) of row `row`.
fn edit(rows: &mut [AuditRow], row: usize, field: usize) {
    let r = &mut rows[row];
    match field {
        0 => r.seq += 1,
        1 => {
            let first = if r.prev_hash.starts_with('1') {
                "2"
            } else {
                "1"
            };
            r.prev_hash = format!("{first}{}", &r.prev_hash[1..]);
        }
        2 => r.hash = "9".repeat(64),
        3 => r.entry.chain.push('x'),
        4 => r.entry.actor.push('x'),
        5 => r.entry.action.push('x'),
        6 => r.entry.subject.push('x'),
        7 => r.entry.inputs_digest.push('x'),
        8 => r.entry.output.push(' '),
        9 => r.entry.version.push('x'),
        10 => {
            r.entry.reason = match r.entry.reason.take() {
                Some(_) => None,
                None => Some(String::new()),
            }
        }
        _ => r.entry.at += chrono::Duration::microseconds(1),
    }
}

proptest! {
    #[test]
    fn untouched_logs_verify(n in 0usize..40) {
        let v = verify(log(n).into_iter());
        prop_assert!(v.ok);
        prop_assert_eq!(v.entries as usize, n + n / 2);
    }

    #[test]
    fn any_single_field_edit_is_detected(n in 1usize..30, row in any::<prop::sample::Index>(), field in 0usize..12) {
        let mut rows = log(n);
        let i = row.index(rows.len());
        edit(&mut rows, i, field);
        prop_assert!(!verify(rows.into_iter()).ok);
    }

    #[test]
    fn any_deleted_row_but_the_last_is_detected(n in 2usize..30, row in any::<prop::sample::Index>()) {
        let rows = chain_rows(0, GENESIS, (0..n as i64).map(|i| entry("a", i)).collect());
        let i = row.index(n - 1);
        let mut rows = rows;
        rows.remove(i);
        let v = verify(rows.into_iter());
        prop_assert!(!v.ok);
        prop_assert_eq!(v.problems[0].seq, i as i64 + 2);
    }

    #[test]
    fn any_swap_is_detected(n in 2usize..30, a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>(), whole in any::<bool>()) {
        let mut rows = chain_rows(0, GENESIS, (0..n as i64).map(|i| entry("a", i)).collect());
        let (i, j) = (a.index(n), b.index(n));
        prop_assume!(i != j);
        if whole {
            rows.swap(i, j);
        } else {
            // Contents swapped, positions (seq and hashes) kept.
            let first = rows[i].entry.clone();
            rows[i].entry = std::mem::replace(&mut rows[j].entry, first);
        }
        prop_assert!(!verify(rows.into_iter()).ok);
    }
}
