//! Inventory generation: a level per SKU and location, and an adjustment
//! ledger that sums exactly to each level's on-hand quantity (opening stock,
//! restocks, monthly sales, restocked returns, damage and count corrections).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeDelta, Utc};
use storeops_domain::{AdjustmentReason, InventoryAdjustment, InventoryLevel, ReturnRequest};

use crate::calendar::{at, hours, Span};
use crate::orders::Placed;
use crate::random::Dice;

/// The warehouse that stocks every SKU.
pub(crate) const MAIN: &str = "Main Warehouse";
/// The shop that stocks some SKUs and sells over the counter.
pub(crate) const DOWNTOWN: &str = "Downtown Store";

/// Everything the ledger is derived from.
pub(crate) struct Inputs<'a> {
    /// History window.
    pub span: Span,
    /// Every SKU of the catalog, in catalog order.
    pub skus: &'a [String],
    /// SKUs also stocked at the Downtown Store.
    pub downtown: &'a BTreeSet<String>,
    /// Orders.
    pub orders: &'a [Placed],
    /// Returns.
    pub returns: &'a [ReturnRequest],
    /// Returns whose restock never reached the ledger (planted).
    pub unrecorded_returns: &'a BTreeSet<String>,
}

#[derive(Default)]
struct Flows {
    sales: Vec<i64>,
    returns: Vec<(DateTime<Utc>, i64, String)>,
    committed: i64,
}

/// Location an order line is taken from.
pub(crate) fn line_location(source: &str, sku: &str, downtown: &BTreeSet<String>) -> &'static str {
    if source == "pos" && downtown.contains(sku) {
        DOWNTOWN
    } else {
        MAIN
    }
}

/// Levels (in catalog order) and the ledger (chronological, ids `adj-000001`…).
pub(crate) fn generate(
    dice: &mut Dice,
    inputs: &Inputs<'_>,
) -> (Vec<InventoryLevel>, Vec<InventoryAdjustment>) {
    let span = inputs.span;
    let months = span.months();
    let mut flows: BTreeMap<(String, &'static str), Flows> = BTreeMap::new();
    let mut keys = Vec::new();
    for sku in inputs.skus {
        for location in [MAIN, DOWNTOWN] {
            if location == MAIN || inputs.downtown.contains(sku) {
                let flow = Flows {
                    sales: vec![0; months],
                    ..Flows::default()
                };
                flows.insert((sku.clone(), location), flow);
                keys.push((sku.clone(), location));
            }
        }
    }
    for placed in inputs
        .orders
        .iter()
        .filter(|p| p.order.cancelled_at.is_none())
    {
        for line in &placed.order.lines {
            let Some(sku) = &line.sku else { continue };
            let location = line_location(&placed.order.source, sku, inputs.downtown);
            let Some(flow) = flows.get_mut(&(sku.clone(), location)) else {
                continue;
            };
            match placed.fulfilled_at {
                Some(when) => {
                    flow.sales[span.month_index(when.date_naive()).min(months - 1)] += line.quantity
                }
                None => flow.committed += line.quantity,
            }
        }
    }
    for request in inputs.returns {
        let Some(received_at) = request.received_at else {
            continue;
        };
        if !request.restock || inputs.unrecorded_returns.contains(&request.id) {
            continue;
        }
        for line in &request.lines {
            if let Some(flow) = flows.get_mut(&(line.sku.clone(), MAIN)) {
                flow.returns
                    .push((received_at, line.quantity, request.id.clone()));
            }
        }
    }
    let mut levels = Vec::new();
    let mut ledger = Vec::new();
    for key in keys {
        let Some(flow) = flows.get(&key) else {
            continue;
        };
        let on_hand = simulate(dice, &span, &key.0, key.1, flow, &mut ledger);
        levels.push(InventoryLevel {
            sku: key.0.clone(),
            location: key.1.to_string(),
            on_hand,
            committed: flow.committed,
            available: on_hand - flow.committed,
            incoming: if key.1 == MAIN && dice.chance(0.15) {
                12 * dice.range(1, 8)
            } else {
                0
            },
            counted_at: Some(at(
                span.today - TimeDelta::days(dice.range(1, 60)),
                7 * 3600,
            )),
        });
    }
    ledger.sort_by(|a, b| {
        (a.occurred_at, &a.sku, &a.location).cmp(&(b.occurred_at, &b.sku, &b.location))
    });
    for (n, entry) in ledger.iter_mut().enumerate() {
        entry.id = adjustment_id(n + 1);
    }
    (levels, ledger)
}

/// The id of the `n`-th ledger entry.
pub(crate) fn adjustment_id(n: usize) -> String {
    format!("adj-{n:06}")
}

/// A ledger entry without an id yet.
pub(crate) fn entry(
    sku: &str,
    location: &str,
    delta: i64,
    reason: AdjustmentReason,
    occurred_at: DateTime<Utc>,
    reference: Option<String>,
) -> InventoryAdjustment {
    InventoryAdjustment {
        id: String::new(),
        sku: sku.to_string(),
        location: location.to_string(),
        delta,
        reason: Some(reason),
        occurred_at,
        reference,
    }
}

fn round_up(quantity: i64, case: i64) -> i64 {
    (quantity + case - 1).div_euclid(case) * case
}

/// Walks one level month by month, restocking ahead of demand so stock never
/// goes negative; returns the final on-hand quantity (= Σ of its entries).
fn simulate(
    dice: &mut Dice,
    span: &Span,
    sku: &str,
    location: &'static str,
    flow: &Flows,
    ledger: &mut Vec<InventoryAdjustment>,
) -> i64 {
    let months = flow.sales.len();
    let total: i64 = flow.sales.iter().sum();
    let average = total as f64 / months as f64;
    let safety = ((average * 0.5).ceil() as i64).max(2);
    let case = if average < 20.0 { 6 } else { 24 };
    let opening = round_up(
        flow.sales.iter().take(2).sum::<i64>() + safety + dice.range(4, 20),
        case,
    );
    let opened_at = at(span.start - TimeDelta::days(3), 9 * 3600);
    ledger.push(entry(
        sku,
        location,
        opening,
        AdjustmentReason::Receive,
        opened_at,
        Some("PO-OPENING".into()),
    ));
    let mut stock = opening;
    for m in 0..months {
        let first = span.month_start(m).max(span.start);
        let last = span.month_last_day(m);
        let reserve = if m + 1 == months { flow.committed } else { 0 };
        let need = flow.sales[m] + safety + reserve;
        if stock < need {
            let quantity = round_up(need - stock + (average * 2.0).ceil() as i64, case);
            let when = at(first, 8 * 3600) + hours(dice.uniform(0.0, 3.0));
            let po = format!("PO-{}-{}", first.format("%Y%m"), dice.range(1000, 9999));
            ledger.push(entry(
                sku,
                location,
                quantity,
                AdjustmentReason::Receive,
                when,
                Some(po),
            ));
            stock += quantity;
        }
        for (when, quantity, id) in flow
            .returns
            .iter()
            .filter(|r| span.month_index(r.0.date_naive()) == m)
        {
            ledger.push(entry(
                sku,
                location,
                *quantity,
                AdjustmentReason::Return,
                *when,
                Some(id.clone()),
            ));
            stock += quantity;
        }
        let middle = at(first + (last - first) / 2, 15 * 3600);
        let spare = stock - flow.sales[m] - reserve;
        if dice.chance(0.03) && spare > 1 {
            ledger.push(entry(
                sku,
                location,
                -1,
                AdjustmentReason::Damage,
                middle,
                None,
            ));
            stock -= 1;
        } else if dice.chance(0.04) {
            let delta = if spare > 1 && dice.chance(0.5) { -1 } else { 1 };
            let counted = middle + hours(1.0);
            ledger.push(entry(
                sku,
                location,
                delta,
                AdjustmentReason::Count,
                counted,
                Some("cycle count".into()),
            ));
            stock += delta;
        }
        if flow.sales[m] > 0 {
            let when = at(last, 23 * 3600) + hours(dice.uniform(0.0, 0.9));
            let reference = format!("sales {}", first.format("%Y-%m"));
            ledger.push(entry(
                sku,
                location,
                -flow.sales[m],
                AdjustmentReason::Sale,
                when,
                Some(reference),
            ));
            stock -= flow.sales[m];
        }
    }
    stock
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn simulated_levels_match_their_ledger_and_never_go_negative() {
        let span = Span::new(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
        let mut dice = Dice::new(1, "inventory");
        let mut sales = vec![0; span.months()];
        sales[0] = 40;
        sales[5] = 300;
        sales[24] = 12;
        let flow = Flows {
            sales,
            returns: Vec::new(),
            committed: 9,
        };
        let mut ledger = Vec::new();
        let on_hand = simulate(&mut dice, &span, "SKU-1", MAIN, &flow, &mut ledger);
        assert_eq!(on_hand, ledger.iter().map(|e| e.delta).sum::<i64>());
        assert!(on_hand >= 9 + 2, "{on_hand}");
        assert_eq!(
            ledger
                .iter()
                .filter(|e| e.reason == Some(AdjustmentReason::Sale))
                .count(),
            3
        );
        assert!(ledger.iter().all(|e| e.occurred_at < span.now()));
        let mut stock = 0;
        let mut sorted = ledger.clone();
        sorted.sort_by_key(|e| e.occurred_at);
        for e in sorted {
            stock += e.delta;
            assert!(stock >= 0);
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(round_up(13, 6), 18);
        assert_eq!(round_up(24, 24), 24);
        assert_eq!(adjustment_id(42), "adj-000042");
        let downtown: BTreeSet<String> = ["A".to_string()].into();
        assert_eq!(line_location("pos", "A", &downtown), DOWNTOWN);
        assert_eq!(line_location("web", "A", &downtown), MAIN);
        assert_eq!(line_location("pos", "B", &downtown), MAIN);
    }
}
