//! Triggers and links between runs: event triggers with filter and scope
//! (counted), A/B variants, runs waiting for an event, `call:` child runs,
//! and cron schedules in a time zone — each against a real store with a
//! driven clock.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{json, Value};
use storeops_engine::launch::{pick, VariantArm};
use storeops_runtime::{deploy_files, submit, Submission};
use storeops_store::Store;

use crate::harness::{drive, event, history, output, setup, start_run, status};

const BIG_ORDERS: &str = "name: big-orders\nmode: live\ntrigger:\n  event:\n    topic: order.created\n    filter: event.order.total > 100\nscope: event.order.shipping_country in ['DE', 'AT']\nsteps:\n  - id: note\n    uses: core.set\n    with: { values: { order: '${{ event.order.id }}', total: '${{ event.order.total }}' } }\n";

const SHIPPED: &str = "name: shipped\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: ship\n    wait:\n      event: { topic: shipment.created, match: event.shipment.order == input.order }\n      timeout: 2h\n  - id: after\n    uses: core.set\n    with: { values: { carrier: '${{ steps.ship.output.timed_out ? \"none\" : steps.ship.output.event.shipment.carrier }}' } }\n";

const AB: &str = "name: ab\nmode: live\ntrigger: { manual: {} }\nvariants:\n  key: input.customer\n  arms:\n    - { name: short, weight: 1, vars: { greeting: hi } }\n    - { name: long, weight: 1, vars: { greeting: hello there } }\nsteps:\n  - id: greet\n    uses: core.set\n    with: { values: { greeting: '${{ vars.greeting }}' } }\n";

const PARENT: &str = "name: parent\nmode: live\ntrigger: { manual: {} }\nsteps:\n  - id: ask\n    call: child\n    with: { n: '${{ input.n }}' }\n  - id: done\n    uses: core.set\n    with: { values: { doubled: '${{ steps.ask.output.doubled }}' } }\n";

const CHILD: &str = "name: child\nmode: live\ntrigger: { manual: {} }\ninputs: { n: int }\nsteps:\n  - id: twice\n    uses: core.set\n    with: { values: { doubled: '${{ input.n * 2 }}' } }\n";

const PRODUCTS: &str = "name: products\nmode: live\ntrigger:\n  event: { topic: product.updated }\nsteps:\n  - id: seen\n    uses: core.set\n    with: { values: { handle: '${{ event.product.handle }}', price: '${{ event.product.variants[0].price }}', title: '${{ event.product.title }}' } }\n";

const MORNING: &str = "name: morning\nmode: live\ntrigger:\n  schedule: { cron: '0 7 * * *', timezone: Europe/Berlin }\nsteps:\n  - id: hello\n    uses: core.set\n    with: { values: { at: '${{ input.schedule.fire_at }}' } }\n";

async fn all_runs(store: &Store) -> Vec<String> {
    let filter = storeops_store::RunFilter {
        workflow: None,
        status: None,
        limit: 100,
        before: None,
    };
    store
        .list_runs(&filter)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

async fn counts(store: &Store, workflow: &str) -> Vec<(String, i64)> {
    store
        .trigger_counts()
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.workflow == workflow)
        .map(|c| (c.outcome, c.count))
        .collect()
}

pub async fn event_triggers_filter_scope_and_count(store: &Store) {
    let (_clock, mut worker) = setup(store, BIG_ORDERS).await;
    let order = |id: &str, total: i64, country: &str| json!({"id": id, "total": total, "shipping_country": country});
    let started = event(store, "order.created", "e1", order("A-1", 500, "DE")).await;
    event(store, "order.created", "e2", order("A-2", 50, "DE")).await;
    event(store, "order.created", "e3", order("A-3", 900, "FR")).await;
    event(store, "order.updated", "e4", order("A-4", 900, "DE")).await;
    drive(&mut worker).await;
    let run = format!("evt-{started}-big-orders");
    assert_eq!(status(store, &run).await, "completed");
    assert_eq!(
        output(store, &run, "note").await,
        json!({"order": "A-1", "total": 500})
    );
    let runs = store
        .count_runs_by_status(Some("big-orders"))
        .await
        .unwrap();
    assert_eq!(runs, vec![("completed".to_string(), 1)]);
    assert_eq!(
        counts(store, "big-orders").await,
        vec![
            ("filtered".to_string(), 1),
            ("out_of_scope".to_string(), 1),
            ("started".to_string(), 1)
        ]
    );
    assert!(store.pending_events(10).await.unwrap().is_empty());
    // Offered once: more rounds start nothing and count nothing.
    drive(&mut worker).await;
    assert_eq!(counts(store, "big-orders").await.len(), 3);
    // A manual start outside the scope is refused and counted.
    let refused = submit(
        store,
        "big-orders",
        vec![Submission {
            id: Some("m-1".into()),
            input: json!({"order": order("A-5", 900, "US")}),
        }],
        Utc::now(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "input: workflow `big-orders` does not act on this input: its scope does not hold (out_of_scope)"
    );
    assert_eq!(
        counts(store, "big-orders").await[1],
        ("out_of_scope".to_string(), 2)
    );
}

pub async fn variants_are_assigned_by_a_stable_hash(store: &Store) {
    let (clock, mut worker) = setup(store, AB).await;
    let arms = [("short", "hi"), ("long", "hello there")].map(|(name, greeting)| VariantArm {
        name: name.into(),
        weight: 1,
        vars: json!({ "greeting": greeting }),
    });
    for customer in ["c-1", "c-2", "c-3", "c-4", "c-5", "c-6"] {
        start_run(
            store,
            &clock,
            "ab",
            customer,
            json!({ "customer": customer }),
        )
        .await;
    }
    drive(&mut worker).await;
    let mut seen = std::collections::BTreeSet::new();
    for customer in ["c-1", "c-2", "c-3", "c-4", "c-5", "c-6"] {
        let arm = pick("ab", customer, &arms).unwrap();
        seen.insert(arm.name.clone());
        assert_eq!(
            output(store, customer, "greet").await,
            json!({ "greeting": arm.vars["greeting"] }),
            "{customer}"
        );
        let (_, _, chunk) = store.run_history(customer).await.unwrap().remove(0);
        let started: Vec<Value> = serde_json::from_str(&chunk).unwrap();
        assert_eq!(started[0]["variant"]["name"], json!(arm.name));
        assert_eq!(started[0]["variant"]["key"], json!(customer));
    }
    assert_eq!(seen.len(), 2, "six customers should reach both arms");
}

pub async fn a_wait_completes_with_the_matching_event(store: &Store) {
    let (clock, mut worker) = setup(store, SHIPPED).await;
    start_run(store, &clock, "shipped", "s-1", json!({"order": "A-1"})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "s-1").await, "waiting");
    let waits = store
        .waits(&["shipment.created".to_string()])
        .await
        .unwrap();
    assert_eq!(waits.len(), 1);
    assert_eq!(
        (waits[0].run_id.as_str(), waits[0].step.as_str()),
        ("s-1", "ship")
    );
    event(
        store,
        "shipment.created",
        "x1",
        json!({"order": "B-2", "carrier": "dhl"}),
    )
    .await;
    drive(&mut worker).await;
    assert_eq!(status(store, "s-1").await, "waiting");
    event(
        store,
        "shipment.created",
        "x2",
        json!({"order": "A-1", "carrier": "ups"}),
    )
    .await;
    event(
        store,
        "shipment.created",
        "x3",
        json!({"order": "A-1", "carrier": "late"}),
    )
    .await;
    drive(&mut worker).await;
    assert_eq!(status(store, "s-1").await, "completed");
    assert_eq!(
        output(store, "s-1", "after").await,
        json!({"carrier": "ups"})
    );
    assert!(store
        .waits(&["shipment.created".to_string()])
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        history(store, "s-1").await,
        vec![
            "run_started",
            "timer_set:event/ship",
            "event_matched:ship",
            "step_completed:after",
            "run_completed"
        ]
    );
    // Past the timeout nothing changes any more.
    clock.advance(Duration::hours(3));
    drive(&mut worker).await;
    assert_eq!(status(store, "s-1").await, "completed");
}

pub async fn a_wait_times_out_and_its_wait_is_removed(store: &Store) {
    let (clock, mut worker) = setup(store, SHIPPED).await;
    start_run(store, &clock, "shipped", "s-2", json!({"order": "A-9"})).await;
    drive(&mut worker).await;
    clock.advance(Duration::hours(2));
    drive(&mut worker).await;
    assert_eq!(status(store, "s-2").await, "completed");
    assert_eq!(
        output(store, "s-2", "after").await,
        json!({"carrier": "none"})
    );
    assert!(store
        .waits(&["shipment.created".to_string()])
        .await
        .unwrap()
        .is_empty());
    event(store, "shipment.created", "late", json!({"order": "A-9"})).await;
    drive(&mut worker).await;
    assert_eq!(
        history(store, "s-2").await.last().map(String::as_str),
        Some("run_completed")
    );
}

pub async fn a_call_runs_the_child_and_continues_with_its_output(store: &Store) {
    store.migrate().await.unwrap();
    let files = [("parent.yaml", PARENT), ("child.yaml", CHILD)]
        .map(|(path, yaml)| (path.to_string(), yaml.to_string()));
    deploy_files(store, &storeops_runtime::builtin_default(), &files)
        .await
        .unwrap();
    let clock = storeops_runtime::ManualClock::new(crate::harness::start());
    let mut worker = crate::harness::worker(store, &clock, "w-call");
    start_run(store, &clock, "parent", "p-1", json!({"n": 21})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "p-1").await, "completed");
    assert_eq!(status(store, "p-1/ask/0").await, "completed");
    assert_eq!(output(store, "p-1", "done").await, json!({"doubled": 42}));
    assert_eq!(
        history(store, "p-1").await,
        vec![
            "run_started",
            "child_finished:ask",
            "step_completed:done",
            "run_completed"
        ]
    );
    let child = store.run("p-1/ask/0").await.unwrap().unwrap();
    assert_eq!(child.workflow, "child");
    assert_eq!(child.input, r#"{"n":21}"#);
}

pub async fn a_call_to_a_switched_off_workflow_fails_the_step(store: &Store) {
    store.migrate().await.unwrap();
    let files = [("parent.yaml", PARENT), ("child.yaml", CHILD)]
        .map(|(path, yaml)| (path.to_string(), yaml.to_string()));
    deploy_files(store, &storeops_runtime::builtin_default(), &files)
        .await
        .unwrap();
    store.set_workflow_mode("child", "off").await.unwrap();
    let clock = storeops_runtime::ManualClock::new(crate::harness::start());
    let mut worker = crate::harness::worker(store, &clock, "w-call");
    start_run(store, &clock, "parent", "p-2", json!({"n": 1})).await;
    drive(&mut worker).await;
    let run = store.run("p-2").await.unwrap().unwrap();
    assert_eq!(run.status, "failed");
    assert_eq!(run.error.as_deref(), Some(
            "step `ask` failed after 1 attempt(s): child_failed: the child run failed: workflow `child` is off"
        ));
    assert!(store.run("p-2/ask/0").await.unwrap().is_none());
}

pub async fn schedules_fire_at_their_local_time_once(store: &Store) {
    let (clock, mut worker) = setup(store, MORNING).await;
    // 12:00 UTC: the schedule starts counting from now.
    drive(&mut worker).await;
    assert!(all_runs(store).await.is_empty());
    // 07:00 in Berlin on 26 November is 06:00 UTC.
    clock.set(Utc.with_ymd_and_hms(2026, 11, 26, 5, 59, 0).unwrap());
    drive(&mut worker).await;
    assert!(all_runs(store).await.is_empty());
    clock.set(Utc.with_ymd_and_hms(2026, 11, 26, 6, 0, 30).unwrap());
    drive(&mut worker).await;
    drive(&mut worker).await;
    let id = "sched-morning-2026-11-26T06:00:00+00:00";
    assert_eq!(status(store, id).await, "completed");
    assert_eq!(
        output(store, id, "hello").await,
        json!({"at": "2026-11-26T06:00:00+00:00"})
    );
    // Three days without a worker: only the latest fire time runs.
    clock.set(Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap());
    drive(&mut worker).await;
    let ids = all_runs(store).await;
    assert_eq!(
        ids,
        vec!["sched-morning-2026-11-29T06:00:00+00:00", id],
        "newest first"
    );
}

pub async fn an_unreadable_plan_does_not_stop_other_triggers(store: &Store) {
    let (_clock, mut worker) = setup(store, BIG_ORDERS).await;
    let broken = storeops_store::WorkflowVersion {
        workflow: "broken".into(),
        version: "not-a-plan".into(),
        source: "name: broken\n".into(),
        plan: "{".into(),
    };
    store.deploy_workflow(&broken, "live").await.unwrap();
    let order = json!({"id": "B-1", "total": 300, "shipping_country": "AT"});
    let id = event(store, "order.created", "b1", order).await;
    drive(&mut worker).await;
    assert_eq!(
        status(store, &format!("evt-{id}-big-orders")).await,
        "completed"
    );
}

/// A Shopify `products/update` webhook as the server stores it: mapped with
/// the shop currency (product payloads carry none) at ingest.
async fn ingest_product_update(store: &Store) -> i64 {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../storeops-webhooks/tests/fixtures/shopify_product.json"
    ))
    .unwrap();
    let payload: Value = serde_json::from_str::<Value>(&text).unwrap()["payload"].clone();
    let options = storeops_webhooks::MapOptions::with_currency(storeops_domain::Currency::USD);
    let received = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let storeops_webhooks::Mapped::Records(records) =
        storeops_webhooks::map_shopify_with("products/update", &payload, received, &options)
    else {
        panic!("the sample product maps with a shop currency");
    };
    let event = storeops_domain::Event {
        source: "shopify".into(),
        topic: "products/update".into(),
        external_id: "d-1".into(),
        payload,
        received_at: received,
        status: storeops_domain::EventStatus::Applied,
        error: None,
    };
    let ingest = storeops_store::Ingest::new(event, records).unwrap();
    assert_eq!(store.ingest(&[ingest]).await.unwrap(), vec![true]);
    store.pending_events(10).await.unwrap()[0].id
}

pub async fn a_product_trigger_gets_the_product_stored_at_ingest(store: &Store) {
    let (_clock, mut worker) = setup(store, PRODUCTS).await;
    let id = ingest_product_update(store).await;
    drive(&mut worker).await;
    let run = format!("evt-{id}-products");
    assert_eq!(status(store, &run).await, "completed");
    assert_eq!(
        output(store, &run, "seen").await,
        json!({"handle": "example-t-shirt", "price": 19.99, "title": "Example T-Shirt"})
    );
}
