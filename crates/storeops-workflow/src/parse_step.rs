//! Steps: the common keys (`id`, `if`, `timeout`, `retry`, `on_error`) and the one body.

use crate::definition::DurationSpec;
use crate::error::Span;
use crate::parse::{Cx, Obj};
use crate::step::{Approval, Backoff, Case, OnError, OnTimeout, Retry, Step, StepBody, Wait};
use crate::yaml::{Node, NodeKind};

const BODIES: &[&str] = &[
    "uses", "switch", "parallel", "foreach", "call", "wait", "approval",
];
const STEP_KEYS: &[&str] = &[
    "id", "if", "timeout", "retry", "on_error", "with", "uses", "switch", "parallel", "foreach",
    "call", "wait", "approval",
];

/// A list of steps under `key`.
pub fn steps(cx: &mut Cx, node: &Node, key: &str) -> Vec<Step> {
    cx.list(node, key)
        .iter()
        .filter_map(|n| step(cx, n))
        .collect()
}

fn step(cx: &mut Cx, node: &Node) -> Option<Step> {
    let o = cx.obj(node, "step", STEP_KEYS)?;
    let id_node = cx.need(&o, "id", "step");
    let id = id_node.and_then(|n| cx.text(n, "id"));
    let condition = o.get("if").and_then(|n| cx.expr(n, "if"));
    let timeout = o.get("timeout").and_then(|n| cx.duration(n, "timeout"));
    let retry = o.get("retry").and_then(|n| retry(cx, n));
    let on_error = o.get("on_error").and_then(|n| on_error(cx, n));
    let bodies: Vec<&str> = BODIES.iter().copied().filter(|b| o.has(b)).collect();
    let body = match bodies.as_slice() {
        [one] => body(cx, &o, one),
        [] => {
            cx.err(node.span, "step needs one of `uses`, `switch`, `parallel`, `foreach`, `call`, `wait`, `approval`");
            None
        }
        [a, b, ..] => {
            cx.err(
                node.span,
                format!("step has more than one body: `{a}` and `{b}`"),
            );
            None
        }
    };
    if o.has("with") && !(o.has("uses") || o.has("call")) {
        if let Some(n) = o.get("with") {
            cx.err(n.span, "`with` goes only with `uses` or `call`");
        }
    }
    Some(Step {
        span: node.span,
        id_span: id_node.map_or(node.span, |n| n.span),
        id: id?,
        condition,
        timeout,
        retry,
        on_error,
        // A broken body was reported; keep the step (the AST is returned only
        // without issues) so later steps' references to it are not reported too.
        body: body.unwrap_or(StepBody::Parallel {
            branches: Vec::new(),
        }),
    })
}

fn body(cx: &mut Cx, o: &Obj<'_>, kind: &str) -> Option<StepBody> {
    let node = o.get(kind)?;
    let with = |cx: &mut Cx| {
        o.get("with")
            .map(|n| cx.params(n, "with"))
            .unwrap_or_default()
    };
    match kind {
        "uses" => {
            let action = cx.text(node, "uses")?;
            Some(StepBody::Uses {
                span: node.span,
                action,
                with: with(cx),
            })
        }
        "call" => {
            let workflow = cx.text(node, "call")?;
            Some(StepBody::Call {
                span: node.span,
                workflow,
                with: with(cx),
            })
        }
        "switch" => {
            let s = cx.obj(node, "switch", &["cases", "default"])?;
            let mut cases = Vec::new();
            if let Some(list) = cx.need(&s, "cases", "switch") {
                for item in cx.list(list, "cases") {
                    let Some(c) = cx.obj(item, "switch case", &["when", "steps"]) else {
                        continue;
                    };
                    let when = cx
                        .need(&c, "when", "switch case")
                        .and_then(|n| cx.expr(n, "when"));
                    let body = c
                        .get("steps")
                        .map(|n| steps(cx, n, "steps"))
                        .unwrap_or_default();
                    if let Some(when) = when {
                        cases.push(Case { when, steps: body });
                    }
                }
            }
            let default = s
                .get("default")
                .map(|n| steps(cx, n, "default"))
                .unwrap_or_default();
            Some(StepBody::Switch { cases, default })
        }
        "parallel" => {
            let branches = cx
                .list(node, "parallel")
                .iter()
                .map(|b| steps(cx, b, "parallel branch"))
                .collect();
            Some(StepBody::Parallel { branches })
        }
        "foreach" => {
            let f = cx.obj(node, "foreach", &["items", "max", "steps"])?;
            let items = cx
                .need(&f, "items", "foreach")
                .and_then(|n| cx.expr(n, "items"));
            let max = cx
                .need(&f, "max", "foreach")
                .and_then(|n| cx.count(n, "max"));
            let body = cx
                .need(&f, "steps", "foreach")
                .map(|n| steps(cx, n, "steps"))
                .unwrap_or_default();
            Some(StepBody::Foreach {
                items: items?,
                max: max?,
                steps: body,
            })
        }
        "wait" => wait(cx, node).map(StepBody::Wait),
        _ => approval(cx, node).map(StepBody::Approval),
    }
}

fn wait(cx: &mut Cx, node: &Node) -> Option<Wait> {
    let w = cx.obj(node, "wait", &["duration", "event", "timeout"])?;
    match (w.get("duration"), w.get("event")) {
        (Some(d), None) => {
            if let Some(t) = w.get("timeout") {
                cx.err(t.span, "`timeout` goes only with a wait for an `event`");
            }
            cx.duration(d, "duration").map(Wait::Duration)
        }
        (None, Some(e)) => {
            let ev = cx.obj(e, "wait event", &["topic", "match"])?;
            let topic = cx
                .need(&ev, "topic", "wait event")
                .and_then(|n| cx.text(n, "topic"));
            let matches = cx
                .need(&ev, "match", "wait event")
                .and_then(|n| cx.expr(n, "match"));
            let timeout = cx
                .need(&w, "timeout", "wait for an event")
                .and_then(|n| cx.duration(n, "timeout"));
            Some(Wait::Event {
                topic: topic?,
                matches: matches?,
                timeout: timeout?,
            })
        }
        _ => {
            cx.err(node.span, "wait needs exactly one of `duration`, `event`");
            None
        }
    }
}

fn approval(cx: &mut Cx, node: &Node) -> Option<Approval> {
    let keys = [
        "role",
        "prompt",
        "options",
        "sla",
        "on_timeout",
        "reason_required_on",
    ];
    let a = cx.obj(node, "approval", &keys)?;
    let role = a
        .get("role")
        .and_then(|n| cx.text(n, "role"))
        .unwrap_or_default();
    let prompt = a.get("prompt").map(|n| cx.value(n));
    let options = match a.get("options") {
        Some(n) => cx.strings(n, "options"),
        None => vec!["approve".to_owned(), "reject".to_owned()],
    };
    let sla = a.get("sla").and_then(|n| cx.duration(n, "sla"));
    let on_timeout = match a.get("on_timeout") {
        None => OnTimeout::default(),
        Some(n) => match cx.text(n, "on_timeout").as_deref() {
            Some("escalate") => OnTimeout::Escalate,
            Some("approve") => OnTimeout::Approve,
            Some("reject") => OnTimeout::Reject,
            Some("fail") => OnTimeout::Fail,
            Some(other) => {
                cx.err(
                    n.span,
                    format!(
                        "unknown on_timeout `{other}` (one of escalate, approve, reject, fail)"
                    ),
                );
                OnTimeout::default()
            }
            None => OnTimeout::default(),
        },
    };
    let reason_required_on = match a.get("reason_required_on") {
        Some(n) => cx.strings(n, "reason_required_on"),
        None => vec!["reject".to_owned()],
    };
    Some(Approval {
        span: node.span,
        role,
        prompt,
        options,
        sla,
        on_timeout,
        reason_required_on,
    })
}

fn retry(cx: &mut Cx, node: &Node) -> Option<Retry> {
    let r = cx.obj(node, "retry", &["attempts", "backoff", "retry_on"])?;
    let attempts = cx
        .need(&r, "attempts", "retry")
        .and_then(|n| cx.count(n, "attempts"))?;
    if attempts == 0 {
        if let Some(n) = r.get("attempts") {
            cx.err(n.span, "`attempts` must be at least 1");
        }
    }
    let secs = |s| DurationSpec {
        span: Span::default(),
        secs: s,
    };
    let mut backoff = Backoff {
        initial: secs(1),
        multiplier: 2.0,
        max_delay: secs(300),
        jitter: true,
    };
    if let Some(b) = r.get("backoff") {
        if let Some(o) = cx.obj(
            b,
            "backoff",
            &["initial", "multiplier", "max_delay", "jitter"],
        ) {
            if let Some(d) = o.get("initial").and_then(|n| cx.duration(n, "initial")) {
                backoff.initial = d;
            }
            if let Some(d) = o.get("max_delay").and_then(|n| cx.duration(n, "max_delay")) {
                backoff.max_delay = d;
            }
            if let Some(j) = o.get("jitter").and_then(|n| cx.boolean(n, "jitter")) {
                backoff.jitter = j;
            }
            if let Some(n) = o.get("multiplier") {
                match &n.kind {
                    NodeKind::Scalar(t, true)
                        if t.parse::<f64>().is_ok_and(|m| (1.0..=100.0).contains(&m)) =>
                    {
                        backoff.multiplier = t.parse::<f64>().unwrap_or(2.0);
                    }
                    _ => cx.err(n.span, "`multiplier` expects a number from 1 to 100"),
                }
            }
        }
    }
    let retry_on = r
        .get("retry_on")
        .map(|n| cx.strings(n, "retry_on"))
        .unwrap_or_default();
    Some(Retry {
        span: node.span,
        attempts,
        backoff,
        retry_on,
    })
}

fn on_error(cx: &mut Cx, node: &Node) -> Option<OnError> {
    let o = cx.obj(node, "on_error", &["exception", "compensate"])?;
    match (o.get("exception"), o.get("compensate")) {
        (Some(e), None) => {
            let ex = cx.obj(e, "exception", &["assignee_role"])?;
            let role = cx
                .need(&ex, "assignee_role", "exception")
                .and_then(|n| cx.text(n, "assignee_role"))?;
            Some(OnError::Exception {
                span: e.span,
                assignee_role: role,
            })
        }
        (None, Some(c)) => {
            let step = cx.text(c, "compensate")?;
            Some(OnError::Compensate { span: c.span, step })
        }
        _ => {
            cx.err(
                node.span,
                "on_error needs exactly one of `exception`, `compensate`",
            );
            None
        }
    }
}
