//! The demand model: which variants sell, and how often on a given day.
//!
//! Expected units of a SKU on a day = base rate × weekly seasonality (weekends
//! higher) × the category's yearly profile (Nov/Dec peak, outdoor in summer,
//! supplements in January) × the SKU's trend × promotion lift.

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};
use storeops_domain::{Product, ProductStatus};

use crate::calendar::{Span, HISTORY_DAYS};
use crate::catalog::{category_index, line_name};
use crate::category::CATEGORIES;
use crate::random::Dice;

/// A variant that can be ordered, with its demand parameters.
#[derive(Debug, Clone)]
pub(crate) struct Sellable {
    /// SKU.
    pub sku: String,
    /// Line title.
    pub name: String,
    /// Unit price in cents.
    pub price: i64,
    /// Compare-at price in cents.
    pub compare_at: Option<i64>,
    /// Vendor.
    pub vendor: String,
    /// Index into [`CATEGORIES`].
    pub category: usize,
    /// Relative popularity.
    pub base: f64,
    /// Log growth over the window (negative: declining).
    pub trend: f64,
}

/// A sale window with a discount code.
#[derive(Debug, Clone)]
pub(crate) struct Promotion {
    /// Discount code.
    pub code: String,
    /// Percent off.
    pub percent: i64,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Demand multiplier while it runs.
    pub lift: f64,
    /// Category it applies to (all when `None`).
    pub category: Option<usize>,
}

impl Promotion {
    /// Whether the promotion runs on `date` for category `category`.
    pub(crate) fn applies(&self, date: NaiveDate, category: usize) -> bool {
        self.start <= date && date <= self.end && self.category.is_none_or(|c| c == category)
    }
}

/// Active, priced variants with a SKU (the first variant wins a shared SKU),
/// with popularity and trend drawn per SKU.
pub(crate) fn sellable(dice: &mut Dice, products: &[Product]) -> Vec<Sellable> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for product in products
        .iter()
        .filter(|p| p.status == ProductStatus::Active)
    {
        let category = category_index(product);
        for variant in &product.variants {
            let (Some(sku), Some(price)) = (&variant.sku, variant.price) else {
                continue;
            };
            if !seen.insert(sku.clone()) {
                continue;
            }
            let mut base = (1.1 * dice.normal()).exp();
            if dice.chance(0.12) {
                base *= 0.04;
            }
            out.push(Sellable {
                sku: sku.clone(),
                name: line_name(product, variant),
                price: price.minor,
                compare_at: variant.compare_at_price.map(|m| m.minor),
                vendor: product.vendor.clone(),
                category,
                base,
                trend: (0.45 * dice.normal()).clamp(-1.0, 1.0),
            });
        }
    }
    out
}

/// The sale windows that fall inside the span.
pub(crate) fn promotions(span: &Span) -> Vec<Promotion> {
    let supplements = CATEGORIES.iter().position(|c| c.key == "supplements");
    let mut out = Vec::new();
    for year in span.start.year()..=span.today.year() {
        let yy = year % 100;
        let mut push =
            |code: String, percent, start: Option<NaiveDate>, days: i64, lift, category| {
                if let Some(start) = start {
                    out.push(Promotion {
                        code,
                        percent,
                        start,
                        end: start + TimeDelta::days(days - 1),
                        lift,
                        category,
                    });
                }
            };
        push(
            format!("NEWYOU{yy}"),
            20,
            NaiveDate::from_ymd_opt(year, 1, 2),
            7,
            2.0,
            supplements,
        );
        push(
            format!("SPRING{yy}"),
            10,
            NaiveDate::from_ymd_opt(year, 4, 14),
            5,
            1.4,
            None,
        );
        push(
            format!("SUMMER{yy}"),
            15,
            NaiveDate::from_ymd_opt(year, 7, 8),
            7,
            1.7,
            None,
        );
        let black_friday = NaiveDate::from_weekday_of_month_opt(year, 11, Weekday::Thu, 4)
            .map(|thanksgiving| thanksgiving + TimeDelta::days(1));
        push(format!("BFCM{yy}"), 25, black_friday, 4, 2.6, None);
    }
    out.retain(|p| p.end >= span.start && p.start < span.today);
    out
}

/// Day-of-week multiplier (weekends higher).
pub(crate) fn weekly(date: NaiveDate) -> f64 {
    match date.weekday() {
        Weekday::Mon => 0.92,
        Weekday::Tue => 0.88,
        Weekday::Wed => 0.9,
        Weekday::Thu => 0.95,
        Weekday::Fri => 1.05,
        Weekday::Sat => 1.32,
        Weekday::Sun => 1.25,
    }
}

/// Multiplier of each category on `date` (weekly × yearly × promotions).
pub(crate) fn category_factors(date: NaiveDate, promotions: &[Promotion]) -> Vec<f64> {
    let week = weekly(date);
    CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let month = c.months[date.month0() as usize];
            let lift: f64 = promotions
                .iter()
                .filter(|p| p.applies(date, i))
                .map(|p| p.lift)
                .product();
            week * month * lift
        })
        .collect()
}

/// Multiplier of a SKU's trend at `offset` days into the window.
pub(crate) fn trend_factor(item: &Sellable, offset: i64) -> f64 {
    let t = offset as f64 / HISTORY_DAYS as f64;
    (item.trend * (2.0 * t - 1.0)).exp()
}

/// Rescales base rates so the expected total of units over the window is `units`.
pub(crate) fn calibrate(items: &mut [Sellable], span: &Span, promotions: &[Promotion], units: f64) {
    let mut expected = 0.0;
    for offset in 0..HISTORY_DAYS {
        let factors = category_factors(span.day(offset), promotions);
        expected += items
            .iter()
            .map(|item| item.base * factors[item.category] * trend_factor(item, offset))
            .sum::<f64>();
    }
    if expected > 0.0 {
        let scale = units / expected;
        for item in items.iter_mut() {
            item.base *= scale;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn promotions_cover_black_friday() {
        let span = Span::new(day(2026, 11, 25));
        let promos = promotions(&span);
        let codes: Vec<&str> = promos.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "BFCM24", "NEWYOU25", "SPRING25", "SUMMER25", "BFCM25", "NEWYOU26", "SPRING26",
                "SUMMER26"
            ]
        );
        let bfcm = &promos[4];
        assert_eq!(bfcm.start, day(2025, 11, 28));
        assert_eq!(bfcm.end, day(2025, 12, 1));
        assert!(bfcm.applies(day(2025, 11, 30), 0));
        assert!(!bfcm.applies(day(2025, 12, 2), 0));
    }

    #[test]
    fn weekends_and_december_sell_more() {
        assert!(weekly(day(2026, 3, 7)) > weekly(day(2026, 3, 4)));
        let dec = category_factors(day(2025, 12, 10), &[]);
        let mar = category_factors(day(2025, 3, 12), &[]);
        assert!(dec[0] > mar[0]);
        let jul = category_factors(day(2025, 7, 2), &[]);
        assert!(jul[5] > dec[5], "outdoor peaks in summer");
    }
}
