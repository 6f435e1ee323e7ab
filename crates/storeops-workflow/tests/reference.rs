//! The reference workflows in `workflows/` validate clean, and their content
//! hashes behave: same text → same hash, changed step → different hash,
//! whitespace and comment changes → same hash.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use storeops_workflow::{validate_files, Mode, StepBody, Trigger};

const ORDER: &str = include_str!("../../../workflows/order-triage.yaml");
const RETURNS: &str = include_str!("../../../workflows/returns-triage-basic.yaml");
const STOCK: &str = include_str!("../../../workflows/stock-alert-basic.yaml");

fn hash_of(text: &str) -> String {
    let report = validate_files(
        &[("w.yaml", text)],
        &storeops_runtime::builtin_default(),
        &[],
    );
    assert!(report.is_ok(), "{:#?}", report.diagnostics);
    report.workflows[0].hash.clone()
}

#[test]
fn reference_workflows_validate_clean() {
    let files = [
        ("workflows/order-triage.yaml", ORDER),
        ("workflows/returns-triage-basic.yaml", RETURNS),
        ("workflows/stock-alert-basic.yaml", STOCK),
    ];
    let report = validate_files(&files, &storeops_runtime::builtin_default(), &[]);
    let shown: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
    assert!(shown.is_empty(), "{shown:#?}");
    assert_eq!(report.workflows.len(), 3);
    let order = &report.workflows[0].workflow;
    assert_eq!(order.name, "order-triage");
    assert_eq!(order.mode, Mode::Live);
    assert!(matches!(&order.trigger, Trigger::Event { topic, .. } if topic == "order.created"));
    let ids: Vec<&str> = order.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["enrich", "decide", "record"]);
    assert!(
        matches!(&order.steps[1].body, StepBody::Switch { cases, .. } if cases[0].when.source == "steps.enrich.output.total > 100")
    );
    assert_eq!(order.steps[0].span.line, 11);
    assert_eq!(order.steps[0].id_span.col, 9);
    assert_eq!(report.workflows[2].workflow.mode, Mode::Shadow);
}

#[test]
fn hash_is_stable_for_the_same_text() {
    assert_eq!(hash_of(ORDER), hash_of(ORDER));
    assert_eq!(hash_of(ORDER).len(), 64);
    assert_ne!(hash_of(ORDER), hash_of(RETURNS));
}

#[test]
fn hash_ignores_whitespace_and_comments() {
    let reformatted = ORDER
        .replace("# Branch on the total.", "# A different comment.\n\n")
        .replace("backoff: { initial: 1s, multiplier: 2, max_delay: 1m, jitter: true }", "backoff:\n        initial: 1s\n        multiplier: 2\n        max_delay: 1m\n        jitter: true");
    assert_ne!(reformatted, ORDER);
    assert_eq!(hash_of(&reformatted), hash_of(ORDER));
}

#[test]
fn hash_changes_with_a_step() {
    let changed = ORDER.replace("total > 100", "total > 101");
    assert_ne!(hash_of(&changed), hash_of(ORDER));
    let renamed = ORDER.replace("timeout: 30s", "timeout: 31s");
    assert_ne!(hash_of(&renamed), hash_of(ORDER));
}
