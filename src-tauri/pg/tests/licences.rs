//! Licences and their seats on the server follow the core's rules and record the core's events:
//! the same licence life applied to a file register and to a team register gives the same
//! licences, seats, people and events (the same hashes, given the same times), and the same
//! refusals in the same words. And what several clients at once could break: two taking the
//! last seat, eight racing for three seats, an edit over a seat change it has not seen,
//! someone marked as left while a seat is being given to them; and what each role may do.

use std::sync::Barrier;

use register_core::audit::Source;
use register_core::licences::{self as core_licences, Licence, LicenceInput, Seat};
use register_core::people::{self as core_people, PersonInput};
use register_core::Db;
use register_pg::admin::Role;
use register_pg::{audit, licences, people, Client, Error};

use crate::util::{assert_same_events, server_or_skip, while_in_flight, TestRegister};

/// One change, applied to either store by product and name.
#[derive(Clone)]
enum Step {
    Person(&'static str),
    Left(&'static str, bool),
    Create(LicenceInput),
    Edit(&'static str, LicenceInput),
    Assign(&'static str, &'static str, Option<&'static str>),
    Reassign(&'static str, &'static str, &'static str),
    Release(&'static str, &'static str),
    Archive(&'static str),
}

fn licence(product: &str, seats: &str) -> LicenceInput {
    LicenceInput {
        product: Some(product.into()),
        seats: Some(seats.into()),
        ..Default::default()
    }
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

/// A licence's life: bought with every kind of field, seats given to people already in the
/// register and to new ones, edited (more seats, a new key, a key whose mask stays the same,
/// fields cleared, an edit that changes nothing), a seat moved, released, a licence archived,
/// one renamed and repriced per seat.
fn steps() -> Vec<Step> {
    use Step::*;
    vec![
        Person("Sam Patel"),
        Person("Gone Person"),
        Create(LicenceInput {
            vendor: some("Microsoft"),
            renewal_date: some("2027-03-01"),
            cost: some("1,234.50"),
            period: some("yearly"),
            supplier: some("Softcat"),
            licence_key: some("ABCD-EFGH-IJKL-7Q2X"),
            notes: some("E3 plan"),
            ..licence(" Microsoft 365 ", "3")
        }),
        Create(LicenceInput {
            cost: some("15"),
            cost_basis: some("per-seat"),
            period: some("monthly"),
            licence_key: some("K3Y9"),
            ..licence("Figma", "2")
        }),
        Create(LicenceInput {
            period: some("one-off"),
            renewal_date: some("2030-12-31"),
            ..licence("Acrobat", "1")
        }),
        Assign("Microsoft 365", "sam patel", Some("new starter")),
        // Someone new to the register: created, then the seat.
        Assign("microsoft 365", "Ana Ruiz", None),
        Assign("Figma", "Sam Patel", None),
        Edit(
            "Microsoft 365",
            LicenceInput {
                seats: some("5"),
                licence_key: some("ABCD-EFGH-IJKL-9991"),
                notes: some(""),
                cost: some(""),
                ..Default::default()
            },
        ),
        // A new key with the same last four characters: recorded as changed, still masked.
        Edit(
            "Microsoft 365",
            LicenceInput {
                licence_key: some("ZZZZ-9991"),
                ..Default::default()
            },
        ),
        // Changes nothing: nothing written.
        Edit("Figma", licence("Figma", "2")),
        Reassign("Microsoft 365", "Ana Ruiz", "Bo Chen"),
        Assign("Acrobat", "Ana Ruiz", Some("design work")),
        Release("Figma", "Sam Patel"),
        Archive("Figma"),
        Left("Gone Person", true),
        Edit(
            "Acrobat",
            LicenceInput {
                product: some("Adobe Acrobat"),
                period: some("monthly"),
                cost_basis: some("per_seat"),
                cost: some("9.99"),
                ..Default::default()
            },
        ),
    ]
}

/// Changes both stores must refuse, in the same words.
fn refused() -> Vec<Step> {
    use Step::*;
    vec![
        Create(licence(" ", "1")),
        Create(licence(&"p".repeat(201), "1")),
        Create(licence("X", "")),
        Create(licence("X", "0")),
        Create(licence("X", "2.5")),
        Create(licence("X", "100001")),
        Create(LicenceInput {
            renewal_date: some("2027-02-30"),
            ..licence("X", "1")
        }),
        Create(LicenceInput {
            cost: some("-3"),
            ..licence("X", "1")
        }),
        Create(LicenceInput {
            period: some("weekly"),
            ..licence("X", "1")
        }),
        Create(LicenceInput {
            cost_basis: some("per hour"),
            ..licence("X", "1")
        }),
        Create(LicenceInput {
            licence_key: Some("k".repeat(2001)),
            ..licence("X", "1")
        }),
        // Two seats are in use (Sam, Bo).
        Edit(
            "Microsoft 365",
            LicenceInput {
                seats: some("1"),
                ..Default::default()
            },
        ),
        Edit("Figma", licence("Figma", "3")),
        // Over-allocation: Acrobat's one seat is Ana's.
        Assign("Adobe Acrobat", "Sam Patel", None),
        Assign("Microsoft 365", "SAM PATEL", None),
        Assign("Microsoft 365", "gone person", None),
        Assign("Microsoft 365", "  ", None),
        Assign("Figma", "Sam Patel", None),
        Assign("Zoom", "Sam Patel", None),
        Release("Microsoft 365", "Ana Ruiz"),
        Reassign("Microsoft 365", "Sam Patel", "bo chen"),
        Reassign("Microsoft 365", "Sam Patel", "Sam Patel"),
        Reassign("Microsoft 365", "Ana Ruiz", "Someone New"),
        Reassign("Figma", "Sam Patel", "Ana Ruiz"),
        Archive("Microsoft 365"),
        Archive("Figma"),
        // Sam holds a seat of Microsoft 365.
        Left("Sam Patel", true),
    ]
}

fn apply_file(db: &Db, step: &Step) -> register_core::Result<()> {
    let find = |key: &str| {
        db.read(|c| core_licences::find_licence(c, key))
            .map(|l| l.id)
    };
    let who = |name: &str| {
        db.read(|c| core_people::find_person(c, name))
            .map(|p| p.expect("a person the steps named").id)
    };
    let app = Source::App;
    match step {
        Step::Person(name) => db
            .write(app, |tx| {
                core_people::create_person(
                    tx,
                    &PersonInput {
                        name: name.to_string(),
                        ..Default::default()
                    },
                )
            })
            .map(drop),
        Step::Left(name, left) => {
            let id = who(name)?;
            db.write(app, |tx| core_people::set_person_left(tx, id, *left, None))
                .map(drop)
        }
        Step::Create(input) => db
            .write(app, |tx| core_licences::create_licence(tx, input, None))
            .map(drop),
        Step::Edit(key, patch) => {
            let id = find(key)?;
            db.write(app, |tx| core_licences::update_licence(tx, id, patch, None))
                .map(drop)
        }
        Step::Assign(key, person, note) => {
            let id = find(key)?;
            db.write(app, |tx| core_licences::assign_seat(tx, id, person, *note))
                .map(drop)
        }
        Step::Reassign(key, from, to) => {
            let id = find(key)?;
            let from = who(from)?;
            db.write(app, |tx| {
                core_licences::reassign_seat(tx, id, from, to, None)
            })
            .map(drop)
        }
        Step::Release(key, person) => {
            let id = find(key)?;
            let person = who(person)?;
            db.write(app, |tx| core_licences::release_seat(tx, id, person, None))
                .map(drop)
        }
        Step::Archive(key) => {
            let id = find(key)?;
            db.write(app, |tx| core_licences::archive_licence(tx, id, None))
                .map(drop)
        }
    }
}

fn apply_server(client: &mut Client, step: &Step) -> register_pg::Result<()> {
    let who = |client: &mut Client, name: &str| -> register_pg::Result<(i64, i64)> {
        let p = people::find_person(client, name)?.expect("a person the steps named");
        Ok((p.person.id, p.version))
    };
    let app = Source::App;
    match step {
        Step::Person(name) => register_pg::write(client, app, |tx| {
            people::create_person(
                tx,
                &PersonInput {
                    name: name.to_string(),
                    ..Default::default()
                },
            )
        })
        .map(drop),
        Step::Left(name, left) => {
            let (id, read) = who(client, name)?;
            register_pg::write(client, app, |tx| {
                people::set_person_left(tx, id, read, *left, None)
            })
            .map(drop)
        }
        Step::Create(input) => {
            register_pg::write(client, app, |tx| licences::create_licence(tx, input, None))
                .map(drop)
        }
        Step::Edit(key, patch) => {
            let read = licences::find_licence(client, key)?;
            register_pg::write(client, app, |tx| {
                licences::update_licence(tx, read.licence.id, read.version, patch, None)
            })
            .map(drop)
        }
        Step::Assign(key, person, note) => {
            let id = licences::find_licence(client, key)?.licence.id;
            register_pg::write(client, app, |tx| {
                licences::assign_seat(tx, id, person, *note)
            })
            .map(drop)
        }
        Step::Reassign(key, from, to) => {
            let id = licences::find_licence(client, key)?.licence.id;
            let from = who(client, from)?.0;
            register_pg::write(client, app, |tx| {
                licences::reassign_seat(tx, id, from, to, None)
            })
            .map(drop)
        }
        Step::Release(key, person) => {
            let id = licences::find_licence(client, key)?.licence.id;
            let person = who(client, person)?.0;
            register_pg::write(client, app, |tx| {
                licences::release_seat(tx, id, person, None)
            })
            .map(drop)
        }
        Step::Archive(key) => {
            let read = licences::find_licence(client, key)?;
            register_pg::write(client, app, |tx| {
                licences::archive_licence(tx, read.licence.id, read.version, None)
            })
            .map(drop)
        }
    }
}

/// What may differ between the stores for the same licence: the times (each store's clock).
fn comparable(mut l: Licence) -> Licence {
    l.created_at.clear();
    l.updated_at.clear();
    l
}

fn comparable_seats(seats: Vec<Seat>) -> Vec<Seat> {
    seats
        .into_iter()
        .map(|mut s| {
            assert!(s.assigned_at.ends_with('Z') && s.assigned_at.len() == 27);
            s.assigned_at.clear();
            s
        })
        .collect()
}

#[test]
fn licences_and_seats_are_the_same_in_both_stores() {
    let server = server_or_skip!("licences_and_seats_are_the_same_in_both_stores");
    let mut reg = TestRegister::new(server, "licences");
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
        let Error::Core(core) = &on_server else {
            panic!("refused step {i}: {on_server:?}");
        };
        assert_eq!(core.to_string(), in_file.to_string(), "refused step {i}");
        assert_eq!(core.field(), in_file.field(), "refused step {i}");
    }
    assert_eq!(
        audit::head(&mut ed).unwrap().0,
        head,
        "refusals wrote nothing"
    );

    // The same licences (seats in use, masked keys, costs per period), archived ones too.
    let in_file = db.read(|c| core_licences::list_licences(c, true)).unwrap();
    let on_server: Vec<Licence> = licences::list_licences(&mut ed, true)
        .unwrap()
        .into_iter()
        .map(|v| v.licence)
        .collect();
    assert_eq!(
        on_server
            .iter()
            .cloned()
            .map(comparable)
            .collect::<Vec<_>>(),
        in_file.into_iter().map(comparable).collect::<Vec<_>>()
    );
    let shown: Vec<(&str, i64, i64, Option<&str>, bool)> = on_server
        .iter()
        .map(|l| {
            (
                l.product.as_str(),
                l.seats_used,
                l.seats,
                l.key_hint.as_deref(),
                l.archived,
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("Adobe Acrobat", 1, 1, None, false),
            ("Figma", 0, 2, Some("••••"), true),
            ("Microsoft 365", 2, 5, Some("•••• 9991"), false),
        ]
    );
    let acrobat = &on_server[0];
    assert_eq!(
        acrobat.period_cost.map(|m| m.to_string()).as_deref(),
        Some("9.99")
    );
    // Only live licences unless asked.
    assert_eq!(licences::list_licences(&mut ed, false).unwrap().len(), 2);

    // The same seats, by person, and the same people with what they hold.
    for l in &on_server {
        let in_file = db.read(|c| core_licences::list_seats(c, l.id)).unwrap();
        let served = licences::list_seats(&mut ed, l.id).unwrap();
        assert_eq!(
            comparable_seats(served),
            comparable_seats(in_file),
            "{}",
            l.product
        );
    }
    let m365: Vec<String> = licences::list_seats(&mut ed, on_server[2].id)
        .unwrap()
        .into_iter()
        .map(|s| s.person_name)
        .collect();
    assert_eq!(m365, ["Bo Chen", "Sam Patel"]);
    let sam = people::find_person(&mut ed, "Sam Patel")
        .unwrap()
        .unwrap()
        .person;
    assert_eq!(sam.seat_count, 1);
    assert_eq!(
        comparable_seats(licences::person_seats(&mut ed, sam.id).unwrap()),
        comparable_seats(db.read(|c| core_licences::person_seats(c, sam.id)).unwrap())
    );
    assert_eq!(
        people::list_people(&mut ed).unwrap(),
        db.read(core_people::list_people).unwrap()
    );

    // The key is kept as the file keeps it, and never reaches the trail in clear.
    let id = on_server[2].id;
    let key = licences::reveal_licence_key(&mut ed, id).unwrap();
    assert_eq!(key.as_deref(), Some("ZZZZ-9991"));
    assert_eq!(
        key,
        db.read(|c| core_licences::reveal_licence_key(c, id))
            .unwrap()
    );
    let mut trail = String::new();
    audit::for_each_stored(&mut ed, |ev| trail.push_str(&ev.row.changes)).unwrap();
    for secret in ["ZZZZ", "ABCD", "K3Y9"] {
        assert!(!trail.contains(secret), "{secret} in the trail: {trail}");
    }
    assert!(trail.contains("•••• 9991 (changed)"), "{trail}");

    // The same events, and the same head given the server's times: 2 people, 3 licences,
    // 3 seats (one to someone new, created first), 2 edits, a seat moved (to someone new), a
    // seat, a release, an archive, a leaver, an edit.
    let events = assert_same_events(&db, &mut ed, &editor);
    assert_eq!(events, 18);
}

/// Creates a licence with `seats` seats on the server, and returns its id.
fn create(client: &mut Client, product: &str, seats: &str) -> licences::Versioned {
    register_pg::write(client, Source::App, |tx| {
        licences::create_licence(tx, &licence(product, seats), None)
    })
    .unwrap()
}

fn assign(client: &mut Client, id: i64, person: &str) -> register_pg::Result<licences::Versioned> {
    register_pg::write(client, Source::App, |tx| {
        licences::assign_seat(tx, id, person, None)
    })
}

/// Alice takes the last seat of Figma for Sam; Bob, at the same moment, tries to take it for
/// Ana. Bob's change waits for Alice's lock on the licence and is then refused: all seats are
/// in use, and nothing of his is written (not even Ana, whom it would have created).
#[test]
fn two_clients_cannot_both_take_the_last_seat() {
    let server = server_or_skip!("two_clients_cannot_both_take_the_last_seat");
    let mut reg = TestRegister::new(server, "lastseat");
    let alice = reg.add_login("alice", Role::Editor);
    let bob = reg.add_login("bob", Role::Editor);
    let mut a = reg.connect_as(&alice);
    let mut b = reg.connect_as(&bob);
    let id = create(&mut a, "Figma", "2").licence.id;
    assign(&mut a, id, "Bo Chen").unwrap();

    let out = while_in_flight(
        &mut a,
        &mut b,
        |tx| licences::assign_seat(tx, id, "Sam Patel", None).map(drop),
        |b| assign(b, id, "Ana Ruiz"),
    );
    let err = out.unwrap_err();
    assert_eq!(
        err.to_string(),
        "all 2 seats of Figma are in use; add seats or release one first"
    );
    let now = licences::get_licence(&mut b, id).unwrap().licence;
    assert_eq!((now.seats_used, now.seats), (2, 2));
    assert!(people::find_person(&mut b, "Ana Ruiz").unwrap().is_none());
    // Created Figma, created Bo, Bo's seat, created Sam, Sam's seat.
    let check = audit::verify_chain(&mut b).unwrap();
    assert_eq!((check.event_count, check.first_bad_event), (5, None));
}

/// Eight clients, each on its own connection, start at once to take a seat of a licence with
/// three: exactly three get one, the other five are refused, and the chain holds one event per
/// seat (and per person created).
#[test]
fn eight_clients_racing_for_three_seats_get_three() {
    let server = server_or_skip!("eight_clients_racing_for_three_seats_get_three");
    let mut reg = TestRegister::new(server, "seatrace");
    let login = reg.add_login("ed", Role::Editor);
    let id = create(&mut reg.connect_as(&login), "Slack", "3").licence.id;
    let mut clients: Vec<Client> = (0..8).map(|_| reg.connect_as(&login)).collect();
    let start = Barrier::new(clients.len());
    let outcomes: Vec<register_pg::Result<licences::Versioned>> = std::thread::scope(|scope| {
        let racers: Vec<_> = clients
            .iter_mut()
            .enumerate()
            .map(|(i, c)| {
                let start = &start;
                scope.spawn(move || {
                    start.wait();
                    assign(c, id, &format!("Person {i}"))
                })
            })
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let won = outcomes.iter().filter(|o| o.is_ok()).count();
    assert_eq!(won, 3, "{outcomes:?}");
    for o in outcomes.iter().filter_map(|o| o.as_ref().err()) {
        assert_eq!(
            o.to_string(),
            "all 3 seats of Slack are in use; add seats or release one first"
        );
    }
    let c = &mut clients[0];
    let now = licences::get_licence(c, id).unwrap();
    assert_eq!((now.licence.seats_used, now.version), (3, 4));
    assert_eq!(licences::list_seats(c, id).unwrap().len(), 3);
    assert_eq!(people::list_people(c).unwrap().len(), 3);
    let check = audit::verify_chain(c).unwrap();
    assert_eq!((check.event_count, check.first_bad_event), (7, None));
}

/// Alice opens Figma (version 1) and edits it after Bob has given a seat of it to Sam: her save
/// is refused naming Bob and his change, and nothing of hers is written. Reloaded, it goes
/// through. An archive from an old version is refused the same way.
#[test]
fn an_edit_over_a_change_not_seen_is_refused_naming_who() {
    let server = server_or_skip!("an_edit_over_a_change_not_seen_is_refused_naming_who");
    let mut reg = TestRegister::new(server, "licconflict");
    let alice = reg.add_login("alice", Role::Editor);
    let bob = reg.add_login("bob", Role::Editor);
    let mut a = reg.connect_as(&alice);
    let mut b = reg.connect_as(&bob);
    let opened = create(&mut a, "Figma", "2");
    assert_eq!(opened.version, 1);
    let id = opened.licence.id;
    assert_eq!(assign(&mut b, id, "Sam Patel").unwrap().version, 2);

    let fewer = LicenceInput {
        seats: some("1"),
        notes: some("trimmed"),
        ..Default::default()
    };
    let err = register_pg::write(&mut a, Source::App, |tx| {
        licences::update_licence(tx, id, 1, &fewer, None)
    })
    .unwrap_err();
    let Error::Conflict(conflict) = &err else {
        panic!("expected a conflict, got {err:?}");
    };
    assert_eq!(
        (conflict.read_version, conflict.version, conflict.id),
        (1, 2, id)
    );
    assert_eq!(conflict.changes.len(), 1);
    assert_eq!(conflict.changes[0].actor, bob);
    assert_eq!(conflict.changes[0].action, "seat_assigned");
    assert_eq!(conflict.changes[0].fields, ["seat"]);
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "Figma was changed after you opened it, by {bob} at 20"
        )) && message.contains(" UTC (seat); nothing was saved: reload it"),
        "{message}"
    );
    let now = licences::get_licence(&mut a, id).unwrap();
    assert_eq!((now.version, now.licence.notes.as_deref()), (2, None));

    // Reloaded, the edit goes through; an edit that changes nothing keeps the version.
    let saved = register_pg::write(&mut a, Source::App, |tx| {
        licences::update_licence(tx, id, 2, &fewer, None)
    })
    .unwrap();
    assert_eq!((saved.version, saved.licence.seats), (3, 1));
    let same = register_pg::write(&mut a, Source::App, |tx| {
        licences::update_licence(tx, id, 3, &fewer, None)
    })
    .unwrap();
    assert_eq!(same.version, 3);

    let err = register_pg::write(&mut b, Source::App, |tx| {
        licences::archive_licence(tx, id, 2, None)
    })
    .unwrap_err();
    assert!(
        err.to_string().contains(&format!(
            "Figma was changed after you opened it, by {alice} at "
        )),
        "{err}"
    );
    assert!(!licences::get_licence(&mut b, id).unwrap().licence.archived);
    let check = audit::verify_chain(&mut b).unwrap();
    assert_eq!((check.event_count, check.first_bad_event), (4, None));
}

/// Bob marks Sam as left while Alice's seat for Sam is in flight: Bob's change waits for hers
/// (she holds Sam `FOR SHARE`), then counts the seat and is refused. Nobody who has left holds
/// a seat.
#[test]
fn leaving_waits_for_a_seat_being_given() {
    let server = server_or_skip!("leaving_waits_for_a_seat_being_given");
    let mut reg = TestRegister::new(server, "seatleave");
    let login = reg.add_login("ed", Role::Editor);
    let mut a = reg.connect_as(&login);
    let mut b = reg.connect_as(&login);
    let id = create(&mut a, "Figma", "2").licence.id;
    let sam = register_pg::write(&mut a, Source::App, |tx| {
        people::create_person(
            tx,
            &PersonInput {
                name: "Sam Patel".into(),
                ..Default::default()
            },
        )
    })
    .unwrap();
    let out = while_in_flight(
        &mut a,
        &mut b,
        |tx| licences::assign_seat(tx, id, "Sam Patel", None).map(drop),
        |b| {
            register_pg::write(b, Source::App, |tx| {
                people::set_person_left(tx, sam.person.id, sam.version, true, None)
            })
        },
    );
    let err = out.unwrap_err();
    assert_eq!(
        err.to_string(),
        "Sam Patel still holds 1 licence seat; return, reassign or release it before marking \
         them as left"
    );
    let now = people::get_person(&mut b, sam.person.id).unwrap().person;
    assert!(now.active);
    assert_eq!(now.seat_count, 1);
}

/// Viewers and auditors read licences, their seats and (as in the app, where showing a key is
/// a read) their keys, and change none of them; no role deletes a licence.
#[test]
fn only_editors_change_licences_and_every_reader_sees_the_key() {
    let server = server_or_skip!("only_editors_change_licences_and_every_reader_sees_the_key");
    let mut reg = TestRegister::new(server, "licroles");
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    let made = register_pg::write(&mut ed, Source::App, |tx| {
        licences::create_licence(
            tx,
            &LicenceInput {
                licence_key: some("SECRET-KEY-0001"),
                ..licence("Figma", "2")
            },
            None,
        )
    })
    .unwrap();
    let id = made.licence.id;
    let held = assign(&mut ed, id, "Sam Patel").unwrap();
    let sam = people::find_person(&mut ed, "Sam Patel").unwrap().unwrap();
    let head = audit::head(&mut ed).unwrap();
    let denied = ed.execute("DELETE FROM licences WHERE id = $1", &[&id]);
    assert!(denied.is_err(), "an editor deleted a licence");

    let mut auditor = None;
    for (name, role) in [("reader", Role::Viewer), ("checker", Role::Auditor)] {
        let login = reg.add_login(name, role);
        let mut client = reg.connect_as(&login);
        assert_eq!(licences::get_licence(&mut client, id).unwrap(), held);
        assert_eq!(
            licences::list_licences(&mut client, true).unwrap(),
            std::slice::from_ref(&held)
        );
        assert_eq!(licences::list_seats(&mut client, id).unwrap().len(), 1);
        assert_eq!(
            licences::reveal_licence_key(&mut client, id)
                .unwrap()
                .as_deref(),
            Some("SECRET-KEY-0001"),
            "{role:?}"
        );
        let denied = [
            register_pg::write(&mut client, Source::App, |tx| {
                licences::create_licence(tx, &licence("Slack", "1"), None).map(drop)
            }),
            register_pg::write(&mut client, Source::App, |tx| {
                licences::update_licence(tx, id, held.version, &licence("Figma", "9"), None)
                    .map(drop)
            }),
            assign(&mut client, id, "Ana Ruiz").map(drop),
            register_pg::write(&mut client, Source::App, |tx| {
                licences::release_seat(tx, id, sam.person.id, None).map(drop)
            }),
            register_pg::write(&mut client, Source::App, |tx| {
                licences::archive_licence(tx, id, held.version, None).map(drop)
            }),
        ];
        for err in denied {
            assert!(matches!(err, Err(Error::Denied(_))), "{role:?}: {err:?}");
        }
        assert!(client
            .execute("DELETE FROM licence_seats WHERE licence_id = $1", &[&id])
            .is_err());
        if role == Role::Auditor {
            auditor = Some(client);
        }
    }
    // Nothing changed: the same licence, seat and trail, which the auditor verifies.
    assert_eq!(licences::get_licence(&mut ed, id).unwrap(), held);
    assert_eq!(audit::head(&mut ed).unwrap(), head);
    let check = audit::verify_chain(&mut auditor.unwrap()).unwrap();
    assert_eq!((check.event_count, check.first_bad_event), (head.0, None));
}
