//! Normalisation of identities for matching across channels.

/// Normalises an e-mail address for matching: trimmed and lower-cased.
///
/// Provider-specific rewrites (dropping dots or `+tags` for Gmail) are not
/// applied: they would merge addresses that really are different elsewhere.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Normalises a phone number for matching: digits only, a leading `00`
/// international prefix dropped, and a 10-digit North American number given
/// its `1` country code so `(555) 010-2030` matches `+1 555 010 2030`.
pub fn normalize_phone(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.strip_prefix("00").unwrap_or(&digits).to_string();
    if digits.len() == 10 && !phone.trim_start().starts_with('+') {
        format!("1{digits}")
    } else {
        digits
    }
}

/// The visible text of an HTML fragment: tags removed, common entities
/// decoded, whitespace collapsed. Good enough to tell an empty description
/// (`<p> </p>`) from a real one; not a full HTML parser.
pub fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let decoded = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Trims a value and turns empty text into `None`.
pub fn non_empty(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phones_match_across_formats() {
        assert_eq!(normalize_phone("(555) 010-2030"), "15550102030");
        assert_eq!(normalize_phone("+1 555 010 2030"), "15550102030");
        assert_eq!(normalize_phone("001-555-010-2030"), "15550102030");
        assert_eq!(normalize_phone("+44 20 7946 0958"), "442079460958");
        assert_eq!(normalize_phone(""), "");
    }

    #[test]
    fn visible_text_strips_tags() {
        assert_eq!(visible_text("<p> &nbsp;</p>"), "");
        assert_eq!(
            visible_text("<p>Warm <b>wool</b> socks &amp; more</p>"),
            "Warm wool socks & more"
        );
        assert_eq!(visible_text("plain"), "plain");
    }

    #[test]
    fn emails_ignore_case_and_spaces() {
        assert_eq!(
            normalize_email("  Jane.Doe@Example.COM "),
            "jane.doe@example.com"
        );
    }

    proptest! {
        #[test]
        fn normalisation_is_idempotent(s in "\\PC{0,40}") {
            let e = normalize_email(&s);
            prop_assert_eq!(normalize_email(&e), e.clone());
            let p = normalize_phone(&s);
            prop_assert!(p.chars().all(|c| c.is_ascii_digit()));
        }
    }
}
