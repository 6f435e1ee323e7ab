//! Parsing and formatting of single text values shared by the CSV and JSONL
//! formats: money, yes/no flags, whole numbers, weights, timestamps, dates and
//! tag lists. Every parser returns a message naming the bad value.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use storeops_domain::{Currency, Money};

use crate::error::IngestError;
use crate::format::Format;

/// Parses a non-negative amount; empty text is `None`.
pub(crate) fn money(text: &str, currency: Currency) -> Result<Option<Money>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    currency
        .parse_non_negative(text)
        .map(|minor| Some(Money::new(minor, currency)))
        .map_err(|e| e.to_string())
}

/// Parses a yes/no flag (`true`/`false`, `yes`/`no`, `1`/`0`, any case);
/// empty text is `None`.
pub(crate) fn flag(text: &str) -> Result<Option<bool>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Ok(Some(true)),
        "false" | "no" | "n" | "0" => Ok(Some(false)),
        _ => Err(format!(
            "`{text}` is not a yes/no value (expected TRUE or FALSE)"
        )),
    }
}

/// Whether a free-text attribute value means "yes" (`true`, `yes`, `1`).
pub(crate) fn truthy(text: &str) -> bool {
    matches!(flag(text), Ok(Some(true)))
}

/// Parses a whole number (may be negative); empty text is `None`.
pub(crate) fn integer(text: &str) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>()
        .map(Some)
        .map_err(|_| format!("`{text}` is not a whole number"))
}

/// Parses a 1-based position; empty text is `None`.
pub(crate) fn position(text: &str) -> Result<Option<u32>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(n) if n >= 1 => Ok(Some(n)),
        _ => Err(format!(
            "`{text}` is not a position (expected a whole number of 1 or more)"
        )),
    }
}

/// Parses a weight in grams, whole or decimal (`250`, `250.0`), rounded half
/// up to whole grams; empty text is `None`.
pub(crate) fn grams(text: &str) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || format!("`{text}` is not a weight in grams (expected a number of 0 or more)");
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !digits(whole)
        || !digits(fraction)
        || (text.contains('.') && fraction.is_empty())
    {
        return Err(bad());
    }
    let mut grams = whole.parse::<i64>().map_err(|_| bad())?;
    if fraction.bytes().next().is_some_and(|b| b >= b'5') {
        grams = grams.checked_add(1).ok_or_else(bad)?;
    }
    Ok(Some(grams))
}

/// Parses a timestamp into UTC; empty text is `None`.
///
/// Accepts Shopify's `2024-03-05 14:22:11 -0500`, RFC 3339
/// (`2024-03-05T19:22:11Z`), a date-time without offset (taken as UTC) and a
/// bare date (midnight UTC).
pub(crate) fn timestamp(text: &str) -> Result<Option<DateTime<Utc>>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Some(t) = shopify_time(text.as_bytes()) {
        return Ok(Some(t));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    if let Ok(t) = DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S %z") {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    for layout in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, layout) {
            return Ok(Some(t.and_utc()));
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()));
    }
    Err(format!(
        "`{text}` is not a date-time (expected e.g. 2024-03-05 14:22:11 -0500 or 2024-03-05T19:22:11Z)"
    ))
}

/// Fast path for Shopify's `2024-03-05 14:22:11 -0500`, the format of every
/// order timestamp; anything else falls through to chrono's parsers.
fn shopify_time(b: &[u8]) -> Option<DateTime<Utc>> {
    if b.len() != 25
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b' '
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    let day = NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)?;
    let local = day.and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?;
    let sign = match b[20] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = (num(21..23)?, num(23..25)?);
    if minutes >= 60 {
        return None;
    }
    let offset = sign * i64::from(hours * 3600 + minutes * 60);
    Some((local - chrono::Duration::seconds(offset)).and_utc())
}

/// Parses a calendar date `YYYY-MM-DD`; empty text is `None`.
pub(crate) fn date(text: &str) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("`{text}` is not a date (expected YYYY-MM-DD, e.g. 2024-03-05)"))
}

/// Formats a timestamp the way Shopify exports do (`2024-03-05 19:22:11
/// +0000`), or as RFC 3339 when it has a fraction of a second, so that
/// [`timestamp`] reads back exactly the same instant.
pub(crate) fn format_shopify_time(t: &DateTime<Utc>) -> String {
    if t.timestamp_subsec_nanos() == 0 {
        t.format("%Y-%m-%d %H:%M:%S %z").to_string()
    } else {
        format_rfc3339(t)
    }
}

/// Formats a timestamp as RFC 3339 in UTC with as many fraction digits as
/// needed.
pub(crate) fn format_rfc3339(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Splits a comma-separated tag list, trimming tags and dropping empty ones.
pub(crate) fn tags(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Removes the apostrophe Shopify puts before zip codes, phone numbers and
/// ids so spreadsheets keep leading zeros.
pub(crate) fn strip_apostrophe(text: &str) -> &str {
    text.strip_prefix('\'').unwrap_or(text)
}

/// An amount as a decimal string in the record currency, refusing amounts in
/// another currency (the formats carry one currency per record).
pub(crate) fn amount(
    money: &Money,
    currency: Currency,
    what: &str,
    format: Format,
) -> Result<String, IngestError> {
    if money.currency != currency {
        return Err(IngestError::Unwritable {
            what: format!(
                "{what}: an amount in {} inside a {currency} record",
                money.currency
            ),
            format,
        });
    }
    Ok(currency.format_amount(money.minor))
}

/// See [`amount`].
pub(crate) fn opt_amount(
    money: Option<&Money>,
    currency: Currency,
    what: &str,
    format: Format,
) -> Result<Option<String>, IngestError> {
    money.map(|m| amount(m, currency, what, format)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    #[test]
    fn money_names_the_problem() {
        let usd = Currency::USD;
        assert_eq!(money("12.99", usd), Ok(Some(Money::new(1299, usd))));
        assert_eq!(money("  ", usd), Ok(None));
        assert!(money("12,99", usd)
            .unwrap_err()
            .contains("`12,99` is not a decimal amount"));
        assert!(money("$12.99", usd)
            .unwrap_err()
            .contains("`$12.99` is not a decimal amount"));
        assert_eq!(money("-1.00", usd).unwrap_err(), "`-1.00` is negative");
    }

    #[test]
    fn flags_and_numbers() {
        assert_eq!(flag("TRUE"), Ok(Some(true)));
        assert_eq!(flag("no"), Ok(Some(false)));
        assert_eq!(flag(""), Ok(None));
        assert_eq!(
            flag("maybe").unwrap_err(),
            "`maybe` is not a yes/no value (expected TRUE or FALSE)"
        );
        assert_eq!(integer("-3"), Ok(Some(-3)));
        assert_eq!(integer("3.5").unwrap_err(), "`3.5` is not a whole number");
        assert_eq!(grams("250.0"), Ok(Some(250)));
        assert_eq!(grams("99.5"), Ok(Some(100)));
        assert_eq!(grams("12"), Ok(Some(12)));
        assert!(grams("-1").is_err());
        assert!(grams("1.").is_err());
        assert!(grams("1e3").is_err());
    }

    #[test]
    fn timestamps_convert_to_utc() {
        let want = Utc.with_ymd_and_hms(2024, 3, 5, 19, 22, 11).unwrap();
        assert_eq!(timestamp("2024-03-05 14:22:11 -0500"), Ok(Some(want)));
        assert_eq!(timestamp("2024-03-06 00:52:11 +0530"), Ok(Some(want)));
        assert!(timestamp("2024-03-05 14:22:11 -05x0").is_err());
        assert!(timestamp("2024-02-30 14:22:11 -0500").is_err());
        assert_eq!(timestamp("2024-03-05T19:22:11Z"), Ok(Some(want)));
        assert_eq!(timestamp("2024-03-05T20:22:11+01:00"), Ok(Some(want)));
        assert_eq!(timestamp("2024-03-05 19:22:11"), Ok(Some(want)));
        assert_eq!(
            timestamp("2024-03-05"),
            Ok(Some(Utc.with_ymd_and_hms(2024, 3, 5, 0, 0, 0).unwrap()))
        );
        assert!(timestamp("05/03/2024")
            .unwrap_err()
            .contains("`05/03/2024` is not a date-time"));
        assert_eq!(format_shopify_time(&want), "2024-03-05 19:22:11 +0000");
    }

    #[test]
    fn tags_are_trimmed() {
        assert_eq!(tags(" a, b ,,c "), vec!["a", "b", "c"]);
        assert_eq!(strip_apostrophe("'02134"), "02134");
        assert_eq!(
            date("2024-02-30").unwrap_err(),
            "`2024-02-30` is not a date (expected YYYY-MM-DD, e.g. 2024-03-05)"
        );
    }

    proptest! {
        #[test]
        fn fast_path_agrees_with_chrono(secs in 0i64..4_000_000_000, offset_minutes in -1439i32..1440) {
            let offset = chrono::FixedOffset::east_opt(offset_minutes * 60).unwrap();
            let t = DateTime::from_timestamp(secs, 0).unwrap().with_timezone(&offset);
            let text = t.format("%Y-%m-%d %H:%M:%S %z").to_string();
            prop_assert_eq!(shopify_time(text.as_bytes()), Some(t.with_timezone(&Utc)));
        }

        #[test]
        fn formatted_times_read_back(secs in 0i64..4_000_000_000, nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000]) {
            let t = DateTime::from_timestamp(secs, nanos).unwrap();
            prop_assert_eq!(timestamp(&format_shopify_time(&t)), Ok(Some(t)));
            prop_assert_eq!(timestamp(&format_rfc3339(&t)), Ok(Some(t)));
        }

        #[test]
        fn value_parsers_never_panic(text in "\\PC{0,30}") {
            let _ = (money(&text, Currency::USD), flag(&text), integer(&text), grams(&text), timestamp(&text), date(&text));
        }

        #[test]
        fn whole_grams_read_back(g in 0i64..10_000_000) {
            prop_assert_eq!(grams(&g.to_string()), Ok(Some(g)));
            prop_assert_eq!(grams(&format!("{g}.0")), Ok(Some(g)));
        }
    }
}
