//! Register-wide settings: the organisation's name and the currency. Changes are audited.
//! What a saved setting must be, and what saving it records, are `rules`' (shared with the
//! team register); this file reads and writes them in a register file.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::db::Tx;
use crate::error::Result;

mod rules;

pub use rules::{check_settings, settings_changed};

/// The currency a new register starts with (set by the first migration).
pub const DEFAULT_CURRENCY: &str = "GBP";

/// The register's settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The organisation's name, shown on reports.
    pub organisation: String,
    /// ISO 4217 code, e.g. GBP. Amounts are stored in its minor unit (two decimals).
    pub currency: String,
}

/// Reads the settings.
pub fn get_settings(conn: &Connection) -> Result<Settings> {
    let mut stmt = conn.prepare_cached("SELECT key, value FROM settings")?;
    let mut s = Settings::default();
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (k, v) = row?;
        match k.as_str() {
            "organisation" => s.organisation = v,
            "currency" => s.currency = v,
            _ => {}
        }
    }
    Ok(s)
}

/// Saves the settings (checked and recorded by `rules`); audits what changed.
pub fn update_settings(tx: &mut Tx<'_>, new: &Settings) -> Result<Settings> {
    let new = check_settings(new)?;
    let old = get_settings(tx.conn())?;
    if let Some(event) = settings_changed(&old, &new) {
        for (k, v) in [
            ("organisation", &new.organisation),
            ("currency", &new.currency),
        ] {
            tx.conn().execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![k, v],
            )?;
        }
        audit::record(tx, event)?;
    }
    get_settings(tx.conn())
}
