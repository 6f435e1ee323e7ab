-- storeops schema, SQLite flavour (see migrations/postgres for the twin).
-- Timestamps are RFC 3339 UTC text as sqlx writes chrono DateTime<Utc>
-- (`2024-05-01T12:00:00+00:00`, fractions only when present), which sorts
-- and compares correctly as text. Dates are `YYYY-MM-DD` text. Money is
-- BIGINT minor units plus a 3-letter currency. `data` holds the full record
-- as JSON; `content_hash` decides unchanged/updated on re-import. Small child
-- tables keyed by (parent, position) are WITHOUT ROWID: one B-tree per row
-- instead of two.

CREATE TABLE locations (
    name TEXT PRIMARY KEY NOT NULL
);

CREATE TABLE products (
    handle TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    regulated BOOLEAN NOT NULL,
    image_count BIGINT NOT NULL,
    description_len BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE variants (
    handle TEXT NOT NULL REFERENCES products (handle) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    sku TEXT,
    price_minor BIGINT,
    compare_at_minor BIGINT,
    cost_minor BIGINT,
    currency TEXT,
    gtin TEXT,
    PRIMARY KEY (handle, position)
) WITHOUT ROWID;
CREATE INDEX variants_sku ON variants (sku);

CREATE TABLE customers (
    key TEXT PRIMARY KEY NOT NULL,
    external_id TEXT,
    email TEXT,
    content_hash TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX customers_external_id ON customers (external_id);

CREATE TABLE customer_identities (
    customer_key TEXT NOT NULL REFERENCES customers (key) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    normalized TEXT NOT NULL,
    PRIMARY KEY (customer_key, position)
) WITHOUT ROWID;
CREATE INDEX customer_identities_match ON customer_identities (kind, normalized);

CREATE TABLE orders (
    name TEXT PRIMARY KEY NOT NULL,
    external_id TEXT,
    customer_external_id TEXT,
    email TEXT,
    phone TEXT,
    has_customer BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    cancelled_at TEXT,
    currency TEXT NOT NULL,
    financial_status TEXT NOT NULL,
    fulfillment_status TEXT NOT NULL,
    total_minor BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX orders_created_at ON orders (created_at);

CREATE TABLE order_lines (
    order_name TEXT NOT NULL REFERENCES orders (name) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    sku TEXT,
    quantity BIGINT NOT NULL,
    price_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (order_name, position)
) WITHOUT ROWID;
CREATE INDEX order_lines_sku_created_at ON order_lines (sku, created_at);

CREATE TABLE inventory_levels (
    sku TEXT NOT NULL,
    location TEXT NOT NULL REFERENCES locations (name),
    on_hand BIGINT NOT NULL,
    committed BIGINT NOT NULL,
    available BIGINT NOT NULL,
    incoming BIGINT NOT NULL,
    counted_at TEXT,
    content_hash TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (sku, location)
);

CREATE TABLE inventory_adjustments (
    id TEXT PRIMARY KEY NOT NULL,
    sku TEXT NOT NULL,
    location TEXT NOT NULL REFERENCES locations (name),
    delta BIGINT NOT NULL,
    reason TEXT,
    occurred_at TEXT NOT NULL,
    reference TEXT,
    content_hash TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX inventory_adjustments_sku_location ON inventory_adjustments (sku, location);
CREATE INDEX inventory_adjustments_reference ON inventory_adjustments (reference, reason);

CREATE TABLE shipments (
    id TEXT PRIMARY KEY NOT NULL,
    order_name TEXT NOT NULL,
    carrier TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    status TEXT NOT NULL,
    origin_location TEXT REFERENCES locations (name),
    shipped_at TEXT,
    estimated_delivery_at TEXT,
    delivered_at TEXT,
    content_hash TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX shipments_order_name ON shipments (order_name);

CREATE TABLE tracking_events (
    shipment_id TEXT NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL,
    location TEXT NOT NULL,
    PRIMARY KEY (shipment_id, position)
) WITHOUT ROWID;

CREATE TABLE returns (
    id TEXT PRIMARY KEY NOT NULL,
    order_name TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    received_at TEXT,
    resolution TEXT,
    restock BOOLEAN NOT NULL,
    content_hash TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX returns_order_name ON returns (order_name);

CREATE TABLE return_lines (
    return_id TEXT NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    sku TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (return_id, position)
) WITHOUT ROWID;

CREATE TABLE refunds (
    id TEXT PRIMARY KEY NOT NULL,
    return_id TEXT NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
    order_name TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    created_at TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX refunds_return_id ON refunds (return_id);

CREATE TABLE tickets (
    id TEXT PRIMARY KEY NOT NULL,
    channel TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL,
    intent TEXT,
    customer_external_id TEXT,
    customer_email TEXT,
    customer_email_normalized TEXT,
    order_name TEXT,
    created_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE docs (
    key TEXT NOT NULL,
    version BIGINT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    effective_to TEXT,
    review_by TEXT,
    product_handle TEXT,
    content_hash TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (key, version)
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    topic TEXT NOT NULL,
    external_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX events_received_at ON events (received_at);
