//! Plan and step builders for the simulated runs.

use serde_json::json;
use storeops_engine::{Guard, OnTimeout, Plan, PlanStep, RetryPolicy, StepKind};

/// An action step.
pub fn action(id: &str, attempts: u32) -> PlanStep {
    PlanStep {
        id: id.into(),
        exception_role: None,
        condition: None,
        guard: None,
        compensate: None,
        kind: StepKind::Action {
            action: "core.set".into(),
            side_effects: false,
            retry: RetryPolicy {
                attempts,
                initial_ms: 100,
                multiplier: 2.0,
                max_delay_ms: 1_000,
                jitter: false,
            },
            timeout_ms: None,
            with: json!({}),
        },
    }
}

/// An action step whose final failure goes to the exception queue.
pub fn guarded(id: &str, attempts: u32) -> PlanStep {
    PlanStep {
        exception_role: Some("operator".into()),
        ..action(id, attempts)
    }
}

/// A wait step.
pub fn wait(id: &str, ms: u64) -> PlanStep {
    PlanStep {
        id: id.into(),
        kind: StepKind::Wait { duration_ms: ms },
        exception_role: None,
        condition: None,
        guard: None,
        compensate: None,
    }
}

/// An approval step with a one-hour SLA.
pub fn approval(id: &str, on_timeout: OnTimeout) -> PlanStep {
    PlanStep {
        id: id.into(),
        kind: StepKind::Approval {
            role: "reviewer".into(),
            options: vec!["approve".into(), "reject".into()],
            sla_ms: Some(3_600_000),
            on_timeout,
        },
        exception_role: None,
        condition: None,
        guard: None,
        compensate: None,
    }
}

/// A `switch` step over `cases` (CEL `when`s).
pub fn switch(id: &str, cases: &[&str], default: bool) -> PlanStep {
    PlanStep {
        id: id.into(),
        kind: StepKind::Switch {
            cases: cases.iter().map(ToString::to_string).collect(),
            default,
        },
        exception_role: None,
        condition: None,
        guard: None,
        compensate: None,
    }
}

/// `step` in branch `case` (`None`: default) of switch `switch`.
pub fn in_case(step: PlanStep, switch: &str, case: Option<usize>) -> PlanStep {
    PlanStep {
        guard: Some(Guard {
            switch: switch.into(),
            case,
        }),
        ..step
    }
}

/// A wait for an `order.shipped` event of the run's order, at most an hour.
pub fn wait_event(id: &str) -> PlanStep {
    PlanStep {
        id: id.into(),
        kind: StepKind::WaitEvent {
            topic: "order.shipped".into(),
            predicate: "event.order_id == input.order_id".into(),
            timeout_ms: 3_600_000,
        },
        exception_role: None,
        condition: None,
        guard: None,
        compensate: None,
    }
}

/// A plan of `steps`.
pub fn plan(steps: Vec<PlanStep>) -> Plan {
    Plan {
        workflow: "order-triage".into(),
        version: "v1hash".into(),
        steps,
        launch: Default::default(),
    }
}

/// A step of `kind` with no options.
fn bare(id: &str, kind: StepKind) -> PlanStep {
    PlanStep {
        id: id.into(),
        kind,
        exception_role: None,
        condition: None,
        guard: None,
        compensate: None,
    }
}

/// A `foreach` over `items` (CEL) whose body is the `body` plan steps after it.
pub fn foreach(id: &str, items: &str, max: usize, body: usize) -> PlanStep {
    bare(
        id,
        StepKind::Foreach {
            items: items.into(),
            max,
            body,
        },
    )
}

/// A `parallel` whose branches are the next plan steps, of these lengths.
pub fn parallel(id: &str, branches: &[usize]) -> PlanStep {
    bare(
        id,
        StepKind::Parallel {
            branches: branches.to_vec(),
        },
    )
}

/// A `call` of workflow `workflow` with `with`.
pub fn call(id: &str, workflow: &str, with: serde_json::Value) -> PlanStep {
    bare(
        id,
        StepKind::Call {
            workflow: workflow.into(),
            with,
        },
    )
}

/// An action step with `with:` inputs.
pub fn action_with(id: &str, with: serde_json::Value) -> PlanStep {
    let mut step = action(id, 1);
    if let StepKind::Action { with: w, .. } = &mut step.kind {
        *w = with;
    }
    step
}
