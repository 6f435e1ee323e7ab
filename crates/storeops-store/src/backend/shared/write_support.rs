//! Upserts of support tickets and knowledge documents.

use std::collections::HashMap;

use storeops_domain::normalize::normalize_email;
use storeops_domain::{KnowledgeDoc, Ticket};

use super::insert::{insert_values, plan_by_key, select_in, Conn};
use crate::counts::UpsertCounts;
use crate::error::StoreError;
use crate::plan::{distinct_keys, plan, Keyed};

/// Upserts tickets (messages live in the `data` JSON). The customer e-mail is
/// also stored normalised, for matching against customer identities.
pub(crate) async fn tickets(
    conn: &mut Conn,
    items: Vec<Keyed<'_, String, Ticket>>,
) -> Result<UpsertCounts, StoreError> {
    if items.is_empty() {
        return Ok(UpsertCounts::default());
    }
    let (counts, writes) = plan_by_key(
        conn,
        "SELECT id, content_hash FROM tickets WHERE id IN ",
        items,
    )
    .await?;
    insert_values(
        conn,
        "INSERT INTO tickets (id, channel, subject, status, intent, customer_external_id, customer_email, \
         customer_email_normalized, order_name, created_at, content_hash, data) ",
        12,
        " ON CONFLICT (id) DO UPDATE SET channel = excluded.channel, subject = excluded.subject, \
         status = excluded.status, intent = excluded.intent, customer_external_id = excluded.customer_external_id, \
         customer_email = excluded.customer_email, customer_email_normalized = excluded.customer_email_normalized, \
         order_name = excluded.order_name, created_at = excluded.created_at, \
         content_hash = excluded.content_hash, data = excluded.data",
        &writes,
        |values, w| {
            let t = w.record;
            values
                .push_bind(&t.id)
                .push_bind(&t.channel)
                .push_bind(&t.subject)
                .push_bind(t.status.as_str())
                .push_bind(t.intent.as_deref())
                .push_bind(t.customer_external_id.as_deref())
                .push_bind(t.customer_email.as_deref())
                .push_bind(t.customer_email.as_deref().map(normalize_email))
                .push_bind(t.order_name.as_deref())
                .push_bind(t.created_at)
                .push_bind(&w.hash)
                .push_bind(&w.json);
        },
    )
    .await?;
    Ok(counts)
}

/// Upserts knowledge document versions, keyed by (key, version).
pub(crate) async fn docs(
    conn: &mut Conn,
    items: Vec<Keyed<'_, (String, i64), KnowledgeDoc>>,
) -> Result<UpsertCounts, StoreError> {
    if items.is_empty() {
        return Ok(UpsertCounts::default());
    }
    let mut doc_keys: Vec<String> = distinct_keys(&items)
        .into_iter()
        .map(|(key, _)| key)
        .collect();
    doc_keys.sort_unstable();
    doc_keys.dedup();
    let rows: Vec<(String, i64, String)> = select_in(
        conn,
        "SELECT key, version, content_hash FROM docs WHERE key IN ",
        &doc_keys,
        "",
    )
    .await?;
    let stored: HashMap<(String, i64), String> =
        rows.into_iter().map(|(k, v, h)| ((k, v), h)).collect();
    let (counts, writes) = plan(items, &stored);
    insert_values(
        conn,
        "INSERT INTO docs (key, version, kind, title, effective_from, effective_to, review_by, product_handle, \
         content_hash, data) ",
        10,
        " ON CONFLICT (key, version) DO UPDATE SET kind = excluded.kind, title = excluded.title, \
         effective_from = excluded.effective_from, effective_to = excluded.effective_to, \
         review_by = excluded.review_by, product_handle = excluded.product_handle, \
         content_hash = excluded.content_hash, data = excluded.data",
        &writes,
        |values, w| {
            let d = w.record;
            values
                .push_bind(&d.key)
                .push_bind(d.version)
                .push_bind(d.kind.as_str())
                .push_bind(&d.title)
                .push_bind(d.effective_from)
                .push_bind(d.effective_to)
                .push_bind(d.review_by)
                .push_bind(d.product_handle.as_deref())
                .push_bind(&w.hash)
                .push_bind(&w.json);
        },
    )
    .await?;
    Ok(counts)
}
