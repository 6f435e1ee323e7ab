//! Builders of hand-made facts for the unit tests.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use storeops_domain::facts::{LevelFacts, ProductFacts, VariantFacts};
use storeops_domain::{DocKind, KnowledgeDoc, ProductStatus};

/// `2025-06-15T12:00:00Z`, the audit moment of most tests.
pub(crate) fn as_of() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 15, 12, 0, 0).unwrap()
}

/// A calendar date.
pub(crate) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A complete product: titled, described, with one image.
pub(crate) fn product(handle: &str) -> ProductFacts {
    ProductFacts {
        handle: handle.to_string(),
        title: format!("Title of {handle}"),
        description_len: 120,
        image_count: 1,
        status: ProductStatus::Active,
        regulated: false,
    }
}

/// A complete variant: SKU, valid GTIN, price 10.00, compare-at 12.00, cost 4.00.
pub(crate) fn variant(handle: &str, position: u32, sku: Option<&str>) -> VariantFacts {
    VariantFacts {
        handle: handle.to_string(),
        position,
        sku: sku.map(str::to_string),
        price_minor: Some(1000),
        compare_at_minor: Some(1200),
        cost_minor: Some(400),
        gtin: Some("4006381333931".to_string()),
    }
}

/// A level counted a day before [`as_of`] whose ledger matches on-hand.
pub(crate) fn level(sku: &str, location: &str, on_hand: i64) -> LevelFacts {
    LevelFacts {
        sku: sku.to_string(),
        location: location.to_string(),
        on_hand,
        available: on_hand,
        counted_at: Some(Utc.with_ymd_and_hms(2025, 6, 14, 9, 0, 0).unwrap()),
        ledger_entries: 1,
        ledger_sum: on_hand,
    }
}

/// A policy document version effective from 2025-01-01, reviewed by 2026-01-01.
pub(crate) fn doc(key: &str, version: i64, body: &str) -> KnowledgeDoc {
    KnowledgeDoc {
        key: key.to_string(),
        version,
        kind: DocKind::Faq,
        title: format!("Doc {key}"),
        body: body.to_string(),
        effective_from: day(2025, 1, 1),
        effective_to: None,
        review_by: Some(day(2026, 1, 1)),
        product_handle: None,
        url: None,
    }
}
