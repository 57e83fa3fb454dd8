-- 0010: stocktakes. A stocktake checks the register against the rooms: what the register
-- expects in its scope (some locations, or everything) is listed when it starts, and each scan
-- or tick records what was found where. Finishing turns what was not seen into missing. Every
-- outcome is also an audited event on its asset; an asset's last sighting is `last_seen`.
-- Shipped: never edit; add a new migration instead.

CREATE TABLE stocktakes (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    on_date             TEXT NOT NULL,      -- YYYY-MM-DD: the day it is for
    counted_by          TEXT NOT NULL CHECK (length(counted_by) BETWEEN 1 AND 200),
    all_locations       INTEGER NOT NULL CHECK (all_locations IN (0, 1)),
    started_at          TEXT NOT NULL,
    finished_at         TEXT,
    -- The audit trail just before the stocktake's first event and just before its last one,
    -- printed on the report so an auditor can tie it to `verify`.
    start_event_count   INTEGER NOT NULL CHECK (start_event_count >= 0),
    start_head          TEXT NOT NULL,
    finish_event_count  INTEGER CHECK (finish_event_count IS NULL OR finish_event_count >= 0),
    finish_head         TEXT,
    -- Called off: finished without turning what was not seen into missing.
    cancelled           INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    CHECK ((finished_at IS NULL) = (finish_head IS NULL))
) STRICT;
-- At most one stocktake is open at a time.
CREATE UNIQUE INDEX stocktakes_open ON stocktakes (finished_at IS NULL) WHERE finished_at IS NULL;

-- The locations a stocktake covers (none when it covers everything).
CREATE TABLE stocktake_locations (
    stocktake_id  INTEGER NOT NULL REFERENCES stocktakes (id),
    location_id   INTEGER NOT NULL REFERENCES locations (id),
    PRIMARY KEY (stocktake_id, location_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX stocktake_locations_location ON stocktake_locations (location_id);

-- One row per expected asset (listed at the start) and per tag scanned that was not expected.
CREATE TABLE stocktake_items (
    id                 INTEGER PRIMARY KEY,
    stocktake_id       INTEGER NOT NULL REFERENCES stocktakes (id),
    asset_id           INTEGER REFERENCES assets (id),   -- NULL: a tag the register does not know
    tag                TEXT NOT NULL,
    name               TEXT,                             -- the asset's name when listed
    expected           INTEGER NOT NULL CHECK (expected IN (0, 1)),
    expected_location  TEXT,                             -- where the register had it
    outcome            TEXT NOT NULL DEFAULT 'not_seen' CHECK (outcome IN
                         ('not_seen', 'found', 'elsewhere', 'unexpected', 'missing')),
    seen_at            TEXT,                             -- when it was scanned or ticked
    seen_location      TEXT,                             -- the room it was found in
    moved              INTEGER NOT NULL DEFAULT 0 CHECK (moved IN (0, 1)),
    marked_lost        INTEGER NOT NULL DEFAULT 0 CHECK (marked_lost IN (0, 1)),
    note               TEXT
) STRICT;
CREATE UNIQUE INDEX stocktake_items_tag ON stocktake_items (stocktake_id, tag COLLATE NOCASE);
CREATE INDEX stocktake_items_asset ON stocktake_items (asset_id);
CREATE INDEX stocktake_items_outcome ON stocktake_items (stocktake_id, outcome);

-- The day an asset was last seen in a stocktake (YYYY-MM-DD), for "not seen for N months".
ALTER TABLE assets ADD COLUMN last_seen TEXT;
CREATE INDEX assets_last_seen ON assets (last_seen);
