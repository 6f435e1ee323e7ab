//! Plants inventory problems: ledger mismatches, negative availability, stale
//! counts, returns missing from the ledger, entries without a reason and
//! stock of SKUs the catalog no longer has.

use std::collections::BTreeSet;

use chrono::TimeDelta;
use storeops_domain::{AdjustmentReason, InventoryAdjustment, InventoryLevel, ReturnRequest};

use crate::calendar::{at, Span};
use crate::inventory::{adjustment_id, entry, MAIN};
use crate::planted::Log;
use crate::random::Dice;

/// Picks 2–4 received returns meant for restock whose ledger entry will be left out.
pub(crate) fn unrecorded_returns(
    dice: &mut Dice,
    returns: &[ReturnRequest],
    log: &mut Log,
) -> BTreeSet<String> {
    let candidates: Vec<&ReturnRequest> = returns
        .iter()
        .filter(|r| r.restock && r.received_at.is_some())
        .collect();
    let count = dice.range(2, 4) as usize;
    let mut out = BTreeSet::new();
    for i in dice.distinct(candidates.len(), count) {
        let request = candidates[i];
        let units: i64 = request.lines.iter().map(|l| l.quantity).sum();
        log.add(
            "inventory.return_not_restocked",
            request.id.clone(),
            format!(
                "{} ({units} unit(s), {}) received for restock but never booked into the ledger",
                request.id, request.status
            ),
        );
        out.insert(request.id.clone());
    }
    out
}

/// Spoils levels and ledger entries.
pub(crate) fn plant(
    dice: &mut Dice,
    span: &Span,
    levels: &mut Vec<InventoryLevel>,
    ledger: &mut Vec<InventoryAdjustment>,
    log: &mut Log,
) {
    let mut order = dice.distinct(levels.len(), levels.len()).into_iter();
    for check in [
        "inventory.ledger_mismatch",
        "inventory.negative_available",
        "inventory.stale_count",
    ] {
        for _ in 0..dice.range(2, 4) {
            let Some(i) = order.next() else { return };
            let level = &mut levels[i];
            let label = format!("{}@{}", level.sku, level.location);
            let what = match check {
                "inventory.ledger_mismatch" => {
                    let extra = dice.range(2, 9);
                    level.on_hand += extra;
                    level.available += extra;
                    format!("on hand raised by {extra} without a ledger entry")
                }
                "inventory.negative_available" => {
                    let short = dice.range(1, 5);
                    level.committed = level.on_hand + short;
                    level.available = -short;
                    format!("oversold: {short} more committed than on hand")
                }
                _ => {
                    level.counted_at = Some(at(span.today - TimeDelta::days(200), 7 * 3600));
                    "last counted 200 days ago".to_string()
                }
            };
            log.add(check, label, what);
        }
    }

    let candidates: Vec<usize> = (0..ledger.len())
        .filter(|i| ledger[*i].reason != Some(AdjustmentReason::Return))
        .collect();
    let count = dice.range(2, 4) as usize;
    for i in dice.distinct(candidates.len(), count) {
        let adjustment = &mut ledger[candidates[i]];
        let reason = adjustment
            .reason
            .take()
            .map(|r| r.to_string())
            .unwrap_or_default();
        log.add(
            "inventory.adjustment_without_reason",
            adjustment.id.clone(),
            format!(
                "{reason} entry of {} units saved without its reason",
                adjustment.delta
            ),
        );
    }

    for k in 0..dice.range(2, 4) {
        let sku = format!("DISC-{:04}", 100 + 7 * k);
        let received = 6 * dice.range(2, 6);
        let sold = dice.range(1, received - 1);
        let opened = at(span.start - TimeDelta::days(3), 9 * 3600);
        let sold_at = at(span.day(dice.range(30, 400)), 23 * 3600);
        for (delta, reason, when, reference) in [
            (received, AdjustmentReason::Receive, opened, "PO-OPENING"),
            (-sold, AdjustmentReason::Sale, sold_at, "clearance"),
        ] {
            let mut adjustment =
                entry(&sku, MAIN, delta, reason, when, Some(reference.to_string()));
            adjustment.id = adjustment_id(ledger.len() + 1);
            ledger.push(adjustment);
        }
        levels.push(InventoryLevel {
            sku: sku.clone(),
            location: MAIN.to_string(),
            on_hand: received - sold,
            committed: 0,
            available: received - sold,
            incoming: 0,
            counted_at: Some(at(
                span.today - TimeDelta::days(dice.range(1, 60)),
                7 * 3600,
            )),
        });
        log.add(
            "inventory.unknown_sku",
            format!("{sku}@{MAIN}"),
            format!(
                "{} units of discontinued {sku}, which no variant has",
                received - sold
            ),
        );
    }
}
