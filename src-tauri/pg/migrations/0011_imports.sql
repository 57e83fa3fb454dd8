-- 0011: CSV and workbook imports. Mirrors the file register's `imports`, `import_items` and
-- `import_mappings` (0002 of the core's migrations) in PostgreSQL's types: instants as
-- TIMESTAMPTZ, counts as BIGINT, the same CHECKs. Adds what only a shared register needs: the
-- import in progress (`import_running`, one row, read by every client), and appending a batch
-- of events in one statement (the chain head moved once per statement, not per row). Grants are
-- in admin.rs.
-- Once shipped: never edit; add a new migration instead.

-- Numbered 1, 2, 3… by the import itself (max + 1, under the chain head's lock), not by a
-- sequence: a rolled back import leaves no gap, so "import #N" in the events is the number the
-- same import gets in a file.
CREATE TABLE public.imports (
    id          BIGINT PRIMARY KEY CHECK (id >= 1),
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    at          TIMESTAMPTZ NOT NULL,
    rows        BIGINT NOT NULL CHECK (rows >= 0),  -- data rows read from the file
    created     BIGINT NOT NULL CHECK (created >= 0),
    updated     BIGINT NOT NULL CHECK (updated >= 0),
    skipped     BIGINT NOT NULL CHECK (skipped >= 0),  -- duplicate, skipped and invalid rows
    -- The import's summary event: changes to its assets after it block the undo. No foreign
    -- key (unlike the file's): a key referencing the trail would make a TRUNCATE of it fail on
    -- the key before its trigger refuses it, and the trail never loses an event anyway.
    event_id    BIGINT CHECK (event_id >= 1),
    undone_at   TIMESTAMPTZ
);
CREATE INDEX imports_event ON public.imports (event_id);

CREATE TABLE public.import_items (
    import_id   BIGINT NOT NULL REFERENCES public.imports (id),
    asset_id    BIGINT NOT NULL REFERENCES public.assets (id),
    action      TEXT NOT NULL CHECK (action IN ('created', 'updated')),
    before      TEXT,                   -- updated: JSON {field: old value} of the fields changed
    PRIMARY KEY (import_id, asset_id)
);
CREATE INDEX import_items_asset ON public.import_items (asset_id);

CREATE TABLE public.import_mappings (
    header_key  TEXT PRIMARY KEY,       -- the file's normalised headers, joined
    mapping     TEXT NOT NULL,          -- JSON [[column header, field], …]
    updated_at  TIMESTAMPTZ NOT NULL
);

-- An import is one transaction, which nobody else sees until it commits; this row says, to
-- every client, that one is running: who, which file, since when. It is written and committed
-- before the import's transaction begins, by a session that holds the import's advisory lock
-- (`register_pg::imports`), and deleted when it ends. The lock, not the row, is the truth: a
-- client that dies mid-import loses its session and so its lock, and a row whose `pid` holds no
-- such lock (pg_locks) is stale, shown to nobody and written over by the next import.
CREATE TABLE public.import_running (
    only_row    BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_row),
    login       TEXT NOT NULL DEFAULT current_user,
    pid         INTEGER NOT NULL DEFAULT pg_backend_pid(),
    file_name   TEXT NOT NULL,
    rows        BIGINT NOT NULL CHECK (rows >= 0),
    started_at  TIMESTAMPTZ NOT NULL DEFAULT statement_timestamp()
);

-- Appending in batches. The head trigger of 0001 moves `chain_head` once per event; in one
-- transaction each move leaves a row version that the next one's scan must step over (none can
-- be pruned before the commit), so 20,000 events in one transaction took 2.3 s and 190,000
-- would take minutes. A transaction that sets `register.batch_append` to `on` (SET LOCAL) has
-- its events checked and the head moved once per INSERT statement instead, by the statement
-- trigger below: the rows past the head must be numbered on from it without a gap, each naming
-- the hash of the one before. Either way the chain is checked before the statement ends, and
-- `UNIQUE (prev_hash)` and the primary key still refuse a fork: the setting chooses only how
-- often the head moves, so a client that sets it gains nothing.
-- The row trigger of 0001 is left out for such a transaction (its WHEN, so no per-row call is
-- even queued); its function is unchanged.
CREATE OR REPLACE TRIGGER audit_log_head AFTER INSERT ON public.audit_log
    FOR EACH ROW WHEN (current_setting('register.batch_append', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION public.audit_log_advance_head();

CREATE FUNCTION public.audit_log_advance_head_batch() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    head_seq  BIGINT;
    head_hash TEXT;
    n         BIGINT;
    last_id   BIGINT;
    bad       BIGINT;
BEGIN
    IF current_setting('register.batch_append', true) IS DISTINCT FROM 'on' THEN
        RETURN NULL;                    -- moved row by row by audit_log_head
    END IF;
    SELECT seq, hash INTO head_seq, head_hash FROM public.chain_head FOR UPDATE;
    SELECT count(*), max(id) INTO n, last_id FROM public.audit_log WHERE id > head_seq;
    IF n = 0 THEN
        RETURN NULL;
    END IF;
    SELECT min(a.id) INTO bad
      FROM public.audit_log a LEFT JOIN public.audit_log p ON p.id = a.id - 1
     WHERE a.id > head_seq
       AND a.prev_hash IS DISTINCT FROM
           CASE WHEN a.id = head_seq + 1 THEN head_hash ELSE p.hash END;
    IF last_id <> head_seq + n OR bad IS NOT NULL THEN
        RAISE EXCEPTION 'audit event % does not follow the head of the chain',
            coalesce(bad, last_id)
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    UPDATE public.chain_head
       SET seq = last_id, hash = (SELECT hash FROM public.audit_log WHERE id = last_id);
    RETURN NULL;
END $$;
CREATE TRIGGER audit_log_head_batch AFTER INSERT ON public.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION public.audit_log_advance_head_batch();
