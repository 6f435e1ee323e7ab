//! Upserts of products (with variants) and customers (with identities).

use storeops_domain::normalize::visible_text;
use storeops_domain::{Customer, Product};

use super::insert::{delete_in, insert_values, plan_by_key, replaced_keys, Conn};
use crate::counts::UpsertCounts;
use crate::error::StoreError;
use crate::plan::Keyed;

/// Upserts products; variants of updated products are replaced.
pub(crate) async fn products(
    conn: &mut Conn,
    items: Vec<Keyed<'_, String, Product>>,
) -> Result<UpsertCounts, StoreError> {
    if items.is_empty() {
        return Ok(UpsertCounts::default());
    }
    let (counts, writes) = plan_by_key(
        conn,
        "SELECT handle, content_hash FROM products WHERE handle IN ",
        items,
    )
    .await?;
    let changed = replaced_keys(&writes);
    delete_in(conn, "DELETE FROM variants WHERE handle IN ", &changed).await?;
    insert_values(
        conn,
        "INSERT INTO products (handle, title, status, regulated, image_count, description_len, content_hash, data) ",
        8,
        " ON CONFLICT (handle) DO UPDATE SET title = excluded.title, status = excluded.status, \
         regulated = excluded.regulated, image_count = excluded.image_count, \
         description_len = excluded.description_len, content_hash = excluded.content_hash, data = excluded.data",
        &writes,
        |values, w| {
            let p = w.record;
            values
                .push_bind(&p.handle)
                .push_bind(&p.title)
                .push_bind(p.status.as_str())
                .push_bind(p.regulated)
                .push_bind(p.images.len() as i64)
                .push_bind(visible_text(&p.description_html).chars().count() as i64)
                .push_bind(&w.hash)
                .push_bind(&w.json);
        },
    )
    .await?;
    let variants: Vec<_> = writes
        .iter()
        .flat_map(|w| {
            w.record
                .variants
                .iter()
                .enumerate()
                .map(move |(i, v)| (&w.record.handle, i as i64 + 1, v))
        })
        .collect();
    insert_values(
        conn,
        "INSERT INTO variants (handle, position, sku, price_minor, compare_at_minor, cost_minor, currency, gtin) ",
        8,
        "",
        &variants,
        |values, (handle, position, v)| {
            let currency = v.price.or(v.cost).or(v.compare_at_price).map(|m| m.currency);
            values
                .push_bind(*handle)
                .push_bind(*position)
                .push_bind(v.sku.as_deref())
                .push_bind(v.price.map(|m| m.minor))
                .push_bind(v.compare_at_price.map(|m| m.minor))
                .push_bind(v.cost.map(|m| m.minor))
                .push_bind(currency.as_ref().map(|c| c.code().to_string()))
                .push_bind(v.gtin.as_deref());
        },
    )
    .await?;
    Ok(counts)
}

/// Upserts customers; identities of updated customers are replaced. Every
/// identity of `Customer::all_identities()` is stored with its normalised
/// value; `name` ("first last", trimmed) serves the listing search.
pub(crate) async fn customers(
    conn: &mut Conn,
    items: Vec<Keyed<'_, String, Customer>>,
) -> Result<UpsertCounts, StoreError> {
    if items.is_empty() {
        return Ok(UpsertCounts::default());
    }
    let (counts, writes) = plan_by_key(
        conn,
        "SELECT key, content_hash FROM customers WHERE key IN ",
        items,
    )
    .await?;
    let changed = replaced_keys(&writes);
    delete_in(
        conn,
        "DELETE FROM customer_identities WHERE customer_key IN ",
        &changed,
    )
    .await?;
    insert_values(
        conn,
        "INSERT INTO customers (key, external_id, email, name, content_hash, data) ",
        6,
        " ON CONFLICT (key) DO UPDATE SET external_id = excluded.external_id, email = excluded.email, \
         name = excluded.name, content_hash = excluded.content_hash, data = excluded.data",
        &writes,
        |values, w| {
            let name = format!("{} {}", w.record.first_name, w.record.last_name);
            values
                .push_bind(&w.key)
                .push_bind(w.record.external_id.as_deref())
                .push_bind(w.record.email.as_deref())
                .push_bind(name.trim().to_string())
                .push_bind(&w.hash)
                .push_bind(&w.json);
        },
    )
    .await?;
    let identities: Vec<_> = writes
        .iter()
        .flat_map(|w| {
            w.record
                .all_identities()
                .into_iter()
                .enumerate()
                .map(move |(i, identity)| (&w.key, i as i64 + 1, identity))
        })
        .collect();
    insert_values(
        conn,
        "INSERT INTO customer_identities (customer_key, position, kind, value, normalized) ",
        5,
        "",
        &identities,
        |values, (key, position, identity)| {
            values
                .push_bind(*key)
                .push_bind(*position)
                .push_bind(identity.kind.as_str())
                .push_bind(&identity.value)
                .push_bind(identity.normalized());
        },
    )
    .await?;
    Ok(counts)
}
