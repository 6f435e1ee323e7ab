-- The records an event mapped to, as ingest stored them, SQLite flavour
-- (twin: migrations/postgres/0009_event_records.sql). A JSON object of the
-- record's name (`order`, `product`, …) to its stored JSON; NULL when the
-- event mapped to nothing. Trigger inputs are built from it, so a workflow
-- sees exactly what was stored, mapped with the server's options (the shop
-- currency of product payloads).
ALTER TABLE events ADD COLUMN records TEXT;
