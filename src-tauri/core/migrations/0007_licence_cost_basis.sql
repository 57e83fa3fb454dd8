-- 0007: a licence's cost is per seat or for the whole licence. Every licence recorded before
-- this meant its cost in total, and keeps that meaning. Shipped: never edit; add a new
-- migration instead.

ALTER TABLE licences ADD COLUMN cost_basis TEXT NOT NULL DEFAULT 'total'
    CHECK (cost_basis IN ('total', 'per_seat'));
