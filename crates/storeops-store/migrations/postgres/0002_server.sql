-- Server additions, PostgreSQL flavour (twin: migrations/sqlite/0002_server.sql;
-- same tables, columns and indexes). Events get what became of them;
-- customers a searchable display name; the listing API gets indexes matching
-- its sort orders (newest first, keyset pagination) and filters; users, API
-- tokens and sessions for access control.

ALTER TABLE events ADD COLUMN status TEXT NOT NULL DEFAULT 'applied';
ALTER TABLE events ADD COLUMN error TEXT;
CREATE INDEX events_status ON events (status);
CREATE INDEX events_source_topic ON events (source, topic);

-- "First Last", trimmed; written by the customer upsert from now on.
ALTER TABLE customers ADD COLUMN name TEXT NOT NULL DEFAULT '';
UPDATE customers SET name = trim(
    coalesce(data::jsonb ->> 'first_name', '') || ' ' ||
    coalesce(data::jsonb ->> 'last_name', '')
);

-- Listing order and keyset: orders by (created_at, name) DESC (the old
-- (created_at) index is its prefix), shipments by (shipped_at, id) DESC with
-- unshipped (NULL) last, which PostgreSQL only reads from an index declared
-- in that order. Trailing columns let status filters be tested on the index.
DROP INDEX orders_created_at;
CREATE INDEX orders_list ON orders (created_at, name, email, financial_status, fulfillment_status);
CREATE INDEX shipments_list ON shipments (shipped_at DESC NULLS LAST, id DESC, status);
-- The `customer` filter compares trimmed ids and trimmed, lower-cased e-mails.
CREATE INDEX orders_customer_id_trimmed ON orders (trim(customer_external_id));
CREATE INDEX orders_email_normalized ON orders (lower(trim(email)));

CREATE INDEX returns_requested_at_id ON returns (requested_at, id);
CREATE INDEX tickets_created_at_id ON tickets (created_at, id);
CREATE INDEX tickets_order_name ON tickets (order_name);
CREATE INDEX tickets_customer_id_trimmed ON tickets (trim(customer_external_id));
CREATE INDEX tickets_customer_email_normalized ON tickets (customer_email_normalized);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
