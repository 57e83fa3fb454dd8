-- 0002: the assets table and its text search. Mirrors the file register's assets table (0001,
-- 0006, 0008, 0010 of the core's migrations) in PostgreSQL's types: dates as DATE, instants as
-- TIMESTAMPTZ, money as whole minor units. People, locations and categories get their own tables
-- later; until then their ids carry no foreign key, like audit_log.asset_id.
-- Once shipped: never edit; add a new migration instead.
--
-- Search finds the same assets as the file's FTS5 index (unicode61, remove_diacritics 2): words
-- are runs of letters and digits, folded to lower case with accents off ASCII letters, and each
-- typed word matches as a prefix. See register_pg::assets for the query side and for where the two stores
-- still differ.

-- The text the search index holds, folded as the file's tokenizer folds it:
-- - lower case (ICU's, for every script);
-- - an ASCII letter loses its accents (é, ü, ñ, ǖ, ệ → e, u, n, u, e), and nothing else does:
--   FTS5's remove_diacritics keeps ł, ø, đ, ß, æ, Greek and Cyrillic letters as they are. So
--   this is Unicode's decomposition (NFD) with the marks after an ASCII letter dropped, not the
--   unaccent extension, which also folds those letters (ł → l, ß → ss, ё → е, ½ → 1/2) and
--   would make the server find assets the file does not;
-- - every run of characters that are not letters or digits becomes one space, so the
--   text-search parser sees only plain words (left to itself it keeps "IT-0042" as "it" and
--   "-0042", and "3.14" and e-mail addresses whole, where FTS5 splits them). FTS5 counts every
--   number as a digit (½, ², Ⅻ, ①) and private-use characters as letters; [:alnum:] has only
--   decimal digits, so those blocks are listed.
-- - a word is cut after 255 characters (the most a regular expression counts), under the
--   2047 bytes a lexeme may take: only a pasted blob is that long, and a search for more than
--   its first 255 characters finds it as well.
-- The ICU root collation gives the same case mapping and character classes whatever the
-- database's locale: in a "C" database the default would count no letter outside ASCII.
CREATE FUNCTION public.register_search_text(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN regexp_replace(regexp_replace(
    normalize(regexp_replace(normalize(lower(t COLLATE "und-x-icu"), NFD),
                             '([a-z])[\u0300-\u036f]+', '\1', 'g'), NFC) COLLATE "und-x-icu",
    '[^[:alnum:]¹²³¼½¾\u2070-\u2089\u2150-\u218b\u2460-\u249b\u2776-\u2793\ue000-\uf8ff]+',
    ' ', 'g'), '(\S{255})\S+', '\1', 'g');

CREATE TABLE public.assets (
    id                 BIGINT PRIMARY KEY CHECK (id >= 1),
    asset_tag          TEXT NOT NULL CHECK (asset_tag <> ''),
    name               TEXT NOT NULL,
    category_id        BIGINT,
    make               TEXT,
    model              TEXT,
    serial_number      TEXT,
    serial_key         TEXT,            -- upper-cased, trimmed serial: the uniqueness key
    purchase_date      DATE,
    purchase_cost      BIGINT CHECK (purchase_cost IS NULL OR purchase_cost >= 0),  -- pence
    supplier           TEXT,
    warranty_expires   DATE,
    notes              TEXT,
    status             TEXT NOT NULL CHECK (status IN
                           ('available', 'deployed', 'in_maintenance', 'retired', 'lost_stolen')),
    person_id          BIGINT,
    location_id        BIGINT,
    -- Copies of the category's, person's and location's names, as in the file.
    category_name      TEXT,
    person_name        TEXT,
    location_name      TEXT,
    depreciation       TEXT CHECK (depreciation IS NULL
                           OR depreciation IN ('none', 'straight_line', 'declining')),
    life_months        INTEGER CHECK (life_months IS NULL OR life_months > 0),
    residual           BIGINT CHECK (residual IS NULL OR residual >= 0),
    rate_bp            INTEGER CHECK (rate_bp IS NULL OR (rate_bp > 0 AND rate_bp <= 10000)),
    replacement_months INTEGER CHECK (replacement_months IS NULL
                           OR replacement_months BETWEEN 1 AND 600),
    last_seen          DATE,
    archived_at        TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    -- The same columns as the file's assets_fts (the holder column there is the person's and
    -- the location's names). Coalesce and ||, not concat_ws, which is only STABLE. The folded
    -- words are the lexemes as they are: the text-search parser (to_tsvector) would drop what
    -- the server's C library does not call a letter (½ under glibc). Without positions, which
    -- only phrases need: search has none (see register_pg::assets).
    search             tsvector GENERATED ALWAYS AS (array_to_tsvector(string_to_array(btrim(
                           public.register_search_text(
                               coalesce(asset_tag, '') || ' ' || coalesce(name, '') || ' ' ||
                               coalesce(serial_number, '') || ' ' || coalesce(make, '') || ' ' ||
                               coalesce(model, '') || ' ' || coalesce(person_name, '') || ' ' ||
                               coalesce(location_name, '') || ' ' || coalesce(notes, ''))), ' '))) STORED
);
-- A tag names one asset for ever, ignoring case the way the file's NOCASE does (ASCII only:
-- lower() under the "C" collation folds nothing else).
CREATE UNIQUE INDEX assets_tag ON public.assets (lower(asset_tag COLLATE "C"));
-- A serial is unique among live assets.
CREATE UNIQUE INDEX assets_serial ON public.assets (serial_key)
    WHERE serial_key IS NOT NULL AND archived_at IS NULL;
-- Text search over live assets only, as the file's index holds only live ones.
CREATE INDEX assets_search ON public.assets USING gin (search) WHERE archived_at IS NULL;
CREATE INDEX assets_category ON public.assets (category_id);
CREATE INDEX assets_person ON public.assets (person_id);
CREATE INDEX assets_location ON public.assets (location_id);
