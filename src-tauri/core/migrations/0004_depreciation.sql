-- 0004: depreciation defaults per category. Shipped: never edit; add a new migration instead.
-- method: none | straight_line | declining. Straight-line uses life_months and residual
-- (minor units); declining balance uses rate_bp (yearly rate in basis points: 2500 = 25%).
ALTER TABLE categories ADD COLUMN depreciation TEXT NOT NULL DEFAULT 'none'
    CHECK (depreciation IN ('none', 'straight_line', 'declining'));
ALTER TABLE categories ADD COLUMN life_months INTEGER CHECK (life_months IS NULL OR life_months > 0);
ALTER TABLE categories ADD COLUMN residual INTEGER CHECK (residual IS NULL OR residual >= 0);
ALTER TABLE categories ADD COLUMN rate_bp INTEGER CHECK (rate_bp IS NULL OR (rate_bp > 0 AND rate_bp <= 10000));
