-- 0011, after its step in Rust has copied every event: the compact table takes the old one's
-- place, with the same indexes and the same append-only triggers.
-- Shipped: never edit; add a new migration instead.

DROP TABLE audit_log;
ALTER TABLE audit_log_compact RENAME TO audit_log;
CREATE INDEX audit_log_asset ON audit_log (asset_id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- The app itself can only append to the trail.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE (ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE (ABORT, 'the audit log is append-only');
END;
