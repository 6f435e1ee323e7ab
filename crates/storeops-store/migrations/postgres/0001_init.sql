-- storeops schema, PostgreSQL flavour (see migrations/sqlite for the twin;
-- same tables, columns and keys). Timestamps are TIMESTAMPTZ, dates DATE. Money is
-- BIGINT minor units plus a 3-letter currency. `data` holds the full record
-- as JSON; `content_hash` decides unchanged/updated on re-import.

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
);
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
);
CREATE INDEX customer_identities_match ON customer_identities (kind, normalized);

CREATE TABLE orders (
    name TEXT PRIMARY KEY NOT NULL,
    external_id TEXT,
    customer_external_id TEXT,
    email TEXT,
    phone TEXT,
    has_customer BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    cancelled_at TIMESTAMPTZ,
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
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (order_name, position)
);
CREATE INDEX order_lines_sku_created_at ON order_lines (sku, created_at);

CREATE TABLE inventory_levels (
    sku TEXT NOT NULL,
    location TEXT NOT NULL REFERENCES locations (name),
    on_hand BIGINT NOT NULL,
    committed BIGINT NOT NULL,
    available BIGINT NOT NULL,
    incoming BIGINT NOT NULL,
    counted_at TIMESTAMPTZ,
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
    occurred_at TIMESTAMPTZ NOT NULL,
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
    shipped_at TIMESTAMPTZ,
    estimated_delivery_at TIMESTAMPTZ,
    delivered_at TIMESTAMPTZ,
    content_hash TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX shipments_order_name ON shipments (order_name);

CREATE TABLE tracking_events (
    shipment_id TEXT NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL,
    location TEXT NOT NULL,
    PRIMARY KEY (shipment_id, position)
);

CREATE TABLE returns (
    id TEXT PRIMARY KEY NOT NULL,
    order_name TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    received_at TIMESTAMPTZ,
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
);

CREATE TABLE refunds (
    id TEXT PRIMARY KEY NOT NULL,
    return_id TEXT NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
    order_name TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
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
    created_at TIMESTAMPTZ NOT NULL,
    content_hash TEXT NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE docs (
    key TEXT NOT NULL,
    version BIGINT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    effective_from DATE NOT NULL,
    effective_to DATE,
    review_by DATE,
    product_handle TEXT,
    content_hash TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (key, version)
);

CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    source TEXT NOT NULL,
    topic TEXT NOT NULL,
    external_id TEXT NOT NULL,
    payload JSONB NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX events_received_at ON events (received_at);
