//! Query parameters of list endpoints, validated with the offending field
//! named in the error.

use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use storeops_store::ListQuery;

use crate::error::ApiError;

/// Default page size.
const DEFAULT_LIMIT: u32 = 50;

/// Filters and paging of list endpoints; which filters a kind accepts is
/// listed in its description (others are refused with 422).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page size, 1..=500 (default 50).
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Case-insensitive search text.
    pub q: Option<String>,
    /// Status label.
    pub status: Option<String>,
    /// From this time (RFC 3339 or YYYY-MM-DD, inclusive).
    pub since: Option<String>,
    /// Until this time (RFC 3339 or YYYY-MM-DD, exclusive).
    pub until: Option<String>,
    /// SKU.
    pub sku: Option<String>,
    /// Customer platform id or e-mail.
    pub customer: Option<String>,
    /// Order name.
    pub order: Option<String>,
    /// Event source.
    pub source: Option<String>,
    /// Event topic.
    pub topic: Option<String>,
}

/// Validates the query string into a store query.
pub fn list_query(query: Result<Query<ListParams>, QueryRejection>) -> Result<ListQuery, ApiError> {
    let Query(p) = query.map_err(|e| ApiError::bad_request("query", e.body_text()))?;
    let limit = match p.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(text) => text.trim().parse().map_err(|_| {
            ApiError::bad_request("limit", format!("`{text}` is not a whole number"))
        })?,
    };
    Ok(ListQuery {
        limit,
        cursor: p.cursor,
        q: p.q,
        status: p.status,
        since: time("since", p.since.as_deref())?,
        until: time("until", p.until.as_deref())?,
        sku: p.sku,
        customer: p.customer,
        order: p.order,
        source: p.source,
        topic: p.topic,
    })
}

/// RFC 3339 time or a date (midnight UTC).
fn time(field: &str, text: Option<&str>) -> Result<Option<DateTime<Utc>>, ApiError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| Some(d.and_time(chrono::NaiveTime::MIN).and_utc()))
        .map_err(|_| {
            ApiError::bad_request(
                field,
                format!("`{text}` is not a date (YYYY-MM-DD) or RFC 3339 time"),
            )
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn times_accept_dates_and_rfc3339() {
        let d = time("since", Some("2026-01-02")).unwrap().unwrap();
        assert_eq!(d.to_rfc3339(), "2026-01-02T00:00:00+00:00");
        let t = time("since", Some("2026-01-02T10:00:00+02:00"))
            .unwrap()
            .unwrap();
        assert_eq!(t.to_rfc3339(), "2026-01-02T08:00:00+00:00");
        let e = time("until", Some("yesterday")).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("until"));
        assert_eq!(time("since", Some(" ")).unwrap(), None);
    }

    #[test]
    fn limits_must_be_numbers() {
        let bad = list_query(Ok(Query(ListParams {
            limit: Some("ten".into()),
            ..ListParams::default()
        })))
        .unwrap_err();
        assert_eq!(bad.field.as_deref(), Some("limit"));
        let ok = list_query(Ok(Query(ListParams::default()))).unwrap();
        assert_eq!(ok.limit, 50);
    }
}
