//! The register's settings in the team register: the organisation's name and the currency,
//! read, and saved inside the caller's transaction ([`crate::write`]) with their audit event, by
//! the core's rules (`register_core::settings::check_settings` and `settings_changed`), which
//! the file's `update_settings` calls too: the same refusals in the same words, the same events.
//! Owns the SQL of `settings` (0009), a key and a text value per row as in the file; the yearly
//! inflation of replacement costs is kept there too (`replacements` sets it through
//! [`lock_settings`] and [`put_setting`]).
//!
//! Settings have no row versions, nor in the file: two people saving at once are applied one
//! after the other (every row is locked, `FOR UPDATE`), the later one's values kept and each
//! event recording what it changed from what it found.

use postgres::types::Type;
use postgres::GenericClient;
use register_core::settings::{check_settings, settings_changed, Settings};

use crate::audit;
use crate::db::Tx;
use crate::error::Result;

/// Reads the settings, as the file's `get_settings` does (a key missing reads as empty).
pub fn get_settings(client: &mut impl GenericClient) -> Result<Settings> {
    let mut s = Settings::default();
    for row in client.query_typed("SELECT key, value FROM public.settings", &[])? {
        let key: String = row.try_get("key")?;
        let value: String = row.try_get("value")?;
        match key.as_str() {
            "organisation" => s.organisation = value,
            "currency" => s.currency = value,
            _ => {}
        }
    }
    Ok(s)
}

/// Saves the settings as the file's `update_settings` does: refused by the core's rules before
/// anything is read or written, only what changes recorded, and nothing written when nothing
/// changes. Returns the settings as saved.
pub fn update_settings(tx: &mut Tx<'_>, new: &Settings) -> Result<Settings> {
    let new = check_settings(new)?;
    lock_settings(tx)?;
    let old = get_settings(tx.client())?;
    if let Some(event) = settings_changed(&old, &new) {
        put_setting(tx, "organisation", &new.organisation)?;
        put_setting(tx, "currency", &new.currency)?;
        audit::record(tx, &event)?;
    }
    get_settings(tx.client())
}

/// The value of the setting `key`, when it has been set.
pub(crate) fn setting(client: &mut impl GenericClient, key: &str) -> Result<Option<String>> {
    Ok(client
        .query_typed_opt(
            "SELECT value FROM public.settings WHERE key = $1",
            &[(&key, Type::TEXT)],
        )?
        .map(|r| r.try_get("value"))
        .transpose()?)
}

/// Locks every setting against other changes until this transaction ends. The currency's row
/// is there from the start (0009), so a change that adds a key waits for this one too.
pub(crate) fn lock_settings(tx: &mut Tx<'_>) -> Result<()> {
    tx.client()
        .query_typed("SELECT key FROM public.settings FOR UPDATE", &[])?;
    Ok(())
}

/// Sets `key` to `value`, adding the key the first time.
pub(crate) fn put_setting(tx: &mut Tx<'_>, key: &str, value: &str) -> Result<()> {
    tx.client().query_typed(
        "INSERT INTO public.settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[(&key, Type::TEXT), (&value, Type::TEXT)],
    )?;
    Ok(())
}
