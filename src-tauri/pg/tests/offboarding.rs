//! Offboarding on the server follows the core's rules and records the core's events: the same
//! offboardings applied to a file register and to a team register give the same checklists,
//! outcomes, people and events (the same hashes, given the same times), and the same refusals
//! in the same words. And what several clients at once could break: two starting the same
//! person's offboarding, two resolving the same item, a finish while an asset is being handed
//! to the person; and what a viewer may do.

use std::sync::Barrier;

use chrono::NaiveDate;
use register_core::audit::Source;
use register_core::licences::{self as core_licences, LicenceInput};
use register_core::offboarding::{self as core_off, Checklist, ItemKind, Outcome, Resolution};
use register_core::people::{self as core_people, PersonInput};
use register_core::{assets as core_assets, AssetInput, Db, Holder};
use register_pg::admin::Role;
use register_pg::{assets, audit, licences, logins, offboarding, people, Client, Error};

use crate::util::{assert_same_events, server_or_skip, while_in_flight, TestRegister};

/// One change, applied to either store: people by name ("Nobody" is an id no one has), assets
/// and licences by id (both stores number them 1, 2, 3… in the order made).
#[derive(Clone)]
enum Step {
    Asset(&'static str),
    Give(i64, &'static str),
    Licence(&'static str),
    Seat(i64, &'static str),
    Person(&'static str),
    Left(&'static str),
    Start(&'static str, &'static str),
    Resolve(
        &'static str,
        ItemKind,
        i64,
        Resolution,
        Option<&'static str>,
    ),
    Finish(&'static str, Option<&'static str>),
    Cancel(&'static str),
}

fn back_to(location: &str) -> Resolution {
    Resolution::Returned {
        location: Some(location.into()),
    }
}

fn to(person: &str) -> Resolution {
    Resolution::Reassigned { to: person.into() }
}

/// Sam's things (two laptops, a Figma seat), Lee who has already left, and a third laptop
/// not yet given to anyone.
fn before() -> Vec<Step> {
    use Step::*;
    vec![
        Asset("IT-1"),
        Give(1, "Sam Patel"),
        Asset("IT-2"),
        Give(2, "Sam Patel"),
        Asset("IT-3"),
        Licence("Figma"),
        Seat(1, "Sam Patel"),
        Person("Lee Wong"),
        Left("Lee Wong"),
        Start("Sam Patel", "2026-12-31"),
        Resolve("Sam Patel", ItemKind::Asset, 1, back_to("Store room"), None),
        Resolve(
            "Sam Patel",
            ItemKind::Asset,
            2,
            Resolution::Missing,
            Some("not returned"),
        ),
        // Handed to Sam during the offboarding: it joins the checklist.
        Give(3, "Sam Patel"),
    ]
}

/// Everything a file refuses at that point, which the server must refuse in the same words.
fn refused() -> Vec<Step> {
    use Step::*;
    vec![
        Start("Nobody", "2026-12-31"),
        Start("Lee Wong", "2026-12-31"),
        Resolve("Lee Wong", ItemKind::Asset, 3, back_to("Store room"), None),
        Resolve(
            "Sam Patel",
            ItemKind::Asset,
            99,
            back_to("Store room"),
            None,
        ),
        Resolve(
            "Sam Patel",
            ItemKind::Seat,
            1,
            Resolution::Missing,
            Some("?"),
        ),
        Resolve("Sam Patel", ItemKind::Asset, 3, Resolution::Missing, None),
        Resolve("Sam Patel", ItemKind::Asset, 3, to("  "), None),
        Resolve("Sam Patel", ItemKind::Asset, 3, to("Lee Wong"), None),
        Finish("Sam Patel", None),
        Finish("Lee Wong", None),
        Cancel("Lee Wong"),
    ]
}

/// The rest: the seat and the third laptop to Ana (new), Ana's offboarding started and
/// cancelled, Sam's finished.
fn after() -> Vec<Step> {
    use Step::*;
    vec![
        Resolve("Sam Patel", ItemKind::Seat, 1, to("Ana Ruiz"), None),
        Resolve(
            "Sam Patel",
            ItemKind::Asset,
            3,
            to("Ana Ruiz"),
            Some("handed over"),
        ),
        Start("Ana Ruiz", "2027-01-31"),
        Cancel("Ana Ruiz"),
        Finish("Sam Patel", Some("all done")),
    ]
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn asset(tag: &str) -> AssetInput {
    AssetInput {
        asset_tag: tag.into(),
        name: format!("Laptop {tag}"),
        serial_number: format!("S-{tag}"),
        ..Default::default()
    }
}

fn licence(product: &str) -> LicenceInput {
    LicenceInput {
        product: Some(product.into()),
        vendor: Some("Figma Inc".into()),
        seats: Some("3".into()),
        ..Default::default()
    }
}

fn file_person(c: &register_core::Connection, name: &str) -> register_core::Result<i64> {
    Ok(core_people::find_person(c, name)?.map_or(999, |p| p.id))
}

fn apply_file(db: &Db, step: &Step) -> register_core::Result<()> {
    db.write(Source::App, |tx| {
        match step.clone() {
            Step::Asset(tag) => drop(core_assets::create_asset(tx, &asset(tag), None)?),
            Step::Give(id, p) => drop(core_assets::assign_asset(
                tx,
                id,
                &Holder::Person(p.into()),
                None,
            )?),
            Step::Licence(product) => {
                drop(core_licences::create_licence(tx, &licence(product), None)?)
            }
            Step::Seat(id, p) => drop(core_licences::assign_seat(tx, id, p, None)?),
            Step::Person(name) => drop(core_people::create_person(
                tx,
                &PersonInput {
                    name: name.into(),
                    ..Default::default()
                },
            )?),
            Step::Left(name) => {
                let id = file_person(tx.conn(), name)?;
                drop(core_people::set_person_left(tx, id, true, None)?)
            }
            Step::Start(name, on) => {
                let id = file_person(tx.conn(), name)?;
                drop(core_off::start_offboarding(tx, id, date(on), None)?)
            }
            Step::Resolve(name, kind, item, resolution, note) => {
                let id = file_person(tx.conn(), name)?;
                drop(core_off::resolve_item(
                    tx,
                    id,
                    kind,
                    item,
                    &resolution,
                    note,
                )?)
            }
            Step::Finish(name, note) => {
                let id = file_person(tx.conn(), name)?;
                drop(core_off::finish_offboarding(tx, id, note)?)
            }
            Step::Cancel(name) => {
                let id = file_person(tx.conn(), name)?;
                drop(core_off::cancel_offboarding(tx, id, None)?)
            }
        }
        Ok(())
    })
}

fn server_person(c: &mut impl postgres::GenericClient, name: &str) -> register_pg::Result<i64> {
    Ok(people::find_person(c, name)?.map_or(999, |p| p.person.id))
}

fn apply_server(client: &mut Client, step: &Step) -> register_pg::Result<()> {
    register_pg::write(client, Source::App, |tx| {
        match step.clone() {
            Step::Asset(tag) => drop(assets::create_asset(tx, &asset(tag), None)?),
            Step::Give(id, p) => {
                let v = assets::get_asset(tx.client(), id)?.version;
                drop(assets::assign_asset(
                    tx,
                    id,
                    v,
                    &Holder::Person(p.into()),
                    None,
                )?)
            }
            Step::Licence(product) => drop(licences::create_licence(tx, &licence(product), None)?),
            Step::Seat(id, p) => drop(licences::assign_seat(tx, id, p, None)?),
            Step::Person(name) => drop(people::create_person(
                tx,
                &PersonInput {
                    name: name.into(),
                    ..Default::default()
                },
            )?),
            Step::Left(name) => {
                let p = people::find_person(tx.client(), name)?.unwrap();
                drop(people::set_person_left(
                    tx,
                    p.person.id,
                    p.version,
                    true,
                    None,
                )?)
            }
            Step::Start(name, on) => {
                let id = server_person(tx.client(), name)?;
                drop(offboarding::start_offboarding(tx, id, date(on), None)?)
            }
            Step::Resolve(name, kind, item, resolution, note) => {
                let id = server_person(tx.client(), name)?;
                drop(offboarding::resolve_item(
                    tx,
                    id,
                    kind,
                    item,
                    &resolution,
                    note,
                )?)
            }
            Step::Finish(name, note) => {
                let id = server_person(tx.client(), name)?;
                drop(offboarding::finish_offboarding(tx, id, note)?)
            }
            Step::Cancel(name) => {
                let id = server_person(tx.client(), name)?;
                drop(offboarding::cancel_offboarding(tx, id, None)?)
            }
        }
        Ok(())
    })
}

/// A checklist without its times (each store stamps its own).
fn comparable(mut c: Checklist) -> Checklist {
    if let Some(o) = &mut c.offboarding {
        o.started_at.clear();
        o.finished_at = o.finished_at.as_ref().map(|_| String::new());
    }
    for i in &mut c.items {
        i.resolved_at = i.resolved_at.as_ref().map(|_| String::new());
    }
    c
}

/// Both stores' checklists of `name`, compared, and the server's returned.
fn same_checklist(db: &Db, ed: &mut Client, name: &str) -> Checklist {
    let id = server_person(ed, name).unwrap();
    let in_file = db.read(|c| core_off::get_checklist(c, id)).unwrap();
    let on_server = offboarding::get_checklist(ed, id).unwrap();
    assert_eq!(comparable(on_server.clone()), comparable(in_file), "{name}");
    on_server
}

#[test]
fn offboarding_is_the_same_in_both_stores() {
    let server = server_or_skip!("offboarding_is_the_same_in_both_stores");
    let mut reg = TestRegister::new(server, "offparity");
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    let db = Db::open_in_memory().unwrap();

    for (i, step) in before().iter().enumerate() {
        apply_file(&db, step).unwrap_or_else(|e| panic!("step {i} in the file: {e}"));
        apply_server(&mut ed, step).unwrap_or_else(|e| panic!("step {i} on the server: {e}"));
    }
    // Mid-way: the third laptop and the seat held, two resolved.
    let c = same_checklist(&db, &mut ed, "Sam Patel");
    let lines: Vec<(&str, Option<Outcome>, Option<&str>)> = c
        .items
        .iter()
        .map(|i| (i.label.as_str(), i.outcome, i.resolution.as_deref()))
        .collect();
    assert_eq!(
        lines,
        [
            ("IT-3 Laptop IT-3", None, None),
            ("Figma (licence seat)", None, None),
            (
                "IT-1 Laptop IT-1",
                Some(Outcome::Returned),
                Some("Store room")
            ),
            (
                "IT-2 Laptop IT-2",
                Some(Outcome::Missing),
                Some("not returned")
            ),
        ]
    );
    assert_eq!(c.unresolved, 2);
    // The same open offboardings, but for when each store started them.
    let started_unknown = |mut o: core_off::OpenOffboarding| {
        o.started_at.clear();
        o
    };
    let open_in_file = db.read(core_off::list_open).unwrap();
    let open_on_server = offboarding::list_open(&mut ed).unwrap();
    assert_eq!(
        open_on_server
            .iter()
            .map(|o| started_unknown(o.open.clone()))
            .collect::<Vec<_>>(),
        open_in_file
            .into_iter()
            .map(started_unknown)
            .collect::<Vec<_>>()
    );
    assert_eq!(open_on_server[0].open.held, 2);

    let head = audit::head(&mut ed).unwrap();
    for (i, step) in refused().iter().enumerate() {
        let in_file = apply_file(&db, step).expect_err(&format!("refused step {i} in the file"));
        let on_server =
            apply_server(&mut ed, step).expect_err(&format!("refused step {i} on the server"));
        let Error::Core(core) = &on_server else {
            panic!("refused step {i}: {on_server:?}");
        };
        assert_eq!(core.to_string(), in_file.to_string(), "refused step {i}");
        assert_eq!(core.field(), in_file.field(), "refused step {i}");
    }
    assert_eq!(
        audit::head(&mut ed).unwrap(),
        head,
        "refusals wrote nothing"
    );
    let file_events = db.read(register_core::audit::verify_chain).unwrap();
    assert_eq!(file_events.event_count, head.0);

    for (i, step) in after().iter().enumerate() {
        apply_file(&db, step).unwrap_or_else(|e| panic!("step {i} in the file: {e}"));
        apply_server(&mut ed, step).unwrap_or_else(|e| panic!("step {i} on the server: {e}"));
    }
    let c = same_checklist(&db, &mut ed, "Sam Patel");
    assert_eq!(c.unresolved, 0);
    assert_eq!(c.person.left_on.as_deref(), Some("2026-12-31"));
    assert!(c.offboarding.unwrap().finished_at.is_some());
    let outcomes: Vec<(Option<Outcome>, Option<&str>)> = c
        .items
        .iter()
        .map(|i| (i.outcome, i.resolution.as_deref()))
        .collect();
    assert_eq!(
        outcomes,
        [
            (Some(Outcome::Returned), Some("Store room")),
            (Some(Outcome::Missing), Some("not returned")),
            (Some(Outcome::Reassigned), Some("Ana Ruiz")),
            (Some(Outcome::Reassigned), Some("Ana Ruiz")),
        ]
    );
    let ana = same_checklist(&db, &mut ed, "Ana Ruiz");
    assert_eq!(ana.unresolved, 2);
    assert!(
        ana.person.active,
        "a cancelled offboarding leaves her active"
    );
    same_checklist(&db, &mut ed, "Lee Wong");
    assert!(offboarding::list_open(&mut ed).unwrap().is_empty());

    // The same assets, seats and people after it all.
    for id in 1..=3 {
        let in_file = db.read(|c| core_assets::get_asset(c, id)).unwrap();
        let served = assets::get_asset(&mut ed, id).unwrap().asset;
        assert_eq!(
            (served.status, &served.assigned_to, &served.location),
            (in_file.status, &in_file.assigned_to, &in_file.location),
            "asset {id}"
        );
    }
    assert_eq!(
        people::list_people(&mut ed).unwrap(),
        db.read(core_people::list_people).unwrap()
    );

    // The same events, and the same head given the server's times.
    let events = assert_same_events(&db, &mut ed, &editor);
    let kinds = person_events(&mut ed, "Sam Patel");
    assert_eq!(
        &kinds[kinds.len() - 6..],
        [
            "offboarding_started",
            "offboarding_resolved",
            "offboarding_resolved",
            "offboarding_resolved",
            "offboarding_resolved",
            "left"
        ]
    );
    assert_eq!(events, audit::head(&mut ed).unwrap().0);
}

/// The actions of the events about the person called `name`, oldest first.
fn person_events(client: &mut Client, name: &str) -> Vec<String> {
    let id = server_person(client, name).unwrap();
    let mut kinds = Vec::new();
    audit::for_each_stored(client, |ev| {
        if ev.row.entity == "person" && ev.row.entity_id == Some(id) {
            kinds.push(ev.row.action);
        }
    })
    .unwrap();
    kinds
}

/// A register with Sam's things (`before`'s first steps), Alice and Bob (each an editor whose
/// login is tied to them), and a connection for each.
struct Office {
    reg: TestRegister,
    alice: String,
    bob: String,
    sam: i64,
}

fn office(name: &str) -> Option<Office> {
    let server = crate::util::server(name)?;
    let mut reg = TestRegister::new(server, name);
    let ed = reg.add_login("ed", Role::Editor);
    let mut c = reg.connect_as(&ed);
    for step in &before()[..7] {
        apply_server(&mut c, step).unwrap();
    }
    for who in ["Alice Smith", "Bob Jones"] {
        apply_server(&mut c, &Step::Person(who)).unwrap();
    }
    let mut tie = |login: &str, person: &str| {
        let login = reg.create_login(login);
        let owner = &mut reg.owner();
        logins::grant(
            owner,
            &reg.roles,
            &login,
            Role::Editor,
            Some(person),
            Source::App,
        )
        .unwrap();
        login
    };
    let alice = tie("alice", "Alice Smith");
    let bob = tie("bob", "Bob Jones");
    let sam = server_person(&mut c, "Sam Patel").unwrap();
    Some(Office {
        reg,
        alice,
        bob,
        sam,
    })
}

/// Runs `each` on Alice's and Bob's connections at the same moment (each on its own thread and
/// connection); returns what each gave, Alice's first.
fn at_once<T: Send>(
    o: &Office,
    each: impl Fn(&mut Client) -> register_pg::Result<T> + Sync,
) -> [register_pg::Result<T>; 2] {
    let mut clients = [o.reg.connect_as(&o.alice), o.reg.connect_as(&o.bob)];
    let start = Barrier::new(2);
    std::thread::scope(|scope| {
        let [a, b] = &mut clients;
        let runs = [a, b].map(|c| {
            let (start, each) = (&start, &each);
            scope.spawn(move || {
                start.wait();
                each(c)
            })
        });
        runs.map(|r| r.join().unwrap())
    })
}

/// Alice and Bob start Sam's offboarding at the same moment: exactly one starts it; the other
/// is told who started it and when, and nothing of theirs is written.
#[test]
fn two_people_cannot_both_start_an_offboarding() {
    let Some(o) = office("offstart") else { return };
    let head = audit::head(&mut o.reg.owner()).unwrap().0;
    let sam = o.sam;
    let outcomes = at_once(&o, |c| {
        register_pg::write(c, Source::App, |tx| {
            offboarding::start_offboarding(tx, sam, date("2026-12-31"), None)
        })
    });
    let won: Vec<usize> = (0..2).filter(|&i| outcomes[i].is_ok()).collect();
    assert_eq!(won.len(), 1, "{outcomes:?}");
    let (winner, login) = if won[0] == 0 {
        ("Alice Smith", &o.alice)
    } else {
        ("Bob Jones", &o.bob)
    };
    let err = outcomes[1 - won[0]].as_ref().unwrap_err().to_string();
    let said = format!(
        "Sam Patel's offboarding is already open (leaving on 2026-12-31), started by {winner} \
         ({login}) at "
    );
    assert!(err.starts_with(&said), "{err}");
    assert!(err.ends_with(" UTC"), "{err}");

    let mut c = o.reg.connect_as(&o.alice);
    let open = offboarding::list_open(&mut c).unwrap();
    assert_eq!(open.len(), 1);
    let first = &open[0];
    assert_eq!(
        (
            first.open.person.as_str(),
            first.open.leaving_on.as_str(),
            first.starter(),
            first.open.held
        ),
        ("Sam Patel", "2026-12-31", format!("{winner} ({login})"), 3)
    );
    assert_eq!(
        audit::head(&mut c).unwrap().0,
        head + 1,
        "one start recorded"
    );
    assert_eq!(
        person_events(&mut c, "Sam Patel").last().unwrap(),
        "offboarding_started"
    );

    // The server's index refuses a second open offboarding even to a client that skips the
    // checks (as its owner, who bypasses no constraint).
    let denied = o.reg.owner().execute(
        "INSERT INTO offboardings (person_id, leaving_on, started_at, started_by)
         VALUES ($1, '2027-01-01', now(), 'x')",
        &[&sam],
    );
    let denied = denied.unwrap_err();
    assert_eq!(
        denied.as_db_error().and_then(|d| d.constraint()),
        Some("offboardings_open"),
        "{denied:?}"
    );
}

/// Alice and Bob both mark Sam's first laptop as returned at the same moment: one resolves it;
/// the other is told who already did, and nothing is doubled (one return, one resolution).
#[test]
fn two_people_resolving_one_item_resolve_it_once() {
    let Some(o) = office("offresolve") else {
        return;
    };
    let sam = o.sam;
    let mut c = o.reg.connect_as(&o.alice);
    register_pg::write(&mut c, Source::App, |tx| {
        offboarding::start_offboarding(tx, sam, date("2026-12-31"), None)
    })
    .unwrap();
    let head = audit::head(&mut c).unwrap().0;
    let outcomes = at_once(&o, |c| {
        register_pg::write(c, Source::App, |tx| {
            offboarding::resolve_item(tx, sam, ItemKind::Asset, 1, &back_to("Store room"), None)
        })
    });
    let won: Vec<usize> = (0..2).filter(|&i| outcomes[i].is_ok()).collect();
    assert_eq!(won.len(), 1, "{outcomes:?}");
    let (winner, login) = if won[0] == 0 {
        ("Alice Smith", &o.alice)
    } else {
        ("Bob Jones", &o.bob)
    };
    let err = outcomes[1 - won[0]].as_ref().unwrap_err().to_string();
    let said =
        format!("IT-1 Laptop IT-1 was already resolved (returned) by {winner} ({login}) at ");
    assert!(err.starts_with(&said), "{err}");
    assert!(err.ends_with("nothing was changed"), "{err}");

    // The place (new), the asset's return and the person's event: nothing doubled.
    assert_eq!(audit::head(&mut c).unwrap().0, head + 3);
    let checklist = offboarding::get_checklist(&mut c, sam).unwrap();
    assert_eq!(checklist.unresolved, 2);
    assert_eq!(checklist.items.len(), 3);
    let a = assets::get_asset(&mut c, 1).unwrap();
    assert_eq!(a.asset.location.as_deref(), Some("Store room"));
    let check = audit::verify_chain(&mut c).unwrap();
    assert_eq!(check.first_bad_event, None);
}

/// Sam has given everything back; Bob finishes his offboarding while Alice's change handing
/// Sam the third laptop is in flight. Bob's finish waits for it, counts the laptop and is
/// refused; Sam has not left and the offboarding stays open, the laptop on his checklist.
#[test]
fn finishing_counts_an_asset_being_handed_over() {
    let Some(o) = office("offfinish") else { return };
    let sam = o.sam;
    let mut a = o.reg.connect_as(&o.alice);
    let mut b = o.reg.connect_as(&o.bob);
    for step in [
        Step::Start("Sam Patel", "2026-12-31"),
        Step::Resolve("Sam Patel", ItemKind::Asset, 1, back_to("Store room"), None),
        Step::Resolve("Sam Patel", ItemKind::Asset, 2, back_to("Store room"), None),
        Step::Resolve(
            "Sam Patel",
            ItemKind::Seat,
            1,
            Resolution::Returned { location: None },
            None,
        ),
    ] {
        apply_server(&mut a, &step).unwrap();
    }
    let v = assets::get_asset(&mut a, 3).unwrap().version;
    let out = while_in_flight(
        &mut a,
        &mut b,
        |tx| assets::assign_asset(tx, 3, v, &Holder::Person("Sam Patel".into()), None).map(drop),
        |b| {
            register_pg::write(b, Source::App, |tx| {
                offboarding::finish_offboarding(tx, sam, None)
            })
        },
    );
    let err = out.unwrap_err();
    assert_eq!(
        err.to_string(),
        "Sam Patel still holds 1 asset; return, reassign or release it before marking them as \
         left"
    );
    let c = offboarding::get_checklist(&mut b, sam).unwrap();
    assert!(c.person.active);
    assert!(c.offboarding.unwrap().finished_at.is_none());
    assert_eq!(
        (c.unresolved, c.items[0].label.as_str()),
        (1, "IT-3 Laptop IT-3")
    );
    assert_eq!(offboarding::list_open(&mut b).unwrap().len(), 1);
}

/// A viewer reads the checklist and the open offboardings, and the server refuses every step
/// of theirs; an auditor the same.
#[test]
fn readers_see_offboardings_and_change_none() {
    let Some(mut o) = office("offroles") else {
        return;
    };
    let sam = o.sam;
    let mut c = o.reg.connect_as(&o.alice);
    apply_server(&mut c, &Step::Start("Sam Patel", "2026-12-31")).unwrap();
    let head = audit::head(&mut c).unwrap();
    for (name, role) in [("reader", Role::Viewer), ("checker", Role::Auditor)] {
        let login = o.reg.add_login(name, role);
        let mut r = o.reg.connect_as(&login);
        assert_eq!(
            offboarding::get_checklist(&mut r, sam).unwrap(),
            offboarding::get_checklist(&mut c, sam).unwrap()
        );
        assert_eq!(offboarding::list_open(&mut r).unwrap().len(), 1);
        let steps = [
            Step::Start("Sam Patel", "2026-12-31"),
            Step::Resolve("Sam Patel", ItemKind::Asset, 1, back_to("Store room"), None),
            Step::Finish("Sam Patel", None),
            Step::Cancel("Sam Patel"),
        ];
        for step in &steps {
            let err = apply_server(&mut r, step).unwrap_err();
            assert!(matches!(err, Error::Denied(_)), "{role:?}: {err:?}");
        }
        assert!(r.execute("DELETE FROM offboardings", &[]).is_err());
    }
    assert!(c.execute("DELETE FROM offboarding_items", &[]).is_err());
    assert_eq!(audit::head(&mut c).unwrap(), head);
}

/// A file register with an offboarding open (two items resolved, two held) and one finished
/// moves to a server with them, exactly (times included); the open one goes on there and is
/// finished; exported back to a file, the file holds both offboardings as the server does and
/// verifies to the server's head.
#[test]
fn offboardings_move_to_a_server_and_back() {
    let server = server_or_skip!("offboardings_move_to_a_server_and_back");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db");
    let db = Db::open(&path).unwrap();
    let kim = [
        Step::Person("Kim Lo"),
        Step::Start("Kim Lo", "2026-11-30"),
        Step::Finish("Kim Lo", None),
    ];
    for (i, step) in before().iter().chain(&kim).enumerate() {
        apply_file(&db, step).unwrap_or_else(|e| panic!("step {i} in the file: {e}"));
    }
    let store = register_core::documents::DocumentStore::for_register(&path);
    let mut reg = TestRegister::new(server, "offmove");
    register_pg::transfer::move_in(&db, &store, &mut reg.owner(), None).unwrap();

    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    for name in ["Sam Patel", "Kim Lo", "Lee Wong"] {
        let id = server_person(&mut ed, name).unwrap();
        let in_file = db.read(|c| core_off::get_checklist(c, id)).unwrap();
        assert_eq!(
            offboarding::get_checklist(&mut ed, id).unwrap(),
            in_file,
            "{name}"
        );
    }
    let open = offboarding::list_open(&mut ed).unwrap();
    assert_eq!(
        open.iter().map(|o| o.open.clone()).collect::<Vec<_>>(),
        db.read(core_off::list_open).unwrap(),
        "moved as they were, times included"
    );
    assert_eq!(
        open.iter()
            .map(|o| (o.open.person.as_str(), o.open.held))
            .collect::<Vec<_>>(),
        [("Sam Patel", 2)]
    );
    // It goes on on the server: a second start is refused, the rest resolved, then finished.
    let why = apply_server(&mut ed, &Step::Start("Sam Patel", "2027-01-01")).unwrap_err();
    assert!(
        why.to_string()
            .contains("already open (leaving on 2026-12-31)"),
        "{why}"
    );
    for step in [
        Step::Resolve("Sam Patel", ItemKind::Asset, 3, back_to("Store room"), None),
        Step::Resolve(
            "Sam Patel",
            ItemKind::Seat,
            1,
            Resolution::Returned { location: None },
            None,
        ),
        Step::Finish("Sam Patel", None),
    ] {
        apply_server(&mut ed, &step).unwrap();
    }

    let back = dir.path().join("back.db");
    register_pg::transfer::export_to_file(&mut ed, &back).unwrap();
    let exported = Db::open(&back).unwrap();
    let own = exported.read(register_core::audit::verify_chain).unwrap();
    assert_eq!(own.first_bad_event, None);
    assert_eq!(own.event_count, audit::head(&mut ed).unwrap().0);
    for name in ["Sam Patel", "Kim Lo"] {
        let id = server_person(&mut ed, name).unwrap();
        let in_file = exported.read(|c| core_off::get_checklist(c, id)).unwrap();
        let served = offboarding::get_checklist(&mut ed, id).unwrap();
        assert_eq!(served, in_file, "{name}");
        assert!(served.offboarding.unwrap().finished_at.is_some());
        assert!(!served.person.active);
    }
    let sam = server_person(&mut ed, "Sam Patel").unwrap();
    assert_eq!(
        exported
            .read(|c| core_off::get_checklist(c, sam))
            .unwrap()
            .items
            .len(),
        4
    );
}

/// A benchmark, not a check: `bash .ci/pg -- --ignored --nocapture bench_offboarding`. At 10,000
/// assets, four people hold 50 assets each; four editors, each on their own connection, offboard
/// one person each at the same time: start, 50 resolutions (each reads the checklist as the
/// window would, then resolves one item), finish. Prints the checklist read's and the
/// resolution's times (p50, p95, max) and the whole run's.
#[test]
#[ignore]
fn bench_offboarding() {
    use std::time::Instant;
    let server = server_or_skip!("bench_offboarding");
    let mut reg = TestRegister::new(server, "benchoff");
    const ASSETS: i64 = 10_000;
    const PEOPLE: i64 = 4;
    const HELD: i64 = 50;
    let logins: Vec<String> = (0..PEOPLE)
        .map(|w| reg.add_login(&format!("w{w}"), Role::Editor))
        .collect();
    reg.owner()
        .batch_execute(&format!(
            "INSERT INTO assets (id, asset_tag, name, make, serial_number, serial_key, notes,
                                 status, created_at, updated_at)
             SELECT i, 'IT-' || lpad(i::text, 6, '0'), 'Laptop ' || i, 'Lenovo',
                    'SN' || i, 'SN' || i, 'bought in batch ' || (i % 97), 'available', now(), now()
               FROM generate_series(1, {ASSETS}) AS i;
             SELECT setval(pg_get_serial_sequence('public.assets', 'id'), {ASSETS});
             ANALYZE assets;"
        ))
        .unwrap();
    let mut c = reg.connect_as(&logins[0]);
    for p in 0..PEOPLE {
        for i in 0..HELD {
            let id = 1 + p * 997 + i * 13;
            apply_server(
                &mut c,
                &Step::Give(id, ["Ana", "Bo", "Cy", "Di"][p as usize]),
            )
            .unwrap();
        }
    }
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let times: Vec<(Vec<f64>, Vec<f64>)> = std::thread::scope(|scope| {
        let runs: Vec<_> = logins
            .iter()
            .enumerate()
            .map(|(w, login)| {
                let mut client = reg.connect_as(login);
                scope.spawn(move || {
                    let name = ["Ana", "Bo", "Cy", "Di"][w];
                    let id = server_person(&mut client, name).unwrap();
                    apply_server(&mut client, &Step::Start(name, "2026-12-31")).unwrap();
                    let (mut reads, mut resolves) = (Vec::new(), Vec::new());
                    loop {
                        let t = Instant::now();
                        let list = offboarding::get_checklist(&mut client, id).unwrap();
                        reads.push(ms(t));
                        let Some(item) = list.items.first().filter(|i| i.outcome.is_none()) else {
                            break;
                        };
                        let t = Instant::now();
                        let step = Step::Resolve(name, item.kind, item.id, back_to("Store"), None);
                        apply_server(&mut client, &step).unwrap();
                        resolves.push(ms(t));
                    }
                    apply_server(&mut client, &Step::Finish(name, None)).unwrap();
                    (reads, resolves)
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let total = ms(started);
    let said = |what: &str, mut t: Vec<f64>| {
        t.sort_by(f64::total_cmp);
        println!(
            "bench: {what} ({} of them): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
            t.len(),
            t[t.len() / 2],
            t[t.len() * 95 / 100],
            t[t.len() - 1]
        );
    };
    said(
        "checklist read (live, at 10,000 assets)",
        times.iter().flat_map(|t| t.0.clone()).collect(),
    );
    said(
        "resolution (asset returned + person event)",
        times.iter().flat_map(|t| t.1.clone()).collect(),
    );
    println!(
        "bench: {PEOPLE} editors offboarding {PEOPLE} people x {HELD} assets at once: {total:.0} ms"
    );
    let check = audit::verify_chain(&mut c).unwrap();
    assert_eq!(check.first_bad_event, None);
    assert!(offboarding::list_open(&mut c).unwrap().is_empty());
}
