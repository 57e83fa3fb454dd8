-- 0001: the hash-chained audit log of a team register, its one-row chain head, and the triggers
-- that keep the log append-only and the head in step with it. Role names and grants are not
-- here (they depend on the register's role prefix): see admin.rs.
-- Once shipped: never edit; add a new migration instead.
--
-- Every table and function is named with its schema (public.) so that a session's own temporary
-- table of the same name (pg_temp is searched first) can never stand in for the real one inside
-- a trigger.

-- The same hashed fields as the SQLite file's audit_log, hashed by register_core with the same
-- encoding; `actor` is extra and outside the hash (see the actor trigger below).
CREATE TABLE public.audit_log (
    id          BIGINT PRIMARY KEY CHECK (id >= 1),   -- the sequence number: 1, 2, 3… no gaps
    at          TEXT NOT NULL,          -- UTC, RFC 3339 with microseconds, the server's clock
    source      TEXT NOT NULL,          -- app | cli | import | system
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   BIGINT,
    asset_id    BIGINT,                 -- no foreign key yet: the register's tables come later
    label       TEXT NOT NULL,
    changes     TEXT NOT NULL,          -- JSON text, hashed as stored
    note        TEXT,
    -- Guards against a fork: no two events may follow the same event.
    prev_hash   TEXT NOT NULL UNIQUE CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash        TEXT NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    -- The database role that wrote the event (set by the server, whatever the client sends).
    actor       TEXT NOT NULL
);
CREATE INDEX audit_log_asset ON public.audit_log (asset_id);
CREATE INDEX audit_log_entity ON public.audit_log (entity, entity_id);

-- The last event: appenders lock this row (SELECT … FOR UPDATE) in the change's own
-- transaction, so appends from every client queue up behind one another.
CREATE TABLE public.chain_head (
    only_row    BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_row),
    seq         BIGINT NOT NULL CHECK (seq >= 0),
    hash        TEXT NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);
INSERT INTO public.chain_head (seq, hash)
VALUES (0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The event's actor is the role the session acts as, whatever the INSERT says.
CREATE FUNCTION public.audit_log_set_actor() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.actor := current_user;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_log_actor BEFORE INSERT ON public.audit_log
    FOR EACH ROW EXECUTE FUNCTION public.audit_log_set_actor();

-- Each insert must extend the head by exactly one, and moves it. An insert that does not follow
-- the head (a client that skipped the lock, or wrote a row by hand) is refused, so the head and
-- the log cannot drift apart.
CREATE FUNCTION public.audit_log_advance_head() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    UPDATE public.chain_head SET seq = NEW.id, hash = NEW.hash
     WHERE seq = NEW.id - 1 AND hash = NEW.prev_hash;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'audit event % does not follow the head of the chain', NEW.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER audit_log_head AFTER INSERT ON public.audit_log
    FOR EACH ROW EXECUTE FUNCTION public.audit_log_advance_head();

-- The log is append-only. REVOKE keeps the app's roles out; these triggers also stop a role that
-- was granted too much by mistake. The owner can still drop them: the app never connects as it.
CREATE FUNCTION public.audit_log_refuse() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON public.audit_log
    FOR EACH ROW EXECUTE FUNCTION public.audit_log_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON public.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION public.audit_log_refuse();

-- The head moves only through an insert into the log (the trigger above runs one level down);
-- editors hold UPDATE on it only because SELECT … FOR UPDATE needs that privilege.
CREATE FUNCTION public.chain_head_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the chain head moves only when an event is appended (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER chain_head_guard BEFORE INSERT OR UPDATE OR DELETE ON public.chain_head
    FOR EACH ROW EXECUTE FUNCTION public.chain_head_guard();
CREATE TRIGGER chain_head_no_truncate BEFORE TRUNCATE ON public.chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION public.chain_head_guard();
