//! Conformance cases for listing pages: keyset pagination across equal
//! timestamps and missing ones, literal case-insensitive search, and queries
//! rejected with the field they name.

use serde_json::Value;
use storeops_domain::{Product, Record};
use storeops_store::{ListKind, ListQuery, Store, StoreError};

use super::listing::{field, page, query, with};
use crate::common::fixtures::{self, at, order, shipment};

/// Every page of a listing, `limit` at a time, as values of `name`.
async fn all_pages(store: &Store, kind: ListKind, limit: u32, name: &str) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut cursor = None;
    loop {
        let q = ListQuery {
            cursor,
            ..query(limit)
        };
        let p = page(store, kind, &q).await;
        pages.push(
            p.items
                .iter()
                .map(|item| item[name].as_str().unwrap().to_string())
                .collect(),
        );
        match p.next {
            Some(next) => cursor = Some(next),
            None => return pages,
        }
    }
}

pub async fn keyset_pages_cover_everything_once(store: &Store) {
    store.migrate().await.unwrap();
    let mut records: Vec<Record> = (0..7)
        .map(|i| Record::Order(order(&format!("#{}", 100 + i), at(1 + i % 3, 9), 1)))
        .collect();
    for (i, day) in [
        (0, Some(2)),
        (1, None),
        (2, Some(2)),
        (3, None),
        (4, Some(1)),
    ] {
        let mut s = shipment(&format!("sh-{i}"), "");
        s.shipped_at = day.map(|d| at(d, 8));
        records.push(Record::Shipment(s));
    }
    store.upsert(&records).await.unwrap();
    // Days 3, 2, 1 (1 + i % 3), names descending within a day.
    assert_eq!(
        all_pages(store, ListKind::Orders, 2, "name").await,
        [
            vec!["#105", "#102"],
            vec!["#104", "#101"],
            vec!["#106", "#103"],
            vec!["#100"]
        ]
    );
    assert_eq!(all_pages(store, ListKind::Orders, 7, "name").await.len(), 1);
    // Shipped ones newest first, then the unshipped by id descending.
    assert_eq!(
        all_pages(store, ListKind::Shipments, 2, "id").await,
        [vec!["sh-2", "sh-0"], vec!["sh-4", "sh-3"], vec!["sh-1"]]
    );
    assert_eq!(
        all_pages(store, ListKind::Shipments, 3, "id").await,
        [vec!["sh-2", "sh-0", "sh-4"], vec!["sh-3", "sh-1"]]
    );
    // A filter and a cursor together.
    let q = with(|q| {
        q.limit = 1;
        q.since = Some(at(2, 0));
    });
    let first = page(store, ListKind::Orders, &q).await;
    let q = ListQuery {
        cursor: first.next,
        ..q
    };
    let second = page(store, ListKind::Orders, &q).await;
    assert_eq!(second.items[0]["name"], "#102");
}

pub async fn search_is_case_insensitive_and_literal(store: &Store) {
    store.migrate().await.unwrap();
    let titled = |handle: &str, title: &str| {
        let mut p = Product::new(handle, title);
        p.variants.clear();
        Record::Product(p)
    };
    let records = [
        titled("p1", "Sale 50% off"),
        titled("p2", "Sale 50 off"),
        titled("p3", "a_b cap"),
        titled("p4", "axb cap"),
        titled("p5", "back\\slash"),
    ];
    store.upsert(&records).await.unwrap();
    let p = |text: &str| {
        field(
            store,
            ListKind::Products,
            "handle",
            with(|q| q.q = Some(text.into())),
        )
    };
    assert_eq!(p("50%").await, ["p1"]);
    assert_eq!(p("OFF").await, ["p1", "p2"]);
    assert_eq!(p("a_b").await, ["p3"]);
    assert_eq!(p("K\\S").await, ["p5"]);
    assert_eq!(p("%").await, ["p1"]);
    assert_eq!(p("").await.len(), 5);
}

pub async fn invalid_queries_name_the_field(store: &Store) {
    store.migrate().await.unwrap();
    let products_cursor = {
        store
            .upsert(&[
                Record::Product(fixtures::product("a", &[])),
                Record::Product(fixtures::product("b", &[])),
            ])
            .await
            .unwrap();
        page(store, ListKind::Products, &query(1))
            .await
            .next
            .unwrap()
    };
    let cases: Vec<(ListKind, ListQuery, &str)> = vec![
        (ListKind::Orders, query(0), "limit"),
        (ListKind::Orders, query(501), "limit"),
        (
            ListKind::Orders,
            with(|q| q.cursor = Some("garbage!".into())),
            "cursor",
        ),
        (
            ListKind::Orders,
            with(|q| q.cursor = Some(products_cursor.clone())),
            "cursor",
        ),
        (
            ListKind::Customers,
            with(|q| q.status = Some("active".into())),
            "status",
        ),
        (
            ListKind::Events,
            with(|q| q.sku = Some("A-1".into())),
            "sku",
        ),
        (ListKind::Docs, with(|q| q.since = Some(at(1, 0))), "since"),
        (
            ListKind::Orders,
            with(|q| q.status = Some("lost".into())),
            "status",
        ),
        (
            ListKind::Returns,
            with(|q| q.customer = Some("42".into())),
            "customer",
        ),
        (
            ListKind::Orders,
            with(|q| {
                q.since = Some(at(2, 0));
                q.until = Some(at(1, 0));
            }),
            "until",
        ),
    ];
    for (kind, q, expected) in cases {
        match store.list(kind, &q).await {
            Err(StoreError::InvalidQuery { field, .. }) => assert_eq!(field, expected, "{kind}"),
            other => panic!("{kind} {q:?}: expected InvalidQuery({expected}), got {other:?}"),
        }
    }
    let next = ListQuery {
        cursor: Some(products_cursor),
        ..query(1)
    };
    let rest: Vec<Value> = page(store, ListKind::Products, &next).await.items;
    assert_eq!(rest[0]["handle"], "b");
}
