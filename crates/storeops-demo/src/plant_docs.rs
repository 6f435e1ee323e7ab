//! Plants knowledge problems: guides past their review date and a holiday
//! return policy that contradicts the standing 30-day window.

use chrono::{NaiveDate, TimeDelta};
use storeops_domain::{DocKind, KnowledgeDoc};

use crate::knowledge::doc;
use crate::planted::Log;
use crate::random::Dice;

/// Spoils the documents.
pub(crate) fn plant(
    dice: &mut Dice,
    today: NaiveDate,
    docs: &mut Vec<KnowledgeDoc>,
    log: &mut Log,
) {
    let guides: Vec<usize> = (0..docs.len())
        .filter(|i| docs[*i].kind == DocKind::ProductGuide)
        .collect();
    let count = dice.range(2, 4) as usize;
    for i in dice.distinct(guides.len(), count) {
        let guide = &mut docs[guides[i]];
        let late = dice.range(10, 120);
        guide.review_by = Some(today - TimeDelta::days(late));
        log.add(
            "knowledge.review_overdue",
            format!("{}@v{}", guide.key, guide.version),
            format!("review was due {late} days ago"),
        );
    }

    let holiday = doc(
        "holiday-returns", 1, DocKind::ReturnPolicy, "Holiday returns",
        "Holiday gifts bought in November and December: returns accepted for 60 days after delivery, \
         so gifts can be swapped after the holidays.",
        today - TimeDelta::days(25), today + TimeDelta::days(60),
    );
    docs.push(holiday);
    for (id, states) in [
        ("returns-policy@v2", "within 30 days of delivery"),
        ("faq@v1", "30-day return window"),
        ("holiday-returns@v1", "returns accepted for 60 days"),
    ] {
        log.add(
            "knowledge.policy_conflict",
            id,
            format!("return_window_days: states \"{states}\" while another effective document disagrees"),
        );
    }
}
