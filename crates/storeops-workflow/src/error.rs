//! Positions and diagnostics: every problem is reported as `path:line:col: message`.

use std::fmt;

/// A 1-based source position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1.
    pub col: u32,
}

/// A problem found in one file, before the file name is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Where.
    pub span: Span,
    /// The exact, stable message.
    pub message: String,
}

impl Issue {
    /// An issue at `span`.
    pub fn new(span: Span, message: impl Into<String>) -> Issue {
        Issue {
            span,
            message: message.into(),
        }
    }
}

/// A problem in a named file, displayed as `path:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{}:{}: {message}", span.line, span.col)]
pub struct Diagnostic {
    /// The file name the caller handed in.
    pub path: String,
    /// Where in the file.
    pub span: Span,
    /// The exact, stable message.
    pub message: String,
}

impl Diagnostic {
    /// Attaches a file name to an issue.
    pub fn from_issue(path: &str, issue: Issue) -> Diagnostic {
        Diagnostic {
            path: path.to_owned(),
            span: issue.span,
            message: issue.message,
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// Edit distance, for "did you mean" hints.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// ` (did you mean `x`?)` when one candidate is close enough, else empty.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match closest(word, candidates) {
        Some(c) => format!(" (did you mean `{c}`?)"),
        None => String::new(),
    }
}

/// The candidate a typo of `word` most likely meant: within edit distance 2,
/// or 3 with a common prefix of 3 or more.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, c)| {
            let prefix = word
                .chars()
                .zip(c.chars())
                .take_while(|(a, b)| a == b)
                .count();
            *d > 0 && (*d <= 2 || (*d <= 3 && prefix >= 3))
        })
        .min()
        .map(|(_, c)| c)
}
