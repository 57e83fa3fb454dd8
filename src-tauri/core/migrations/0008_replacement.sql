-- 0008: replacement planning. A category's useful life before its assets are replaced (months)
-- and what replacing one costs today (minor units); an asset may have its own life. The yearly
-- inflation applied to replacement costs lives in settings ('inflation_bp', basis points).
-- Shipped: never edit; add a new migration instead.
ALTER TABLE categories ADD COLUMN replacement_months INTEGER
    CHECK (replacement_months IS NULL OR replacement_months BETWEEN 1 AND 600);
ALTER TABLE categories ADD COLUMN replace_with INTEGER
    CHECK (replace_with IS NULL OR replace_with >= 0);
ALTER TABLE assets ADD COLUMN replacement_months INTEGER
    CHECK (replacement_months IS NULL OR replacement_months BETWEEN 1 AND 600);
