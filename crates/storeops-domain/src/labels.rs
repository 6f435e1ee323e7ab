//! Closed sets of text labels (statuses, reasons, kinds).
//!
//! [`label_enum!`] declares an enum whose variants map to stable snake_case
//! labels, with case-insensitive parsing that names the accepted values in its
//! error, serde as plain strings, and `Display`.

/// A label that is not one of the accepted values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not one of: {expected}")]
pub struct UnknownLabel {
    /// What was given.
    pub value: String,
    /// The accepted labels, comma separated.
    pub expected: String,
}

/// Normalises label text before matching: trimmed, lower case, spaces and
/// dashes as underscores ("Partially Paid" and "partially-paid" both match
/// `partially_paid`).
pub fn normalize_label(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Declares a label enum. Each variant lists its canonical label and any
/// extra aliases accepted when parsing.
#[macro_export]
macro_rules! label_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $label:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical label.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }

            /// Parses a label (case-insensitive; spaces and dashes count as `_`).
            pub fn parse(text: &str) -> Result<$name, $crate::labels::UnknownLabel> {
                let wanted = $crate::labels::normalize_label(text);
                $(
                    if wanted == $label $(|| wanted == $alias)* {
                        return Ok($name::$variant);
                    }
                )+
                Err($crate::labels::UnknownLabel {
                    value: text.trim().to_string(),
                    expected: [$($label),+].join(", "),
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::labels::UnknownLabel;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::parse(s)
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as $crate::__serde::Deserialize>::deserialize(d)?;
                $name::parse(&text).map_err($crate::__serde::de::Error::custom)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    label_enum! {
        /// Test enum.
        pub enum Colour {
            /// Red.
            Red => "red" | "rouge",
            /// Dark blue.
            DarkBlue => "dark_blue",
        }
    }

    #[test]
    fn parses_labels_and_aliases() {
        assert_eq!(Colour::parse(" Dark Blue "), Ok(Colour::DarkBlue));
        assert_eq!(Colour::parse("dark-blue"), Ok(Colour::DarkBlue));
        assert_eq!(Colour::parse("ROUGE"), Ok(Colour::Red));
        let err = Colour::parse("green").unwrap_err();
        assert_eq!(err.to_string(), "`green` is not one of: red, dark_blue");
        assert_eq!(Colour::ALL.len(), 2);
        assert_eq!(
            serde_json::to_string(&Colour::DarkBlue).unwrap(),
            "\"dark_blue\""
        );
        let back: Colour = serde_json::from_str("\"Red\"").unwrap();
        assert_eq!(back, Colour::Red);
    }
}
