//! Property tests: the parser and validator never panic, on arbitrary text and
//! on mutated reference workflows, and every diagnostic points inside the file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use storeops_workflow::validate_files;

const REFERENCE: [&str; 3] = [
    include_str!("../../../workflows/order-triage.yaml"),
    include_str!("../../../workflows/returns-triage-basic.yaml"),
    include_str!("../../../workflows/stock-alert-basic.yaml"),
];

fn check(text: &str) {
    let report = validate_files(
        &[("f.yaml", text)],
        &storeops_runtime::builtin_default(),
        &["other"],
    );
    let breaks = text.chars().filter(|&c| c == '\n' || c == '\r').count();
    let lines = u32::try_from(breaks).unwrap() + 2;
    for d in &report.diagnostics {
        assert!(
            d.span.line >= 1 && d.span.line <= lines,
            "{d} outside {lines} lines"
        );
        assert!(d.span.col >= 1, "{d}");
    }
}

/// Replaces, inserts or deletes a run of characters at a position.
fn mutate(base: &str, at: usize, len: usize, insert: &str, mode: u8) -> String {
    let chars: Vec<char> = base.chars().collect();
    let at = at % (chars.len() + 1);
    let end = (at + len).min(chars.len());
    let mut out: String = chars[..at].iter().collect();
    match mode % 3 {
        0 => {
            out.push_str(insert);
            out.extend(&chars[end..]);
        }
        1 => {
            out.push_str(insert);
            out.extend(&chars[at..]);
        }
        _ => out.extend(&chars[end..]),
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
        check(&text);
    }

    #[test]
    fn never_panics_on_yaml_like_text(text in "[a-z_:{}\\[\\], \\n\\-\"'$#|>&*!?.0-9]{0,300}") {
        check(&text);
    }

    #[test]
    fn never_panics_on_mutated_reference_files(
        which in 0usize..3,
        edits in proptest::collection::vec((any::<usize>(), 0usize..20, "[a-z:{}\\[\\] \\n\\-\"$.>()]{0,12}", any::<u8>()), 1..4),
    ) {
        let mut text = REFERENCE[which].to_owned();
        for (at, len, insert, mode) in edits {
            text = mutate(&text, at, len, &insert, mode);
        }
        check(&text);
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let text = format!("name: {}{}", "[".repeat(5_000), "]".repeat(5_000));
    check(&text);
    let text = format!(
        "name: x\ntrigger: {{ webhook: {{}} }}\nsteps:\n{}",
        "  - id: a\n    parallel:\n    - ".repeat(100)
    );
    check(&text);
}

#[test]
fn deeply_nested_cel_is_refused_not_overflowed() {
    for n in [50usize, 500, 5_000] {
        let cel = format!("{}1{}", "(".repeat(n), ")".repeat(n));
        let text = format!("name: x\ntrigger: {{ webhook: {{}} }}\nscope: \"{cel}\"\nsteps: []\n");
        check(&text);
        let cel = format!("{}1", "-".repeat(n));
        let text = format!("name: x\ntrigger: {{ webhook: {{}} }}\nscope: \"{cel}\"\nsteps: []\n");
        check(&text);
        let cel = format!("1{}", " + 1".repeat(n));
        let text = format!("name: x\ntrigger: {{ webhook: {{}} }}\nscope: \"{cel}\"\nsteps: []\n");
        check(&text);
    }
    // Long flat chains up to the length limit stay within a test thread's stack.
    for cel in [
        format!("1{}", "+1".repeat(999)),
        format!("a{}", ".b".repeat(999)),
        format!("a{}", "[0]".repeat(600)),
        format!("{}1", "- ".repeat(20)),
        format!("1{}", " ? 1 : 1".repeat(200)),
        format!("1{}", " && 1 || 1".repeat(190)),
    ] {
        let text = format!("name: x\ntrigger: {{ webhook: {{}} }}\nscope: '{cel}'\nsteps: []\n");
        check(&text);
    }
}
