//! Extraction of numeric policy facts ("30-day return window") from
//! knowledge-document text, for `knowledge.policy_conflict`.
//!
//! The matcher is hand-written over [`crate::phrases`] tokens: each
//! phrasing is a short sequence of steps (word from a set, optional word,
//! optional hyphen, a count, an amount, a unit with a multiplier). This keeps
//! the recognised phrasings explicit and reviewable against
//! `docs/readiness-checks.md` without a regex dependency.

use std::collections::{BTreeMap, BTreeSet};

use crate::phrases::{count_at, tokenize, Kind, Token};

/// One numeric policy statement found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFact {
    /// Which fact: `return_window_days`, `exchange_window_days`,
    /// `free_shipping_threshold` (integer major units), `warranty_months`
    /// or `processing_days`.
    pub fact: &'static str,
    /// The stated value.
    pub value: u32,
    /// The matched text, as written.
    pub phrase: String,
}

/// One step of a phrasing.
enum Step {
    /// A word from the set.
    Word(&'static [&'static str]),
    /// A word from the set, or nothing.
    Opt(&'static [&'static str]),
    /// A hyphen, or nothing.
    Hyphen,
    /// A count in digits or words; becomes the value.
    Count,
    /// Optional currency symbol, a count, optional currency word; becomes the value.
    Amount,
    /// A unit word; multiplies the value.
    Unit(&'static [(&'static str, u32)]),
}

/// A recognised phrasing of a fact.
struct Phrasing {
    fact: &'static str,
    steps: &'static [Step],
    /// Only counts in a sentence that mentions returns (a word starting with "return").
    needs_return_context: bool,
    /// Does not count right after one of these words.
    not_after: &'static [&'static str],
}

const DAYS: &[(&str, u32)] = &[("day", 1), ("days", 1)];
const PERIOD: &[(&str, u32)] = &[("year", 12), ("years", 12), ("month", 1), ("months", 1)];
const RETURN: &[&str] = &["return", "returns"];
const EXCHANGE: &[&str] = &["exchange", "exchanges"];
const SHIP: &[&str] = &[
    "ship",
    "ships",
    "shipped",
    "dispatch",
    "dispatches",
    "dispatched",
];
const NOT_A_RETURN: &[&str] = &[
    "exchange",
    "exchanges",
    "ship",
    "ships",
    "shipped",
    "dispatch",
    "dispatches",
    "dispatched",
];
const CURRENCY_WORDS: &[&str] = &[
    "usd", "eur", "gbp", "cad", "aud", "dollars", "euros", "pounds",
];

const fn phrasing(fact: &'static str, steps: &'static [Step]) -> Phrasing {
    Phrasing {
        fact,
        steps,
        needs_return_context: false,
        not_after: &[],
    }
}

use Step::{Amount, Count, Hyphen, Opt, Unit, Word};

const PHRASINGS: &[Phrasing] = &[
    Phrasing {
        fact: "return_window_days",
        steps: &[
            Word(&["within"]),
            Count,
            Unit(DAYS),
            Word(&["of"]),
            Word(&["delivery", "receipt", "purchase"]),
        ],
        needs_return_context: true,
        not_after: NOT_A_RETURN,
    },
    phrasing(
        "return_window_days",
        &[
            Count,
            Hyphen,
            Unit(DAYS),
            Word(RETURN),
            Word(&["window", "period", "policy"]),
        ],
    ),
    phrasing(
        "return_window_days",
        &[
            Word(RETURN),
            Word(&["window", "period"]),
            Word(&["of", "is"]),
            Count,
            Unit(DAYS),
        ],
    ),
    phrasing(
        "return_window_days",
        &[
            Word(&["returns"]),
            Opt(&["are"]),
            Word(&["accepted"]),
            Word(&["for", "within"]),
            Count,
            Unit(DAYS),
        ],
    ),
    phrasing(
        "return_window_days",
        &[Count, Unit(DAYS), Word(&["to"]), Word(&["return"])],
    ),
    phrasing(
        "exchange_window_days",
        &[
            Word(EXCHANGE),
            Opt(&["are"]),
            Opt(&["accepted", "allowed", "possible"]),
            Word(&["within"]),
            Count,
            Unit(DAYS),
        ],
    ),
    phrasing(
        "exchange_window_days",
        &[
            Count,
            Hyphen,
            Unit(DAYS),
            Word(EXCHANGE),
            Word(&["window", "period", "policy"]),
        ],
    ),
    phrasing(
        "exchange_window_days",
        &[
            Word(EXCHANGE),
            Word(&["window", "period"]),
            Word(&["of", "is"]),
            Count,
            Unit(DAYS),
        ],
    ),
    phrasing(
        "free_shipping_threshold",
        &[
            Word(&["free"]),
            Opt(&["standard", "ground", "economy", "domestic"]),
            Word(&["shipping", "delivery"]),
            Word(&["on", "for"]),
            Opt(&["all"]),
            Word(&["orders"]),
            Word(&["over", "above", "from", "of"]),
            Amount,
        ],
    ),
    phrasing(
        "warranty_months",
        &[
            Count,
            Hyphen,
            Unit(PERIOD),
            Opt(&["limited"]),
            Word(&["warranty"]),
        ],
    ),
    phrasing(
        "warranty_months",
        &[
            Word(&["warranty"]),
            Opt(&["period"]),
            Word(&["of"]),
            Count,
            Unit(PERIOD),
        ],
    ),
    phrasing(
        "warranty_months",
        &[Word(&["warranted"]), Word(&["for"]), Count, Unit(PERIOD)],
    ),
    phrasing(
        "processing_days",
        &[
            Word(SHIP),
            Word(&["within"]),
            Count,
            Opt(&["business", "working"]),
            Unit(DAYS),
        ],
    ),
];

/// Finds every recognised policy statement in `text`, in text order (see the
/// phrasing table in `docs/readiness-checks.md`). Matching is case-insensitive;
/// counts may be digits or words from "one" to "ninety-nine"; amounts keep
/// their integer major units (`$49.99` → 49). A match that starts inside an
/// earlier match of the same fact is skipped ("returns are accepted within 30
/// days of delivery" is one statement).
pub fn extract_policy_facts(text: &str) -> Vec<PolicyFact> {
    let tokens = tokenize(text);
    let return_sentences = return_sentences(&tokens);
    let mut sentence = 0usize;
    let mut facts = Vec::new();
    let mut matched_until: BTreeMap<&str, usize> = BTreeMap::new();
    for start in 0..tokens.len() {
        if tokens[start].kind == Kind::Break {
            sentence += 1;
            continue;
        }
        for p in PHRASINGS {
            if p.needs_return_context && !return_sentences.contains(&sentence) {
                continue;
            }
            if start > 0 && p.not_after.iter().any(|w| is_word(&tokens[start - 1], w)) {
                continue;
            }
            if matched_until
                .get(p.fact)
                .is_some_and(|until| start < *until)
            {
                continue;
            }
            if let Some((value, end)) = match_steps(&tokens, start, p.steps) {
                matched_until.insert(p.fact, end);
                facts.push(PolicyFact {
                    fact: p.fact,
                    value,
                    phrase: text[tokens[start].start..tokens[end - 1].end].to_string(),
                });
            }
        }
    }
    facts
}

/// Indexes of the sentences that contain a word starting with "return".
fn return_sentences(tokens: &[Token]) -> BTreeSet<usize> {
    let mut sentence = 0usize;
    let mut out = BTreeSet::new();
    for t in tokens {
        match &t.kind {
            Kind::Break => sentence += 1,
            Kind::Word(w) if w.starts_with("return") => {
                out.insert(sentence);
            }
            _ => {}
        }
    }
    out
}

fn is_word(token: &Token, word: &str) -> bool {
    matches!(&token.kind, Kind::Word(w) if w == word)
}

fn word_in(tokens: &[Token], i: usize, set: &[&str]) -> bool {
    tokens
        .get(i)
        .is_some_and(|t| set.iter().any(|w| is_word(t, w)))
}

/// Matches `steps` from token `start`; returns the value and the index past the match.
fn match_steps(tokens: &[Token], start: usize, steps: &[Step]) -> Option<(u32, usize)> {
    let mut i = start;
    let mut value: Option<u32> = None;
    let mut multiplier = 1u32;
    for step in steps {
        match step {
            Word(set) => {
                if !word_in(tokens, i, set) {
                    return None;
                }
                i += 1;
            }
            Opt(set) => {
                if word_in(tokens, i, set) {
                    i += 1;
                }
            }
            Hyphen => {
                if tokens.get(i).is_some_and(|t| t.kind == Kind::Hyphen) {
                    i += 1;
                }
            }
            Count => {
                let (v, next) = count_at(tokens, i)?;
                value = Some(v);
                i = next;
            }
            Amount => {
                if tokens.get(i).is_some_and(|t| t.kind == Kind::Currency) {
                    i += 1;
                }
                let (v, next) = count_at(tokens, i)?;
                value = Some(v);
                i = next;
                if word_in(tokens, i, CURRENCY_WORDS) {
                    i += 1;
                }
            }
            Unit(units) => {
                let token = tokens.get(i)?;
                multiplier = units.iter().find(|(w, _)| is_word(token, w))?.1;
                i += 1;
            }
        }
    }
    Some((value?.checked_mul(multiplier)?, i))
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
