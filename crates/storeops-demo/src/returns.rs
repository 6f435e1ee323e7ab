//! Return generation: about 6 % of delivered orders come back, with reasons,
//! statuses by age, restock decisions and refunds (which mark the order
//! refunded or partially refunded).

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use storeops_domain::{
    Currency, FinancialStatus, Money, Refund, ReturnLine, ReturnReason, ReturnRequest,
    ReturnResolution, ReturnStatus, Shipment,
};

use crate::calendar::{hours, Span};
use crate::orders::Placed;
use crate::random::Dice;

/// What returns need to know about a SKU.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SkuInfo {
    /// Apparel-like: sizes make returns likelier.
    pub sized: bool,
    /// Regulated items are never restocked.
    pub regulated: bool,
}

/// Generates returns for delivered orders and updates their orders' payment status.
pub(crate) fn generate(
    dice: &mut Dice,
    span: &Span,
    orders: &mut [Placed],
    shipments: &[Shipment],
    skus: &BTreeMap<String, SkuInfo>,
) -> Vec<ReturnRequest> {
    let delivered: BTreeMap<&str, DateTime<Utc>> = shipments
        .iter()
        .filter_map(|s| s.delivered_at.map(|d| (s.order_name.as_str(), d)))
        .collect();
    let now = span.now();
    let mut out = Vec::new();
    for placed in orders.iter_mut() {
        let Some(&delivered_at) = delivered.get(placed.order.name.as_str()) else {
            continue;
        };
        let info = |sku: &Option<String>| sku.as_deref().and_then(|s| skus.get(s)).copied();
        let sized = placed
            .order
            .lines
            .iter()
            .any(|l| info(&l.sku).is_some_and(|i| i.sized));
        if !dice.chance(if sized { 0.085 } else { 0.04 }) {
            continue;
        }
        let requested_at = delivered_at + hours(dice.uniform(20.0, 28.0 * 24.0));
        if requested_at >= now {
            continue;
        }
        let all = dice.chance(0.3);
        let first = dice.index(placed.order.lines.len());
        let mut lines = Vec::new();
        let mut amount = 0;
        for (i, line) in placed.order.lines.iter().enumerate() {
            let Some(sku) = line.sku.clone() else {
                continue;
            };
            if !all && i != first {
                continue;
            }
            let sku_info = info(&line.sku).unwrap_or(SkuInfo {
                sized: false,
                regulated: false,
            });
            let quantity = if dice.chance(0.8) { line.quantity } else { 1 };
            let reason = reason(dice, sku_info.sized);
            amount += quantity * (line.price.minor - line.discount.minor / line.quantity);
            lines.push(ReturnLine {
                sku,
                quantity,
                reason,
                note: note(reason).to_string(),
                photos: Vec::new(),
            });
        }
        if lines.is_empty() {
            continue;
        }
        let regulated = placed
            .order
            .lines
            .iter()
            .any(|l| info(&l.sku).is_some_and(|i| i.regulated));
        let mut request = ReturnRequest {
            id: String::new(),
            order_name: placed.order.name.clone(),
            status: ReturnStatus::Requested,
            requested_at,
            received_at: None,
            resolution: None,
            restock: false,
            customer_note: note(lines[0].reason).to_string(),
            lines,
            refunds: Vec::new(),
        };
        settle(dice, now, &mut request, regulated);
        if let Some(refund) = request.refunds.first_mut() {
            refund.amount = Money::new(amount, Currency::USD);
            let returned: i64 = request.lines.iter().map(|l| l.quantity).sum();
            placed.order.financial_status = if returned >= placed.order.units() {
                FinancialStatus::Refunded
            } else {
                FinancialStatus::PartiallyRefunded
            };
        }
        out.push(request);
    }
    out.sort_by_key(|r| r.requested_at);
    for (n, request) in out.iter_mut().enumerate() {
        request.id = format!("RET-{:05}", n + 1);
        for line in &mut request.lines {
            if matches!(
                line.reason,
                ReturnReason::Defective | ReturnReason::DamagedInTransit
            ) {
                line.photos.push(format!(
                    "https://cdn.shopify.com/s/files/1/0781/2469/3391/files/{}-photo.jpg",
                    request.id.to_lowercase()
                ));
            }
        }
        for refund in &mut request.refunds {
            refund.id = format!("rf-{:05}", n + 1);
        }
    }
    out
}

/// Moves a request along by its age: requested, approved, in transit, then
/// received or closed (most), rejected or cancelled (a few).
fn settle(dice: &mut Dice, now: DateTime<Utc>, request: &mut ReturnRequest, regulated: bool) {
    let age_days = (now - request.requested_at).num_hours() as f64 / 24.0;
    request.status = if age_days < 2.0 {
        ReturnStatus::Requested
    } else if age_days < 5.0 {
        ReturnStatus::Approved
    } else if dice.chance(0.04) {
        request.resolution = Some(ReturnResolution::None);
        ReturnStatus::Rejected
    } else if dice.chance(0.04) {
        ReturnStatus::Cancelled
    } else {
        let received_at = request.requested_at + hours(dice.uniform(4.0 * 24.0, 9.0 * 24.0));
        if received_at >= now {
            ReturnStatus::InTransit
        } else {
            request.received_at = Some(received_at);
            let damaged = request.lines.iter().any(|l| {
                matches!(
                    l.reason,
                    ReturnReason::Defective | ReturnReason::DamagedInTransit
                )
            });
            request.restock = !damaged && !regulated;
            if now - received_at < TimeDelta::days(3) {
                ReturnStatus::Received
            } else {
                let resolution = match dice.weighted(&[75.0, 12.0, 13.0]) {
                    0 => ReturnResolution::Refund,
                    1 => ReturnResolution::Exchange,
                    _ => ReturnResolution::StoreCredit,
                };
                request.resolution = Some(resolution);
                if resolution == ReturnResolution::Refund {
                    request.refunds.push(Refund {
                        id: String::new(),
                        order_name: request.order_name.clone(),
                        amount: Money::new(0, Currency::USD),
                        created_at: received_at + hours(dice.uniform(2.0, 30.0)),
                        reason: "Return received".into(),
                    });
                }
                ReturnStatus::Closed
            }
        }
    };
}

fn reason(dice: &mut Dice, sized: bool) -> ReturnReason {
    if sized && dice.chance(0.55) {
        return if dice.chance(0.5) {
            ReturnReason::SizeTooSmall
        } else {
            ReturnReason::SizeTooLarge
        };
    }
    let reasons = [
        (ReturnReason::ChangedMind, 30.0),
        (ReturnReason::NotAsDescribed, 18.0),
        (ReturnReason::Defective, 16.0),
        (ReturnReason::DamagedInTransit, 10.0),
        (ReturnReason::WrongItem, 8.0),
        (ReturnReason::ArrivedLate, 6.0),
        (ReturnReason::Other, 4.0),
    ];
    let weights: Vec<f64> = reasons.iter().map(|r| r.1).collect();
    reasons[dice.weighted(&weights)].0
}

fn note(reason: ReturnReason) -> &'static str {
    match reason {
        ReturnReason::SizeTooSmall => "Runs small, I need the next size up.",
        ReturnReason::SizeTooLarge => "Too big on me, would like a smaller size.",
        ReturnReason::Defective => "Stopped working after a couple of days.",
        ReturnReason::DamagedInTransit => "The box was crushed and the item is damaged.",
        ReturnReason::NotAsDescribed => "The colour looks different from the photos.",
        ReturnReason::WrongItem => "I received a different item than I ordered.",
        ReturnReason::ChangedMind => "Changed my mind, it is unused.",
        ReturnReason::ArrivedLate => "It arrived after the event I needed it for.",
        ReturnReason::Other => "Please see attached.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sized_items_are_mostly_returned_for_size() {
        let mut dice = Dice::new(8, "reasons");
        let sized = (0..1000)
            .filter(|_| {
                matches!(
                    reason(&mut dice, true),
                    ReturnReason::SizeTooSmall | ReturnReason::SizeTooLarge
                )
            })
            .count();
        assert!((480..620).contains(&sized), "{sized}");
        assert!((0..200).all(|_| !matches!(reason(&mut dice, false), ReturnReason::SizeTooSmall)));
    }
}
