-- 0003: documents attached to assets (receipts, warranties, invoices). The bytes live on disk,
-- content-addressed by SHA-256 in the register's documents folder; these rows point at them.
-- Shipped: never edit this file; add a new migration instead.

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    asset_id    INTEGER NOT NULL REFERENCES assets (id),
    name        TEXT NOT NULL,          -- the original file name: data, never used as a path
    kind        TEXT NOT NULL CHECK (kind IN ('receipt', 'warranty', 'invoice', 'other')),
    size        INTEGER NOT NULL CHECK (size > 0),
    sha256      TEXT NOT NULL,          -- lower-case hex; also the stored file's name
    added_at    TEXT NOT NULL
) STRICT;
CREATE INDEX documents_asset ON documents (asset_id);
CREATE INDEX documents_sha256 ON documents (sha256);
