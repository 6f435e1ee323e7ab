//! Tests of policy-fact extraction: every documented phrasing, negatives,
//! and properties over arbitrary text.

use super::*;
use proptest::prelude::*;

fn facts(text: &str) -> Vec<(&'static str, u32)> {
    extract_policy_facts(text)
        .into_iter()
        .map(|f| (f.fact, f.value))
        .collect()
}

#[test]
fn every_documented_phrasing_is_recognised() {
    let cases: &[(&str, &str, u32)] = &[
        (
            "Returns are accepted within 30 days of delivery.",
            "return_window_days",
            30,
        ),
        (
            "You can return unworn items within thirty days of delivery.",
            "return_window_days",
            30,
        ),
        ("We offer a 30-day return window.", "return_window_days", 30),
        ("Our 60 day return policy", "return_window_days", 60),
        (
            "The return window of 14 days starts at delivery.",
            "return_window_days",
            14,
        ),
        ("Returns accepted for 30 days.", "return_window_days", 30),
        (
            "RETURNS ARE ACCEPTED FOR SIXTY DAYS",
            "return_window_days",
            60,
        ),
        (
            "You have 30 days to return your order",
            "return_window_days",
            30,
        ),
        (
            "Free shipping on orders over $50",
            "free_shipping_threshold",
            50,
        ),
        (
            "free standard shipping on orders above 50 USD",
            "free_shipping_threshold",
            50,
        ),
        (
            "Free shipping on all orders over $49.99.",
            "free_shipping_threshold",
            49,
        ),
        (
            "Free delivery on orders of €1,200",
            "free_shipping_threshold",
            1200,
        ),
        ("Every kettle has a 2-year warranty.", "warranty_months", 24),
        ("A 24-month warranty applies.", "warranty_months", 24),
        ("a two-year limited warranty", "warranty_months", 24),
        ("It carries a warranty of 2 years.", "warranty_months", 24),
        (
            "Each item is warranted for 12 months",
            "warranty_months",
            12,
        ),
        ("Orders ship within 2 business days.", "processing_days", 2),
        (
            "Parcels are dispatched within 2 working days",
            "processing_days",
            2,
        ),
        ("We ship within three days", "processing_days", 3),
        (
            "Exchanges within 45 days are free.",
            "exchange_window_days",
            45,
        ),
        (
            "exchanges are accepted within forty-five days",
            "exchange_window_days",
            45,
        ),
        (
            "exchanges within forty five days",
            "exchange_window_days",
            45,
        ),
    ];
    for (text, fact, value) in cases {
        assert_eq!(facts(text), vec![(*fact, *value)], "{text}");
    }
}

#[test]
fn phrases_are_the_matched_text_as_written() {
    let found = extract_policy_facts("Hi! Returns: we offer a 30-Day Return Window, and FREE shipping on orders over $50.00 USD.");
    let phrases: Vec<&str> = found.iter().map(|f| f.phrase.as_str()).collect();
    assert_eq!(
        phrases,
        vec![
            "30-Day Return Window",
            "FREE shipping on orders over $50.00 USD"
        ]
    );
}

#[test]
fn text_without_a_documented_phrasing_yields_nothing() {
    let negatives = [
        "30 days",
        "Delivery takes 2 business days.",
        "Report damage within 2 days of delivery.",
        "Please allow 5 business days for refunds",
        "Our warranty is great for years",
        "free shipping on orders",
        "within zero days of delivery, returns",
        "a 99999999999-day return window",
    ];
    for text in negatives {
        assert_eq!(facts(text), vec![], "{text}");
    }
}

#[test]
fn exchange_and_shipping_windows_are_not_return_windows() {
    assert_eq!(
        facts("Returns and exchanges within 45 days of delivery."),
        vec![("exchange_window_days", 45)]
    );
}

#[test]
fn a_shipping_sentence_in_a_returns_text_is_processing_not_a_return_window() {
    assert_eq!(
        facts("Returned items are shipped within 5 days of receipt to the warehouse"),
        vec![("processing_days", 5)]
    );
}

#[test]
fn return_context_is_per_sentence() {
    assert_eq!(
        facts("Returns are easy. Report damage within 2 days of delivery."),
        vec![]
    );
    assert_eq!(
        facts("Within 30 days of delivery you may return it"),
        vec![("return_window_days", 30)]
    );
    assert_eq!(
        facts("- Returns: see below\n- Report damage within 2 days of delivery"),
        vec![]
    );
}

#[test]
fn several_facts_come_out_in_text_order() {
    let text = "Returns are accepted within 30 days of delivery and exchanges within 45 days. \
                Orders ship within 2 business days; enjoy free shipping on orders over $50 and a 2-year warranty.";
    assert_eq!(
        facts(text),
        vec![
            ("return_window_days", 30),
            ("exchange_window_days", 45),
            ("processing_days", 2),
            ("free_shipping_threshold", 50),
            ("warranty_months", 24),
        ]
    );
}

fn number_words(n: u32) -> String {
    const UNITS: [&str; 20] = [
        "",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    match (n / 10, n % 10) {
        _ if n < 20 => UNITS[n as usize].to_string(),
        (t, 0) => TENS[t as usize].to_string(),
        (t, u) => format!("{}-{}", TENS[t as usize], UNITS[u as usize]),
    }
}

proptest! {
    #[test]
    fn extraction_never_panics_and_phrases_are_substrings(text in "\\PC{0,120}") {
        for fact in extract_policy_facts(&text) {
            prop_assert!(text.contains(&fact.phrase));
        }
    }

    #[test]
    fn digits_and_words_give_the_same_window(n in 1u32..=99, words in any::<bool>()) {
        let count = if words { number_words(n) } else { n.to_string() };
        let text = format!("Returns are accepted within {count} days of delivery.");
        prop_assert_eq!(facts(&text), vec![("return_window_days", n)]);
        let warranty = format!("A {count}-year warranty.");
        prop_assert_eq!(facts(&warranty), vec![("warranty_months", n * 12)]);
    }

    #[test]
    fn amounts_keep_integer_major_units(major in 0u32..100_000, minor in 0u32..100) {
        let text = format!("Free shipping on orders over ${major}.{minor:02}");
        prop_assert_eq!(facts(&text), vec![("free_shipping_threshold", major)]);
    }
}
