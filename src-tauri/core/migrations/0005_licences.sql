-- 0005: licences and subscriptions (seats given to people, renewal or expiry date, cost per
-- period, a stored licence key), and offboarding (a person's leaving date and how each thing
-- they held was resolved). Shipped: never edit; add a new migration instead.

CREATE TABLE licences (
    id            INTEGER PRIMARY KEY,
    product       TEXT NOT NULL,
    vendor        TEXT,
    seats         INTEGER NOT NULL CHECK (seats > 0),
    renewal_date  TEXT,                 -- YYYY-MM-DD: the next renewal, or the expiry (one-off)
    cost          INTEGER CHECK (cost IS NULL OR cost >= 0),  -- minor units per period
    period        TEXT NOT NULL DEFAULT 'yearly' CHECK (period IN ('monthly', 'yearly', 'one_off')),
    supplier      TEXT,
    licence_key   TEXT,                 -- shown masked in lists; revealed on request
    notes         TEXT,
    archived_at   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX licences_renewal ON licences (renewal_date);
CREATE INDEX licences_product ON licences (product COLLATE NOCASE);

-- One row per seat in use: a person holds at most one seat of a licence.
CREATE TABLE licence_seats (
    licence_id    INTEGER NOT NULL REFERENCES licences (id),
    person_id     INTEGER NOT NULL REFERENCES people (id),
    assigned_at   TEXT NOT NULL,
    PRIMARY KEY (licence_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX licence_seats_person ON licence_seats (person_id);

-- An offboarding: started with a leaving date, finished when the person is marked as left.
CREATE TABLE offboardings (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES people (id),
    leaving_on    TEXT NOT NULL,        -- YYYY-MM-DD
    started_at    TEXT NOT NULL,
    finished_at   TEXT
) STRICT;
CREATE UNIQUE INDEX offboardings_open ON offboardings (person_id) WHERE finished_at IS NULL;
CREATE INDEX offboardings_person ON offboardings (person_id);

-- How each item of an offboarding was resolved (items still held are read live from assets
-- and licence_seats, so nothing acquired during the offboarding can be missed).
CREATE TABLE offboarding_items (
    offboarding_id INTEGER NOT NULL REFERENCES offboardings (id),
    kind          TEXT NOT NULL CHECK (kind IN ('asset', 'seat')),
    ref_id        INTEGER NOT NULL,     -- the asset's id, or the licence's id for a seat
    label         TEXT NOT NULL,        -- tag and name, or the licence's product, at the time
    outcome       TEXT NOT NULL CHECK (outcome IN ('returned', 'reassigned', 'missing')),
    detail        TEXT,                 -- the location, the new holder, or the note
    resolved_at   TEXT NOT NULL,
    PRIMARY KEY (offboarding_id, kind, ref_id)
) STRICT, WITHOUT ROWID;

-- Documents can belong to a licence as well as to an asset: exactly one of the two. SQLite
-- cannot relax a NOT NULL in place, so the table is rebuilt with the same rows and ids.
CREATE TABLE documents_v5 (
    id          INTEGER PRIMARY KEY,
    asset_id    INTEGER REFERENCES assets (id),
    licence_id  INTEGER REFERENCES licences (id),
    name        TEXT NOT NULL,          -- the original file name: data, never used as a path
    kind        TEXT NOT NULL CHECK (kind IN ('receipt', 'warranty', 'invoice', 'other')),
    size        INTEGER NOT NULL CHECK (size > 0),
    sha256      TEXT NOT NULL,          -- lower-case hex; also the stored file's name
    added_at    TEXT NOT NULL,
    CHECK ((asset_id IS NULL) <> (licence_id IS NULL))
) STRICT;
INSERT INTO documents_v5 (id, asset_id, name, kind, size, sha256, added_at)
    SELECT id, asset_id, name, kind, size, sha256, added_at FROM documents;
DROP TABLE documents;
ALTER TABLE documents_v5 RENAME TO documents;
CREATE INDEX documents_asset ON documents (asset_id);
CREATE INDEX documents_licence ON documents (licence_id);
CREATE INDEX documents_sha256 ON documents (sha256);
