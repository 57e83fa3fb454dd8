//! The rules of the register's settings that need no storage, shared by every store: what a
//! saved organisation and currency must be, and what saving them records. The file's
//! `update_settings` calls them, and so does the team register on PostgreSQL (`register_pg`),
//! so both refuse the same settings in the same words and record the same events. Nothing here
//! reads or writes a database.

use super::Settings;
use crate::audit::{Change, NewEvent};
use crate::error::{Error, Result};

/// The settings as they are saved: the currency trimmed and upper-cased, the organisation
/// trimmed; refuses a currency that is not three letters and an organisation over 200
/// characters.
pub fn check_settings(new: &Settings) -> Result<Settings> {
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
    Ok(Settings {
        organisation,
        currency,
    })
}

/// The event that records saving `new` (as [`check_settings`] gives it) over `old`: only what
/// changes, or `None` when nothing does (nothing to write).
pub fn settings_changed(old: &Settings, new: &Settings) -> Option<NewEvent<'static>> {
    let changes: Vec<Change> = [
        Change::new(
            "organisation",
            Some(old.organisation.clone()),
            Some(new.organisation.clone()),
        ),
        Change::new(
            "currency",
            Some(old.currency.clone()),
            Some(new.currency.clone()),
        ),
    ]
    .into_iter()
    .filter(|c| c.old != c.new)
    .collect();
    (!changes.is_empty()).then(|| NewEvent::settings_edited(changes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(organisation: &str, currency: &str) -> Settings {
        Settings {
            organisation: organisation.into(),
            currency: currency.into(),
        }
    }

    #[test]
    fn settings_are_tidied_refused_in_words_and_record_only_what_changes() {
        let tidy = check_settings(&settings("  Acme ", " eur")).unwrap();
        assert_eq!(tidy, settings("Acme", "EUR"));
        let err = check_settings(&settings("Acme", "EURO")).unwrap_err();
        assert_eq!(err.field(), Some("currency"));
        let err = check_settings(&settings(&"x".repeat(201), "EUR")).unwrap_err();
        assert_eq!(err.to_string(), "at most 200 characters");
        assert!(settings_changed(&tidy, &tidy).is_none());
        let event = settings_changed(&settings("Acme", "GBP"), &tidy).unwrap();
        assert_eq!(
            event.changes,
            [Change::new(
                "currency",
                Some("GBP".into()),
                Some("EUR".into())
            )]
        );
    }
}
