//! One test per validation error: the exact message and its line:col.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use storeops_workflow::validate_files;

/// All diagnostics of one file `x.yaml`, as displayed.
fn errors(text: &str) -> Vec<String> {
    errors_with(&[("x.yaml", text)], &[])
}

fn errors_with(files: &[(&str, &str)], known: &[&str]) -> Vec<String> {
    let report = validate_files(files, &storeops_runtime::builtin_default(), known);
    report.diagnostics.iter().map(ToString::to_string).collect()
}

/// A valid workflow head; steps follow from line 5.
const HEAD: &str = "name: x\ntrigger:\n  manual: {}\nsteps:\n";

fn with_steps(steps: &str) -> String {
    format!("{HEAD}{steps}")
}

#[test]
fn unknown_action_with_hint() {
    let e = errors(&with_steps(
        "  - id: a\n    uses: http.requst\n    with: { url: x }\n",
    ));
    assert_eq!(
        e,
        ["x.yaml:6:11: unknown action `http.requst` (did you mean `http.request`?)"]
    );
}

#[test]
fn duplicate_step_id() {
    let e = errors(&with_steps(
        "  - id: notify\n    uses: core.log\n    with: { message: hi }\n  - id: notify\n    uses: core.log\n    with: { message: hi }\n",
    ));
    assert_eq!(e, ["x.yaml:8:9: duplicate step id `notify` (first at 5:9)"]);
}

#[test]
fn bad_cel_in_if() {
    let e = errors(&with_steps(
        "  - id: a\n    if: event.total >\n    uses: core.log\n    with: { message: hi }\n",
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("x.yaml:6:9: bad CEL in `if`: "), "{e:?}");
}

#[test]
fn bad_cel_in_with_value() {
    let e = errors(&with_steps(
        "  - id: a\n    uses: core.log\n    with: { message: \"${{ 1 + }}\" }\n",
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("x.yaml:7:22: bad CEL in `with.message`: "),
        "{e:?}"
    );
}

#[test]
fn wrong_input_type() {
    let e = errors(&with_steps(
        "  - id: a\n    uses: http.request\n    with:\n      url: 42\n",
    ));
    assert_eq!(
        e,
        ["x.yaml:8:12: input `url` of `http.request` expects a string, found a number"]
    );
}

#[test]
fn missing_required_input() {
    let e = errors(&with_steps(
        "  - id: a\n    uses: http.request\n    with: { method: GET }\n",
    ));
    assert_eq!(
        e,
        ["x.yaml:6:11: missing required input `url` of `http.request`"]
    );
}

#[test]
fn unknown_input() {
    let e = errors(&with_steps(
        "  - id: a\n    uses: core.log\n    with: { message: hi, levle: info }\n",
    ));
    assert_eq!(
        e,
        ["x.yaml:7:26: unknown input `levle` of `core.log` (did you mean `level`?)"]
    );
}

#[test]
fn approval_without_role() {
    let e = errors(&with_steps("  - id: a\n    approval:\n      prompt: ok?\n"));
    assert_eq!(
        e,
        ["x.yaml:7:7: approval needs a `role` (one of admin, operator, reviewer, viewer)"]
    );
}

#[test]
fn approval_unknown_role() {
    let e = errors(&with_steps("  - id: a\n    approval:\n      role: boss\n"));
    assert_eq!(
        e,
        ["x.yaml:7:7: unknown role `boss` (one of admin, operator, reviewer, viewer)"]
    );
}

#[test]
fn dangling_step_reference() {
    let e = errors(&with_steps(
        "  - id: a\n    if: steps.enrich.output.ok\n    uses: core.log\n    with: { message: hi }\n  - id: enrich\n    uses: core.set\n    with: { values: {} }\n",
    ));
    assert_eq!(e, ["x.yaml:6:9: `steps.enrich` is not an earlier step"]);
}

#[test]
fn parallel_branches_do_not_see_each_other() {
    let e = errors(&with_steps(
        "  - id: p\n    parallel:\n      - - id: a\n          uses: core.set\n          with: { values: {} }\n      - - id: b\n          if: steps.a.output.x\n          uses: core.set\n          with: { values: {} }\n",
    ));
    assert_eq!(e, ["x.yaml:11:15: `steps.a` is not an earlier step"]);
}

#[test]
fn missing_compensation_step() {
    let e = errors(&with_steps("  - id: a\n    on_error: { compensate: undo }\n    uses: core.log\n    with: { message: hi }\n"));
    assert_eq!(e, ["x.yaml:6:29: compensation step `undo` does not exist"]);
}

#[test]
fn call_cycle_across_files() {
    let a = "name: a\ntrigger: { manual: {} }\nsteps:\n  - id: c\n    call: b\n";
    let b = "name: b\ntrigger: { manual: {} }\nsteps:\n  - id: c\n    call: a\n";
    let e = errors_with(&[("a.yaml", a), ("b.yaml", b)], &[]);
    assert_eq!(e, ["a.yaml:5:11: call cycle: a → b → a"]);
}

#[test]
fn unknown_called_workflow() {
    let e = errors(&with_steps("  - id: c\n    call: order-triag\n"));
    assert_eq!(e, ["x.yaml:6:11: unknown workflow `order-triag` in `call`"]);
    let e = errors_with(
        &[("x.yaml", &with_steps("  - id: c\n    call: order-triag\n"))],
        &["order-triage"],
    );
    assert_eq!(
        e,
        ["x.yaml:6:11: unknown workflow `order-triag` in `call` (did you mean `order-triage`?)"]
    );
}

#[test]
fn foreach_without_max() {
    let e = errors(&with_steps(
        "  - id: f\n    foreach:\n      items: event.lines\n      steps: []\n",
    ));
    assert_eq!(e, ["x.yaml:7:7: foreach needs `max`"]);
}

#[test]
fn unknown_key_with_hint() {
    let e = errors(&with_steps(
        "  - id: a\n    retries: 3\n    uses: core.log\n    with: { message: hi }\n",
    ));
    assert_eq!(
        e,
        ["x.yaml:6:5: unknown key `retries` in step (did you mean `retry`?)"]
    );
}

#[test]
fn invalid_step_id() {
    let e = errors(&with_steps(
        "  - id: Enrich\n    uses: core.log\n    with: { message: hi }\n",
    ));
    assert_eq!(
        e,
        ["x.yaml:5:9: invalid step id `Enrich` (use a-z, 0-9, `_`, `-`)"]
    );
}

#[test]
fn step_without_body_and_with_two() {
    let e = errors(&with_steps(
        "  - id: a\n  - id: b\n    uses: core.log\n    wait: { duration: 5m }\n",
    ));
    assert_eq!(
        e,
        [
            "x.yaml:5:5: step needs one of `uses`, `switch`, `parallel`, `foreach`, `call`, `wait`, `approval`",
            "x.yaml:6:5: step has more than one body: `uses` and `wait`",
        ]
    );
}

#[test]
fn bad_duration() {
    let e = errors(&with_steps("  - id: a\n    wait: { duration: 5x }\n"));
    assert_eq!(
        e,
        ["x.yaml:6:23: invalid duration `5x` in `duration` (use e.g. 30s, 5m, 2h, 1d)"]
    );
}

#[test]
fn bad_cron_and_time_zone() {
    let e = errors(
        "name: x\ntrigger:\n  schedule: { cron: \"61 * * * *\", timezone: Mars/Base }\nsteps: []\n",
    );
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(
        e[0].starts_with("x.yaml:3:3: invalid cron `61 * * * *`: "),
        "{e:?}"
    );
    assert_eq!(e[1], "x.yaml:3:3: unknown time zone `Mars/Base`");
}

#[test]
fn unknown_mode() {
    let e = errors("name: x\nmode: on\ntrigger: { webhook: {} }\nsteps: []\n");
    assert_eq!(
        e,
        ["x.yaml:2:7: unknown mode `on` (one of off, shadow, live)"]
    );
}

#[test]
fn missing_required_keys() {
    let e = errors("description: nothing\n");
    assert_eq!(
        e,
        [
            "x.yaml:1:1: workflow needs `name`",
            "x.yaml:1:1: workflow needs `trigger`",
            "x.yaml:1:1: workflow needs `steps`"
        ]
    );
}

#[test]
fn retry_on_unknown_error_kind() {
    let e = errors(&with_steps("  - id: a\n    retry: { attempts: 3, retry_on: [db] }\n    uses: http.request\n    with: { url: x }\n"));
    assert_eq!(e, ["x.yaml:6:12: `retry_on` kind `db` is not an error of `http.request` (one of timeout, network, http_4xx, http_5xx, tls)"]);
}

#[test]
fn invalid_yaml_and_duplicate_key() {
    let e = errors("name: x\nname: y\n");
    assert_eq!(e, ["x.yaml:2:1: duplicate key `name` (first at 1:1)"]);
    let e = errors("name: [x\n");
    assert_eq!(e.len(), 1);
    assert!(e[0].starts_with("x.yaml:2:1: invalid YAML: "), "{e:?}");
}

#[test]
fn duplicate_workflow_name() {
    let a = "name: a\ntrigger: { manual: {} }\nsteps: []\n";
    let e = errors_with(&[("a.yaml", a), ("b.yaml", a)], &[]);
    assert_eq!(
        e,
        ["b.yaml:1:1: duplicate workflow name `a` (first in a.yaml)"]
    );
}

#[test]
fn variant_problems() {
    let e = errors("name: x\ntrigger: { webhook: {} }\nvariants:\n  key: event.customer_id\n  arms:\n    - { name: a, weight: 0 }\n    - { name: a, weight: 1 }\nsteps: []\n");
    assert_eq!(
        e,
        [
            "x.yaml:6:7: variant `a` needs a weight above 0",
            "x.yaml:7:7: duplicate variant `a` (first at 6:7)"
        ]
    );
}

#[test]
fn all_errors_reported_at_once() {
    let e = errors(&with_steps(
        "  - id: a\n    uses: nope.nope\n  - id: b\n    approval: {}\n  - id: c\n    if: \"(\"\n    wait: { duration: 1m }\n  - id: d\n    bogus: 1\n    if: steps.b.output.x && steps.c.output.y\n    wait: { duration: 1m }\n",
    ));
    assert_eq!(e.len(), 4, "{e:?}");
    assert!(
        e[3].starts_with("x.yaml:13:5: unknown key `bogus` in step"),
        "{e:?}"
    );
}

#[test]
fn call_inputs_checked_against_callee() {
    let callee = "name: child\ninputs: { order_id: string, note: string? }\ntrigger: { manual: {} }\nsteps: []\n";
    let caller = "name: parent\ntrigger: { manual: {} }\nsteps:\n  - id: c\n    call: child\n    with: { order: x, note: 3 }\n";
    let e = errors_with(&[("p.yaml", caller), ("c.yaml", callee)], &[]);
    assert_eq!(
        e,
        [
            "p.yaml:5:11: missing required input `order_id` of workflow `child`",
            "p.yaml:6:13: unknown input `order` of workflow `child` (did you mean `order_id`?)",
            "p.yaml:6:29: input `note` of workflow `child` expects a string, found a number",
        ]
    );
}

#[test]
fn with_without_uses_or_call() {
    let e = errors(&with_steps(
        "  - id: a\n    wait: { duration: 1m }\n    with: { x: 1 }\n",
    ));
    assert_eq!(e, ["x.yaml:7:11: `with` goes only with `uses` or `call`"]);
}

#[test]
fn wrong_shape_of_a_key() {
    let e = errors("name: [x]\ntrigger: { webhook: {} }\nsteps: {}\n");
    assert_eq!(
        e,
        [
            "x.yaml:1:7: `name` expects a string, found a list",
            "x.yaml:3:8: `steps` expects a list, found a mapping"
        ]
    );
}

#[test]
fn trigger_needs_exactly_one_kind() {
    let e = errors("name: x\ntrigger: { webhook: {}, manual: {} }\nsteps: []\n");
    assert_eq!(
        e,
        ["x.yaml:2:10: trigger needs exactly one of `event`, `schedule`, `manual`, `webhook`"]
    );
}

#[test]
fn reason_required_on_must_be_an_option() {
    let e = errors(&with_steps(
        "  - id: a\n    approval:\n      role: reviewer\n      options: [approve, deny]\n",
    ));
    assert_eq!(
        e,
        ["x.yaml:7:7: `reason_required_on` names `reject`, which is not an option"]
    );
}

#[test]
fn unknown_on_timeout_and_exception_role() {
    let e = errors(&with_steps(
        "  - id: a\n    on_error: { exception: { assignee_role: boss } }\n    approval: { role: admin, on_timeout: wait }\n",
    ));
    assert_eq!(
        e,
        [
            "x.yaml:6:28: unknown role `boss` (one of admin, operator, reviewer, viewer)",
            "x.yaml:7:42: unknown on_timeout `wait` (one of escalate, approve, reject, fail)",
        ]
    );
}

#[test]
fn unknown_input_type() {
    let e = errors("name: x\ninputs: { a: text }\ntrigger: { webhook: {} }\nsteps: []\n");
    assert_eq!(e, ["x.yaml:2:14: unknown type `text` (one of string, int, number, bool, object, array, any; `?` = optional)"]);
}

#[test]
fn cel_nesting_and_length_limits() {
    let deep = format!("{}1{}", "(".repeat(25), ")".repeat(25));
    let e = errors(&format!(
        "name: x\ntrigger: {{ webhook: {{}} }}\nscope: \"{deep}\"\nsteps: []\n"
    ));
    assert_eq!(
        e,
        ["x.yaml:3:8: bad CEL in `scope`: expression nested deeper than 24 levels"]
    );
    let long = format!("1{}", "+1".repeat(1_000));
    let e = errors(&format!(
        "name: x\ntrigger: {{ webhook: {{}} }}\nscope: \"{long}\"\nsteps: []\n"
    ));
    assert_eq!(
        e,
        ["x.yaml:3:8: bad CEL in `scope`: expression longer than 2000 characters"]
    );
}

#[test]
fn unclosed_template() {
    let e = errors(&with_steps(
        "  - id: a\n    uses: core.log\n    with: { message: \"x ${{ y\" }\n",
    ));
    assert_eq!(e, ["x.yaml:7:22: unclosed `${{` in value"]);
}
