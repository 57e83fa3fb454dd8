-- 0006: an asset may override its category's depreciation. depreciation NULL = use the
-- category's default; otherwise none | straight_line | declining with the same parameters as
-- categories (life in months, residual in minor units, yearly rate in basis points).
-- Shipped: never edit; add a new migration instead.
ALTER TABLE assets ADD COLUMN depreciation TEXT
    CHECK (depreciation IS NULL OR depreciation IN ('none', 'straight_line', 'declining'));
ALTER TABLE assets ADD COLUMN life_months INTEGER CHECK (life_months IS NULL OR life_months > 0);
ALTER TABLE assets ADD COLUMN residual INTEGER CHECK (residual IS NULL OR residual >= 0);
ALTER TABLE assets ADD COLUMN rate_bp INTEGER CHECK (rate_bp IS NULL OR (rate_bp > 0 AND rate_bp <= 10000));
