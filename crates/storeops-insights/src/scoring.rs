//! Area and overall scores (see "Scores and verdicts" in `docs/readiness-checks.md`).
//!
//! A finding costs `weight × (0.5 + 0.5 × min(1, 10 × count / population))`
//! points (a population of 0 counts as fully affected). An area scores
//! `100 − round_half_up(Σ penalties)`, floored at 0; the overall score is
//! the mean of the area scores, rounded half up. Penalties are summed in
//! exact millionths of a point, so no float rounding shifts a half.

use crate::report::{AreaScore, Finding};

/// Millionths of a point.
const MICRO: u128 = 1_000_000;

/// Penalty of one finding in millionths of a point.
pub(crate) fn penalty_micro(finding: &Finding) -> u128 {
    let weight = u128::from(finding.severity.weight());
    let population = u128::from(finding.population.max(1));
    let count = u128::from(finding.count);
    let graded = population.min(count.saturating_mul(10));
    let graded = if finding.population == 0 {
        population
    } else {
        graded
    };
    weight * MICRO * (population + graded) / (2 * population)
}

/// Score of an area with these findings.
pub(crate) fn area_score(findings: &[Finding]) -> u8 {
    let total: u128 = findings.iter().map(penalty_micro).sum();
    let points = (total + MICRO / 2) / MICRO;
    u8::try_from(100u128.saturating_sub(points)).unwrap_or(0)
}

/// Mean of the area scores, rounded half up; 100 without areas.
pub(crate) fn overall_score(areas: &[AreaScore]) -> u8 {
    if areas.is_empty() {
        return 100;
    }
    let n = areas.len() as u64;
    let sum: u64 = areas.iter().map(|a| u64::from(a.score)).sum();
    u8::try_from((2 * sum + n) / (2 * n)).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{DUPLICATE_SKU, MISSING_DESCRIPTION, MISSING_GTIN, MISSING_SKU};
    use crate::labels::Area;

    fn finding(check: &str, count: usize, population: u64) -> Finding {
        Finding::of(
            check,
            (0..count).map(|i| format!("id{i:04}")),
            population,
            None,
        )
        .unwrap()
    }

    fn area(score: u8) -> AreaScore {
        AreaScore {
            area: Area::Catalog,
            score,
            checked: 0,
            findings: 0,
        }
    }

    #[test]
    fn one_medium_finding_on_one_percent_scores_94() {
        let f = finding(MISSING_DESCRIPTION, 1, 100);
        assert_eq!(penalty_micro(&f), 5_500_000);
        assert_eq!(area_score(&[f]), 94);
    }

    #[test]
    fn penalties_grow_with_share_until_ten_percent() {
        assert_eq!(penalty_micro(&finding(MISSING_GTIN, 1, 1000)), 2_525_000);
        assert_eq!(penalty_micro(&finding(MISSING_GTIN, 10, 100)), 5_000_000);
        assert_eq!(penalty_micro(&finding(MISSING_GTIN, 50, 100)), 5_000_000);
        assert_eq!(penalty_micro(&finding(DUPLICATE_SKU, 1, 3)), 30_000_000);
        assert_eq!(penalty_micro(&finding(DUPLICATE_SKU, 1, 0)), 30_000_000);
        assert_eq!(penalty_micro(&finding(MISSING_SKU, 1, 30)), 13_333_333);
    }

    #[test]
    fn area_scores_sum_penalties_then_round_and_floor_at_zero() {
        assert_eq!(area_score(&[]), 100);
        let two = [finding(MISSING_SKU, 1, 30), finding(MISSING_GTIN, 1, 1000)];
        assert_eq!(area_score(&two), 84);
        let many: Vec<Finding> = (0..4).map(|_| finding(DUPLICATE_SKU, 5, 5)).collect();
        assert_eq!(area_score(&many), 0);
    }

    #[test]
    fn overall_is_the_mean_rounded_half_up() {
        assert_eq!(
            overall_score(&[area(94), area(100), area(100), area(100)]),
            99
        );
        assert_eq!(
            overall_score(&[area(93), area(100), area(100), area(100)]),
            98
        );
        assert_eq!(overall_score(&[area(0), area(1)]), 1);
        assert_eq!(overall_score(&[]), 100);
    }
}
