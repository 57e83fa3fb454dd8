-- 0007: row versions for people, as assets (0003) and licences (0006) have them: every write of a
-- person (an edit, leaving, coming back) moves their version on by one, whatever the client
-- sends, and the event that records the write names the version it made, so a save that started
-- from an older version can be refused with who changed what since.
-- Once shipped: never edit; add a new migration instead.

ALTER TABLE public.people
    ADD COLUMN version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1);

-- The person's version an event made (person events written from 0007 on), outside the hash
-- like `asset_version` (0003). Found by audit_log_entity (0001).
ALTER TABLE public.audit_log ADD COLUMN person_version BIGINT CHECK (person_version >= 1);

-- A new person starts at version 1 and each update adds one. Nothing updates a person from a
-- trigger (a rename copies the name onto assets, not the other way), so every update is a
-- write with its own event.
CREATE FUNCTION public.people_next_version() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.version := 1;
    ELSE
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER people_version BEFORE INSERT OR UPDATE ON public.people
    FOR EACH ROW EXECUTE FUNCTION public.people_next_version();
