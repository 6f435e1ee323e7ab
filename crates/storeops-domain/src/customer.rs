//! Customers and the identities that link them across channels.

use serde::{Deserialize, Serialize};

use crate::label_enum;
use crate::normalize::{normalize_email, normalize_phone};

label_enum! {
    /// Kind of identity a customer is known by.
    pub enum IdentityKind {
        /// E-mail address.
        Email => "email",
        /// Phone number.
        Phone => "phone",
        /// Id on the commerce platform (Shopify customer id).
        Platform => "platform" | "shopify",
        /// Id in the helpdesk.
        Helpdesk => "helpdesk",
        /// Id in the point-of-sale system.
        Pos => "pos",
        /// Id in another system.
        Other => "other",
    }
}

/// One identity of a customer in one system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// Which system or channel.
    pub kind: IdentityKind,
    /// The value as given.
    pub value: String,
}

impl Identity {
    /// The value normalised for matching (lower-cased e-mail, digits-only
    /// phone, trimmed ids).
    pub fn normalized(&self) -> String {
        match self.kind {
            IdentityKind::Email => normalize_email(&self.value),
            IdentityKind::Phone => normalize_phone(&self.value),
            _ => self.value.trim().to_string(),
        }
    }
}

/// A postal address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Recipient name.
    #[serde(default)]
    pub name: String,
    /// Company.
    #[serde(default)]
    pub company: String,
    /// First address line.
    #[serde(default)]
    pub address1: String,
    /// Second address line.
    #[serde(default)]
    pub address2: String,
    /// City.
    #[serde(default)]
    pub city: String,
    /// Province or state code.
    #[serde(default)]
    pub province_code: String,
    /// ISO 3166-1 alpha-2 country code.
    #[serde(default)]
    pub country_code: String,
    /// Postal code.
    #[serde(default)]
    pub zip: String,
    /// Phone number.
    #[serde(default)]
    pub phone: String,
}

impl Address {
    /// True when no field is filled in.
    pub fn is_empty(&self) -> bool {
        *self == Address::default()
    }
}

/// A customer. Natural key: the platform id when known, otherwise the e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// Platform customer id (Shopify `Customer ID`).
    pub external_id: Option<String>,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// E-mail as given.
    pub email: Option<String>,
    /// Phone as given.
    pub phone: Option<String>,
    /// Opted in to marketing e-mail.
    pub accepts_marketing: bool,
    /// Channel the record came from (`web`, `pos`, `helpdesk`, …).
    pub source: String,
    /// Default address.
    pub default_address: Address,
    /// Tags.
    pub tags: Vec<String>,
    /// Free-text note.
    pub note: String,
    /// Exempt from tax.
    pub tax_exempt: bool,
    /// Further identities in other systems.
    pub identities: Vec<Identity>,
}

impl Customer {
    /// The natural key used for upserts: `id:<platform id>` or `email:<email>`.
    pub fn key(&self) -> Option<String> {
        if let Some(id) = self.external_id.as_deref().filter(|s| !s.trim().is_empty()) {
            return Some(format!("id:{}", id.trim()));
        }
        self.email
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|e| format!("email:{}", e.trim()))
    }

    /// Every identity of the customer: e-mail, phone, platform id and the
    /// explicit ones, without duplicates.
    pub fn all_identities(&self) -> Vec<Identity> {
        let mut out: Vec<Identity> = Vec::new();
        let mut push = |kind: IdentityKind, value: &str| {
            let value = value.trim();
            if value.is_empty() {
                return;
            }
            let identity = Identity {
                kind,
                value: value.to_string(),
            };
            if !out
                .iter()
                .any(|i| i.kind == kind && i.normalized() == identity.normalized())
            {
                out.push(identity);
            }
        };
        if let Some(email) = &self.email {
            push(IdentityKind::Email, email);
        }
        if let Some(phone) = &self.phone {
            push(IdentityKind::Phone, phone);
        }
        if let Some(id) = &self.external_id {
            push(IdentityKind::Platform, id);
        }
        for identity in &self.identities {
            push(identity.kind, &identity.value);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer() -> Customer {
        Customer {
            external_id: None,
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            email: Some(" Ada@Example.com ".into()),
            phone: Some("+1 (555) 010-2030".into()),
            accepts_marketing: false,
            source: "web".into(),
            default_address: Address::default(),
            tags: vec![],
            note: String::new(),
            tax_exempt: false,
            identities: vec![
                Identity {
                    kind: IdentityKind::Email,
                    value: "ada@example.com".into(),
                },
                Identity {
                    kind: IdentityKind::Helpdesk,
                    value: "zd-7".into(),
                },
            ],
        }
    }

    #[test]
    fn key_prefers_platform_id() {
        let mut c = customer();
        assert_eq!(c.key().as_deref(), Some("email:Ada@Example.com"));
        c.external_id = Some("123".into());
        assert_eq!(c.key().as_deref(), Some("id:123"));
        c.external_id = None;
        c.email = None;
        assert_eq!(c.key(), None);
    }

    #[test]
    fn identities_are_deduplicated_by_normalised_value() {
        let ids = customer().all_identities();
        let kinds: Vec<_> = ids.iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            vec![
                IdentityKind::Email,
                IdentityKind::Phone,
                IdentityKind::Helpdesk
            ]
        );
        assert_eq!(ids[1].normalized(), "15550102030");
    }
}
