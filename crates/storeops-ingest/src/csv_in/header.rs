//! CSV header matching: maps the columns a kind knows (by canonical Shopify
//! name or alias, case-insensitive and trimmed) to their positions in the
//! file, once per file.

use csv::ByteRecord;

use crate::error::IngestError;

/// A column a kind reads: its canonical Shopify name (what writers emit) and
/// further accepted names, lower case.
#[derive(Debug)]
pub(crate) struct Column {
    /// Canonical header text.
    pub name: &'static str,
    /// Other accepted header texts, lower case.
    pub aliases: &'static [&'static str],
}

/// Declares the columns of one kind as an enum (the logical column ids) and
/// its `SPEC` table in the same order.
macro_rules! columns {
    (
        $(#[$meta:meta])*
        pub(crate) enum $name:ident {
            $( $variant:ident => $canon:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        // Some variants are never named in code: they are columns that are
        // recognised (so not reported as unknown) and written empty, and they
        // take part by position in `SPEC`.
        #[allow(dead_code)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum $name {
            $( #[doc = $canon] $variant ),+
        }

        impl $name {
            /// The columns in declaration order, indexed by `self as usize`.
            pub(crate) const SPEC: &'static [$crate::csv_in::header::Column] = &[
                $( $crate::csv_in::header::Column { name: $canon, aliases: &[$($alias),*] } ),+
            ];
        }

        impl From<$name> for usize {
            fn from(c: $name) -> usize {
                c as usize
            }
        }
    };
}
pub(crate) use columns;

/// A metafield column: `Label (product.metafields.ns.key)`.
#[derive(Debug)]
pub(crate) struct Metafield {
    /// Logical id of the column (after the kind's own columns).
    pub id: usize,
    /// Attribute key `ns.key`.
    pub key: String,
}

/// The columns of one file, resolved against a kind's spec.
#[derive(Debug)]
pub(crate) struct Header {
    positions: Vec<Option<usize>>,
    names: Vec<String>,
    metafields: Vec<Metafield>,
}

impl Header {
    /// Matches a header row against `spec`; `required` columns must be present.
    pub fn new(
        raw: &ByteRecord,
        spec: &[Column],
        required: &[usize],
    ) -> Result<Header, IngestError> {
        let mut positions = vec![None; spec.len()];
        let mut names: Vec<String> = spec.iter().map(|c| c.name.to_string()).collect();
        let mut metafields = Vec::new();
        for (pos, bytes) in raw.iter().enumerate() {
            let text = std::str::from_utf8(bytes).map_err(|_| IngestError::Csv {
                line: 1,
                message: format!("header column {} is not valid UTF-8", pos + 1),
            })?;
            let text = text.trim_start_matches('\u{feff}');
            let wanted = text.trim().to_lowercase();
            let known = spec.iter().position(|c| {
                c.name.to_lowercase() == wanted || c.aliases.contains(&wanted.as_str())
            });
            match known {
                Some(id) if positions[id].is_none() => {
                    positions[id] = Some(pos);
                    names[id] = text.to_string();
                }
                Some(_) => {}
                None => {
                    if let Some(key) = metafield_key(text) {
                        metafields.push(Metafield {
                            id: positions.len(),
                            key,
                        });
                        positions.push(Some(pos));
                        names.push(text.to_string());
                    }
                }
            }
        }
        if let Some(&missing) = required.iter().find(|&&id| positions[id].is_none()) {
            return Err(IngestError::MissingColumn {
                column: spec[missing].name.to_string(),
            });
        }
        Ok(Header {
            positions,
            names,
            metafields,
        })
    }

    /// Position in the row of a logical column, if the file has it.
    pub fn position(&self, id: impl Into<usize>) -> Option<usize> {
        self.positions.get(id.into()).copied().flatten()
    }

    /// The header text of a column as in the file (canonical when absent).
    pub fn name(&self, id: impl Into<usize>) -> &str {
        self.names.get(id.into()).map_or("", String::as_str)
    }

    /// Metafield columns found in the file.
    pub fn metafields(&self) -> &[Metafield] {
        &self.metafields
    }

    /// Number of logical columns, metafields included.
    pub fn len(&self) -> usize {
        self.positions.len()
    }
}

/// The attribute key of a metafield header such as
/// `Regulated (product.metafields.custom.regulated)` → `custom.regulated`.
pub(crate) fn metafield_key(header: &str) -> Option<String> {
    const MARK: &str = "(product.metafields.";
    let lower = header.to_ascii_lowercase();
    let start = lower.rfind(MARK)? + MARK.len();
    let end = start + header[start..].find(')')?;
    let key = header[start..end].trim();
    (!key.is_empty()).then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    columns! {
        /// Test columns.
        pub(crate) enum T {
            Handle => "Handle" | "url handle",
            Price => "Variant Price",
        }
    }

    #[test]
    fn matches_case_insensitively_with_aliases_and_metafields() {
        let raw = ByteRecord::from(vec![
            "\u{feff} variant price ",
            "Other",
            "URL Handle",
            "Regulated (product.metafields.custom.regulated)",
        ]);
        let header = Header::new(&raw, T::SPEC, &[T::Handle.into()]).unwrap();
        assert_eq!(header.position(T::Handle), Some(2));
        assert_eq!(header.position(T::Price), Some(0));
        assert_eq!(header.name(T::Price), " variant price ");
        assert_eq!(header.metafields()[0].key, "custom.regulated");
        assert_eq!(header.position(header.metafields()[0].id), Some(3));
        assert_eq!(header.len(), 3);
    }

    #[test]
    fn missing_required_column_is_fatal() {
        let raw = ByteRecord::from(vec!["Variant Price"]);
        let err = Header::new(&raw, T::SPEC, &[T::Handle.into()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "required column `Handle` is missing from the CSV header"
        );
    }

    #[test]
    fn metafield_keys() {
        assert_eq!(
            metafield_key("Color (product.metafields.shopify.color-pattern)").as_deref(),
            Some("shopify.color-pattern")
        );
        assert_eq!(metafield_key("Color"), None);
        assert_eq!(metafield_key("x (product.metafields.)"), None);
    }
}
