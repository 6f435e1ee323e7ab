//! The catalogue of readiness checks: id, area, severity, title and fix text.
//!
//! Mirrors the table in `docs/readiness-checks.md`; the ids are stable.

use serde::Serialize;

use crate::labels::{Area, Severity};

/// One readiness check as documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CheckInfo {
    /// Stable id (`catalog.missing_gtin`).
    pub id: &'static str,
    /// Area it belongs to.
    pub area: Area,
    /// Default severity.
    pub severity: Severity,
    /// One-line description of what it finds.
    pub title: &'static str,
    /// What to do about a finding.
    pub fix: &'static str,
}

pub(crate) const MISSING_TITLE: &str = "catalog.missing_title";
pub(crate) const MISSING_DESCRIPTION: &str = "catalog.missing_description";
pub(crate) const MISSING_IMAGE: &str = "catalog.missing_image";
pub(crate) const MISSING_GTIN: &str = "catalog.missing_gtin";
pub(crate) const INVALID_GTIN: &str = "catalog.invalid_gtin";
pub(crate) const MISSING_PRICE: &str = "catalog.missing_price";
pub(crate) const MISSING_SKU: &str = "catalog.missing_sku";
pub(crate) const DUPLICATE_SKU: &str = "catalog.duplicate_sku";
pub(crate) const COMPARE_AT_BELOW_PRICE: &str = "catalog.compare_at_below_price";
pub(crate) const ZERO_COST: &str = "catalog.zero_cost";
pub(crate) const MISSING_COST: &str = "catalog.missing_cost";
pub(crate) const LEDGER_MISMATCH: &str = "inventory.ledger_mismatch";
pub(crate) const NEGATIVE_AVAILABLE: &str = "inventory.negative_available";
pub(crate) const STALE_COUNT: &str = "inventory.stale_count";
pub(crate) const RETURN_NOT_RESTOCKED: &str = "inventory.return_not_restocked";
pub(crate) const ADJUSTMENT_WITHOUT_REASON: &str = "inventory.adjustment_without_reason";
pub(crate) const UNKNOWN_SKU: &str = "inventory.unknown_sku";
pub(crate) const ORDER_WITHOUT_CUSTOMER: &str = "customers.order_without_customer";
pub(crate) const DUPLICATE_CUSTOMER: &str = "customers.duplicate_customer";
pub(crate) const TICKET_UNLINKED: &str = "customers.ticket_unlinked";
pub(crate) const REVIEW_OVERDUE: &str = "knowledge.review_overdue";
pub(crate) const POLICY_CONFLICT: &str = "knowledge.policy_conflict";

const fn check(
    id: &'static str,
    area: Area,
    severity: Severity,
    title: &'static str,
    fix: &'static str,
) -> CheckInfo {
    CheckInfo {
        id,
        area,
        severity,
        title,
        fix,
    }
}

static CHECKS: [CheckInfo; 22] = [
    check(MISSING_TITLE, Area::Catalog, Severity::High,
        "Products with an empty title",
        "Enter a title in the product's Title column (Shopify: Products > the product > Title) and re-import the products file."),
    check(MISSING_DESCRIPTION, Area::Catalog, Severity::Medium,
        "Products whose description has no visible text",
        "Write a description of at least a few sentences in the Body (HTML) column; markup alone such as <p></p> does not count."),
    check(MISSING_IMAGE, Area::Catalog, Severity::Medium,
        "Products without any image",
        "Add at least one image URL in the Image Src column of the product's first row."),
    check(MISSING_GTIN, Area::Catalog, Severity::Low,
        "Variants without a barcode",
        "Add a GTIN-13 (EAN) or GTIN-12 (UPC) barcode in the Variant Barcode column; get one from the supplier's packaging or GS1."),
    check(INVALID_GTIN, Area::Catalog, Severity::Medium,
        "Barcodes that are not a valid GTIN-8/12/13/14",
        "Correct the Variant Barcode: it must be 8, 12, 13 or 14 digits with a valid check digit (copy it from the packaging; leading zeros count)."),
    check(MISSING_PRICE, Area::Catalog, Severity::Critical,
        "Variants without a price",
        "Set the Variant Price column for every variant; a variant without a price cannot be sold or priced automatically."),
    check(MISSING_SKU, Area::Catalog, Severity::High,
        "Variants without a SKU",
        "Give every variant a unique code in the Variant SKU column so stock, orders and returns can be matched to it."),
    check(DUPLICATE_SKU, Area::Catalog, Severity::Critical,
        "One SKU used by more than one variant",
        "Make each Variant SKU unique: rename all but one of the variants sharing it and update stock levels to the new SKUs."),
    check(COMPARE_AT_BELOW_PRICE, Area::Catalog, Severity::Medium,
        "Compare-at (\"was\") price below the selling price",
        "Raise the Variant Compare At Price above the Variant Price, or clear it when the item is not on sale."),
    check(ZERO_COST, Area::Catalog, Severity::High,
        "Unit cost recorded as 0",
        "Enter the real unit cost in the Cost per item column; 0 makes every sale look like pure margin."),
    check(MISSING_COST, Area::Catalog, Severity::Medium,
        "No unit cost",
        "Fill the Cost per item column from the supplier's invoice so margins can be computed."),
    check(LEDGER_MISMATCH, Area::Inventory, Severity::Critical,
        "On-hand differs from the sum of the adjustment ledger",
        "Count the SKU at that location, then record a `count` adjustment for the difference so on-hand equals the ledger sum."),
    check(NEGATIVE_AVAILABLE, Area::Inventory, Severity::High,
        "Available below zero",
        "Check for oversold orders and unrecorded receipts; count the stock and correct on-hand or the committed quantity."),
    check(STALE_COUNT, Area::Inventory, Severity::Medium,
        "Last physical count older than readiness.stale_count_days",
        "Do a cycle count of these SKUs at these locations and import the counts with their counted_at date."),
    check(RETURN_NOT_RESTOCKED, Area::Inventory, Severity::High,
        "Returns received back for restock with no `return` ledger entry referencing them",
        "Record a `return` adjustment with the return id as reference for each restocked item, or set restock to false if it was not put back."),
    check(ADJUSTMENT_WITHOUT_REASON, Area::Inventory, Severity::Medium,
        "Ledger entries without a reason",
        "Set the reason of each entry (sale, return, cancel, receive, count, damage or transfer) in the inventory adjustments file."),
    check(UNKNOWN_SKU, Area::Inventory, Severity::Medium,
        "Stock held for a SKU that no variant has",
        "Fix the SKU on the inventory level to match a variant, or add the missing variant to the catalog."),
    check(ORDER_WITHOUT_CUSTOMER, Area::Customers, Severity::Medium,
        "Orders with no customer id, e-mail or phone",
        "Attach the customer to the order (customer id, e-mail or phone), e.g. from the POS receipt or the payment record."),
    check(DUPLICATE_CUSTOMER, Area::Customers, Severity::Medium,
        "Customers that share a normalised e-mail or phone with another customer",
        "Merge the duplicate customer records (Shopify: Customers > Merge) so orders and tickets belong to one person."),
    check(TICKET_UNLINKED, Area::Customers, Severity::Medium,
        "Tickets that match no known customer and no known order",
        "Link the ticket to a customer (e-mail or customer id) or to an order name in the helpdesk, or import the missing customers and orders."),
    check(REVIEW_OVERDUE, Area::Knowledge, Severity::Medium,
        "Effective documents past their review date",
        "Review the document, publish a new version if anything changed, and set a new review_by date."),
    check(POLICY_CONFLICT, Area::Knowledge, Severity::Critical,
        "Effective documents that state different numbers for the same policy fact",
        "Decide the correct value and edit every listed document to state it; retire outdated versions by setting effective_to."),
];

/// The catalogue of every readiness check, in documentation order.
pub fn checks() -> &'static [CheckInfo] {
    &CHECKS
}

/// The catalogue entry of `id`.
pub(crate) fn info(id: &str) -> Option<&'static CheckInfo> {
    CHECKS.iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn catalogue_has_22_unique_ids_prefixed_by_area() {
        let ids: BTreeSet<&str> = checks().iter().map(|c| c.id).collect();
        assert_eq!(ids.len(), 22);
        for c in checks() {
            assert!(
                c.id.starts_with(&format!("{}.", c.area.as_str())),
                "{}",
                c.id
            );
            assert!(c.fix.len() > 40, "{} needs a concrete fix", c.id);
        }
    }

    #[test]
    fn severities_match_the_documented_table() {
        let sev = |id: &str| info(id).map(|c| c.severity);
        assert_eq!(sev(MISSING_PRICE), Some(Severity::Critical));
        assert_eq!(sev(MISSING_GTIN), Some(Severity::Low));
        assert_eq!(sev(RETURN_NOT_RESTOCKED), Some(Severity::High));
        assert_eq!(sev(POLICY_CONFLICT), Some(Severity::Critical));
        assert_eq!(sev("catalog.nope"), None);
        let critical = checks()
            .iter()
            .filter(|c| c.severity == Severity::Critical)
            .count();
        assert_eq!(critical, 4);
    }

    #[test]
    fn catalogue_ids_match_the_doc_table() {
        let doc = include_str!("../../../docs/readiness-checks.md");
        for c in checks() {
            let row = format!(
                "| `{}` | {} | {} |",
                c.id,
                c.area.as_str(),
                c.severity.as_str()
            );
            assert!(doc.contains(&row), "doc lacks row {row}");
        }
    }
}
