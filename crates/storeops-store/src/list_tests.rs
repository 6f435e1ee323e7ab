//! Unit tests of `list.rs` and `list_query.rs`: kinds, limits, unsupported
//! filters, status labels, search patterns, customer filters and pages.

use super::*;
use crate::error::StoreError;
use crate::list_query::{like_pattern, Checked, CustomerMatch, StatusMatch};
use chrono::TimeZone;

fn query(limit: u32) -> ListQuery {
    ListQuery {
        limit,
        ..ListQuery::default()
    }
}

fn invalid_field(result: Result<Checked, StoreError>) -> String {
    match result {
        Err(StoreError::InvalidQuery { field, .. }) => field,
        other => panic!("expected InvalidQuery, got {other:?}"),
    }
}

#[test]
fn kinds_parse_and_print() {
    let names: Vec<&str> = ListKind::ALL.iter().map(ListKind::as_str).collect();
    assert_eq!(
        names,
        [
            "products",
            "variants",
            "inventory",
            "customers",
            "orders",
            "shipments",
            "returns",
            "tickets",
            "docs",
            "events"
        ]
    );
    for kind in ListKind::ALL {
        assert_eq!(kind.as_str().parse::<ListKind>(), Ok(*kind));
        assert_eq!(kind.to_string(), kind.as_str());
    }
    assert_eq!(" Orders ".parse::<ListKind>(), Ok(ListKind::Orders));
    let err = "widgets".parse::<ListKind>().unwrap_err();
    assert_eq!(err.value, "widgets");
    assert!(err.expected.starts_with("products, variants, inventory"));
}

#[test]
fn limits_outside_1_to_500_are_rejected() {
    assert_eq!(invalid_field(query(0).check(ListKind::Orders)), "limit");
    assert_eq!(invalid_field(query(501).check(ListKind::Orders)), "limit");
    assert_eq!(query(1).check(ListKind::Orders).unwrap().fetch, 2);
    assert_eq!(query(500).check(ListKind::Orders).unwrap().fetch, 501);
}

#[test]
fn unsupported_filters_are_named() {
    let q = ListQuery {
        sku: Some("A-1".into()),
        ..query(10)
    };
    assert_eq!(invalid_field(q.check(ListKind::Customers)), "sku");
    assert!(q.check(ListKind::Orders).is_ok());
    let q = ListQuery {
        topic: Some("orders/create".into()),
        ..query(10)
    };
    match q.check(ListKind::Orders) {
        Err(StoreError::InvalidQuery { field, message }) => {
            assert_eq!(field, "topic");
            assert_eq!(
                message,
                "orders cannot be filtered by topic; filters: q, status, since, until, sku, customer"
            );
        }
        other => panic!("expected InvalidQuery, got {other:?}"),
    }
    for kind in ListKind::ALL {
        for filter in kind.filters() {
            assert!([
                "q", "status", "since", "until", "sku", "customer", "order", "source", "topic"
            ]
            .contains(filter));
        }
    }
}

#[test]
fn status_labels_are_checked_and_canonical() {
    let status = |kind, text: &str| {
        ListQuery {
            status: Some(text.into()),
            ..query(10)
        }
        .check(kind)
        .map(|c| c.status)
    };
    let both = |first, second| Some(StatusMatch { first, second });
    assert_eq!(
        status(ListKind::Orders, "Paid").unwrap(),
        both(Some("paid"), None)
    );
    assert_eq!(
        status(ListKind::Orders, "fulfilled").unwrap(),
        both(None, Some("fulfilled"))
    );
    // Canonical financial label wins over the fulfillment alias.
    assert_eq!(
        status(ListKind::Orders, "pending").unwrap(),
        both(Some("pending"), None)
    );
    assert_eq!(
        status(ListKind::Orders, "partially fulfilled").unwrap(),
        both(None, Some("partial"))
    );
    assert_eq!(
        status(ListKind::Tickets, "resolved").unwrap(),
        both(Some("solved"), None)
    );
    assert_eq!(
        status(ListKind::Events, "unknown-topic").unwrap(),
        both(Some("unknown_topic"), None)
    );
    match status(ListKind::Shipments, "lost") {
        Err(StoreError::InvalidQuery { field, message }) => {
            assert_eq!(field, "status");
            assert!(message.starts_with("`lost` is not one of: label_created"));
        }
        other => panic!("expected InvalidQuery, got {other:?}"),
    }
    match status(ListKind::Orders, "shipped") {
        Err(StoreError::InvalidQuery { field, .. }) => assert_eq!(field, "status"),
        other => panic!("expected InvalidQuery, got {other:?}"),
    }
}

#[test]
fn search_patterns_escape_wildcards() {
    assert_eq!(like_pattern("tee"), "%tee%");
    assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    let q = ListQuery {
        q: Some(String::new()),
        ..query(10)
    };
    assert_eq!(q.check(ListKind::Products).unwrap().pattern, None);
}

#[test]
fn customer_filters_by_id_email_or_either() {
    let customer = |text: &str| {
        ListQuery {
            customer: Some(text.into()),
            ..query(10)
        }
        .check(ListKind::Orders)
        .unwrap()
        .customer
        .unwrap()
    };
    assert_eq!(customer("id:42"), CustomerMatch::Id("42".into()));
    assert_eq!(
        customer("email:Ann@Example.com"),
        CustomerMatch::Email("ann@example.com".into())
    );
    assert_eq!(
        customer(" Ann@Example.com "),
        CustomerMatch::Either {
            id: "Ann@Example.com".into(),
            email: "ann@example.com".into()
        }
    );
}

#[test]
fn time_bounds_must_be_ordered() {
    let t = |d| Utc.with_ymd_and_hms(2024, 5, d, 0, 0, 0).unwrap();
    let q = ListQuery {
        since: Some(t(2)),
        until: Some(t(1)),
        ..query(10)
    };
    assert_eq!(invalid_field(q.check(ListKind::Orders)), "until");
    let q = ListQuery {
        since: Some(t(1)),
        until: Some(t(2)),
        ..query(10)
    };
    assert!(q.check(ListKind::Orders).is_ok());
}

#[test]
fn pages_carry_a_cursor_only_when_more_rows_follow() {
    let rows = |n: i64| -> Vec<(After, serde_json::Value)> {
        (0..n)
            .map(|i| (After::Num(100 - i), serde_json::json!(i)))
            .collect()
    };
    let full = page(ListKind::Events, rows(3), 3);
    assert_eq!(full.items.len(), 2);
    assert_eq!(
        full.next
            .as_deref()
            .map(|c| cursor::decode(ListKind::Events, c).unwrap()),
        Some(After::Num(99))
    );
    let last = page(ListKind::Events, rows(2), 3);
    assert_eq!(last.items.len(), 2);
    assert_eq!(last.next, None);
}
