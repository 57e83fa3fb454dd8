//! People, locations and categories on the server, and assets assigned, returned and moved
//! among them, follow the core's rules and record the core's events: the same changes applied
//! to a file register and to a team register give the same assets, people and places, the
//! same events (the same hashes, given the same times), the same head, and the same refusals
//! in the same words. And what several clients at once could break: two assigning the same
//! asset, someone marked as left while an asset is being given to them (and the other way
//! round), a person renamed while their asset is moved.

use register_core::assets as core_assets;
use register_core::audit::Source;
use register_core::names::{self as core_names, Kind};
use register_core::people::{self as core_people, PersonInput};
use register_core::{AssetInput, AssetPatch, Db, Holder, Status};
use register_pg::admin::Role;
use register_pg::assets::{self, Versioned};
use register_pg::{audit, names, people, Client, Error};

use crate::util::{assert_same_events, comparable, server_or_skip, while_in_flight, TestRegister};

/// One change, applied to either store by tag or name.
#[derive(Clone)]
enum Step {
    Person(PersonInput),
    EditPerson(&'static str, PersonInput),
    Left(&'static str, bool),
    Create(AssetInput),
    Edit(&'static str, AssetPatch),
    Assign(&'static str, Holder, Option<&'static str>),
    Return(&'static str, Option<&'static str>, Option<&'static str>),
    MoveTo(&'static str, &'static str),
    SetStatus(&'static str, Status),
    Named(Kind, &'static str),
    Rename(Kind, &'static str, &'static str),
}

fn person(name: &str, email: &str, department: &str) -> PersonInput {
    PersonInput {
        name: name.into(),
        email: email.into(),
        department: department.into(),
    }
}

fn asset(tag: &str, name: &str, category: &str) -> AssetInput {
    AssetInput {
        asset_tag: tag.into(),
        name: name.into(),
        category: category.into(),
        ..Default::default()
    }
}

fn at(person: &str, location: &str) -> Holder {
    Holder::PersonAt {
        person: person.into(),
        location: location.into(),
    }
}

/// An office's year: people joining, assets bought into categories, handed out (to someone
/// new, to a place new to the register), moved, taken back, renamed people and places, a
/// leaver and a rejoiner; and changes that change nothing.
fn steps() -> Vec<Step> {
    use Step::*;
    vec![
        Person(person(" Sam Patel ", "sam@example.org", "IT")),
        Person(person("Gone Person", "", "")),
        Create(asset("IT-0001", "Laptop", "Laptop")),
        Create(asset("IT-0002", "Monitor", "Monitor")),
        Create(asset("IT-0003", "Phone", " laptop ")),
        Create(asset("IT-0004", "Dock", "")),
        Assign(
            "IT-0001",
            Holder::Person("sam patel".into()),
            Some("new starter"),
        ),
        // Someone and somewhere new to the register: both created, then the assignment.
        Assign("IT-0002", at("Ana Ruiz", "Leeds"), None),
        Assign("IT-0003", Holder::Location("Store room".into()), None),
        // Same person, another location.
        Assign("IT-0001", at("Sam Patel", "leeds"), None),
        Return("IT-0002", Some(" York "), Some("desk move")),
        SetStatus("IT-0001", Status::InMaintenance),
        Assign("IT-0001", Holder::Person("Ana Ruiz".into()), None),
        MoveTo("IT-0003", "Leeds"),
        MoveTo("IT-0004", "York"),
        EditPerson("ana ruiz", person("Ana Ruiz-Lopez", "ana@example.org", "")),
        Rename(Kind::Location, "Leeds", "Leeds HQ"),
        Return("IT-0001", None, None),
        Left("Gone Person", true),
        // Already so: nothing written.
        Left("Gone Person", true),
        EditPerson("Sam Patel", person("Sam Patel", " sam@example.org ", "IT")),
        Left("Sam Patel", true),
        Left("Sam Patel", false),
        Edit(
            "IT-0002",
            AssetPatch {
                category: Some("Screens".into()),
                ..Default::default()
            },
        ),
        Rename(Kind::Category, "laptop", "Laptops"),
        Rename(Kind::Location, "York", "York"),
        Named(Kind::Location, "Basement"),
        Named(Kind::Category, "Phone"),
        SetStatus("IT-0002", Status::Retired),
        Assign("IT-0003", Holder::Person("Ana Ruiz-Lopez".into()), None),
    ]
}

/// Changes both stores must refuse, in the same words.
fn refused() -> Vec<Step> {
    use Step::*;
    vec![
        Person(person("  ", "", "")),
        Person(person("Bo Chen", "bo at example", "")),
        Person(person("SAM PATEL", "", "")),
        Person(person(&"x".repeat(201), "", "")),
        EditPerson("Ana Ruiz-Lopez", person("sam patel", "", "")),
        EditPerson("Ana Ruiz-Lopez", person("", "", "")),
        // Ana holds IT-0003.
        Left("Ana Ruiz-Lopez", true),
        // Retired; Available; someone who has left; already there; already theirs.
        Assign("IT-0002", Holder::Person("Sam Patel".into()), None),
        Return("IT-0002", None, None),
        Return("IT-0001", Some("York"), None),
        Assign("IT-0004", Holder::Person("gone person".into()), None),
        Assign("IT-0003", at("Ana Ruiz-Lopez", "leeds hq"), None),
        MoveTo("IT-0004", "york"),
        Assign("IT-0004", Holder::Person(" ".into()), None),
        Assign("IT-0004", at("Bo Chen", &"y".repeat(201)), None),
        Named(Kind::Location, "leeds hq"),
        Named(Kind::Category, " "),
        Rename(Kind::Location, "York", "LEEDS HQ"),
    ]
}

fn apply_file(db: &Db, step: &Step) -> register_core::Result<()> {
    let tag = |tag: &str| db.read(|c| core_assets::find_asset(c, tag)).map(|a| a.id);
    let who = |name: &str| {
        db.read(|c| core_people::find_person(c, name))
            .map(|p| p.expect("a person the steps named").id)
    };
    let named = |kind: Kind, name: &str| {
        db.read(|c| core_names::find(c, kind, name))
            .map(|n| n.expect("a name the steps named").id)
    };
    let app = Source::App;
    match step {
        Step::Person(p) => db
            .write(app, |tx| core_people::create_person(tx, p))
            .map(drop),
        Step::EditPerson(name, p) => {
            let id = who(name)?;
            db.write(app, |tx| core_people::update_person(tx, id, p))
                .map(drop)
        }
        Step::Left(name, left) => {
            let id = who(name)?;
            db.write(app, |tx| core_people::set_person_left(tx, id, *left, None))
                .map(drop)
        }
        Step::Create(a) => db
            .write(app, |tx| core_assets::create_asset(tx, a, None))
            .map(drop),
        Step::Edit(t, patch) => {
            let id = tag(t)?;
            db.write(app, |tx| core_assets::update_asset(tx, id, patch, None))
                .map(drop)
        }
        Step::Assign(t, to, note) => {
            let id = tag(t)?;
            db.write(app, |tx| core_assets::assign_asset(tx, id, to, *note))
                .map(drop)
        }
        Step::Return(t, location, note) => {
            let id = tag(t)?;
            db.write(app, |tx| {
                core_assets::return_asset(tx, id, *location, *note)
            })
            .map(drop)
        }
        Step::MoveTo(t, location) => {
            let id = tag(t)?;
            db.write(app, |tx| {
                core_assets::move_to_location(tx, id, location, None)
            })
            .map(drop)
        }
        Step::SetStatus(t, s) => {
            let id = tag(t)?;
            db.write(app, |tx| core_assets::change_status(tx, id, *s, None))
                .map(drop)
        }
        Step::Named(kind, name) => db
            .write(app, |tx| core_names::create(tx, *kind, name))
            .map(drop),
        Step::Rename(kind, old, new) => {
            let id = named(*kind, old)?;
            db.write(app, |tx| core_names::rename(tx, *kind, id, new))
                .map(drop)
        }
    }
}

/// The asset tagged `tag` on the server.
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

/// The person called `name` on the server: their id and the version read.
fn someone(client: &mut Client, name: &str) -> register_pg::Result<(i64, i64)> {
    let p = people::find_person(client, name)?.expect("a person the steps named");
    Ok((p.person.id, p.version))
}

fn apply_server(client: &mut Client, step: &Step) -> register_pg::Result<()> {
    let current = |client: &mut Client, tag: &str| {
        let v = find(client, tag);
        (v.asset.id, v.version)
    };
    let app = Source::App;
    match step {
        Step::Person(p) => {
            register_pg::write(client, app, |tx| people::create_person(tx, p)).map(drop)
        }
        Step::EditPerson(name, p) => {
            let (id, read) = someone(client, name)?;
            register_pg::write(client, app, |tx| people::update_person(tx, id, read, p)).map(drop)
        }
        Step::Left(name, left) => {
            let (id, read) = someone(client, name)?;
            register_pg::write(client, app, |tx| {
                people::set_person_left(tx, id, read, *left, None)
            })
            .map(drop)
        }
        Step::Create(a) => {
            register_pg::write(client, app, |tx| assets::create_asset(tx, a, None)).map(drop)
        }
        Step::Edit(t, patch) => {
            let (id, read) = current(client, t);
            register_pg::write(client, app, |tx| {
                assets::update_asset(tx, id, read, patch, None)
            })
            .map(drop)
        }
        Step::Assign(t, to, note) => {
            let (id, read) = current(client, t);
            register_pg::write(client, app, |tx| {
                assets::assign_asset(tx, id, read, to, *note)
            })
            .map(drop)
        }
        Step::Return(t, location, note) => {
            let (id, read) = current(client, t);
            register_pg::write(client, app, |tx| {
                assets::return_asset(tx, id, read, *location, *note)
            })
            .map(drop)
        }
        Step::MoveTo(t, location) => {
            let (id, read) = current(client, t);
            register_pg::write(client, app, |tx| {
                assets::move_to_location(tx, id, read, location, None)
            })
            .map(drop)
        }
        Step::SetStatus(t, s) => {
            let (id, read) = current(client, t);
            register_pg::write(client, app, |tx| {
                assets::change_status(tx, id, read, *s, None)
            })
            .map(drop)
        }
        Step::Named(kind, name) => {
            register_pg::write(client, app, |tx| names::create(tx, *kind, name)).map(drop)
        }
        Step::Rename(kind, old, new) => {
            let id = names::find(client, *kind, old)?.unwrap().id;
            register_pg::write(client, app, |tx| names::rename(tx, *kind, id, new)).map(drop)
        }
    }
}

#[test]
fn people_places_and_holders_are_the_same_in_both_stores() {
    let server = server_or_skip!("people_places_and_holders_are_the_same_in_both_stores");
    let mut reg = TestRegister::new(server, "holders");
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    let db = Db::open_in_memory().unwrap();

    for (i, step) in steps().iter().enumerate() {
        apply_file(&db, step).unwrap_or_else(|e| panic!("step {i} in the file: {e}"));
        apply_server(&mut ed, step).unwrap_or_else(|e| panic!("step {i} on the server: {e}"));
    }
    let head = audit::head(&mut ed).unwrap().0;
    for (i, step) in refused().iter().enumerate() {
        let in_file = apply_file(&db, step).expect_err(&format!("refused step {i} in the file"));
        let on_server =
            apply_server(&mut ed, step).expect_err(&format!("refused step {i} on the server"));
        assert!(
            matches!(&on_server, Error::Core(_)),
            "refused step {i}: {on_server:?}"
        );
        assert_eq!(
            on_server.to_string(),
            in_file.to_string(),
            "refused step {i}"
        );
        let field = |e: &Error| match e {
            Error::Core(c) => c.field().map(str::to_string),
            _ => None,
        };
        assert_eq!(field(&on_server), in_file.field().map(str::to_string));
    }
    assert_eq!(
        audit::head(&mut ed).unwrap().0,
        head,
        "refusals wrote nothing"
    );

    // The same assets, field for field (holders, locations and categories by id and name).
    for tag in ["IT-0001", "IT-0002", "IT-0003", "IT-0004"] {
        let file = db.read(|c| core_assets::find_asset(c, tag)).unwrap();
        let server = find(&mut ed, tag);
        assert_eq!(comparable(server.asset), comparable(file), "{tag}");
    }
    let ana = find(&mut ed, "IT-0003").asset;
    assert_eq!(
        (ana.assigned_to.as_deref(), ana.location.as_deref()),
        (Some("Ana Ruiz-Lopez"), Some("Leeds HQ"))
    );
    // The same people, locations and categories, with the same counts.
    let in_file = db.read(core_people::list_people).unwrap();
    assert_eq!(people::list_people(&mut ed).unwrap(), in_file);
    assert_eq!(in_file.len(), 3);
    assert_eq!(in_file.iter().filter(|p| !p.active).count(), 1);
    for kind in [Kind::Location, Kind::Category] {
        let in_file = db.read(|c| core_names::list(c, kind)).unwrap();
        assert_eq!(names::list(&mut ed, kind).unwrap(), in_file, "{kind:?}");
    }

    // The same events, and the same head given the server's times.
    let events = assert_same_events(&db, &mut ed, &editor);
    assert_eq!(events, 34);
}

/// Viewers and auditors read people and places and change none of them.
#[test]
fn only_editors_change_people_and_places() {
    let server = server_or_skip!("only_editors_change_people_and_places");
    let mut reg = TestRegister::new(server, "peopleroles");
    let editor = reg.add_login("ed", Role::Editor);
    let sam = register_pg::write(&mut reg.connect_as(&editor), Source::App, |tx| {
        people::create_person(tx, &person("Sam Patel", "", ""))
    })
    .unwrap();
    for (name, role) in [("reader", Role::Viewer), ("checker", Role::Auditor)] {
        let login = reg.add_login(name, role);
        let mut client = reg.connect_as(&login);
        assert_eq!(people::get_person(&mut client, sam.person.id).unwrap(), sam);
        let denied = [
            register_pg::write(&mut client, Source::App, |tx| {
                people::create_person(tx, &person("Bo Chen", "", "")).map(drop)
            }),
            register_pg::write(&mut client, Source::App, |tx| {
                people::set_person_left(tx, sam.person.id, 1, true, None).map(drop)
            }),
            register_pg::write(&mut client, Source::App, |tx| {
                names::create(tx, Kind::Location, "Leeds").map(drop)
            }),
        ];
        for err in denied {
            assert!(matches!(err, Err(Error::Denied(_))), "{role:?}: {err:?}");
        }
    }
}

/// Creates `tag`, and returns it with its version.
fn create(client: &mut Client, tag: &str) -> Versioned {
    register_pg::write(client, Source::App, |tx| {
        assets::create_asset(tx, &asset(tag, "Laptop", ""), None)
    })
    .unwrap()
}

/// Alice and Bob both open IT-0001 at version 1 and assign it, to different people. Alice's
/// commits first; Bob's waits for her row lock and is then refused with her name, and nothing
/// of his is written: not the assignment, and not the person it would have created.
#[test]
fn two_clients_assigning_one_asset_one_wins() {
    let server = server_or_skip!("two_clients_assigning_one_asset_one_wins");
    let mut reg = TestRegister::new(server, "assign2");
    let alice = reg.add_login("alice", Role::Editor);
    let bob = reg.add_login("bob", Role::Editor);
    let (mut a, mut b) = (reg.connect_as(&alice), reg.connect_as(&bob));
    let id = create(&mut a, "IT-0001").asset.id;
    let out = while_in_flight(
        &mut a,
        &mut b,
        |tx| {
            let to = Holder::Person("Sam Patel".into());
            assets::assign_asset(tx, id, 1, &to, None).map(drop)
        },
        |b| {
            register_pg::write(b, Source::App, |tx| {
                let to = at("Bo Chen", "Leeds");
                assets::assign_asset(tx, id, 1, &to, None)
            })
        },
    );
    let err = out.unwrap_err();
    let Error::Conflict(conflict) = &err else {
        panic!("expected a conflict, got {err:?}");
    };
    assert_eq!(conflict.changes.len(), 1);
    assert_eq!(conflict.changes[0].actor, alice);
    assert_eq!(conflict.changes[0].action, "assigned");
    assert_eq!(conflict.changes[0].fields, ["assigned_to", "status"]);

    let now = assets::get_asset(&mut b, id).unwrap();
    assert_eq!(now.version, 2);
    assert_eq!(now.asset.assigned_to.as_deref(), Some("Sam Patel"));
    let everyone: Vec<String> = people::list_people(&mut b)
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(everyone, ["Sam Patel"]);
    assert!(names::list(&mut b, Kind::Location).unwrap().is_empty());
    // Created IT-0001, created Sam, assigned.
    let check = audit::verify_chain(&mut b).unwrap();
    assert_eq!((check.event_count, check.first_bad_event), (3, None));
}

/// Bob marks Sam as left while Alice's assignment of IT-0001 to Sam is in flight: his change
/// waits for hers and is then refused because Sam holds it. The other way round, Alice's
/// assignment waits for Bob's leaving and is refused because Sam has left. Either way nobody
/// who has left holds an asset.
#[test]
fn nobody_who_has_left_ends_up_holding_an_asset() {
    let server = server_or_skip!("nobody_who_has_left_ends_up_holding_an_asset");
    let mut reg = TestRegister::new(server, "leaver");
    let alice = reg.add_login("alice", Role::Editor);
    let bob = reg.add_login("bob", Role::Editor);
    let (mut a, mut b) = (reg.connect_as(&alice), reg.connect_as(&bob));
    let laptop = create(&mut a, "IT-0001").asset.id;
    let phone = create(&mut a, "IT-0002").asset.id;
    let sam = register_pg::write(&mut a, Source::App, |tx| {
        people::create_person(tx, &person("Sam Patel", "", ""))
    })
    .unwrap()
    .person
    .id;

    let out = while_in_flight(
        &mut a,
        &mut b,
        |tx| {
            let to = Holder::Person("Sam Patel".into());
            assets::assign_asset(tx, laptop, 1, &to, None).map(drop)
        },
        |b| {
            register_pg::write(b, Source::App, |tx| {
                people::set_person_left(tx, sam, 1, true, None)
            })
        },
    );
    let err = out.unwrap_err();
    assert_eq!(
        err.to_string(),
        "Sam Patel still holds 1 asset; return, reassign or release it before marking them as \
         left"
    );

    // Sam gives it back; now Bob's leaving goes first and Alice's assignment waits for it.
    register_pg::write(&mut a, Source::App, |tx| {
        assets::return_asset(tx, laptop, 2, None, None)
    })
    .unwrap();
    let out = while_in_flight(
        &mut b,
        &mut a,
        |tx| people::set_person_left(tx, sam, 1, true, None).map(drop),
        |a| {
            register_pg::write(a, Source::App, |tx| {
                let to = Holder::Person("Sam Patel".into());
                assets::assign_asset(tx, phone, 1, &to, None)
            })
        },
    );
    let err = out.unwrap_err();
    assert!(err.to_string().starts_with("Sam Patel has left"), "{err}");
    let gone = people::get_person(&mut a, sam).unwrap().person;
    assert_eq!((gone.active, gone.asset_count), (false, 0));
    assert_eq!(assets::get_asset(&mut a, phone).unwrap().version, 1);
}

/// Bob renames Sam while Alice's move of Sam's laptop to another office (it stays his) is in
/// flight: the rename waits for her change, the laptop ends with the new name and where she put
/// it, and the name copied onto it makes no new version of it.
#[test]
fn a_rename_waits_for_an_assignment_in_flight() {
    let server = server_or_skip!("a_rename_waits_for_an_assignment_in_flight");
    let mut reg = TestRegister::new(server, "rename");
    let alice = reg.add_login("alice", Role::Editor);
    let bob = reg.add_login("bob", Role::Editor);
    let (mut a, mut b) = (reg.connect_as(&alice), reg.connect_as(&bob));
    let id = create(&mut a, "IT-0001").asset.id;
    let held = register_pg::write(&mut a, Source::App, |tx| {
        assets::assign_asset(tx, id, 1, &Holder::Person("Sam Patel".into()), None)
    })
    .unwrap();
    let sam = people::find_person(&mut a, "Sam Patel")
        .unwrap()
        .unwrap()
        .person
        .id;
    let out = while_in_flight(
        &mut a,
        &mut b,
        |tx| assets::assign_asset(tx, id, held.version, &at("Sam Patel", "York"), None).map(drop),
        |b| {
            register_pg::write(b, Source::App, |tx| {
                people::update_person(tx, sam, 1, &person("Samir Patel", "", ""))
            })
        },
    );
    assert_eq!(out.unwrap().person.name, "Samir Patel");
    let now = assets::get_asset(&mut a, id).unwrap();
    assert_eq!(
        (
            now.asset.assigned_to.as_deref(),
            now.asset.location.as_deref()
        ),
        (Some("Samir Patel"), Some("York"))
    );
    assert_eq!(now.version, held.version + 1);
    let check = audit::verify_chain(&mut a).unwrap();
    assert_eq!(check.first_bad_event, None);
}

/// Alice and Bob give two laptops to Ana, whom the register does not know yet, at the same
/// moment: Bob's look-up finds no Ana, his insert waits for Alice's, and once hers commits he
/// gives his laptop to her Ana. One Ana, created once, holding both.
#[test]
fn two_clients_naming_the_same_new_person_make_one() {
    let server = server_or_skip!("two_clients_naming_the_same_new_person_make_one");
    let mut reg = TestRegister::new(server, "newperson");
    let alice = reg.add_login("alice", Role::Editor);
    let bob = reg.add_login("bob", Role::Editor);
    let (mut a, mut b) = (reg.connect_as(&alice), reg.connect_as(&bob));
    let first = create(&mut a, "IT-0001").asset.id;
    let second = create(&mut a, "IT-0002").asset.id;
    let out = while_in_flight(
        &mut a,
        &mut b,
        |tx| {
            let to = at("Ana Ruiz", "Leeds");
            assets::assign_asset(tx, first, 1, &to, None).map(drop)
        },
        |b| {
            register_pg::write(b, Source::App, |tx| {
                let to = at("ana ruiz", "leeds");
                assets::assign_asset(tx, second, 1, &to, None)
            })
        },
    );
    let held = out.unwrap().asset;
    assert_eq!(
        (held.assigned_to.as_deref(), held.location.as_deref()),
        (Some("Ana Ruiz"), Some("Leeds"))
    );
    let everyone = people::list_people(&mut b).unwrap();
    assert_eq!(everyone.len(), 1);
    assert_eq!(
        (everyone[0].name.as_str(), everyone[0].asset_count),
        ("Ana Ruiz", 2)
    );
    assert_eq!(names::list(&mut b, Kind::Location).unwrap().len(), 1);
    let mut actions = Vec::new();
    audit::for_each_stored(&mut b, |ev| {
        actions.push((ev.row.entity, ev.row.action, ev.actor))
    })
    .unwrap();
    let created: Vec<_> = actions
        .iter()
        .filter(|(entity, action, _)| entity != "asset" && action == "created")
        .collect();
    assert_eq!(created.len(), 2, "{actions:?}");
    assert!(
        created.iter().all(|(_, _, actor)| *actor == alice),
        "{actions:?}"
    );
}
