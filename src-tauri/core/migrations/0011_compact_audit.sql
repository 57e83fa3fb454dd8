-- 0011: the audit trail stored compactly (issue #20: the register's size). What each event
-- hashes, and so every hash, is unchanged:
--   - the hash is stored as its 32 bytes (an older register's value that is not a hash stays as
--     it was, as text);
--   - the previous event's hash is no longer stored on each row: it is the hash of the row
--     before, and readers take it from there;
--   - the changes are stored as [[field, old, new], …], which gives back exactly the JSON text
--     [{"field":…, "old":…, "new":…}, …] that was hashed (see core/src/audit/stored.rs). A
--     text that would not come back exactly is kept as it is.
-- The events are copied by the migration's step in Rust (`audit::compact_trail`), which checks
-- that the chain verifies exactly as before or fails the migration; 0011_compact_audit_swap.sql
-- then puts the new table in the old one's place.
-- Shipped: never edit; add a new migration instead.

CREATE TABLE audit_log_compact (
    id          INTEGER PRIMARY KEY,    -- the sequence number; 1, 2, 3… with no gaps
    at          TEXT NOT NULL,          -- UTC, RFC 3339 with microseconds
    source      TEXT NOT NULL,          -- app | cli | import | system
    action      TEXT NOT NULL,          -- created, edited, assigned, returned, status_changed…
    entity      TEXT NOT NULL,          -- asset | person | location | category | settings…
    entity_id   INTEGER,
    asset_id    INTEGER REFERENCES assets (id),
    label       TEXT NOT NULL,          -- the entity's tag or name when the event was written
    changes     TEXT NOT NULL,          -- [[field, old, new], …], or the hashed JSON text itself
    note        TEXT,
    hash        ANY NOT NULL            -- SHA-256 of the event after the previous row's hash: 32 bytes
) STRICT;
