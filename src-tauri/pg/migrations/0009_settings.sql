-- 0009: the register's settings, kept as the file keeps them (the core's 0001 and 0008): one row
-- per key, the value as text. A new register has the file's defaults: currency GBP, no
-- organisation. The yearly inflation of replacement costs is the key 'inflation_bp' (basis
-- points), written the first time it is set, as in the file.
-- Once shipped: never edit; add a new migration instead.

CREATE TABLE public.settings (
    key   TEXT PRIMARY KEY CHECK (key <> ''),
    value TEXT NOT NULL
);
INSERT INTO public.settings (key, value) VALUES ('currency', 'GBP'), ('organisation', '');
