-- 0005: which person in the register signs in with which login, so that the login an event
-- records as its actor (audit_log.actor, 0001) names a person. Written only by the owner
-- (`team grant`, with its own audited event); read by all three roles. Grants are in admin.rs.
-- Once shipped: never edit; add a new migration instead.

-- A login is tied to one person and stays theirs, so the events it wrote keep naming the person
-- who wrote them; a person may have several logins.
CREATE TABLE public.logins (
    login       TEXT PRIMARY KEY CHECK (login <> ''),
    person_id   BIGINT NOT NULL REFERENCES public.people (id),
    tied_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX logins_person ON public.logins (person_id);

-- A tie is never moved or undone: no role is granted UPDATE or DELETE, and this stops the owner
-- too unless it drops the trigger.
CREATE FUNCTION public.logins_refuse() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'a login stays tied to its person (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER logins_fixed BEFORE UPDATE OR DELETE ON public.logins
    FOR EACH ROW EXECUTE FUNCTION public.logins_refuse();
CREATE TRIGGER logins_no_truncate BEFORE TRUNCATE ON public.logins
    FOR EACH STATEMENT EXECUTE FUNCTION public.logins_refuse();
