//! Building one listing SELECT: conditions joined with AND, each a fixed
//! column or expression with bound values, case-insensitive search with the
//! backend's `LIKE` constant, the keyset condition continuing after a cursor,
//! then ORDER BY and LIMIT (compiled once per backend).

use chrono::{DateTime, Utc};
use sqlx::{Database, QueryBuilder};

use super::{Db, Engine, LIKE};
use crate::cursor::After;
use crate::error::StoreError;
use crate::list::ListKind;
use crate::list_query::{CustomerMatch, StatusMatch};

/// A result row of this backend.
pub(super) type Row = <Db as Database>::Row;

/// A SELECT under construction: conditions joined with AND.
pub(super) struct Select {
    /// The statement so far.
    sql: QueryBuilder<Db>,
    /// Whether `WHERE` was written.
    filtered: bool,
}

impl Select {
    /// Starts with a fixed head.
    pub(super) fn new(head: &'static str) -> Select {
        Select {
            sql: QueryBuilder::new(head),
            filtered: false,
        }
    }

    /// Starts the next condition.
    pub(super) fn and(&mut self) -> &mut QueryBuilder<Db> {
        self.sql
            .push(if self.filtered { " AND " } else { " WHERE " });
        self.filtered = true;
        &mut self.sql
    }

    /// `column = value`.
    pub(super) fn eq(&mut self, column: &'static str, value: &str) {
        self.and()
            .push(column)
            .push(" = ")
            .push_bind(value.to_string());
    }

    /// Any of `columns` matches the (escaped) pattern, case-insensitively.
    pub(super) fn like(&mut self, columns: &[&'static str], pattern: &str) {
        let sql = self.and();
        sql.push("(");
        for (i, column) in columns.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            sql.push(column)
                .push(" ")
                .push(LIKE)
                .push(" ")
                .push_bind(pattern.to_string())
                .push(" ESCAPE '\\'");
        }
        sql.push(")");
    }

    /// `since <= column < until`.
    pub(super) fn between(
        &mut self,
        column: &'static str,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) {
        if let Some(since) = since {
            self.and().push(column).push(" >= ").push_bind(since);
        }
        if let Some(until) = until {
            self.and().push(column).push(" < ").push_bind(until);
        }
    }

    /// A status filter; `second` is the orders' fulfillment column.
    pub(super) fn status(&mut self, first: &'static str, second: &'static str, m: StatusMatch) {
        let sql = self.and();
        sql.push("(");
        match (m.first, m.second) {
            (Some(a), Some(b)) => {
                sql.push(first).push(" = ").push_bind(a);
                sql.push(" OR ").push(second).push(" = ").push_bind(b)
            }
            (Some(a), None) => sql.push(first).push(" = ").push_bind(a),
            (None, Some(b)) => sql.push(second).push(" = ").push_bind(b),
            (None, None) => sql.push("1 = 0"),
        };
        sql.push(")");
    }

    /// A customer filter on the platform-id column and e-mail expression.
    pub(super) fn customer(
        &mut self,
        (id_col, email_expr): (&'static str, &'static str),
        m: &CustomerMatch,
    ) {
        let sql = self.and();
        match m {
            CustomerMatch::Id(id) => sql.push(id_col).push(" = ").push_bind(id.clone()),
            CustomerMatch::Email(email) => {
                sql.push(email_expr).push(" = ").push_bind(email.clone())
            }
            CustomerMatch::Either { id, email } => sql
                .push("(")
                .push(id_col)
                .push(" = ")
                .push_bind(id.clone())
                .push(" OR ")
                .push(email_expr)
                .push(" = ")
                .push_bind(email.clone())
                .push(")"),
        };
    }

    /// Continues after the last row of the previous page.
    pub(super) fn after(&mut self, kind: ListKind, after: &After) -> Result<(), StoreError> {
        let sql = self.and();
        let pair = |sql: &mut QueryBuilder<Db>, cols: &str, op: &str| {
            sql.push(cols).push(op).push("(");
        };
        match (kind, after) {
            (ListKind::Products, After::Key(k)) => sql.push("handle > ").push_bind(k.clone()),
            (ListKind::Customers, After::Key(k)) => sql.push("key > ").push_bind(k.clone()),
            (ListKind::Inventory, After::KeyKey(k, l)) => {
                pair(sql, "(sku, location)", " > ");
                sql.push_bind(k.clone())
                    .push(", ")
                    .push_bind(l.clone())
                    .push(")")
            }
            (ListKind::Variants | ListKind::Docs, After::KeyNum(k, n)) => {
                let cols = if kind == ListKind::Docs {
                    "(key, version)"
                } else {
                    "(handle, position)"
                };
                pair(sql, cols, " > ");
                sql.push_bind(k.clone()).push(", ").push_bind(*n).push(")")
            }
            (ListKind::Orders | ListKind::Returns | ListKind::Tickets, After::AtKey(t, k)) => {
                let cols = match kind {
                    ListKind::Orders => "(created_at, name)",
                    ListKind::Returns => "(requested_at, id)",
                    _ => "(created_at, id)",
                };
                pair(sql, cols, " < ");
                sql.push_bind(*t).push(", ").push_bind(k.clone()).push(")")
            }
            // Only the shipped rows after it; `Engine::list` continues with
            // the unshipped ones (sorted last) in a second query.
            (ListKind::Shipments, After::MaybeAtKey(Some(t), k)) => sql
                .push("(shipped_at, id) < (")
                .push_bind(*t)
                .push(", ")
                .push_bind(k.clone())
                .push(")"),
            (ListKind::Shipments, After::MaybeAtKey(None, k)) => sql
                .push("(shipped_at IS NULL AND id < ")
                .push_bind(k.clone())
                .push(")"),
            (ListKind::Events, After::Num(n)) => sql.push("id < ").push_bind(*n),
            _ => return Err(StoreError::invalid("cursor", "does not fit this listing")),
        };
        Ok(())
    }

    /// Orders, limits and runs the statement on the reader pool.
    pub(super) async fn fetch(
        mut self,
        engine: &Engine,
        order: &'static str,
        limit: i64,
    ) -> Result<Vec<Row>, StoreError> {
        self.sql
            .push(" ORDER BY ")
            .push(order)
            .push(" LIMIT ")
            .push_bind(limit);
        Ok(self.sql.build().fetch_all(&engine.reader).await?)
    }
}
