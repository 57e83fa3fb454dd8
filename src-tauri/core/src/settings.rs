//! Register-wide settings: the organisation's name and the currency. Changes are audited.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Change, NewEvent};
use crate::db::Tx;
use crate::error::{Error, Result};

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

/// Saves the settings; audits what changed.
pub fn update_settings(tx: &mut Tx<'_>, new: &Settings) -> Result<Settings> {
    let currency = new.currency.trim().to_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(Error::invalid(
            "currency",
            "use a three-letter currency code such as GBP, EUR or USD",
        ));
    }
    let organisation = new.organisation.trim().to_string();
    if organisation.chars().count() > 200 {
        return Err(Error::invalid("organisation", "at most 200 characters"));
    }
    let old = get_settings(tx.conn())?;
    let changes: Vec<Change> = [
        Change::new(
            "organisation",
            Some(old.organisation.clone()),
            Some(organisation.clone()),
        ),
        Change::new(
            "currency",
            Some(old.currency.clone()),
            Some(currency.clone()),
        ),
    ]
    .into_iter()
    .filter(|c| c.old != c.new)
    .collect();
    if !changes.is_empty() {
        for (k, v) in [("organisation", &organisation), ("currency", &currency)] {
            tx.conn().execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![k, v],
            )?;
        }
        audit::record(tx, NewEvent::settings_edited(changes))?;
    }
    get_settings(tx.conn())
}
