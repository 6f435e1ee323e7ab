//! storeops storage: one interface over SQLite and PostgreSQL (sqlx), migrations, idempotent upserts, read models.
