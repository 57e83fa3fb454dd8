//! The register as it stood at a past moment, rebuilt from the audit trail (to be written).
