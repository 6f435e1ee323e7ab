//! JSONL wire format of customers with their identities.

use serde::{Deserialize, Serialize};
use storeops_domain::{Address, Customer, Identity, IdentityKind, Record};

use crate::jsonl::check::Check;
use crate::jsonl::Wire;

/// A customer line.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct CustomerWire {
    external_id: Option<String>,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    email: Option<String>,
    phone: Option<String>,
    #[serde(default)]
    accepts_marketing: bool,
    #[serde(default)]
    source: String,
    #[serde(default)]
    default_address: Address,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    tax_exempt: bool,
    #[serde(default)]
    identities: Vec<IdentityWire>,
}

/// An identity in another system.
#[derive(Debug, Serialize, Deserialize)]
struct IdentityWire {
    kind: String,
    value: String,
}

impl Wire for CustomerWire {
    fn into_record(self, c: &mut Check) -> Record {
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if blank(&self.external_id) && blank(&self.email) {
            c.fail(
                ("", "email"),
                "required when there is no external_id".to_string(),
            );
        }
        let identities = self
            .identities
            .into_iter()
            .enumerate()
            .map(|(i, identity)| Identity {
                kind: c.label(
                    (&format!("identities[{i}]."), "kind"),
                    Some(&identity.kind),
                    IdentityKind::parse,
                    IdentityKind::Other,
                ),
                value: identity.value,
            })
            .collect();
        Record::Customer(Customer {
            external_id: self.external_id,
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            phone: self.phone,
            accepts_marketing: self.accepts_marketing,
            source: self.source,
            default_address: self.default_address,
            tags: self.tags,
            note: self.note,
            tax_exempt: self.tax_exempt,
            identities,
        })
    }
}

impl CustomerWire {
    /// The wire form of a customer.
    pub fn from_domain(c: &Customer) -> CustomerWire {
        CustomerWire {
            external_id: c.external_id.clone(),
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            accepts_marketing: c.accepts_marketing,
            source: c.source.clone(),
            default_address: c.default_address.clone(),
            tags: c.tags.clone(),
            note: c.note.clone(),
            tax_exempt: c.tax_exempt,
            identities: c
                .identities
                .iter()
                .map(|i| IdentityWire {
                    kind: i.kind.as_str().to_string(),
                    value: i.value.clone(),
                })
                .collect(),
        }
    }
}
