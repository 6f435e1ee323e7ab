//! Fuzzes `validate_files` on arbitrary text, split into up to two files at the
//! first NUL byte so call checks across files are exercised too. Nothing may
//! panic, and every diagnostic must point at a line inside its file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storeops_workflow::{validate_files, ActionSpec, Schema, SpecList};

/// Two actions with nested input schemas (the fuzz crate does not build the
/// runtime's registry).
fn catalog() -> SpecList {
    let input = Schema::object()
        .field("url", Schema::string())
        .optional("n", Schema::integer_in(1, 10))
        .optional("filter", Schema::object().optional("skus", Schema::array(Schema::string())));
    SpecList(vec![
        ActionSpec::new("core.set", "", Schema::object().open(), Schema::any()),
        ActionSpec::new("http.request", "", input, Schema::any())
            .side_effects()
            .errors(&["network"]),
    ])
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (a, b) = text.split_once('\0').unwrap_or((text, ""));
    let files = [("a.yaml", a), ("b.yaml", b)];
    let report = validate_files(&files, &catalog(), &["known"]);
    for d in &report.diagnostics {
        let body = if d.path == "a.yaml" { a } else { b };
        let breaks = body.chars().filter(|&c| c == '\n' || c == '\r').count();
        let lines = breaks as u32 + 2;
        assert!(
            d.span.line >= 1 && d.span.line <= lines,
            "{d} outside the input"
        );
    }
});
