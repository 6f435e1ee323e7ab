//! Conformance cases for `Store::list` and `Store::get`: items, orders and
//! every filter of the matrix (paging, search and errors: `paging.rs`).

use serde_json::json;
use storeops_domain::{FinancialStatus, Product, Record, ReturnStatus};
use storeops_store::{ListKind, ListQuery, Page, Store};

use crate::common::fixtures::{self, at, order, return_request, shipment, ticket};

pub(super) fn query(limit: u32) -> ListQuery {
    ListQuery {
        limit,
        ..ListQuery::default()
    }
}

/// A query of 50 modified by `f`.
pub(super) fn with(f: impl FnOnce(&mut ListQuery)) -> ListQuery {
    let mut q = query(50);
    f(&mut q);
    q
}

pub(super) async fn page(store: &Store, kind: ListKind, q: &ListQuery) -> Page {
    store.list(kind, q).await.unwrap()
}

/// One string field of every item.
pub(super) async fn field(store: &Store, kind: ListKind, name: &str, q: ListQuery) -> Vec<String> {
    page(store, kind, &q)
        .await
        .items
        .iter()
        .map(|item| item[name].as_str().unwrap_or("<none>").to_string())
        .collect()
}

pub async fn list_key_ordered_kinds(store: &Store) {
    store.migrate().await.unwrap();
    store.upsert(&fixtures::audit_store()).await.unwrap();
    let p = |q| field(store, ListKind::Products, "handle", q);
    assert_eq!(p(query(10)).await, ["alpha", "beta", "gamma"]);
    assert_eq!(p(with(|q| q.status = Some("DRAFT".into()))).await, ["beta"]);
    assert_eq!(p(with(|q| q.q = Some("ALP".into()))).await, ["alpha"]);
    assert_eq!(p(with(|q| q.q = Some("product b".into()))).await, ["beta"]);

    let variants = page(store, ListKind::Variants, &query(10)).await.items;
    let keys: Vec<(&str, i64)> = variants
        .iter()
        .map(|v| {
            (
                v["handle"].as_str().unwrap(),
                v["position"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("alpha", 1),
            ("alpha", 2),
            ("beta", 1),
            ("gamma", 1),
            ("gamma", 2)
        ]
    );
    assert_eq!(
        variants[1],
        json!({"handle": "alpha", "position": 2, "sku": null, "price_minor": null,
               "compare_at_minor": 1500, "cost_minor": 400, "currency": "USD",
               "gtin": "4006381333931"})
    );
    let a1 = with(|q| q.sku = Some("A-1".into()));
    assert_eq!(
        field(store, ListKind::Variants, "handle", a1).await,
        ["alpha", "beta"]
    );
    let g = with(|q| q.q = Some("g-2".into()));
    assert_eq!(field(store, ListKind::Variants, "sku", g).await, ["G-2"]);
    let v = store.get(ListKind::Variants, "A-1").await.unwrap().unwrap();
    assert_eq!(
        (v["handle"].clone(), v["price_minor"].clone()),
        (json!("alpha"), json!(1000))
    );

    let loc = |q| field(store, ListKind::Inventory, "location", q);
    assert_eq!(loc(query(10)).await, ["Main", "Store", "Main"]);
    assert_eq!(
        loc(with(|q| q.sku = Some("A-1".into()))).await,
        ["Main", "Store"]
    );
    assert_eq!(loc(with(|q| q.q = Some("stor".into()))).await, ["Store"]);
    let level = store
        .get(ListKind::Inventory, "A-1@Store")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (level["sku"].clone(), level["on_hand"].clone()),
        (json!("A-1"), json!(3))
    );
    assert_eq!(store.get(ListKind::Inventory, "A-1").await.unwrap(), None);

    let c = |q| field(store, ListKind::Customers, "key", q);
    assert_eq!(c(query(10)).await, ["email:bob@example.com", "id:42"]);
    assert_eq!(c(with(|q| q.q = Some("LOVELACE".into()))).await.len(), 2);
    assert_eq!(c(with(|q| q.q = Some("ada lov".into()))).await.len(), 2);
    assert_eq!(c(with(|q| q.q = Some("ada@".into()))).await, ["id:42"]);
    let ada = store
        .get(ListKind::Customers, "id:42")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (ada["key"].clone(), ada["email"].clone()),
        (json!("id:42"), json!("Ada@Example.com"))
    );

    let docs = page(store, ListKind::Docs, &query(10)).await.items;
    let versions: Vec<(&str, i64)> = docs
        .iter()
        .map(|d| (d["key"].as_str().unwrap(), d["version"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        versions,
        [("faq", 1), ("return-policy", 1), ("return-policy", 2)]
    );
    let d = field(
        store,
        ListKind::Docs,
        "title",
        with(|q| q.q = Some("FAQ".into())),
    )
    .await;
    assert_eq!(d, ["faq v1"]);
    let latest = store
        .get(ListKind::Docs, "return-policy")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(latest["body"], "Returns within 30 days.");
    let product = store
        .get(ListKind::Products, "alpha")
        .await
        .unwrap()
        .unwrap();
    let stored: Product = serde_json::from_value(product).unwrap();
    assert_eq!(Some(stored), store.product("alpha").await.unwrap());
    assert_eq!(store.get(ListKind::Products, "nope").await.unwrap(), None);
}

pub async fn list_orders_newest_first_with_filters(store: &Store) {
    store.migrate().await.unwrap();
    store.upsert(&fixtures::audit_store()).await.unwrap();
    let mut refunded = order("#1000", at(1, 10), 1);
    refunded.financial_status = FinancialStatus::Refunded;
    refunded.customer_external_id = Some(" 42 ".into());
    store.upsert(&[Record::Order(refunded)]).await.unwrap();
    let names = |q| field(store, ListKind::Orders, "name", q);
    // #1001 and #1000 share created_at: name DESC breaks the tie.
    assert_eq!(
        names(query(10)).await,
        [" #1003", "#1002", "#1001", "#1000"]
    );
    assert_eq!(
        names(with(|q| q.status = Some("refunded".into()))).await,
        ["#1000"]
    );
    assert_eq!(
        names(with(|q| q.status = Some("paid".into()))).await.len(),
        3
    );
    assert_eq!(
        names(with(|q| q.status = Some("Unfulfilled".into())))
            .await
            .len(),
        4
    );
    assert_eq!(
        names(with(|q| q.status = Some("fulfilled".into())))
            .await
            .len(),
        0
    );
    let since = with(|q| q.since = Some(at(2, 10)));
    assert_eq!(names(since).await, [" #1003", "#1002"]);
    let until = with(|q| q.until = Some(at(2, 10)));
    assert_eq!(names(until).await, ["#1001", "#1000"]);
    let sku = with(|q| q.sku = Some("S-1".into()));
    assert_eq!(names(sku).await, [" #1003", "#1001"]);
    let id = with(|q| q.customer = Some("42".into()));
    assert_eq!(names(id).await, ["#1001", "#1000"]);
    let key = with(|q| q.customer = Some("id:42".into()));
    assert_eq!(names(key).await, ["#1001", "#1000"]);
    let email = with(|q| q.customer = Some(" BOB@example.com".into()));
    assert_eq!(names(email).await, [" #1003"]);
    let email_key = with(|q| q.customer = Some("email:42".into()));
    assert!(names(email_key).await.is_empty());
    assert_eq!(names(with(|q| q.q = Some("1003".into()))).await, [" #1003"]);
    assert_eq!(
        names(with(|q| q.q = Some("EXAMPLE.COM".into()))).await,
        [" #1003"]
    );
    let o = store
        .get(ListKind::Orders, " #1003")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(o["email"], "bob@example.com");
}

pub async fn list_shipments_returns_tickets_with_filters(store: &Store) {
    store.migrate().await.unwrap();
    store.upsert(&fixtures::audit_store()).await.unwrap();
    let mut unshipped = shipment("sh-0", "Main");
    unshipped.shipped_at = None;
    let mut other = shipment("sh-3", "Main");
    other.order_name = "#1002".into();
    other.shipped_at = Some(at(4, 8));
    let mut approved = return_request("r-4", ReturnStatus::Approved, false, false, &[]);
    approved.requested_at = at(7, 10);
    let mut later = ticket("t-8", None, Some("Bob@Example.com"), Some("#1001"));
    later.created_at = at(8, 9);
    later.subject = "Refund please".into();
    let records = [
        Record::Shipment(unshipped),
        Record::Shipment(other),
        Record::Return(approved),
        Record::Ticket(later),
    ];
    store.upsert(&records).await.unwrap();

    let sh = |q| field(store, ListKind::Shipments, "id", q);
    assert_eq!(sh(query(10)).await, ["sh-3", "sh-2", "sh-1", "sh-0"]);
    assert_eq!(sh(with(|q| q.order = Some("#1002".into()))).await, ["sh-3"]);
    assert_eq!(
        sh(with(|q| q.status = Some("in transit".into())))
            .await
            .len(),
        4
    );
    assert_eq!(sh(with(|q| q.since = Some(at(4, 0)))).await, ["sh-3"]);
    assert_eq!(
        sh(with(|q| q.until = Some(at(4, 0)))).await,
        ["sh-2", "sh-1"]
    );

    let r = |q| field(store, ListKind::Returns, "id", q);
    assert_eq!(r(query(10)).await, ["r-4", "r-3", "r-2", "r-1"]);
    assert_eq!(
        r(with(|q| q.status = Some("completed".into()))).await,
        ["r-2"]
    );
    assert_eq!(r(with(|q| q.order = Some("#1001".into()))).await.len(), 4);
    assert_eq!(r(with(|q| q.since = Some(at(6, 0)))).await, ["r-4"]);

    let t = |q| field(store, ListKind::Tickets, "id", q);
    assert_eq!(
        t(query(20)).await,
        ["t-8", "t-7", "t-6", "t-5", "t-4", "t-3", "t-2", "t-1", "T-0"]
    );
    assert_eq!(
        t(with(|q| q.customer = Some("42".into()))).await,
        ["t-6", "t-1"]
    );
    let ada = with(|q| q.customer = Some("ada@example.com".into()));
    assert_eq!(t(ada).await, ["t-2"]);
    let bob = with(|q| q.customer = Some("email:bob@example.com".into()));
    assert_eq!(t(bob).await, ["t-8"]);
    assert_eq!(t(with(|q| q.order = Some("#1003".into()))).await, ["t-7"]);
    assert_eq!(t(with(|q| q.q = Some("REFUND".into()))).await, ["t-8"]);
    assert_eq!(t(with(|q| q.status = Some("new".into()))).await.len(), 9);
    assert_eq!(t(with(|q| q.since = Some(at(7, 0)))).await, ["t-8"]);
    let got = store.get(ListKind::Tickets, "t-8").await.unwrap().unwrap();
    assert_eq!(got["subject"], "Refund please");
    assert_eq!(store.get(ListKind::Shipments, "sh-9").await.unwrap(), None);
}
