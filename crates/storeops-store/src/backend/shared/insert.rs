//! Bulk statement helpers: chunked `IN (…)` lookups and deletes, and chunked
//! multi-row `INSERT … VALUES` under the backend's bind limit.

use std::collections::HashMap;

use sqlx::query_builder::Separated;
use sqlx::{Database, Encode, FromRow, QueryBuilder, Type};

use super::{Db, MAX_BINDS};
use crate::counts::UpsertCounts;
use crate::error::StoreError;
use crate::plan::{distinct_keys, plan, Keyed, Write};

/// A connection of this backend (a transaction derefs to one).
pub(crate) type Conn = <Db as Database>::Connection;

/// A result row of this backend.
type Row = <Db as Database>::Row;

/// Runs `head (k1, k2, …) tail` for chunks of `keys` and collects the rows.
pub(crate) async fn select_in<K, R>(
    conn: &mut Conn,
    head: &'static str,
    keys: &[K],
    tail: &'static str,
) -> Result<Vec<R>, StoreError>
where
    for<'k> &'k K: Encode<'k, Db> + Type<Db>,
    R: for<'r> FromRow<'r, Row> + Send + Unpin,
{
    let mut rows = Vec::new();
    for chunk in keys.chunks(MAX_BINDS) {
        let mut builder = QueryBuilder::<Db>::new(head);
        builder.push("(");
        let mut list = builder.separated(", ");
        for key in chunk {
            list.push_bind(key);
        }
        builder.push(")");
        builder.push(tail);
        rows.extend(builder.build_query_as::<R>().fetch_all(&mut *conn).await?);
    }
    Ok(rows)
}

/// Stored content hashes of single-column keys: `head` must select the key
/// and the hash and end with `WHERE key IN`.
pub(crate) async fn stored_hashes(
    conn: &mut Conn,
    head: &'static str,
    keys: &[String],
) -> Result<HashMap<String, String>, StoreError> {
    let rows: Vec<(String, String)> = select_in(conn, head, keys, "").await?;
    Ok(rows.into_iter().collect())
}

/// Runs `head (k1, k2, …)` (a `DELETE … WHERE key IN`) for chunks of `keys`.
pub(crate) async fn delete_in(
    conn: &mut Conn,
    head: &'static str,
    keys: &[&str],
) -> Result<(), StoreError> {
    for chunk in keys.chunks(MAX_BINDS) {
        let mut builder = QueryBuilder::<Db>::new(head);
        builder.push("(");
        let mut list = builder.separated(", ");
        for key in chunk {
            list.push_bind(*key);
        }
        builder.push(")");
        builder.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Most rows one multi-row `INSERT` carries.
const MAX_ROWS: usize = 1024;

/// Rows of the next `INSERT` for `remaining` rows of `width` binds: the
/// largest power of two that fits, so a table only ever sees a dozen
/// statement texts and sqlx's statement cache reuses them across batches
/// instead of preparing a new statement for every batch size.
pub(crate) fn chunk_rows(remaining: usize, width: usize) -> usize {
    let cap = (MAX_BINDS / width.max(1)).clamp(1, MAX_ROWS).min(remaining);
    if cap == 0 {
        return 0;
    }
    1 << cap.ilog2()
}

/// Inserts `rows` with multi-row `head VALUES (…), (…) tail` statements of
/// `width` binds per row, chunked under the bind limit into sizes from a
/// small fixed set (see [`chunk_rows`]).
pub(crate) async fn insert_values<T>(
    conn: &mut Conn,
    head: &'static str,
    width: usize,
    tail: &'static str,
    rows: &[T],
    push: impl FnMut(&mut Separated<'_, Db, &'static str>, &T),
) -> Result<(), StoreError> {
    insert_values_after(conn, |_| {}, head, width, tail, rows, push).await
}

/// Like [`insert_values`]; `first` writes the start of the first statement
/// (a `WITH` holding other writes, on PostgreSQL) before its `head`. Nothing
/// is sent when `rows` is empty.
pub(crate) async fn insert_values_after<T>(
    conn: &mut Conn,
    first: impl FnOnce(&mut QueryBuilder<Db>),
    head: &'static str,
    width: usize,
    tail: &'static str,
    rows: &[T],
    mut push: impl FnMut(&mut Separated<'_, Db, &'static str>, &T),
) -> Result<(), StoreError> {
    let mut first = Some(first);
    let mut rest = rows;
    while !rest.is_empty() {
        let (chunk, after) = rest.split_at(chunk_rows(rest.len(), width));
        rest = after;
        let mut builder = QueryBuilder::<Db>::new("");
        if let Some(first) = first.take() {
            first(&mut builder);
        }
        builder.push(head);
        builder.push_values(chunk, |mut values, row| push(&mut values, row));
        builder.push(tail);
        builder.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Like [`insert_values`] for statements whose `tail` ends in `RETURNING …`:
/// collects the returned rows of every chunk.
pub(crate) async fn insert_returning<T, R>(
    conn: &mut Conn,
    head: &str,
    width: usize,
    tail: &str,
    rows: &[T],
    mut push: impl FnMut(&mut Separated<'_, Db, &'static str>, &T),
) -> Result<Vec<R>, StoreError>
where
    R: for<'r> FromRow<'r, Row> + Send + Unpin,
{
    let mut returned = Vec::with_capacity(rows.len());
    let mut rest = rows;
    while !rest.is_empty() {
        let (chunk, after) = rest.split_at(chunk_rows(rest.len(), width));
        rest = after;
        let mut builder = QueryBuilder::<Db>::new(head);
        builder.push_values(chunk, |mut values, row| push(&mut values, row));
        builder.push(tail);
        returned.extend(builder.build_query_as::<R>().fetch_all(&mut *conn).await?);
    }
    Ok(returned)
}

/// Registers location names (existing ones are kept).
pub(crate) async fn locations(conn: &mut Conn, names: &[&str]) -> Result<(), StoreError> {
    insert_values(
        conn,
        "INSERT INTO locations (name) ",
        1,
        " ON CONFLICT (name) DO NOTHING",
        names,
        |values, name| {
            values.push_bind(*name);
        },
    )
    .await
}

/// Decodes a `data` column.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    table: &'static str,
    key: &str,
    data: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(data).map_err(|e| StoreError::Corrupt {
        table,
        key: key.to_string(),
        message: e.to_string(),
    })
}

/// Plans an upsert of records keyed by one text column: looks up their
/// stored hashes with `lookup` (`SELECT key, content_hash FROM t WHERE key IN `)
/// and splits them into counts and the rows to write.
pub(crate) async fn plan_by_key<'a, T>(
    conn: &mut Conn,
    lookup: &'static str,
    items: Vec<Keyed<'a, String, T>>,
) -> Result<(UpsertCounts, Vec<Write<'a, String, T>>), StoreError> {
    let keys = distinct_keys(&items);
    let stored = stored_hashes(conn, lookup, &keys).await?;
    Ok(plan(items, &stored))
}

/// Keys of the writes that replace a stored row (whose child rows go first).
pub(crate) fn replaced_keys<'w, T>(writes: &'w [Write<'_, String, T>]) -> Vec<&'w str> {
    writes
        .iter()
        .filter(|w| w.existed)
        .map(|w| w.key.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_powers_of_two_under_the_limits() {
        for width in [1, 7, 14] {
            for total in 0..3000 {
                let mut left = total;
                while left > 0 {
                    let rows = chunk_rows(left, width);
                    assert!(rows.is_power_of_two());
                    assert!(rows <= left && rows <= MAX_ROWS && rows * width <= MAX_BINDS);
                    left -= rows;
                }
            }
        }
        assert_eq!(chunk_rows(0, 7), 0);
    }
}
