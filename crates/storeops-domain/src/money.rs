//! Money as integer minor units with an ISO 4217 currency.
//!
//! Amounts are parsed from and formatted to plain decimal strings
//! (`"19.99"`), with exactly as many fraction digits as the currency allows.
//! Floats never touch money.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a currency code or an amount was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The amount text was empty.
    #[error("amount is empty")]
    Empty,
    /// The amount is not a plain decimal number.
    #[error("`{value}` is not a decimal amount (expected digits with an optional `.` and fraction, e.g. 19.99)")]
    Invalid {
        /// The text that was given.
        value: String,
    },
    /// More fraction digits than the currency has.
    #[error("`{value}` has more than {digits} decimal places for {currency}")]
    TooPrecise {
        /// The text that was given.
        value: String,
        /// Fraction digits of the currency.
        digits: u8,
        /// The currency code.
        currency: Currency,
    },
    /// The amount does not fit in 64-bit minor units.
    #[error("`{value}` is too large")]
    Overflow {
        /// The text that was given.
        value: String,
    },
    /// Negative where only zero or more is allowed.
    #[error("`{value}` is negative")]
    Negative {
        /// The text that was given.
        value: String,
    },
    /// Not an active ISO 4217 code.
    #[error("`{code}` is not an ISO 4217 currency code")]
    UnknownCurrency {
        /// The code that was given.
        code: String,
    },
}

/// An active ISO 4217 currency (three upper-case ASCII letters).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

/// Active ISO 4217 codes with their minor-unit digits, sorted by code.
const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BOV", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHE", 2),
    ("CHF", 2),
    ("CHW", 2),
    ("CLF", 4),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("COU", 2),
    ("CRC", 2),
    ("CUC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MXV", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SLL", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("USN", 2),
    ("UYI", 0),
    ("UYU", 2),
    ("UYW", 4),
    ("UZS", 2),
    ("VED", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XCG", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWG", 2),
    ("ZWL", 2),
];

impl Currency {
    /// US dollar, the default store currency.
    pub const USD: Currency = Currency(*b"USD");
    /// Euro.
    pub const EUR: Currency = Currency(*b"EUR");

    /// Parses an ISO 4217 code; surrounding spaces and lower case are accepted.
    pub fn parse(code: &str) -> Result<Currency, MoneyError> {
        let upper = code.trim().to_ascii_uppercase();
        match CURRENCIES.binary_search_by(|(c, _)| (*c).cmp(upper.as_str())) {
            Ok(i) => {
                let b = CURRENCIES[i].0.as_bytes();
                Ok(Currency([b[0], b[1], b[2]]))
            }
            Err(_) => Err(MoneyError::UnknownCurrency {
                code: code.to_string(),
            }),
        }
    }

    /// The three-letter code.
    pub fn code(&self) -> &str {
        // The bytes always come from the ASCII table above.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Number of fraction digits of the minor unit (2 for USD, 0 for JPY).
    pub fn minor_digits(&self) -> u8 {
        CURRENCIES
            .binary_search_by(|(c, _)| (*c).cmp(self.code()))
            .map(|i| CURRENCIES[i].1)
            .unwrap_or(2)
    }

    /// Parses a decimal amount in this currency into minor units.
    pub fn parse_amount(&self, text: &str) -> Result<i64, MoneyError> {
        parse_minor(text, *self)
    }

    /// Parses a decimal amount that must not be negative.
    pub fn parse_non_negative(&self, text: &str) -> Result<i64, MoneyError> {
        let minor = parse_minor(text, *self)?;
        if minor < 0 {
            return Err(MoneyError::Negative {
                value: text.trim().to_string(),
            });
        }
        Ok(minor)
    }

    /// Formats minor units as a plain decimal string.
    pub fn format_amount(&self, minor: i64) -> String {
        format_minor(minor, *self)
    }

    /// All supported codes, for error messages and generators.
    pub fn all_codes() -> impl Iterator<Item = &'static str> {
        CURRENCIES.iter().map(|(c, _)| *c)
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::parse(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Currency::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// An amount of money: integer minor units and a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Amount in minor units (cents for USD).
    pub minor: i64,
    /// ISO 4217 currency.
    pub currency: Currency,
}

impl Money {
    /// Builds a money value from minor units.
    pub fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// Parses a decimal amount (`"19.99"`) in `currency`.
    pub fn parse(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        Ok(Money::new(parse_minor(text, currency)?, currency))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            format_minor(self.minor, self.currency),
            self.currency
        )
    }
}

fn parse_minor(text: &str, currency: Currency) -> Result<i64, MoneyError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(MoneyError::Empty);
    }
    let invalid = || MoneyError::Invalid {
        value: trimmed.to_string(),
    };
    let (negative, unsigned) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let (int_part, frac_part) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    if int_part.is_empty() || !int_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let digits = currency.minor_digits();
    let frac = match frac_part {
        None => "",
        Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => return Err(invalid()),
        Some(f) => f,
    };
    // Trailing zeros beyond the currency's precision carry no value ("19.990").
    let significant = frac.trim_end_matches('0');
    if significant.len() > usize::from(digits) {
        return Err(MoneyError::TooPrecise {
            value: trimmed.to_string(),
            digits,
            currency,
        });
    }
    let overflow = || MoneyError::Overflow {
        value: trimmed.to_string(),
    };
    let mut minor: i64 = 0;
    for b in int_part.bytes() {
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(b - b'0')))
            .ok_or_else(overflow)?;
    }
    let mut frac_bytes = significant.bytes();
    for _ in 0..digits {
        let d = frac_bytes.next().map(|b| i64::from(b - b'0')).unwrap_or(0);
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(d))
            .ok_or_else(overflow)?;
    }
    Ok(if negative { -minor } else { minor })
}

fn format_minor(minor: i64, currency: Currency) -> String {
    let digits = u32::from(currency.minor_digits());
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if digits == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10u64.pow(digits);
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = digits as usize
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn usd(text: &str) -> Result<i64, MoneyError> {
        Currency::USD.parse_amount(text)
    }

    #[test]
    fn parses_plain_amounts() {
        assert_eq!(usd("19.99"), Ok(1999));
        assert_eq!(usd("19.9"), Ok(1990));
        assert_eq!(usd("19"), Ok(1900));
        assert_eq!(usd(" 0.05 "), Ok(5));
        assert_eq!(usd("-3.50"), Ok(-350));
        assert_eq!(usd("19.990"), Ok(1999));
    }

    #[test]
    fn rejects_malformed_amounts() {
        for bad in [
            "$19.99", "19,99", "1,999.00", "abc", "19.", ".99", "1e3", "--1", "+1", "19.9.9",
        ] {
            assert!(
                matches!(usd(bad), Err(MoneyError::Invalid { .. })),
                "{bad} gave {:?}",
                usd(bad)
            );
        }
        assert_eq!(usd(""), Err(MoneyError::Empty));
        assert!(matches!(
            usd("19.999"),
            Err(MoneyError::TooPrecise { digits: 2, .. })
        ));
        assert!(matches!(
            usd("99999999999999999999"),
            Err(MoneyError::Overflow { .. })
        ));
        assert!(matches!(
            Currency::USD.parse_non_negative("-1"),
            Err(MoneyError::Negative { .. })
        ));
    }

    #[test]
    fn respects_currency_exponents() {
        let jpy = Currency::parse("jpy").unwrap();
        assert_eq!(jpy.parse_amount("1500"), Ok(1500));
        assert!(matches!(
            jpy.parse_amount("1500.5"),
            Err(MoneyError::TooPrecise { digits: 0, .. })
        ));
        assert_eq!(jpy.format_amount(1500), "1500");
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(kwd.parse_amount("1.234"), Ok(1234));
        assert_eq!(kwd.format_amount(-1234), "-1.234");
        assert_eq!(Currency::USD.format_amount(5), "0.05");
        assert_eq!(Money::new(1999, Currency::EUR).to_string(), "19.99 EUR");
    }

    #[test]
    fn currency_table_is_sorted_and_rejects_unknown_codes() {
        assert!(CURRENCIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(matches!(
            Currency::parse("XYZ"),
            Err(MoneyError::UnknownCurrency { .. })
        ));
        assert!(matches!(
            Currency::parse("US"),
            Err(MoneyError::UnknownCurrency { .. })
        ));
        assert_eq!(Currency::parse(" usd ").unwrap(), Currency::USD);
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(minor in any::<i64>().prop_filter("not min", |m| *m != i64::MIN), idx in 0usize..CURRENCIES.len()) {
            let currency = Currency::parse(CURRENCIES[idx].0).unwrap();
            let text = currency.format_amount(minor);
            prop_assert_eq!(currency.parse_amount(&text), Ok(minor));
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,24}") {
            let _ = usd(&text);
        }

        #[test]
        fn parsed_amounts_match_integer_arithmetic(units in 0i64..1_000_000_000, cents in 0i64..100) {
            let text = format!("{units}.{cents:02}");
            prop_assert_eq!(usd(&text), Ok(units * 100 + cents));
        }
    }
}
