-- 0009: disposal records. How a retired asset left the organisation (recycled, sold, returned
-- to its lessor, destroyed, donated), when and to whom, and how its data was wiped, with the
-- wiping certificate's number and, optionally, the certificate itself as one of the asset's
-- documents. One record per asset; correcting it is an audited edit.
-- Shipped: never edit; add a new migration instead.
CREATE TABLE disposals (
    asset_id            INTEGER PRIMARY KEY REFERENCES assets (id),
    method              TEXT NOT NULL
        CHECK (method IN ('recycled', 'sold', 'returned_to_lessor', 'destroyed', 'donated')),
    disposed_on         TEXT NOT NULL,      -- YYYY-MM-DD
    recipient           TEXT,               -- to whom it went (recycler, buyer, lessor, charity)
    wipe_method         TEXT,               -- how its data was wiped (or why none was needed)
    wiped_by            TEXT,
    certificate_number  TEXT,
    certificate_id      INTEGER REFERENCES documents (id) ON DELETE SET NULL,
    note                TEXT,
    recorded_at         TEXT NOT NULL
) STRICT;
