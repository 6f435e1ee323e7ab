//! Keyset-pagination cursors: the sort key of the last row of a page, as an
//! opaque URL-safe string (base64url without padding of a small JSON object
//! naming the listing), so the next page continues after it without OFFSET.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::list::ListKind;

/// The sort key of the last row of a page; which shape depends on the kind
/// (see [`shape_of`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum After {
    /// One text key, ascending (products, customers).
    Key(String),
    /// Two text keys, ascending (inventory: sku, location).
    KeyKey(String, String),
    /// Text key and number, ascending (variants: handle, position; docs:
    /// key, version).
    KeyNum(String, i64),
    /// Timestamp and id, both descending (orders, returns, tickets).
    AtKey(DateTime<Utc>, String),
    /// Optional timestamp (absent sorts last) and id, descending (shipments).
    MaybeAtKey(Option<DateTime<Utc>>, String),
    /// Numeric id, descending (events).
    Num(i64),
}

/// Which [`After`] variant a kind's cursor holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// [`After::Key`].
    Key,
    /// [`After::KeyKey`].
    KeyKey,
    /// [`After::KeyNum`].
    KeyNum,
    /// [`After::AtKey`].
    AtKey,
    /// [`After::MaybeAtKey`].
    MaybeAtKey,
    /// [`After::Num`].
    Num,
}

/// The cursor shape of a listing.
pub(crate) fn shape_of(kind: ListKind) -> Shape {
    match kind {
        ListKind::Products | ListKind::Customers => Shape::Key,
        ListKind::Inventory => Shape::KeyKey,
        ListKind::Variants | ListKind::Docs => Shape::KeyNum,
        ListKind::Orders | ListKind::Returns | ListKind::Tickets => Shape::AtKey,
        ListKind::Shipments => Shape::MaybeAtKey,
        ListKind::Events => Shape::Num,
    }
}

/// The JSON inside a cursor. Short field names keep URLs short.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    /// The listing (`ListKind::as_str`).
    v: String,
    /// Timestamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    t: Option<DateTime<Utc>>,
    /// First text key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    k: Option<String>,
    /// Second text key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    l: Option<String>,
    /// Number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<i64>,
}

/// Encodes the cursor continuing `kind` after `after`.
pub(crate) fn encode(kind: ListKind, after: &After) -> String {
    let mut wire = Wire {
        v: kind.as_str().to_string(),
        ..Wire::default()
    };
    match after.clone() {
        After::Key(k) => wire.k = Some(k),
        After::KeyKey(k, l) => (wire.k, wire.l) = (Some(k), Some(l)),
        After::KeyNum(k, n) => (wire.k, wire.n) = (Some(k), Some(n)),
        After::AtKey(t, k) => (wire.t, wire.k) = (Some(t), Some(k)),
        After::MaybeAtKey(t, k) => (wire.t, wire.k) = (t, Some(k)),
        After::Num(n) => wire.n = Some(n),
    }
    // Serialising strings, numbers and timestamps cannot fail.
    let json = serde_json::to_vec(&wire).unwrap_or_default();
    base64url_encode(&json)
}

/// Decodes a cursor of `kind`; anything else is `InvalidQuery { field: "cursor" }`.
pub(crate) fn decode(kind: ListKind, text: &str) -> Result<After, StoreError> {
    let bad = |why: &str| StoreError::invalid("cursor", why);
    let bytes = base64url_decode(text).ok_or_else(|| bad("not a cursor"))?;
    let wire: Wire = serde_json::from_slice(&bytes).map_err(|_| bad("not a cursor"))?;
    if wire.v != kind.as_str() {
        return Err(bad("the cursor belongs to another listing"));
    }
    let after = match (shape_of(kind), wire) {
        (
            Shape::Key,
            Wire {
                k: Some(k),
                t: None,
                l: None,
                n: None,
                ..
            },
        ) => After::Key(k),
        (
            Shape::KeyKey,
            Wire {
                k: Some(k),
                l: Some(l),
                t: None,
                n: None,
                ..
            },
        ) => After::KeyKey(k, l),
        (
            Shape::KeyNum,
            Wire {
                k: Some(k),
                n: Some(n),
                t: None,
                l: None,
                ..
            },
        ) => After::KeyNum(k, n),
        (
            Shape::AtKey,
            Wire {
                t: Some(t),
                k: Some(k),
                l: None,
                n: None,
                ..
            },
        ) => After::AtKey(t, k),
        (
            Shape::MaybeAtKey,
            Wire {
                t,
                k: Some(k),
                l: None,
                n: None,
                ..
            },
        ) => After::MaybeAtKey(t, k),
        (
            Shape::Num,
            Wire {
                n: Some(n),
                t: None,
                k: None,
                l: None,
                ..
            },
        ) => After::Num(n),
        _ => return Err(bad("the cursor does not fit this listing")),
    };
    Ok(after)
}

/// The base64url alphabet (RFC 4648 §5).
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding.
fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            let index = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

/// Inverse of [`base64url_encode`]; `None` for anything that is not
/// canonical unpadded base64url.
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| ALPHABET.iter().position(|&a| a == c).map(|i| i as u32);
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let produced = chunk.len() - 1;
        let all = n.to_be_bytes();
        out.extend_from_slice(&all[1..=produced]);
        // Bits below the last full byte must be zero (canonical form).
        let unused = match produced {
            1 => n & 0xFFFF,
            2 => n & 0xFF,
            _ => 0,
        };
        if unused != 0 {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn base64url_matches_rfc4648_vectors() {
        // RFC 4648 §10 test vectors, without padding.
        let vectors = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(base64url_encode(plain.as_bytes()), encoded);
            assert_eq!(base64url_decode(encoded).unwrap(), plain.as_bytes());
        }
        // The two URL-safe characters.
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(base64url_decode("Zg=="), None);
        assert_eq!(base64url_decode("Z"), None);
        assert_eq!(base64url_decode("Zh"), None);
        assert_eq!(base64url_decode("a+b/"), None);
    }

    #[test]
    fn cursors_round_trip_per_kind() {
        let t = Utc.with_ymd_and_hms(2024, 5, 1, 12, 30, 0).unwrap();
        let cases = [
            (ListKind::Products, After::Key("hat".into())),
            (
                ListKind::Inventory,
                After::KeyKey("A-1".into(), "Main".into()),
            ),
            (ListKind::Docs, After::KeyNum("returns".into(), 2)),
            (ListKind::Orders, After::AtKey(t, "#1001".into())),
            (ListKind::Shipments, After::MaybeAtKey(None, "sh-1".into())),
            (
                ListKind::Shipments,
                After::MaybeAtKey(Some(t), "sh-2".into()),
            ),
            (ListKind::Events, After::Num(42)),
        ];
        for (kind, after) in cases {
            let text = encode(kind, &after);
            assert!(text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            assert_eq!(decode(kind, &text).unwrap(), after);
        }
        assert_eq!(
            encode(ListKind::Events, &After::Num(42)),
            "eyJ2IjoiZXZlbnRzIiwibiI6NDJ9"
        );
    }

    #[test]
    fn foreign_or_garbled_cursors_are_invalid_queries() {
        let orders = encode(ListKind::Products, &After::Key("hat".into()));
        for (kind, text) in [
            (ListKind::Orders, orders.as_str()),
            (ListKind::Events, "not a cursor!"),
            (ListKind::Events, "e30"), // {}
            (ListKind::Customers, ""),
        ] {
            match decode(kind, text) {
                Err(StoreError::InvalidQuery { field, .. }) => assert_eq!(field, "cursor"),
                other => panic!("expected InvalidQuery, got {other:?}"),
            }
        }
    }
}
