-- 0003: row versions for optimistic concurrency. Every write of an asset moves its version on by
-- one, whatever the client sends, and the event that records the write names the version it
-- made, so a save that started from an older version can be refused with who changed what since.
-- Once shipped: never edit; add a new migration instead.

ALTER TABLE public.assets
    ADD COLUMN version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1);

-- The asset's version an event made (asset events written from 0003 on; NULL for other events
-- and for events copied from a file register, which has no versions). Outside the hash, like
-- `actor`: the hash keeps the file's encoding.
ALTER TABLE public.audit_log ADD COLUMN asset_version BIGINT CHECK (asset_version >= 1);

-- A new asset starts at version 1 and each update adds one: set here, not by the client, so no
-- writer can skip a version or hand one back.
CREATE FUNCTION public.assets_next_version() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.version := 1;
    ELSE
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER assets_version BEFORE INSERT OR UPDATE ON public.assets
    FOR EACH ROW EXECUTE FUNCTION public.assets_next_version();

-- A refused save lists the events on that asset after the version it read: audit_log_asset
-- (0001) finds an asset's events, which are few, so no index of its own (it would cost every
-- append).
