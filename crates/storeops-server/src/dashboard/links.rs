//! Links between dashboard pages: record URLs with their keys
//! percent-encoded, and which record kind a readiness finding's affected id
//! names (the "affected id" column of `docs/readiness-checks.md`).

use storeops_store::ListKind;

/// Path of the record page of `key` of `kind`.
pub fn record_url(kind: ListKind, key: &str) -> String {
    format!("/records/{}/{}", kind.as_str(), encode_segment(key))
}

/// Percent-encodes every byte but RFC 3986 unreserved characters, so any
/// key (`#1001`, `id:42`, `sku@shelf/2`) stays one path segment.
pub fn encode_segment(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// The record kind whose key an affected id of readiness check `check` is;
/// `None` for ledger adjustments (no record page) and unknown checks.
///
/// Variant labels are the SKU or `handle#position`, documents `key@vN`: the
/// record page resolves those forms (see `records`).
pub fn affected_kind(check: &str) -> Option<ListKind> {
    Some(match check {
        "catalog.missing_title" | "catalog.missing_description" | "catalog.missing_image" => {
            ListKind::Products
        }
        "catalog.missing_gtin"
        | "catalog.invalid_gtin"
        | "catalog.missing_price"
        | "catalog.missing_sku"
        | "catalog.duplicate_sku"
        | "catalog.compare_at_below_price"
        | "catalog.zero_cost"
        | "catalog.missing_cost" => ListKind::Variants,
        "inventory.ledger_mismatch"
        | "inventory.negative_available"
        | "inventory.stale_count"
        | "inventory.unknown_sku" => ListKind::Inventory,
        "inventory.return_not_restocked" => ListKind::Returns,
        "customers.order_without_customer" => ListKind::Orders,
        "customers.duplicate_customer" => ListKind::Customers,
        "customers.ticket_unlinked" => ListKind::Tickets,
        "knowledge.review_overdue" | "knowledge.policy_conflict" => ListKind::Docs,
        _ => return None,
    })
}

/// Splits a variant label of the form `handle#position` (1-based).
pub fn variant_label(label: &str) -> Option<(&str, usize)> {
    let (handle, position) = label.rsplit_once('#')?;
    let position = position.parse().ok().filter(|p| *p >= 1)?;
    (!handle.is_empty()).then_some((handle, position))
}

/// Splits a document name of the form `key@vN`.
pub fn doc_version(name: &str) -> Option<(&str, i64)> {
    let (key, version) = name.rsplit_once("@v")?;
    let version = version.parse().ok().filter(|v| *v >= 1)?;
    (!key.is_empty()).then_some((key, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_stay_one_segment() {
        assert_eq!(
            record_url(ListKind::Orders, "#1001"),
            "/records/orders/%231001"
        );
        assert_eq!(
            record_url(ListKind::Inventory, "SKU 1@shelf/2"),
            "/records/inventory/SKU%201%40shelf%2F2"
        );
        assert_eq!(encode_segment("a-b.c_d~é"), "a-b.c_d~%C3%A9");
    }

    #[test]
    fn every_catalogued_check_but_adjustments_has_a_record_kind() {
        for check in storeops_insights::checks() {
            let kind = affected_kind(check.id);
            if check.id == "inventory.adjustment_without_reason" {
                assert_eq!(kind, None);
            } else {
                assert!(kind.is_some(), "{} has no record kind", check.id);
            }
        }
        assert_eq!(affected_kind("catalog.no_such_check"), None);
    }

    #[test]
    fn labels_split() {
        assert_eq!(variant_label("wool-hat#2"), Some(("wool-hat", 2)));
        assert_eq!(variant_label("SKU-1"), None);
        assert_eq!(variant_label("#2"), None);
        assert_eq!(variant_label("hat#0"), None);
        assert_eq!(
            doc_version("returns-policy@v3"),
            Some(("returns-policy", 3))
        );
        assert_eq!(doc_version("faq"), None);
        assert_eq!(doc_version("faq@vx"), None);
    }
}
