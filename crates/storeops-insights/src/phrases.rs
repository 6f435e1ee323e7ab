//! Tokens of policy text: lower-cased words, numbers (digits or English
//! words), hyphens, currency symbols and sentence breaks.
//!
//! A sentence ends at `.`, `!`, `?`, a blank line, or a line that starts a
//! list item or heading (`-`, `*`, `+`, `#`, `|`). A `.` inside a number
//! (`50.00`) is part of the number.

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Alphabetic run, lower-cased.
    Word(String),
    /// Digits, with optional `,` thousands groups and a fraction; the value
    /// is the integer part.
    Number(u32),
    /// `-` or a Unicode dash.
    Hyphen,
    /// `$`, `€` or `£`.
    Currency,
    /// End of a sentence.
    Break,
    /// Anything else (punctuation, numbers too large for `u32`).
    Other,
}

/// A token with its byte span in the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// What it is.
    pub(crate) kind: Kind,
    /// Byte offset of its first character.
    pub(crate) start: usize,
    /// Byte offset just past its last character.
    pub(crate) end: usize,
}

/// Splits `text` into tokens; whitespace is dropped.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |(at, _)| *at);
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&(start, c)) = chars.get(i) {
        let (kind, next) = if c == '\n' {
            (line_break(&chars, i + 1).then_some(Kind::Break), i + 1)
        } else if c.is_whitespace() {
            (None, i + 1)
        } else if c.is_alphabetic() {
            let next = scan(&chars, i, |c| c.is_alphabetic());
            (
                Some(Kind::Word(text[start..end_of(next)].to_lowercase())),
                next,
            )
        } else if c.is_ascii_digit() {
            let (value, next) = number(&chars, i);
            (Some(value.map_or(Kind::Other, Kind::Number)), next)
        } else {
            let kind = match c {
                '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' => {
                    Kind::Hyphen
                }
                '$' | '€' | '£' => Kind::Currency,
                '.' | '!' | '?' => Kind::Break,
                _ => Kind::Other,
            };
            (Some(kind), i + 1)
        };
        if let Some(kind) = kind {
            tokens.push(Token {
                kind,
                start,
                end: end_of(next),
            });
        }
        i = next;
    }
    tokens
}

/// Whether the line after a newline at `from` starts a new sentence.
fn line_break(chars: &[(usize, char)], from: usize) -> bool {
    let next = chars[from.min(chars.len())..]
        .iter()
        .map(|(_, c)| *c)
        .find(|c| *c != ' ' && *c != '\t' && *c != '\r');
    matches!(next, Some('\n' | '-' | '*' | '+' | '#' | '|'))
}

/// Index past the run of characters from `i` that satisfy `keep`.
fn scan(chars: &[(usize, char)], i: usize, keep: impl Fn(char) -> bool) -> usize {
    i + chars[i..].iter().take_while(|(_, c)| keep(*c)).count()
}

/// Reads a number at `i`: digits, `,ddd` groups, then an optional `.ddd`
/// fraction that is ignored. Returns its integer value (`None` beyond `u32`)
/// and the index past it.
fn number(chars: &[(usize, char)], i: usize) -> (Option<u32>, usize) {
    let digit_at = |j: usize| chars.get(j).is_some_and(|(_, c)| c.is_ascii_digit());
    let mut digits = String::new();
    let mut j = i;
    loop {
        let run_end = scan(chars, j, |c| c.is_ascii_digit());
        digits.extend(chars[j..run_end].iter().map(|(_, c)| *c));
        j = run_end;
        let is_group = chars.get(j).is_some_and(|(_, c)| *c == ',')
            && (1..=3).all(|k| digit_at(j + k))
            && !digit_at(j + 4);
        if !is_group {
            break;
        }
        j += 1;
    }
    if chars.get(j).is_some_and(|(_, c)| *c == '.') && digit_at(j + 1) {
        j = scan(chars, j + 1, |c| c.is_ascii_digit());
    }
    (digits.parse().ok(), j)
}

const UNITS: [&str; 19] = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

fn word_value(word: &str, table: &[&str], first: u32, step: u32) -> Option<u32> {
    let index = table.iter().position(|w| *w == word)?;
    u32::try_from(index).ok().map(|i| first + i * step)
}

/// Reads a count at token `i`: digits, or an English number from "one" to
/// "ninety-nine" ("forty-five" and "forty five" both work). Returns the
/// value and the index of the next token.
pub(crate) fn count_at(tokens: &[Token], i: usize) -> Option<(u32, usize)> {
    match &tokens.get(i)?.kind {
        Kind::Number(n) => Some((*n, i + 1)),
        Kind::Word(w) => {
            if let Some(v) = word_value(w, &UNITS, 1, 1) {
                return Some((v, i + 1));
            }
            let tens = word_value(w, &TENS, 20, 10)?;
            let unit_at = |j: usize| match tokens.get(j).map(|t| &t.kind) {
                Some(Kind::Word(u)) => word_value(u, &UNITS[..9], 1, 1),
                _ => None,
            };
            let hyphen = matches!(tokens.get(i + 1).map(|t| &t.kind), Some(Kind::Hyphen));
            let unit_index = if hyphen { i + 2 } else { i + 1 };
            match unit_at(unit_index) {
                Some(unit) => Some((tens + unit, unit_index + 1)),
                None => Some((tens, i + 1)),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        tokenize(text).into_iter().map(|t| t.kind).collect()
    }

    fn word(w: &str) -> Kind {
        Kind::Word(w.to_string())
    }

    #[test]
    fn tokens_of_prices_and_dashes() {
        assert_eq!(
            kinds("Over $1,250.00 — 30-Day."),
            vec![
                word("over"),
                Kind::Currency,
                Kind::Number(1250),
                Kind::Hyphen,
                Kind::Number(30),
                Kind::Hyphen,
                word("day"),
                Kind::Break
            ]
        );
        assert_eq!(
            kinds("1,25 x"),
            vec![Kind::Number(1), Kind::Other, Kind::Number(25), word("x")]
        );
        assert_eq!(kinds("99999999999 days"), vec![Kind::Other, word("days")]);
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "Naïve 50 USD";
        let spans: Vec<&str> = tokenize(text)
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect();
        assert_eq!(spans, vec!["Naïve", "50", "USD"]);
    }

    #[test]
    fn newlines_break_only_before_blank_lines_and_list_items() {
        assert_eq!(kinds("a\nb"), vec![word("a"), word("b")]);
        assert_eq!(kinds("a\n\nb"), vec![word("a"), Kind::Break, word("b")]);
        assert_eq!(
            kinds("a\n - b"),
            vec![word("a"), Kind::Break, Kind::Hyphen, word("b")]
        );
    }

    #[test]
    fn counts_in_digits_and_words() {
        let cases = [
            ("30 days", 30, 1),
            ("thirty days", 30, 1),
            ("forty-five days", 45, 3),
            ("forty five days", 45, 2),
            ("ninety", 90, 1),
            ("nineteen", 19, 1),
            ("Twenty-One", 21, 3),
            ("thirty-day", 30, 1),
        ];
        for (text, value, next) in cases {
            assert_eq!(count_at(&tokenize(text), 0), Some((value, next)), "{text}");
        }
        assert_eq!(count_at(&tokenize("zero"), 0), None);
        assert_eq!(count_at(&tokenize("a hundred"), 0), None);
        assert_eq!(count_at(&tokenize(""), 0), None);
    }
}
