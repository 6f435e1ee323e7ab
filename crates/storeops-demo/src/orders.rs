//! Order generation: two years of orders driven by the demand model, with
//! discounts from promotions, shipping, tax, cancellations and fulfilment.

use chrono::{DateTime, Datelike, TimeDelta, Utc, Weekday};
use storeops_domain::{
    Address, Currency, Customer, FinancialStatus, FulfillmentStatus, Money, Order, OrderLine,
};

use crate::calendar::{at, hours, Span, HISTORY_DAYS};
use crate::customers::tax_basis_points;
use crate::demand::{category_factors, trend_factor, Promotion, Sellable};
use crate::random::Dice;

/// Lines per order: weights for 1, 2, 3 and 4 lines (mean 1.8).
const LINES_PER_ORDER: [f64; 4] = [45.0, 35.0, 15.0, 5.0];
/// Share of orders placed in each hour of the day (UTC).
const HOURS: [f64; 24] = [
    2.0, 1.5, 1.0, 0.8, 0.8, 1.0, 1.5, 2.5, 3.5, 4.5, 5.0, 5.0, 5.5, 5.5, 5.0, 5.0, 5.0, 5.5, 6.0,
    7.0, 7.5, 7.0, 5.5, 3.5,
];
/// Sales tax at the Downtown Store, in basis points.
const STORE_TAX_BP: i64 = 881;
/// Orders at or above this subtotal ship free (the shipping policy's $50).
pub(crate) const FREE_SHIPPING_CENTS: i64 = 5000;
/// Flat shipping below the threshold.
const SHIPPING_CENTS: i64 = 599;

/// A generated order with what the rest of the store needs to know about it.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    /// The order.
    pub order: Order,
    /// When it left the warehouse (or was handed over in the store).
    pub fulfilled_at: Option<DateTime<Utc>>,
    /// Index of its customer.
    pub customer: usize,
}

/// Everything order generation reads.
pub(crate) struct Inputs<'a> {
    /// History window.
    pub span: Span,
    /// Sellable variants, calibrated.
    pub items: &'a [Sellable],
    /// Customers who order.
    pub customers: &'a [Customer],
    /// Sale windows.
    pub promotions: &'a [Promotion],
}

/// Generates the orders of every day of the window, named `#1001`… in time order.
pub(crate) fn generate(dice: &mut Dice, inputs: &Inputs<'_>) -> Vec<Placed> {
    let mut out: Vec<Placed> = Vec::new();
    if inputs.items.is_empty() || inputs.customers.is_empty() {
        return out;
    }
    let mut cumulative = vec![0.0; inputs.items.len()];
    for offset in 0..HISTORY_DAYS {
        let date = inputs.span.day(offset);
        let factors = category_factors(date, inputs.promotions);
        let mut total = 0.0;
        for (slot, item) in cumulative.iter_mut().zip(inputs.items) {
            total += item.base * factors[item.category] * trend_factor(item, offset);
            *slot = total;
        }
        let units = dice.poisson(total);
        let picks: Vec<usize> = (0..units)
            .map(|_| {
                let target = dice.unit() * total;
                cumulative
                    .partition_point(|c| *c <= target)
                    .min(inputs.items.len() - 1)
            })
            .collect();
        let mut day_orders = Vec::new();
        let mut rest = picks.as_slice();
        while !rest.is_empty() {
            let size = (dice.weighted(&LINES_PER_ORDER) + 1).min(rest.len());
            let (chunk, tail) = rest.split_at(size);
            rest = tail;
            let seconds = dice.weighted(&HOURS) as i64 * 3600 + dice.range(0, 3599);
            day_orders.push(build(dice, inputs, chunk, at(date, seconds)));
        }
        day_orders.sort_by_key(|p| p.order.created_at);
        out.extend(day_orders);
    }
    for (n, placed) in out.iter_mut().enumerate() {
        placed.order.name = format!("#{}", 1001 + n);
        placed.order.external_id = Some(format!("{}", 5_610_000_000_000u64 + n as u64 * 3));
    }
    out
}

fn build(
    dice: &mut Dice,
    inputs: &Inputs<'_>,
    picks: &[usize],
    created_at: DateTime<Utc>,
) -> Placed {
    let n = inputs.customers.len();
    let customer_index = ((n as f64 * dice.unit().powf(1.8)) as usize).min(n - 1);
    let customer = &inputs.customers[customer_index];
    let pos = customer.source == "pos" && dice.chance(0.6);
    let date = created_at.date_naive();

    let mut merged: Vec<(usize, i64)> = Vec::new();
    for &pick in picks {
        let extra = match dice.weighted(&[85.0, 12.0, 3.0]) {
            0 => 1,
            1 => 2,
            _ => 3,
        };
        match merged.iter_mut().find(|(i, _)| *i == pick) {
            Some((_, qty)) => *qty += extra,
            None => merged.push((pick, extra)),
        }
    }
    let promo = inputs.promotions.iter().find(|p| {
        merged
            .iter()
            .any(|(i, _)| p.applies(date, inputs.items[*i].category))
    });
    let (code, percent, scope) = match promo {
        Some(p) if dice.chance(0.65) => (Some(p.code.clone()), p.percent, p.category),
        _ if dice.chance(0.04) => (Some("WELCOME10".to_string()), 10, None),
        _ => (None, 0, None),
    };

    let usd = |minor| Money::new(minor, Currency::USD);
    let lines: Vec<OrderLine> = merged
        .iter()
        .map(|&(i, quantity)| {
            let item = &inputs.items[i];
            let gross = item.price * quantity;
            let discounted = scope.is_none_or(|c| c == item.category);
            let discount = if discounted {
                (gross * percent + 50) / 100
            } else {
                0
            };
            OrderLine {
                sku: Some(item.sku.clone()),
                name: item.name.clone(),
                quantity,
                price: usd(item.price),
                compare_at_price: item.compare_at.map(usd),
                discount: usd(discount),
                requires_shipping: !pos,
                taxable: true,
                fulfillment_status: FulfillmentStatus::Unfulfilled,
                vendor: item.vendor.clone(),
            }
        })
        .collect();
    let gross: i64 = lines.iter().map(|l| l.price.minor * l.quantity).sum();
    let discount: i64 = lines.iter().map(|l| l.discount.minor).sum();
    let subtotal = gross - discount;
    let shipping = if pos || subtotal >= FREE_SHIPPING_CENTS {
        0
    } else {
        SHIPPING_CENTS
    };
    let tax_bp = if pos {
        STORE_TAX_BP
    } else {
        tax_basis_points(&customer.default_address)
    };
    let taxes = (subtotal * tax_bp + 5000) / 10_000;
    let now = inputs.span.now();

    let mut order = Order {
        name: String::new(),
        external_id: None,
        customer_external_id: None,
        email: customer.email.clone(),
        phone: customer.phone.clone(),
        created_at,
        cancelled_at: None,
        currency: Currency::USD,
        financial_status: FinancialStatus::Paid,
        fulfillment_status: FulfillmentStatus::Unfulfilled,
        subtotal: usd(subtotal),
        shipping: usd(shipping),
        taxes: usd(taxes),
        discount: usd(discount),
        discount_code: code.filter(|_| discount > 0),
        total: usd(subtotal + shipping + taxes),
        shipping_address: if pos {
            Address::default()
        } else {
            customer.default_address.clone()
        },
        billing_address: customer.default_address.clone(),
        source: if pos {
            "pos"
        } else if dice.chance(0.13) {
            "mobile_app"
        } else {
            "web"
        }
        .into(),
        tags: Vec::new(),
        note: if !pos && dice.chance(0.02) {
            "Please leave at the side door.".into()
        } else {
            String::new()
        },
        lines,
    };
    if order.discount_code.is_some() {
        order.tags.push("sale".into());
    }
    if pos {
        order.tags.push("pos".into());
    }

    let cancel_at = created_at + hours(dice.uniform(0.5, 20.0));
    let mut fulfilled_at = None;
    if !pos && dice.chance(0.008) && cancel_at < now {
        order.cancelled_at = Some(cancel_at);
        order.financial_status = if dice.chance(0.5) {
            FinancialStatus::Voided
        } else {
            FinancialStatus::Refunded
        };
    } else {
        let when = if pos {
            created_at
        } else {
            dispatch_time(dice, created_at)
        };
        if when < now {
            fulfilled_at = Some(when);
            order.fulfillment_status = FulfillmentStatus::Fulfilled;
            for line in &mut order.lines {
                line.fulfillment_status = FulfillmentStatus::Fulfilled;
            }
        }
    }
    Placed {
        order,
        fulfilled_at,
        customer: customer_index,
    }
}

/// When the warehouse ships an order: within two business days, never at a weekend.
fn dispatch_time(dice: &mut Dice, created_at: DateTime<Utc>) -> DateTime<Utc> {
    let mut when = created_at + hours(dice.uniform(3.0, 40.0));
    loop {
        match when.weekday() {
            Weekday::Sat | Weekday::Sun => {
                when =
                    at(when.date_naive() + TimeDelta::days(1), 0) + hours(dice.uniform(9.0, 16.0));
            }
            _ => return when,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn dispatch_skips_weekends() {
        let mut dice = Dice::new(2, "dispatch");
        let friday = at(NaiveDate::from_ymd_opt(2026, 3, 6).unwrap(), 20 * 3600);
        for _ in 0..200 {
            let when = dispatch_time(&mut dice, friday);
            assert!(when > friday);
            assert!(
                !matches!(when.weekday(), Weekday::Sat | Weekday::Sun),
                "{when}"
            );
        }
    }
}
