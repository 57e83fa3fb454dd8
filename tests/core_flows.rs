//! The core used directly on a file register: the structural audit guarantee, settings,
//! summary, and reopening.

use register_core::assets::{self, AssetInput, Holder};
use register_core::{audit, people, settings, summary, Source, Status};

use crate::util::TestDb;

fn laptop(tag: &str, warranty: &str, cost: &str) -> AssetInput {
    AssetInput {
        asset_tag: tag.into(),
        name: format!("Laptop {tag}"),
        category: "Laptop".into(),
        purchase_cost: cost.into(),
        warranty_expires: warranty.into(),
        ..Default::default()
    }
}

#[test]
fn every_write_path_leaves_an_event_and_the_chain_verifies() {
    let t = TestDb::new();
    let db = t.open();
    let a = db
        .write(Source::App, |tx| {
            assets::create_asset(tx, &laptop("IT-1", "", "10"), None)
        })
        .unwrap();
    db.write(Source::App, |tx| {
        assets::assign_asset(tx, a.id, &Holder::Person("Ann".into()), None)
    })
    .unwrap();
    db.write(Source::App, |tx| {
        assets::return_asset(tx, a.id, Some("Store"), None)
    })
    .unwrap();
    db.write(Source::App, |tx| {
        assets::change_status(tx, a.id, Status::Retired, None)
    })
    .unwrap();
    db.write(Source::App, |tx| assets::archive_asset(tx, a.id, None))
        .unwrap();
    let ann = db.read(|c| people::find_person(c, "ann")).unwrap().unwrap();
    db.write(Source::App, |tx| {
        people::update_person(
            tx,
            ann.id,
            &people::PersonInput {
                name: "Ann Lee".into(),
                email: "ann@example.org".into(),
                ..Default::default()
            },
        )
    })
    .unwrap();
    db.write(Source::App, |tx| {
        people::set_person_left(tx, ann.id, true, Some("last day"))
    })
    .unwrap();
    db.write(Source::App, |tx| {
        settings::update_settings(
            tx,
            &settings::Settings {
                organisation: "Acme Ltd".into(),
                currency: "eur".into(),
            },
        )
    })
    .unwrap();
    let events = db.read(|c| audit::list_audit_events(c, None)).unwrap();
    let kinds: Vec<(&str, &str)> = events
        .iter()
        .rev()
        .map(|e| (e.entity.as_str(), e.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("category", "created"),
            ("asset", "created"),
            ("person", "created"),
            ("asset", "assigned"),
            ("location", "created"),
            ("asset", "returned"),
            ("asset", "status_changed"),
            ("asset", "archived"),
            ("person", "edited"),
            ("person", "left"),
            ("settings", "edited"),
        ]
    );
    assert!(events.iter().all(|e| e.source == "app"));
    let v = db.read(audit::verify).unwrap();
    assert!(v.ok, "{}", v.describe());
    assert_eq!(v.event_count, 11);
    assert_eq!(db.read(settings::get_settings).unwrap().currency, "EUR");
}

#[test]
fn summary_counts_values_and_expiries() {
    let t = TestDb::new();
    let db = t.open();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    for (tag, w, cost) in [
        ("A", "2026-12-10", "1000.00"),
        ("B", "2027-02-01", "250.50"),
        ("C", "2028-01-01", ""),
    ] {
        db.write(Source::Cli, |tx| {
            assets::create_asset(tx, &laptop(tag, w, cost), None)
        })
        .unwrap();
    }
    db.write(Source::Cli, |tx| {
        assets::change_status(tx, 3, Status::LostStolen, None)
    })
    .unwrap();
    let s = db.read(|c| summary::summary(c, today)).unwrap();
    assert_eq!(s.asset_count, 3);
    assert_eq!(s.total_value, "1250.50");
    assert_eq!(s.currency, "GBP");
    assert_eq!(
        s.expiring_30
            .iter()
            .map(|a| a.asset_tag.as_str())
            .collect::<Vec<_>>(),
        ["A"]
    );
    assert_eq!(
        s.expiring_90
            .iter()
            .map(|a| a.asset_tag.as_str())
            .collect::<Vec<_>>(),
        ["B"]
    );
    assert_eq!(
        s.lost
            .iter()
            .map(|a| a.asset_tag.as_str())
            .collect::<Vec<_>>(),
        ["C"]
    );
    let available = s
        .by_status
        .iter()
        .find(|c| c.status == Status::Available)
        .unwrap();
    assert_eq!(
        (available.count, available.value.to_string().as_str()),
        (2, "1250.50")
    );
}

#[test]
fn a_reopened_register_keeps_everything() {
    let t = TestDb::new();
    {
        let db = t.open();
        db.write(Source::Cli, |tx| {
            assets::create_asset(tx, &laptop("IT-9", "", "5"), None)
        })
        .unwrap();
    }
    let db = t.open();
    assert_eq!(
        db.read(|c| assets::find_asset(c, "it-9"))
            .unwrap()
            .purchase_cost
            .map(|m| m.to_string())
            .as_deref(),
        Some("5.00")
    );
    assert!(db.read(audit::verify).unwrap().ok);
}

// See: issue #19, item 8 (a person's History left out what they were given)
/// A person's history lists what they received and gave back (assets and licence seats), under
/// every name they have had, and nobody else's.
#[test]
fn issue_19_a_persons_history_lists_what_they_were_given_and_gave_back() {
    use register_core::licences::{self, LicenceInput};
    let t = TestDb::new();
    let db = t.open();
    let (sam, lic) = db
        .write(Source::App, |tx| {
            assets::create_asset(tx, &laptop("IT-0001", "", ""), None)?;
            assets::create_asset(tx, &laptop("IT-0002", "", ""), None)?;
            let sam = people::create_person(
                tx,
                &people::PersonInput {
                    name: "Sam Patel".into(),
                    ..Default::default()
                },
            )?;
            assets::assign_asset(tx, 1, &Holder::Person("sam patel".into()), Some("kit"))?;
            // Someone else's asset is not in Sam's history.
            assets::assign_asset(tx, 2, &Holder::Person("Alex Morgan".into()), None)?;
            assets::return_asset(tx, 1, None, None)?;
            let lic = licences::create_licence(
                tx,
                &LicenceInput {
                    product: Some("Microsoft 365".into()),
                    seats: Some("5".into()),
                    ..Default::default()
                },
                None,
            )?;
            Ok((sam.id, lic.id))
        })
        .unwrap();
    // Renamed, then given a seat under the new name.
    db.write(Source::App, |tx| {
        people::update_person(
            tx,
            sam,
            &people::PersonInput {
                name: "Samira Patel".into(),
                ..Default::default()
            },
        )?;
        licences::assign_seat(tx, lic, "Samira Patel", None)?;
        licences::release_seat(tx, lic, sam, Some("left the project"))
    })
    .unwrap();
    let events = db.read(|c| audit::list_person_events(c, sam)).unwrap();
    let seen: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e.kind.as_str(), e.label.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("created", "Sam Patel"),
            ("assigned", "IT-0001"),
            ("returned", "IT-0001"),
            ("edited", "Sam Patel"),
            ("seat_assigned", "Microsoft 365"),
            ("seat_released", "Microsoft 365"),
        ]
    );
    assert_eq!(events[1].note.as_deref(), Some("kit"));
}
