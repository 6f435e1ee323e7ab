//! The hash-chained audit log's pure core: entries, their hashes and the
//! verification of a stored log (issue 5).
//!
//! Every decision, automated or human, is an [`AuditEntry`] appended to a
//! *chain*: one writer's stream (`engine:<worker owner>`, `review`, …), so
//! writers on PostgreSQL never wait on each other's audit lock. Within a
//! chain, rows are numbered from 1 and each row's `hash` is [`entry_hash`] of
//! the previous row's hash ([`GENESIS`] for seq 1), its seq and every field.
//! [`verify`] recomputes every chain and reports any edited field, deleted
//! row, reordering or broken link as a [`Problem`].
//!
//! Limitation: deleting the newest rows of a chain leaves a shorter chain
//! that is still consistent. Truncation is only detectable against a head
//! saved elsewhere (`storeops audit head --json` prints every chain's last
//! seq and hash); [`Verifier::with_heads`] fails when a chain is shorter
//! than, or diverges from, a recorded [`AuditHead`].

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// `prev_hash` of a chain's first row: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Domain separation prefix of [`entry_hash`] (version of the encoding).
const HASH_DOMAIN: &[u8] = b"storeops-audit-v1";

/// One decision to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// The writer's stream, e.g. `engine:<worker owner>` or `review`.
    pub chain: String,
    /// Who decided: a user name, `engine`, a worker id.
    pub actor: String,
    /// What was decided, e.g. `step.completed`, `approval.approved`.
    pub action: String,
    /// What it was about (a run id, an item key, an order name).
    pub subject: String,
    /// [`digest`] of the decision's inputs.
    pub inputs_digest: String,
    /// The decision's output, JSON text.
    pub output: String,
    /// Rule, model or workflow version that decided.
    pub version: String,
    /// Why, when a human or a rule says so.
    pub reason: Option<String>,
    /// When the decision was made.
    pub at: DateTime<Utc>,
}

/// A stored entry: its place in its chain and its hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// Hash of the previous row of the chain ([`GENESIS`] for seq 1).
    pub prev_hash: String,
    /// [`entry_hash`] of `prev_hash`, `seq` and the entry.
    pub hash: String,
    /// The entry.
    #[serde(flatten)]
    pub entry: AuditEntry,
}

/// The last row of a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    /// Chain name.
    pub chain: String,
    /// Seq of its last row.
    pub seq: i64,
    /// Hash of its last row.
    pub hash: String,
}

/// Something wrong with one row (or the end of a chain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Chain name.
    pub chain: String,
    /// Seq of the row (or the recorded head) concerned.
    pub seq: i64,
    /// What is wrong.
    pub message: String,
}

/// The result of verifying a log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// Rows read.
    pub entries: u64,
    /// Distinct chains read.
    pub chains: u64,
    /// No problems.
    pub ok: bool,
    /// Every problem found, in the order rows were read (head checks last).
    pub problems: Vec<Problem>,
}

/// Hex SHA-256 of `json` in canonical form: object keys sorted, no
/// whitespace, strings and numbers as serde_json writes them.
pub fn digest(json: &Value) -> String {
    let mut text = String::new();
    canonical(json, &mut text);
    hex(&Sha256::digest(text.as_bytes()))
}

/// Writes `value` canonically into `out`.
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let sorted: BTreeMap<&String, &Value> = map.iter().collect();
            out.push('{');
            for (i, (key, item)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                canonical(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// Lower-case hex of bytes.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex SHA-256 over an unambiguous encoding of `prev_hash`, `seq` and every
/// field of `entry`: a domain prefix, then each field as its byte length
/// (8 bytes, big endian) and bytes; `seq` as 8 bytes big endian; `reason`
/// as a 0/1 presence byte before its text; `at` as RFC 3339 UTC with exactly
/// six fractional digits (what both databases keep).
pub fn entry_hash(prev_hash: &str, seq: i64, entry: &AuditEntry) -> String {
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_be_bytes());
        hasher.update(bytes);
    };
    field(HASH_DOMAIN);
    field(prev_hash.as_bytes());
    field(&seq.to_be_bytes());
    field(entry.chain.as_bytes());
    field(entry.actor.as_bytes());
    field(entry.action.as_bytes());
    field(entry.subject.as_bytes());
    field(entry.inputs_digest.as_bytes());
    field(entry.output.as_bytes());
    field(entry.version.as_bytes());
    match &entry.reason {
        None => field(&[0]),
        Some(reason) => {
            field(&[1]);
            field(reason.as_bytes());
        }
    }
    field(
        entry
            .at
            .to_rfc3339_opts(SecondsFormat::Micros, true)
            .as_bytes(),
    );
    hex(&hasher.finalize())
}

/// Chains `entries` onto a chain whose last row is `(seq, hash)` (`(0,
/// GENESIS)` for a new chain): the rows to store, numbered from `seq + 1`.
pub fn chain_rows(seq: i64, hash: &str, entries: Vec<AuditEntry>) -> Vec<AuditRow> {
    let mut prev = hash.to_string();
    let mut rows = Vec::with_capacity(entries.len());
    for (offset, entry) in (1_i64..).zip(entries) {
        let seq = seq + offset;
        let hash = entry_hash(&prev, seq, &entry);
        let prev_hash = std::mem::replace(&mut prev, hash.clone());
        rows.push(AuditRow {
            seq,
            prev_hash,
            hash,
            entry,
        });
    }
    rows
}

/// Verifies every row of `rows` (chains may interleave; each chain's rows
/// must come in seq order) without recorded heads.
pub fn verify(rows: impl Iterator<Item = AuditRow>) -> Verification {
    let mut verifier = Verifier::default();
    rows.for_each(|row| verifier.push(&row));
    verifier.finish()
}

/// Where a chain stands while verifying.
#[derive(Debug)]
struct ChainState {
    /// Seq the next row must have.
    next_seq: i64,
    /// Hash the next row's `prev_hash` must equal.
    prev_hash: String,
}

/// Incremental verification, for logs read page by page.
#[derive(Debug, Default)]
pub struct Verifier {
    chains: HashMap<String, ChainState>,
    heads: BTreeMap<String, AuditHead>,
    entries: u64,
    problems: Vec<Problem>,
}

impl Verifier {
    /// A verifier that also checks each chain against its recorded head:
    /// the chain must reach the head's seq, with the head's hash there.
    pub fn with_heads(heads: &[AuditHead]) -> Verifier {
        Verifier {
            heads: heads.iter().map(|h| (h.chain.clone(), h.clone())).collect(),
            ..Verifier::default()
        }
    }

    /// Checks the next row of its chain. Each row gets at most one problem:
    /// a wrong seq (a row deleted or moved), else a broken link to the
    /// previous row, else a hash that does not match the row's contents.
    pub fn push(&mut self, row: &AuditRow) {
        self.entries += 1;
        let chain = &row.entry.chain;
        let state = self
            .chains
            .entry(chain.clone())
            .or_insert_with(|| ChainState {
                next_seq: 1,
                prev_hash: GENESIS.to_string(),
            });
        let problem = if row.seq != state.next_seq {
            Some(format!(
                "expected seq {}, found {}",
                state.next_seq, row.seq
            ))
        } else if row.prev_hash != state.prev_hash {
            Some(match row.seq {
                1 => "prev_hash is not the genesis hash".to_string(),
                seq => format!("prev_hash does not match the hash of seq {}", seq - 1),
            })
        } else if entry_hash(&row.prev_hash, row.seq, &row.entry) != row.hash {
            Some("hash does not match the row's contents".to_string())
        } else {
            None
        };
        if let Some(message) = problem {
            self.problems.push(Problem {
                chain: chain.clone(),
                seq: row.seq,
                message,
            });
        }
        if let Some(head) = self.heads.get(chain) {
            if head.seq == row.seq && head.hash != row.hash {
                self.problems.push(Problem {
                    chain: chain.clone(),
                    seq: row.seq,
                    message: "hash differs from the recorded head".to_string(),
                });
            }
        }
        state.next_seq = row.seq.saturating_add(1);
        state.prev_hash = row.hash.clone();
    }

    /// The verdict: every problem found, then chains that end before their
    /// recorded head.
    pub fn finish(mut self) -> Verification {
        for head in self.heads.values() {
            let last = self.chains.get(&head.chain).map_or(0, |s| s.next_seq - 1);
            if last < head.seq {
                let message = match last {
                    0 => format!("chain is missing; the recorded head is seq {}", head.seq),
                    last => format!(
                        "chain ends at seq {last}; the recorded head is seq {}",
                        head.seq
                    ),
                };
                self.problems.push(Problem {
                    chain: head.chain.clone(),
                    seq: head.seq,
                    message,
                });
            }
        }
        Verification {
            entries: self.entries,
            chains: self.chains.len() as u64,
            ok: self.problems.is_empty(),
            problems: self.problems,
        }
    }
}
