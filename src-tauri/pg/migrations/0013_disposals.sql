-- 0013: disposal records, as the file keeps them (the core's 0009: `disposals`) in PostgreSQL's
-- types: the day it left as DATE, when it was recorded as TIMESTAMPTZ. How a retired asset left
-- (recycled, sold, returned to its lessor, destroyed, donated), when and to whom, how its data
-- was wiped and by whom, the certificate's number and, optionally, the certificate itself as one
-- of the asset's documents (its bytes in `document_content`). One record per asset; correcting
-- it is an audited edit, never a second row.
-- One column the file has not: who recorded or last corrected it (the role the session acts
-- as, set by the server whatever the INSERT or UPDATE says, as the trail's actor is), so a
-- second record of one asset can say who came first. Records are never deleted.
-- Grants are in admin.rs.
-- Once shipped: never edit; add a new migration instead.

CREATE TABLE public.disposals (
    asset_id            BIGINT PRIMARY KEY REFERENCES public.assets (id),
    method              TEXT NOT NULL
        CHECK (method IN ('recycled', 'sold', 'returned_to_lessor', 'destroyed', 'donated')),
    disposed_on         DATE NOT NULL,
    recipient           TEXT,               -- to whom it went (recycler, buyer, lessor, charity)
    wipe_method         TEXT,               -- how its data was wiped (or why none was needed)
    wiped_by            TEXT,
    certificate_number  TEXT,
    certificate_id      BIGINT REFERENCES public.documents (id) ON DELETE SET NULL,
    note                TEXT,
    recorded_at         TIMESTAMPTZ NOT NULL,
    recorded_by         TEXT NOT NULL
);
CREATE INDEX disposals_certificate ON public.disposals (certificate_id);

-- Who recorded is the role the session acts as, whatever the client sends.
CREATE FUNCTION public.disposals_set_recorded_by() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.recorded_by := current_user;
    RETURN NEW;
END $$;
CREATE TRIGGER disposals_recorded_by BEFORE INSERT OR UPDATE ON public.disposals
    FOR EACH ROW EXECUTE FUNCTION public.disposals_set_recorded_by();
