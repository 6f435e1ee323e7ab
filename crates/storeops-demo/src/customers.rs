//! Customer generation: unique e-mails and phones, addresses, marketing
//! consent and identities in the helpdesk and point-of-sale systems.

use storeops_domain::{Address, Customer, Identity, IdentityKind};

use crate::random::Dice;
use crate::words::{CITIES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, STREETS};

/// Generates `count` customers with distinct e-mails, phones and ids.
pub(crate) fn generate(dice: &mut Dice, count: usize) -> Vec<Customer> {
    (0..count).map(|i| customer(dice, i)).collect()
}

/// A random street address in one of the known cities, for `name`.
pub(crate) fn address(dice: &mut Dice, name: &str, phone: &str) -> Address {
    let (city, state, zip, _, _) = *dice.pick(CITIES);
    Address {
        name: name.to_string(),
        company: String::new(),
        address1: format!("{} {}", dice.range(1, 9899), dice.pick(STREETS)),
        address2: if dice.chance(0.15) {
            format!("Apt {}", dice.range(1, 40))
        } else {
            String::new()
        },
        city: city.to_string(),
        province_code: state.to_string(),
        country_code: "US".into(),
        zip: format!("{zip}{:02}", dice.range(1, 99)),
        phone: phone.to_string(),
    }
}

/// Sales tax of an address's state in basis points.
pub(crate) fn tax_basis_points(address: &Address) -> i64 {
    CITIES
        .iter()
        .find(|c| c.0 == address.city)
        .map(|c| c.4)
        .unwrap_or(0)
}

/// A phone number for the `i`-th customer, in one of the usual spellings.
pub(crate) fn phone(dice: &mut Dice, area: &str, i: usize) -> String {
    let exchange = 201 + i / 10_000;
    let line = i % 10_000;
    match dice.range(0, 3) {
        0 => format!("+1 ({area}) {exchange}-{line:04}"),
        1 => format!("({area}) {exchange}-{line:04}"),
        2 => format!("{area}-{exchange}-{line:04}"),
        _ => format!("+1 {area} {exchange} {line:04}"),
    }
}

fn customer(dice: &mut Dice, i: usize) -> Customer {
    let first = *dice.pick(FIRST_NAMES);
    let last = *dice.pick(LAST_NAMES);
    let domain = *dice.pick(EMAIL_DOMAINS);
    let local = if dice.chance(0.7) {
        format!("{}.{}{}", first.to_lowercase(), last.to_lowercase(), i + 7)
    } else {
        format!(
            "{}{}{}",
            first.to_lowercase(),
            &last[..1].to_lowercase(),
            i + 7
        )
    };
    let source = match dice.weighted(&[85.0, 12.0, 3.0]) {
        0 => "web",
        1 => "pos",
        _ => "helpdesk",
    };
    let name = format!("{first} {last}");
    let mut address = address(dice, &name, "");
    let area = CITIES
        .iter()
        .find(|c| c.0 == address.city)
        .map(|c| c.3)
        .unwrap_or("555");
    let phone = dice.chance(0.65).then(|| phone(dice, area, i));
    address.phone = phone.clone().unwrap_or_default();
    let mut identities = Vec::new();
    if source == "pos" {
        identities.push(Identity {
            kind: IdentityKind::Pos,
            value: format!("pos-{:06}", 300_000 + i),
        });
    }
    if source == "helpdesk" || dice.chance(0.2) {
        identities.push(Identity {
            kind: IdentityKind::Helpdesk,
            value: format!("zd-{}", 880_000 + i),
        });
    }
    let mut tags = Vec::new();
    if dice.chance(0.03) {
        tags.push("vip".to_string());
    }
    Customer {
        external_id: Some(format!("{}", 7_401_000_000_000u64 + i as u64)),
        first_name: first.to_string(),
        last_name: last.to_string(),
        email: Some(format!("{local}@{domain}")),
        phone,
        accepts_marketing: dice.chance(0.45),
        source: source.to_string(),
        default_address: address,
        tags,
        note: String::new(),
        tax_exempt: false,
        identities,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use storeops_domain::normalize::{normalize_email, normalize_phone};

    #[test]
    fn emails_phones_and_keys_are_unique() {
        let mut dice = Dice::new(5, "customers");
        let customers = generate(&mut dice, 3000);
        let mut emails = BTreeSet::new();
        let mut phones = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for c in &customers {
            assert!(emails.insert(normalize_email(c.email.as_deref().unwrap())));
            if let Some(p) = &c.phone {
                let n = normalize_phone(p);
                assert_eq!(n.len(), 11, "{p}");
                assert!(phones.insert(n));
            }
            assert!(keys.insert(c.key().unwrap()));
        }
        assert_eq!(customers[0].key().as_deref(), Some("id:7401000000000"));
        assert!(
            phones.len() > 1500 && phones.len() < 2400,
            "{}",
            phones.len()
        );
    }

    #[test]
    fn phone_spellings_normalise_alike() {
        let mut dice = Dice::new(9, "phones");
        let spellings: BTreeSet<String> = (0..40)
            .map(|_| normalize_phone(&phone(&mut dice, "212", 10_042)))
            .collect();
        assert_eq!(
            spellings.into_iter().collect::<Vec<_>>(),
            vec!["12122020042"]
        );
    }
}
