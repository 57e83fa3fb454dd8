//! The register's settings on the server follow the core's rules and record the core's events:
//! the same saves applied to a file register and to a team register give the same settings
//! after each, the same events (re-hashing to the same head) and the same refusals in the same
//! words; a new team register starts with the file's defaults, and Home's amounts are in the
//! currency saved. Two saves at once are applied one after the other. Viewers and auditors read
//! the settings and save none.

use chrono::NaiveDate;
use register_core::audit::Source;
use register_core::replacements as core_replacements;
use register_core::settings::{self as core_settings, Settings, DEFAULT_CURRENCY};
use register_core::summary as core_summary;
use register_core::Db;
use register_pg::admin::Role;
use register_pg::{replacements, settings, summary, Client, Error};

use crate::util::{assert_same_events, server_or_skip, while_in_flight, TestRegister};

fn saved(organisation: &str, currency: &str) -> Settings {
    Settings {
        organisation: organisation.into(),
        currency: currency.into(),
    }
}

fn save_file(db: &Db, s: &Settings) -> register_core::Result<Settings> {
    db.write(Source::App, |tx| core_settings::update_settings(tx, s))
}

fn save_server(client: &mut Client, s: &Settings) -> register_pg::Result<Settings> {
    register_pg::write(client, Source::App, |tx| settings::update_settings(tx, s))
}

#[test]
fn settings_are_the_same_in_both_stores() {
    let server = server_or_skip!("settings_are_the_same_in_both_stores");
    let mut reg = TestRegister::new(server, "settings");
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    let db = Db::open_in_memory().unwrap();

    let fresh = settings::get_settings(&mut ed).unwrap();
    assert_eq!(fresh, db.read(core_settings::get_settings).unwrap());
    assert_eq!(fresh, saved("", DEFAULT_CURRENCY));

    for (i, s) in [
        saved("  Acme Ltd ", "eur"),
        // The same again, spelt otherwise: nothing written.
        saved("Acme Ltd", " EUR "),
        saved("Acme Ltd", "usd"),
        saved("", "USD"),
        saved(&"é".repeat(200), "GBP"),
    ]
    .iter()
    .enumerate()
    {
        let in_file = save_file(&db, s).unwrap_or_else(|e| panic!("save {i} in the file: {e}"));
        let on_server =
            save_server(&mut ed, s).unwrap_or_else(|e| panic!("save {i} on the server: {e}"));
        assert_eq!(on_server, in_file, "save {i}");
        assert_eq!(
            settings::get_settings(&mut ed).unwrap(),
            in_file,
            "save {i}"
        );
    }
    for (i, s) in [
        saved("Acme", "EURO"),
        saved("Acme", "E1R"),
        saved("Acme", ""),
        saved(&"x".repeat(201), "EUR"),
    ]
    .iter()
    .enumerate()
    {
        let in_file = save_file(&db, s).expect_err(&format!("refused save {i} in the file"));
        let on_server =
            save_server(&mut ed, s).expect_err(&format!("refused save {i} on the server"));
        let field = match &on_server {
            Error::Core(c) => c.field(),
            other => panic!("refused save {i}: {other:?}"),
        };
        assert_eq!(
            on_server.to_string(),
            in_file.to_string(),
            "refused save {i}"
        );
        assert_eq!(field, in_file.field(), "refused save {i}");
    }
    let last = db.read(core_settings::get_settings).unwrap();
    assert_eq!(settings::get_settings(&mut ed).unwrap(), last);
    assert_eq!(last, saved(&"é".repeat(200), "GBP"));

    // Home's amounts are in the currency saved.
    save_file(&db, &saved("Acme", "CHF")).unwrap();
    save_server(&mut ed, &saved("Acme", "CHF")).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    let home = summary::summary(&mut ed, today).unwrap();
    assert_eq!(home.currency, "CHF");
    let in_file = db.read(|c| core_summary::summary(c, today)).unwrap();
    assert_eq!(home.currency, in_file.currency);
    assert_eq!(summary::due_soon(&mut ed, today).unwrap().currency, "CHF");

    // Acme in EUR; USD; no organisation; the long name in GBP; Acme in CHF.
    assert_eq!(assert_same_events(&db, &mut ed, &editor), 5);
}

/// Viewers and auditors read the settings and save none.
#[test]
fn only_editors_save_settings() {
    let server = server_or_skip!("only_editors_save_settings");
    let mut reg = TestRegister::new(server, "settingsroles");
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    save_server(&mut ed, &saved("Acme", "EUR")).unwrap();
    for (name, role) in [("reader", Role::Viewer), ("checker", Role::Auditor)] {
        let login = reg.add_login(name, role);
        let mut client = reg.connect_as(&login);
        assert_eq!(
            settings::get_settings(&mut client).unwrap(),
            saved("Acme", "EUR")
        );
        let err = save_server(&mut client, &saved("Other", "USD")).unwrap_err();
        assert!(matches!(err, Error::Denied(_)), "{role:?}: {err:?}");
    }
    assert_eq!(
        settings::get_settings(&mut ed).unwrap(),
        saved("Acme", "EUR")
    );
}

/// Two people saving the settings at once: the second waits for the first, then records what
/// it changed from the first's values (as a file would, one save after the other); the same
/// for the yearly inflation, which is a setting too.
#[test]
fn two_saves_at_once_are_applied_one_after_the_other() {
    let server = server_or_skip!("two_saves_at_once_are_applied_one_after_the_other");
    let mut reg = TestRegister::new(server, "settingsrace");
    let editor = reg.add_login("ed", Role::Editor);
    let mut a = reg.connect_as(&editor);
    let mut b = reg.connect_as(&editor);
    let db = Db::open_in_memory().unwrap();

    let second = while_in_flight(
        &mut a,
        &mut b,
        |tx| settings::update_settings(tx, &saved("First Ltd", "EUR")).map(drop),
        |b| save_server(b, &saved("Second Ltd", "EUR")),
    )
    .unwrap();
    assert_eq!(second, saved("Second Ltd", "EUR"));
    while_in_flight(
        &mut a,
        &mut b,
        |tx| replacements::set_inflation(tx, "2"),
        |b| register_pg::write(b, Source::App, |tx| replacements::set_inflation(tx, "3")),
    )
    .unwrap();
    assert_eq!(replacements::plan(&mut a).unwrap().inflation_percent, "3");

    // The file, one after the other, records the same.
    save_file(&db, &saved("First Ltd", "EUR")).unwrap();
    save_file(&db, &saved("Second Ltd", "EUR")).unwrap();
    for p in ["2", "3"] {
        db.write(Source::App, |tx| core_replacements::set_inflation(tx, p))
            .unwrap();
    }
    assert_eq!(assert_same_events(&db, &mut a, &editor), 4);
}
