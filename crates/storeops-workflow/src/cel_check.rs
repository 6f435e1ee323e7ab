//! CEL checks: compile each expression (syntax errors become messages) and find
//! the `steps.<id>` it refers to.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// `Err(message)` when `source` is not valid CEL.
pub fn compile(source: &str) -> Result<(), String> {
    if source.trim().is_empty() {
        return Err("empty expression".to_owned());
    }
    guard(source)?;
    // The CEL parser is generated code; never let a panic in it escape validation.
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        cel::Program::compile(source).map(|_| ())
    }));
    match outcome {
        Ok(Ok(())) => Ok(()),
        Ok(Err(errors)) => Err(errors.errors.first().map_or_else(
            || "syntax error".to_owned(),
            |e| format!("{} (at {}:{})", e.msg, e.pos.0, e.pos.1),
        )),
        Err(_) => Err("the CEL parser failed on this expression".to_owned()),
    }
}

/// Longest expression accepted.
pub const MAX_LEN: usize = 2_000;
/// Deepest bracket nesting and longest run of prefix operators accepted: the CEL
/// parser recurses, and a stack overflow cannot be caught.
pub const MAX_NESTING: usize = 24;

fn guard(source: &str) -> Result<(), String> {
    if source.len() > MAX_LEN {
        return Err(format!("expression longer than {MAX_LEN} characters"));
    }
    let (mut depth, mut deepest, mut prefix, mut longest) = (0usize, 0usize, 0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in source.chars() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        deepest = deepest.max(depth);
        if c == '-' || c == '!' {
            prefix += 1;
        } else if !c.is_whitespace() {
            prefix = 0;
        }
        longest = longest.max(prefix);
    }
    if deepest > MAX_NESTING || longest > MAX_NESTING {
        return Err(format!(
            "expression nested deeper than {MAX_NESTING} levels"
        ));
    }
    Ok(())
}

/// Step ids referenced as `steps.<id>` outside string literals, in order.
pub fn step_refs(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut quote: Option<char> = None;
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            if c == '\\' {
                i += 1;
            } else if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if c == '"' || c == '\'' {
            quote = Some(c);
            i += 1;
            continue;
        }
        let starts = i == 0 || !(ident(chars[i - 1]) || chars[i - 1] == '.');
        if starts && chars[i..].starts_with(&['s', 't', 'e', 'p', 's', '.']) {
            let mut j = i + 6;
            let mut id = String::new();
            while j < chars.len() && ident(chars[j]) {
                id.push(chars[j]);
                j += 1;
            }
            if !id.is_empty() {
                out.push(id);
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{compile, step_refs};

    #[test]
    fn refs_skip_strings_and_members() {
        assert_eq!(
            step_refs("steps.a.output.x > 1 && 'steps.b' == x.steps.c"),
            vec!["a"]
        );
        assert!(compile("1 +").is_err());
        assert!(compile("event.total > 100").is_ok());
    }
}
