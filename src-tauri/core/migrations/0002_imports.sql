-- 0002: CSV imports: one row per committed import (file name, SHA-256 of its bytes, counts), the
-- assets each import created or updated (so it can be undone), and the column mapping the user
-- chose for a header set (applied again the next time the same headers are seen).

CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,          -- lower-case hex of the file's bytes
    at          TEXT NOT NULL,          -- UTC, RFC 3339
    rows        INTEGER NOT NULL,       -- data rows read from the file
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    skipped     INTEGER NOT NULL,       -- duplicate, skipped and invalid rows left out
    event_id    INTEGER REFERENCES audit_log (id),  -- the import's summary event: changes to its
                                        -- assets after this event block the undo
    undone_at   TEXT
) STRICT;
CREATE INDEX imports_event ON imports (event_id);

CREATE TABLE import_items (
    import_id   INTEGER NOT NULL REFERENCES imports (id),
    asset_id    INTEGER NOT NULL REFERENCES assets (id),
    action      TEXT NOT NULL CHECK (action IN ('created', 'updated')),
    before      TEXT,                   -- updated: JSON {field: old value} of the fields changed
    PRIMARY KEY (import_id, asset_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX import_items_asset ON import_items (asset_id);

CREATE TABLE import_mappings (
    header_key  TEXT PRIMARY KEY,       -- the file's normalised headers, joined
    mapping     TEXT NOT NULL,          -- JSON [[column header, field], …]
    updated_at  TEXT NOT NULL
) STRICT;
