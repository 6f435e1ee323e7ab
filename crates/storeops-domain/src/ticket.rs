//! Support tickets and their messages.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::label_enum;

label_enum! {
    /// State of a support ticket.
    pub enum TicketStatus {
        /// Waiting for the store.
        Open => "open" | "new",
        /// Waiting for the customer.
        Pending => "pending" | "waiting",
        /// Answered.
        Solved => "solved" | "resolved",
        /// Closed for good.
        Closed => "closed",
    }
}

label_enum! {
    /// Who wrote a message.
    pub enum MessageAuthor {
        /// The customer.
        Customer => "customer" | "end_user",
        /// A store agent.
        Agent => "agent",
        /// An automation.
        Bot => "bot" | "system",
    }
}

/// One message in a ticket conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketMessage {
    /// Who wrote it.
    pub author: MessageAuthor,
    /// Text.
    pub body: String,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
}

/// A support conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    /// Unique id in the helpdesk (natural key).
    pub id: String,
    /// Channel (`email`, `chat`, `phone`, `social`).
    pub channel: String,
    /// Subject line.
    pub subject: String,
    /// Current state.
    pub status: TicketStatus,
    /// Classified intent, when known (`where_is_my_order`, …).
    pub intent: Option<String>,
    /// Platform id of the customer.
    pub customer_external_id: Option<String>,
    /// Customer e-mail.
    pub customer_email: Option<String>,
    /// Order the ticket is about.
    pub order_name: Option<String>,
    /// Opened at.
    pub created_at: DateTime<Utc>,
    /// Messages, oldest first.
    pub messages: Vec<TicketMessage>,
}
