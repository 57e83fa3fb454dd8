-- 0001: the register: settings, people, locations, categories, assets, full-text search and the
-- hash-chained audit log. Shipped: never edit this file; add a new migration instead.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
INSERT INTO settings (key, value) VALUES ('currency', 'GBP'), ('organisation', '');

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT,
    department  TEXT,
    left_on     TEXT,              -- NULL while the person is active
    created_at  TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX people_name ON people (name COLLATE NOCASE);

CREATE TABLE locations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX locations_name ON locations (name COLLATE NOCASE);

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX categories_name ON categories (name COLLATE NOCASE);

CREATE TABLE assets (
    id               INTEGER PRIMARY KEY,
    asset_tag        TEXT NOT NULL,
    name             TEXT NOT NULL,
    category_id      INTEGER REFERENCES categories (id),
    make             TEXT,
    model            TEXT,
    serial_number    TEXT,
    serial_key       TEXT,          -- upper-cased, trimmed serial: the uniqueness key
    purchase_date    TEXT,          -- YYYY-MM-DD
    purchase_cost    INTEGER,       -- minor units (pence); never a float
    supplier         TEXT,
    warranty_expires TEXT,          -- YYYY-MM-DD
    notes            TEXT,
    status           TEXT NOT NULL CHECK (status IN
                        ('available', 'deployed', 'in_maintenance', 'retired', 'lost_stolen')),
    person_id        INTEGER REFERENCES people (id),
    location_id      INTEGER REFERENCES locations (id),
    -- Copies of the category's, person's and location's names, so lists sort and search by them
    -- through an index. Written with the ids; renames propagate by the triggers below.
    category_name    TEXT,
    person_name      TEXT,
    location_name    TEXT,
    archived_at      TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (purchase_cost IS NULL OR purchase_cost >= 0)
) STRICT;
-- A tag names one asset for ever (its history stays reachable by tag after archival).
CREATE UNIQUE INDEX assets_tag ON assets (asset_tag COLLATE NOCASE);
-- A serial is unique among live assets.
CREATE UNIQUE INDEX assets_serial ON assets (serial_key) WHERE serial_key IS NOT NULL AND archived_at IS NULL;
CREATE INDEX assets_archived ON assets (archived_at);
-- Every filter index carries archived_at, so counts of live assets never touch the table.
CREATE INDEX assets_category ON assets (category_id, archived_at);
CREATE INDEX assets_person ON assets (person_id, archived_at);
CREATE INDEX assets_location ON assets (location_id, archived_at);
CREATE INDEX assets_status ON assets (status, archived_at, purchase_cost);
-- Sort indexes, one per sortable column of the list.
CREATE INDEX assets_name ON assets (name COLLATE NOCASE);
CREATE INDEX assets_category_name ON assets (category_name COLLATE NOCASE);
CREATE INDEX assets_person_name ON assets (person_name COLLATE NOCASE);
CREATE INDEX assets_location_name ON assets (location_name COLLATE NOCASE);
CREATE INDEX assets_make ON assets (make COLLATE NOCASE, model COLLATE NOCASE);
CREATE INDEX assets_serial_sort ON assets (serial_number COLLATE NOCASE);
CREATE INDEX assets_purchase_date ON assets (purchase_date);
CREATE INDEX assets_cost ON assets (purchase_cost);
CREATE INDEX assets_warranty ON assets (warranty_expires);

-- The number of live assets, kept by triggers so "N of M" never counts 100k rows.
CREATE TABLE asset_count (live INTEGER NOT NULL) STRICT;
INSERT INTO asset_count (live) VALUES (0);
CREATE TRIGGER asset_count_insert AFTER INSERT ON assets WHEN new.archived_at IS NULL BEGIN
    UPDATE asset_count SET live = live + 1;
END;
CREATE TRIGGER asset_count_archive AFTER UPDATE OF archived_at ON assets
WHEN (old.archived_at IS NULL) != (new.archived_at IS NULL) BEGIN
    UPDATE asset_count SET live = live + (CASE WHEN new.archived_at IS NULL THEN 1 ELSE -1 END);
END;

-- Text search over the live assets' tag, name, serial, make, model, holder, location and
-- notes. Kept in step by triggers, so no write path can forget it; archived assets leave it.
CREATE VIRTUAL TABLE assets_fts USING fts5 (
    asset_tag, name, serial_number, make, model, holder, notes,
    tokenize = "unicode61 remove_diacritics 2", prefix = '2 3'
);

CREATE TRIGGER assets_fts_insert AFTER INSERT ON assets WHEN new.archived_at IS NULL BEGIN
    INSERT INTO assets_fts (rowid, asset_tag, name, serial_number, make, model, holder, notes)
    VALUES (new.id, new.asset_tag, new.name, new.serial_number, new.make, new.model,
            concat_ws(' ', new.person_name, new.location_name), new.notes);
END;
-- Only when an indexed column changes: an FTS5 delete forces a flush of pending index data.
CREATE TRIGGER assets_fts_update
AFTER UPDATE OF asset_tag, name, serial_number, make, model, person_name, location_name, notes,
    archived_at ON assets BEGIN
    DELETE FROM assets_fts WHERE rowid = old.id;
    INSERT INTO assets_fts (rowid, asset_tag, name, serial_number, make, model, holder, notes)
    SELECT new.id, new.asset_tag, new.name, new.serial_number, new.make, new.model,
           concat_ws(' ', new.person_name, new.location_name), new.notes
    WHERE new.archived_at IS NULL;
END;

CREATE TRIGGER people_rename AFTER UPDATE OF name ON people BEGIN
    UPDATE assets SET person_name = new.name WHERE person_id = new.id;
END;
CREATE TRIGGER locations_rename AFTER UPDATE OF name ON locations BEGIN
    UPDATE assets SET location_name = new.name WHERE location_id = new.id;
END;
CREATE TRIGGER categories_rename AFTER UPDATE OF name ON categories BEGIN
    UPDATE assets SET category_name = new.name WHERE category_id = new.id;
END;

-- The audit trail. Each row stores the SHA-256 of its canonical content and of the previous
-- row, so an edit, deletion or reordering made with an outside tool breaks the chain.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,    -- the sequence number; 1, 2, 3… with no gaps
    at          TEXT NOT NULL,          -- UTC, RFC 3339 with microseconds
    source      TEXT NOT NULL,          -- app | cli | import | system
    action      TEXT NOT NULL,          -- created, edited, assigned, returned, status_changed…
    entity      TEXT NOT NULL,          -- asset | person | location | category | settings
    entity_id   INTEGER,
    asset_id    INTEGER REFERENCES assets (id),
    label       TEXT NOT NULL,          -- the entity's tag or name when the event was written
    changes     TEXT NOT NULL,          -- JSON: [{"field":…, "old":…, "new":…}]
    note        TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_asset ON audit_log (asset_id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- The app itself can only append to the trail.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE (ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE (ABORT, 'the audit log is append-only');
END;
