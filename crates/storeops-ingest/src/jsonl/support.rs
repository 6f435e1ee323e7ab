//! JSONL wire formats of support tickets (with messages) and knowledge
//! documents.

use serde::{Deserialize, Serialize};
use storeops_domain::{
    DocKind, KnowledgeDoc, MessageAuthor, Record, Ticket, TicketMessage, TicketStatus,
};

use crate::jsonl::check::Check;
use crate::jsonl::Wire;
use crate::values::format_rfc3339;

/// A ticket line.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct TicketWire {
    id: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    subject: String,
    status: String,
    intent: Option<String>,
    customer_external_id: Option<String>,
    customer_email: Option<String>,
    order_name: Option<String>,
    created_at: String,
    #[serde(default)]
    messages: Vec<MessageWire>,
}

/// A message in a ticket.
#[derive(Debug, Serialize, Deserialize)]
struct MessageWire {
    author: String,
    #[serde(default)]
    body: String,
    sent_at: String,
}

impl Wire for TicketWire {
    fn into_record(self, c: &mut Check) -> Record {
        c.key(("", "id"), &self.id);
        let messages = self
            .messages
            .into_iter()
            .enumerate()
            .map(|(i, m)| {
                let at = format!("messages[{i}].");
                TicketMessage {
                    author: c.label(
                        (&at, "author"),
                        Some(&m.author),
                        MessageAuthor::parse,
                        MessageAuthor::Customer,
                    ),
                    body: m.body,
                    sent_at: c.time((&at, "sent_at"), &m.sent_at),
                }
            })
            .collect();
        Record::Ticket(Ticket {
            id: self.id,
            channel: self.channel,
            subject: self.subject,
            status: c.label(
                ("", "status"),
                Some(&self.status),
                TicketStatus::parse,
                TicketStatus::Open,
            ),
            intent: self.intent,
            customer_external_id: self.customer_external_id,
            customer_email: self.customer_email,
            order_name: self.order_name,
            created_at: c.time(("", "created_at"), &self.created_at),
            messages,
        })
    }
}

impl TicketWire {
    /// The wire form of a ticket.
    pub fn from_domain(t: &Ticket) -> TicketWire {
        TicketWire {
            id: t.id.clone(),
            channel: t.channel.clone(),
            subject: t.subject.clone(),
            status: t.status.as_str().to_string(),
            intent: t.intent.clone(),
            customer_external_id: t.customer_external_id.clone(),
            customer_email: t.customer_email.clone(),
            order_name: t.order_name.clone(),
            created_at: format_rfc3339(&t.created_at),
            messages: t
                .messages
                .iter()
                .map(|m| MessageWire {
                    author: m.author.as_str().to_string(),
                    body: m.body.clone(),
                    sent_at: format_rfc3339(&m.sent_at),
                })
                .collect(),
        }
    }
}

/// A knowledge document version line.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct DocWire {
    key: String,
    version: i64,
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    effective_from: String,
    effective_to: Option<String>,
    review_by: Option<String>,
    product_handle: Option<String>,
    url: Option<String>,
}

impl Wire for DocWire {
    fn into_record(self, c: &mut Check) -> Record {
        c.key(("", "key"), &self.key);
        if self.version < 1 {
            c.fail(
                ("", "version"),
                format!("`{}` is not a version (expected 1 or more)", self.version),
            );
        }
        Record::Doc(KnowledgeDoc {
            key: self.key,
            version: self.version,
            kind: c.label(
                ("", "kind"),
                Some(&self.kind),
                DocKind::parse,
                DocKind::Other,
            ),
            title: self.title,
            body: self.body,
            effective_from: c.date(("", "effective_from"), &self.effective_from),
            effective_to: c.opt_date(("", "effective_to"), self.effective_to.as_deref()),
            review_by: c.opt_date(("", "review_by"), self.review_by.as_deref()),
            product_handle: self.product_handle,
            url: self.url,
        })
    }
}

impl DocWire {
    /// The wire form of a document version.
    pub fn from_domain(d: &KnowledgeDoc) -> DocWire {
        DocWire {
            key: d.key.clone(),
            version: d.version,
            kind: d.kind.as_str().to_string(),
            title: d.title.clone(),
            body: d.body.clone(),
            effective_from: d.effective_from.format("%Y-%m-%d").to_string(),
            effective_to: d.effective_to.map(|x| x.format("%Y-%m-%d").to_string()),
            review_by: d.review_by.map(|x| x.format("%Y-%m-%d").to_string()),
            product_handle: d.product_handle.clone(),
            url: d.url.clone(),
        }
    }
}
