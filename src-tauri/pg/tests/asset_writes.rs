//! Asset writes on the server follow the core's rules and record the core's events: the same
//! changes applied to a file register and to a team register give the same events (the same
//! hashes, given the same times) and the same head, and the same refusals in the same words.

use register_core::assets as core_assets;
use register_core::audit::Source;
use register_core::names::Kind;
use register_core::{AssetInput, AssetPatch, Db, Status};
use register_pg::admin::Role;
use register_pg::assets::{self, Versioned};
use register_pg::{audit, names, Client};

use crate::util::{assert_same_events, comparable, server_or_skip, TestRegister};

/// One change, applied to either store by tag.
#[derive(Clone)]
enum Step {
    Create(AssetInput, Option<&'static str>),
    Edit(&'static str, AssetPatch, Option<&'static str>),
    Status(&'static str, Status, Option<&'static str>),
    Archive(&'static str),
    Restore(&'static str, Option<&'static str>),
}

fn input(tag: &str, name: &str) -> AssetInput {
    AssetInput {
        asset_tag: tag.into(),
        name: name.into(),
        ..Default::default()
    }
}

/// A register's life: creates with every kind of field, edits (one that changes nothing),
/// status changes, retiring, archiving and bringing an archived asset back.
fn steps() -> Vec<Step> {
    let full = AssetInput {
        asset_tag: "IT-0001".into(),
        name: "Laptop — «ünïcode» \"quoted\"".into(),
        make: "Lenovo".into(),
        model: "T14".into(),
        serial_number: " pf-3a9x ".into(),
        purchase_date: "2024-03-01".into(),
        purchase_cost: "1,249.99".into(),
        supplier: "Café Ltd".into(),
        warranty_expires: "2027-03-01".into(),
        notes: "two lines\nof notes".into(),
        ..Default::default()
    };
    vec![
        Step::Create(full, Some(" bought in bulk ")),
        Step::Create(input("IT-0002", "Monitor"), None),
        Step::Create(input("it-0003", "Phone"), Some("for Sam")),
        Step::Edit(
            "IT-0001",
            AssetPatch {
                name: Some("Laptop 14\"".into()),
                notes: Some(String::new()),
                purchase_cost: Some("1300".into()),
                ..Default::default()
            },
            Some("repriced"),
        ),
        // Changes nothing: no event in either store.
        Step::Edit(
            "IT-0002",
            AssetPatch {
                name: Some(" Monitor ".into()),
                ..Default::default()
            },
            None,
        ),
        Step::Status("IT-0002", Status::InMaintenance, Some("screen flickers")),
        Step::Edit(
            "IT-0002",
            AssetPatch {
                serial_number: Some("MON-1".into()),
                warranty_expires: Some("2030-01-31".into()),
                ..Default::default()
            },
            None,
        ),
        Step::Status("IT-0002", Status::Retired, None),
        Step::Status("it-0003", Status::LostStolen, None),
        Step::Status("it-0003", Status::Available, Some("found")),
        Step::Edit(
            "it-0003",
            AssetPatch {
                asset_tag: Some("IT-0003".into()),
                ..Default::default()
            },
            None,
        ),
        Step::Archive("IT-0001"),
        // IT-0001 was archived: its serial is free again.
        Step::Create(
            AssetInput {
                serial_number: "PF-3A9X".into(),
                ..input("IT-0004", "Laptop (replacement)")
            },
            None,
        ),
        Step::Archive("IT-0003"),
        Step::Restore("IT-0003", Some("found it")),
    ]
}

/// Changes that both stores must refuse, in the same words.
fn refused() -> Vec<Step> {
    vec![
        Step::Create(input("it-0002", "Same tag, other case"), None),
        Step::Create(
            AssetInput {
                serial_number: "pf-3a9x".into(),
                ..input("IT-0009", "Same serial")
            },
            None,
        ),
        Step::Create(input("", "No tag"), None),
        Step::Create(
            AssetInput {
                purchase_date: "2024-05-01".into(),
                warranty_expires: "2024-04-01".into(),
                ..input("IT-0010", "Warranty before purchase")
            },
            None,
        ),
        Step::Create(
            AssetInput {
                purchase_cost: "-5".into(),
                ..input("IT-0011", "Negative")
            },
            None,
        ),
        Step::Edit(
            "IT-0003",
            AssetPatch {
                asset_tag: Some("IT-0004".into()),
                ..Default::default()
            },
            None,
        ),
        Step::Edit(
            "IT-0003",
            AssetPatch {
                name: Some("a\u{7}bell".into()),
                ..Default::default()
            },
            None,
        ),
        Step::Status("IT-0003", Status::Available, None),
        Step::Status("IT-0003", Status::Deployed, None),
        Step::Status("IT-0001", Status::Retired, None),
        Step::Archive("IT-0001"),
        // Its serial is IT-0004's now; IT-0002 is not archived.
        Step::Restore("IT-0001", None),
        Step::Restore("IT-0002", None),
    ]
}

fn apply_file(db: &Db, step: &Step) -> register_core::Result<()> {
    let id = |tag: &str| db.read(|c| core_assets::find_asset(c, tag)).map(|a| a.id);
    match step {
        Step::Create(i, note) => db
            .write(Source::App, |tx| core_assets::create_asset(tx, i, *note))
            .map(drop),
        Step::Edit(tag, p, note) => {
            let id = id(tag)?;
            db.write(Source::App, |tx| {
                core_assets::update_asset(tx, id, p, *note)
            })
            .map(drop)
        }
        Step::Status(tag, s, note) => {
            let id = id(tag)?;
            db.write(Source::App, |tx| {
                core_assets::change_status(tx, id, *s, *note)
            })
            .map(drop)
        }
        Step::Archive(tag) => {
            let id = id(tag)?;
            db.write(Source::App, |tx| core_assets::archive_asset(tx, id, None))
        }
        Step::Restore(tag, note) => {
            let id = id(tag)?;
            db.write(Source::App, |tx| {
                core_assets::unarchive_asset(tx, id, *note)
            })
            .map(drop)
        }
    }
}

/// The asset tagged `tag` on the server (the test reads by tag, as the file's `find_asset`).
fn find(client: &mut Client, tag: &str) -> Versioned {
    let id: i64 = client
        .query_one(
            "SELECT id FROM assets WHERE lower(asset_tag) = lower($1)",
            &[&tag],
        )
        .unwrap()
        .get(0);
    assets::get_asset(client, id).unwrap()
}

fn apply_server(client: &mut Client, step: &Step) -> register_pg::Result<()> {
    let mut current = |tag: &str| {
        let v = find(client, tag);
        (v.asset.id, v.version)
    };
    let (id, read) = match step {
        Step::Create(..) => (0, 0),
        Step::Edit(tag, ..)
        | Step::Status(tag, ..)
        | Step::Archive(tag)
        | Step::Restore(tag, _) => current(tag),
    };
    register_pg::write(client, Source::App, |tx| {
        match step {
            Step::Create(i, note) => assets::create_asset(tx, i, *note),
            Step::Edit(_, p, note) => assets::update_asset(tx, id, read, p, *note),
            Step::Status(_, s, note) => assets::change_status(tx, id, read, *s, *note),
            Step::Archive(_) => assets::archive_asset(tx, id, read, None),
            Step::Restore(_, note) => assets::unarchive_asset(tx, id, read, *note),
        }
        .map(drop)
    })
}

#[test]
fn the_same_changes_give_the_same_events_and_head_in_both_stores() {
    let server = server_or_skip!("the_same_changes_give_the_same_events_and_head_in_both_stores");
    let mut reg = TestRegister::new(server, "writes");
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    let db = Db::open_in_memory().unwrap();

    for step in steps() {
        apply_file(&db, &step).unwrap();
        apply_server(&mut ed, &step).unwrap();
    }
    for step in refused() {
        let in_file = apply_file(&db, &step).unwrap_err();
        let on_server = apply_server(&mut ed, &step).unwrap_err();
        assert!(
            matches!(&on_server, register_pg::Error::Core(_)),
            "{on_server:?}"
        );
        assert_eq!(on_server.to_string(), in_file.to_string());
    }

    // The same assets, field for field.
    for tag in ["IT-0001", "IT-0002", "IT-0003", "IT-0004"] {
        let file = db.read(|c| core_assets::find_asset(c, tag)).unwrap();
        let server = find(&mut ed, tag);
        assert_eq!(comparable(server.asset), comparable(file), "{tag}");
    }

    // The same events, and the same head given the server's times.
    assert_eq!(
        assert_same_events(&db, &mut ed, &editor),
        14,
        "14 changes that change something"
    );

    // Row versions: one per write, an edit that changed nothing made none.
    let versions: Vec<i64> = ["IT-0001", "IT-0002", "IT-0003", "IT-0004"]
        .iter()
        .map(|t| find(&mut ed, t).version)
        .collect();
    assert_eq!(versions, [3, 4, 6, 1]);
}

/// A category is created on first use, once, whatever case later assets spell it in; a rename
/// reaches every asset in it without making new versions of them (it is the category's event,
/// not theirs).
#[test]
fn a_category_is_created_once_and_renamed_everywhere() {
    let server = server_or_skip!("a_category_is_created_once_and_renamed_everywhere");
    let mut reg = TestRegister::new(server, "category");
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    let mut ids = Vec::new();
    for (tag, category) in [("IT-0001", "Laptop"), ("IT-0002", " laptop ")] {
        let laptop = AssetInput {
            category: category.into(),
            ..input(tag, "Laptop")
        };
        let saved = register_pg::write(&mut ed, Source::App, |tx| {
            assets::create_asset(tx, &laptop, None)
        })
        .unwrap();
        assert_eq!(saved.asset.category.as_deref(), Some("Laptop"));
        ids.push(saved.asset.id);
    }
    let listed = names::list(&mut ed, Kind::Category).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].name.as_str(), listed[0].asset_count),
        ("Laptop", 2)
    );
    let mut actions = Vec::new();
    audit::for_each_stored(&mut ed, |ev| {
        actions.push((ev.row.entity, ev.row.action));
    })
    .unwrap();
    let pair = |e: &str, a: &str| (e.to_string(), a.to_string());
    assert_eq!(
        actions,
        [
            pair("category", "created"),
            pair("asset", "created"),
            pair("asset", "created")
        ]
    );

    register_pg::write(&mut ed, Source::App, |tx| {
        names::rename(tx, Kind::Category, listed[0].id, "Laptops")
    })
    .unwrap();
    for id in ids {
        let now = assets::get_asset(&mut ed, id).unwrap();
        assert_eq!(
            (now.asset.category.as_deref(), now.version),
            (Some("Laptops"), 1)
        );
    }
    assert_eq!(audit::head(&mut ed).unwrap().0, 4);
}

/// Viewers and auditors read assets and change none.
#[test]
fn only_editors_write_assets() {
    let server = server_or_skip!("only_editors_write_assets");
    let mut reg = TestRegister::new(server, "assetroles");
    let editor = reg.add_login("ed", Role::Editor);
    let created = register_pg::write(&mut reg.connect_as(&editor), Source::App, |tx| {
        assets::create_asset(tx, &input("IT-0001", "Laptop"), None)
    })
    .unwrap();
    for (name, role) in [("reader", Role::Viewer), ("checker", Role::Auditor)] {
        let login = reg.add_login(name, role);
        let mut client = reg.connect_as(&login);
        assert_eq!(
            assets::get_asset(&mut client, created.asset.id).unwrap(),
            created
        );
        let err = register_pg::write(&mut client, Source::App, |tx| {
            assets::create_asset(tx, &input("IT-0002", "Phone"), None)
        })
        .unwrap_err();
        assert!(
            matches!(err, register_pg::Error::Denied(_)),
            "{role:?}: {err}"
        );
        let err = register_pg::write(&mut client, Source::App, |tx| {
            assets::change_status(tx, created.asset.id, 1, Status::Retired, None)
        })
        .unwrap_err();
        assert!(
            matches!(err, register_pg::Error::Denied(_)),
            "{role:?}: {err}"
        );
    }
}
