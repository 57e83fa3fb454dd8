//! Row versions under several people: a save over a newer change (of an asset, or of a person)
//! is refused with who changed what and changes nothing; editors racing on the same assets make
//! one linear chain, every save either applied once or refused; and the benchmark of audited
//! edits.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use register_core::audit::Source;
use register_core::people::PersonInput;
use register_core::{AssetInput, AssetPatch, Holder, Status};
use register_pg::admin::Role;
use register_pg::assets::{self, Versioned};
use register_pg::conflict::Record;
use register_pg::{audit, people, Client, Error};

use crate::util::{server_or_skip, while_in_flight, TestRegister};

fn create(client: &mut Client, tag: &str) -> Versioned {
    let input = AssetInput {
        asset_tag: tag.into(),
        name: format!("Laptop {tag}"),
        ..Default::default()
    };
    register_pg::write(client, Source::App, |tx| {
        assets::create_asset(tx, &input, None)
    })
    .unwrap()
}

fn rename(name: &str) -> AssetPatch {
    AssetPatch {
        name: Some(name.into()),
        ..Default::default()
    }
}

/// Alice and Bob both open IT-0001 at version 1. Alice saves a new name while Bob is still
/// editing; Bob's save, started from version 1, waits for Alice's row lock and is then refused
/// with her name, the time and the field, and nothing of his is written. Reloaded, his save
/// goes through.
#[test]
fn a_save_over_a_newer_change_names_who_changed_what() {
    let server = server_or_skip!("a_save_over_a_newer_change_names_who_changed_what");
    let mut reg = TestRegister::new(server, "conflict");
    let alice = reg.add_login("alice", Role::Editor);
    let bob = reg.add_login("bob", Role::Editor);
    let mut a = reg.connect_as(&alice);
    let mut b = reg.connect_as(&bob);
    let opened = create(&mut a, "IT-0001");
    let id = opened.asset.id;
    assert_eq!(assets::get_asset(&mut b, id).unwrap(), opened);

    // Alice's change is in flight (row locked, not committed) when Bob saves.
    let (started, bob_starts) = mpsc::channel();
    let bob_saved = std::thread::scope(|scope| {
        let bob_saves = scope.spawn(move || {
            bob_starts.recv().unwrap();
            let patch = AssetPatch {
                notes: Some("Bob's note".into()),
                ..Default::default()
            };
            let t = Instant::now();
            let out = register_pg::write(&mut b, Source::App, |tx| {
                assets::update_asset(tx, id, 1, &patch, None)
            });
            (out, t.elapsed(), b)
        });
        register_pg::write(&mut a, Source::App, |tx| {
            let saved = assets::update_asset(tx, id, 1, &rename("Alice's laptop"), None)?;
            started.send(()).unwrap();
            std::thread::sleep(Duration::from_millis(300));
            Ok(saved)
        })
        .unwrap();
        bob_saves.join().unwrap()
    });
    let (out, waited, mut b) = bob_saved;
    assert!(
        waited >= Duration::from_millis(200),
        "Bob waited {waited:?}"
    );
    let err = out.unwrap_err();
    let Error::Conflict(conflict) = &err else {
        panic!("expected a conflict, got {err:?}");
    };
    assert_eq!((conflict.read_version, conflict.version), (1, 2));
    assert_eq!(conflict.changes.len(), 1);
    assert_eq!(conflict.changes[0].actor, alice);
    assert_eq!(conflict.changes[0].fields, ["name"]);
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "IT-0001 was changed after you opened it, by {alice} at 20"
        )) && message.contains(" UTC (name); nothing was saved: reload it"),
        "{message}"
    );

    // Nothing of Bob's: Alice's version, one event for her edit.
    let now = assets::get_asset(&mut b, id).unwrap();
    assert_eq!((now.version, now.asset.notes.as_deref()), (2, None));
    assert_eq!(now.asset.name, "Alice's laptop");
    assert_eq!(audit::head(&mut b).unwrap().0, 2);

    // A status change from the old version is refused too; a second change since is named.
    register_pg::write(&mut a, Source::App, |tx| {
        assets::change_status(tx, id, 2, Status::InMaintenance, None)
    })
    .unwrap();
    let err = register_pg::write(&mut b, Source::App, |tx| {
        assets::change_status(tx, id, 1, Status::Retired, None)
    })
    .unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("(name), then by {alice} at ")),
        "{err}"
    );
    assert!(
        err.to_string().contains(" UTC (status); nothing was saved"),
        "{err}"
    );

    // Reloaded, Bob's save goes through, as Bob.
    let reloaded = assets::get_asset(&mut b, id).unwrap();
    let patch = AssetPatch {
        notes: Some("Bob's note".into()),
        ..Default::default()
    };
    let saved = register_pg::write(&mut b, Source::App, |tx| {
        assets::update_asset(tx, id, reloaded.version, &patch, None)
    })
    .unwrap();
    assert_eq!(saved.version, 4);
    assert_eq!(saved.asset.name, "Alice's laptop");
    assert_eq!(saved.asset.status, Status::InMaintenance);
    let mut actors = Vec::new();
    audit::for_each_stored(&mut b, |ev| actors.push(ev.actor)).unwrap();
    assert_eq!(actors, [&alice, &alice, &alice, &bob].map(String::clone));

    // An archived asset tells a client that read it before by whom.
    register_pg::write(&mut a, Source::App, |tx| {
        assets::archive_asset(tx, id, 4, None)
    })
    .unwrap();
    let err = register_pg::write(&mut b, Source::App, |tx| {
        assets::update_asset(tx, id, 4, &rename("x"), None)
    })
    .unwrap_err();
    assert!(err.to_string().contains("(archived)"), "{err}");

    // Restoring it is checked the same way: from the version before the archive, refused naming
    // it; reloaded, it comes back as it was.
    let err = register_pg::write(&mut b, Source::App, |tx| {
        assets::unarchive_asset(tx, id, 4, None)
    })
    .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains(" UTC (archived); nothing was saved"),
        "{err}"
    );
    let restored = register_pg::write(&mut b, Source::App, |tx| {
        assets::unarchive_asset(tx, id, 5, Some("found it"))
    })
    .unwrap();
    assert_eq!(restored.version, 6);
    assert!(!restored.asset.archived);
    assert_eq!(restored.asset.status, Status::InMaintenance);
}

/// Alice and Bob both open Sam Patel at version 1. Alice's new e-mail is in flight when Bob
/// saves a department: his save waits for her row lock and is refused naming her and the field,
/// changing nothing; so are his leaving and rejoining from a version he has not reloaded, each
/// naming every change since. Reloaded, his save goes through. Giving Sam an asset is not a
/// write of Sam (no new version: an edit from before it is not refused), and a person the
/// assignment creates starts at version 1 with the event that made it.
#[test]
fn a_person_saved_over_a_newer_change_names_who_changed_what() {
    let server = server_or_skip!("a_person_saved_over_a_newer_change_names_who_changed_what");
    let mut reg = TestRegister::new(server, "personversion");
    let alice = reg.add_login("alice", Role::Editor);
    let bob = reg.add_login("bob", Role::Editor);
    let (mut a, mut b) = (reg.connect_as(&alice), reg.connect_as(&bob));
    let input = |email: &str, department: &str| PersonInput {
        name: "Sam Patel".into(),
        email: email.into(),
        department: department.into(),
    };
    let sam = register_pg::write(&mut a, Source::App, |tx| {
        people::create_person(tx, &input("", ""))
    })
    .unwrap();
    let id = sam.person.id;
    assert_eq!(sam.version, 1);
    assert_eq!(people::get_person(&mut b, id).unwrap(), sam);

    let t = Instant::now();
    let out = while_in_flight(
        &mut a,
        &mut b,
        |tx| people::update_person(tx, id, 1, &input("sam@example.org", "")).map(drop),
        |b| {
            register_pg::write(b, Source::App, |tx| {
                people::update_person(tx, id, 1, &input("", "IT"))
            })
        },
    );
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "Bob did not wait"
    );
    let err = out.unwrap_err();
    let Error::Conflict(conflict) = &err else {
        panic!("expected a conflict, got {err:?}");
    };
    assert_eq!(
        (conflict.entity, conflict.id, conflict.label.as_str()),
        (Record::Person, id, "Sam Patel")
    );
    assert_eq!((conflict.read_version, conflict.version), (1, 2));
    assert_eq!(conflict.changes.len(), 1);
    assert_eq!(conflict.changes[0].actor, alice);
    assert_eq!(conflict.changes[0].fields, ["email"]);
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "Sam Patel was changed after you opened it, by {alice} at 20"
        )) && message.contains(" UTC (email); nothing was saved: reload it"),
        "{message}"
    );
    let now = people::get_person(&mut b, id).unwrap();
    assert_eq!(now.version, 2);
    assert_eq!(now.person.department, None);
    assert_eq!(audit::head(&mut b).unwrap().0, 2);

    // Alice marks Sam as left; Bob's leaving and rejoining from version 1 are refused, naming
    // both of her changes, and write nothing.
    register_pg::write(&mut a, Source::App, |tx| {
        people::set_person_left(tx, id, 2, true, None)
    })
    .unwrap();
    for left in [true, false] {
        let err = register_pg::write(&mut b, Source::App, |tx| {
            people::set_person_left(tx, id, 1, left, None)
        })
        .unwrap_err();
        assert!(matches!(err, Error::Conflict(_)), "{err:?}");
        assert!(
            err.to_string()
                .contains(&format!(" UTC (email), then by {alice} at "))
                && err
                    .to_string()
                    .contains(" UTC (left_on); nothing was saved: reload it to see those changes"),
            "{err}"
        );
    }
    assert_eq!(audit::head(&mut b).unwrap().0, 3);

    // Reloaded, Bob's rejoin goes through, as Bob.
    let reloaded = people::get_person(&mut b, id).unwrap();
    assert!(!reloaded.person.active);
    let back = register_pg::write(&mut b, Source::App, |tx| {
        people::set_person_left(tx, id, reloaded.version, false, Some("back from leave"))
    })
    .unwrap();
    assert_eq!((back.version, back.person.active), (4, true));

    // Alice gives Sam a laptop and someone new a phone: Sam's version stays, so Bob's edit from
    // version 4 goes through; Ana is created at version 1.
    for (tag, who) in [("IT-0001", "Sam Patel"), ("IT-0002", "Ana Ruiz")] {
        let made = create(&mut a, tag);
        register_pg::write(&mut a, Source::App, |tx| {
            assets::assign_asset(tx, made.asset.id, 1, &Holder::Person(who.into()), None)
        })
        .unwrap();
    }
    let edited = register_pg::write(&mut b, Source::App, |tx| {
        people::update_person(tx, id, 4, &input("sam@example.org", "IT"))
    })
    .unwrap();
    assert_eq!(edited.version, 5);
    assert_eq!(edited.person.asset_count, 1);
    let ana = people::find_person(&mut b, "ana ruiz").unwrap().unwrap();
    assert_eq!(ana.version, 1);

    // Each person event stores the version it made, and who wrote it.
    let made: Vec<(String, i64, Option<i64>, String)> = b
        .query(
            "SELECT action, entity_id, person_version, actor FROM audit_log
              WHERE entity = 'person' ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.get(0),
                r.get::<_, Option<i64>>(1).unwrap(),
                r.get(2),
                r.get(3),
            )
        })
        .collect();
    let ana = ana.person.id;
    assert_eq!(
        made,
        [
            ("created", id, Some(1), &alice),
            ("edited", id, Some(2), &alice),
            ("left", id, Some(3), &alice),
            ("rejoined", id, Some(4), &bob),
            ("created", ana, Some(1), &alice),
            ("edited", id, Some(5), &bob),
        ]
        .map(|(action, who, v, actor)| (action.to_string(), who, v, actor.clone()))
    );
}

const WRITERS: usize = 8;
const EDITS: usize = 25;
const SHARED: usize = 3;

/// 8 editors on 8 connections, each saving 25 edits to 3 assets they all share: every save is
/// read, then written from the version read; a refused one is read again and retried. One
/// linear chain results, with exactly one event per save, and each asset's version counts its
/// saves.
#[test]
fn eight_editors_on_shared_assets_make_one_chain() {
    let server = server_or_skip!("eight_editors_on_shared_assets_make_one_chain");
    let mut reg = TestRegister::new(server, "edit8");
    let logins: Vec<String> = (0..WRITERS)
        .map(|w| reg.add_login(&format!("w{w}"), Role::Editor))
        .collect();
    let mut first = reg.connect_as(&logins[0]);
    let ids: Vec<i64> = (0..SHARED)
        .map(|i| create(&mut first, &format!("IT-{i:04}")).asset.id)
        .collect();
    let refused: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = logins
            .iter()
            .enumerate()
            .map(|(w, login)| {
                let mut client = reg.connect_as(login);
                let ids = &ids;
                scope.spawn(move || {
                    let mut refused = 0;
                    for i in 0..EDITS {
                        let id = ids[(w + i) % ids.len()];
                        let patch = rename(&format!("edit {w}-{i}"));
                        loop {
                            let read = assets::get_asset(&mut client, id).unwrap().version;
                            match register_pg::write(&mut client, Source::App, |tx| {
                                assets::update_asset(tx, id, read, &patch, None)
                            }) {
                                Ok(saved) => {
                                    assert_eq!(saved.version, read + 1);
                                    break;
                                }
                                Err(Error::Conflict(_)) => refused += 1,
                                Err(e) => panic!("{e}"),
                            }
                        }
                    }
                    refused
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    println!("{} saves, {refused} refused and retried", WRITERS * EDITS);

    let check = audit::verify_chain(&mut first).unwrap();
    assert_eq!(check.first_bad_event, None);
    let saves = (WRITERS * EDITS) as i64;
    assert_eq!(check.event_count, SHARED as i64 + saves);
    let versions: i64 = ids
        .iter()
        .map(|&id| assets::get_asset(&mut first, id).unwrap().version - 1)
        .sum();
    assert_eq!(versions, saves);
    // Each asset's events carry its versions 1, 2, 3… in chain order.
    let rows = first
        .query(
            "SELECT asset_id, asset_version FROM audit_log ORDER BY id",
            &[],
        )
        .unwrap();
    let mut next = std::collections::HashMap::new();
    for r in rows {
        let (asset, version): (i64, i64) = (r.get(0), r.get(1));
        let expected = next.entry(asset).or_insert(1);
        assert_eq!(version, *expected, "asset {asset}");
        *expected += 1;
    }
}

/// A benchmark, not a check (issue #22's goals: a single audited edit ≤ 10 ms, 8 editors ≥ 500
/// audited edits/s), at 100k assets: `bash .ci/pg -- --ignored --nocapture bench_asset_edits`.
/// Each edit is a save as the app will make it: read the asset (and its version), then the
/// transaction that locks the row, checks the version, writes it and appends the event. The
/// single edit's time is the transaction's (the read happens when the form opens); the 8
/// editors' rate counts whole saves, read included.
#[test]
#[ignore]
fn bench_asset_edits() {
    let server = server_or_skip!("bench_asset_edits");
    let mut reg = TestRegister::new(server, "benchedit");
    let logins: Vec<String> = (0..WRITERS)
        .map(|w| reg.add_login(&format!("w{w}"), Role::Editor))
        .collect();
    const ASSETS: i64 = 100_000;
    let fsync: String = reg.owner().query_one("SHOW fsync", &[]).unwrap().get(0);
    println!("bench: the server runs with fsync={fsync}");
    reg.owner()
        .batch_execute(&format!(
            "INSERT INTO assets (id, asset_tag, name, make, serial_number, serial_key, notes,
                                 status, created_at, updated_at)
             SELECT i, 'IT-' || lpad(i::text, 6, '0'), 'Laptop ' || i, 'Lenovo',
                    'SN' || i, 'SN' || i, 'bought in batch ' || (i % 97), 'available', now(), now()
               FROM generate_series(1, {ASSETS}) AS i;
             ANALYZE assets;"
        ))
        .unwrap();
    // The save's transaction time, in ms.
    let save = |client: &mut Client, id: i64, name: &str| {
        let read = assets::get_asset(client, id).unwrap().version;
        let t = Instant::now();
        register_pg::write(client, Source::App, |tx| {
            assets::update_asset(tx, id, read, &rename(name), None)
        })
        .unwrap();
        t.elapsed().as_secs_f64() * 1000.0
    };
    // A spread of assets, the same for every run (no rand crate needed).
    let pick = |n: u64| (n.wrapping_mul(2_654_435_761) % ASSETS as u64) as i64 + 1;

    let mut client = reg.connect_as(&logins[0]);
    for i in 0..50 {
        save(&mut client, pick(i), "warm-up");
    }
    let mut times: Vec<f64> = (0..1000u64)
        .map(|i| save(&mut client, pick(i + 1000), &format!("single {i}")))
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "bench: one editor, 1000 audited edits at {ASSETS} assets: p50 {:.2} ms, p95 {:.2} ms, \
         max {:.2} ms",
        times[times.len() / 2],
        times[times.len() * 95 / 100],
        times[times.len() - 1]
    );

    const PER_WRITER: u64 = 500;
    let started = Instant::now();
    std::thread::scope(|scope| {
        for (w, login) in logins.iter().enumerate() {
            let mut client = reg.connect_as(login);
            scope.spawn(move || {
                for i in 0..PER_WRITER {
                    let n = 10_000 + w as u64 * PER_WRITER + i;
                    save(&mut client, pick(n), &format!("w{w} {i}"));
                }
            });
        }
    });
    let s = started.elapsed().as_secs_f64();
    let total = WRITERS as u64 * PER_WRITER;
    println!(
        "bench: {WRITERS} editors x {PER_WRITER} audited edits at {ASSETS} assets: {total} in \
         {s:.2} s = {:.0} edits/s",
        total as f64 / s
    );
    let check = audit::verify_chain(&mut client).unwrap();
    assert_eq!(check.first_bad_event, None);
    assert_eq!(check.event_count, 50 + 1000 + total as i64);
}

/// Alice renames IT-0001 to IT-0002 and has not committed when Bob creates IT-0002: Bob's
/// check cannot see her tag yet, his insert waits on it, and once she commits he is told the
/// tag is taken, in the core's words, with nothing written.
#[test]
fn a_tag_taken_by_a_save_in_flight_is_reported_as_taken() {
    let server = server_or_skip!("a_tag_taken_by_a_save_in_flight_is_reported_as_taken");
    let mut reg = TestRegister::new(server, "clash");
    let alice = reg.add_login("alice", Role::Editor);
    let bob = reg.add_login("bob", Role::Editor);
    let mut a = reg.connect_as(&alice);
    let mut b = reg.connect_as(&bob);
    let first = create(&mut a, "IT-0001");
    let (started, bob_starts) = mpsc::channel();
    let bobs = std::thread::scope(|scope| {
        let bob_creates = scope.spawn(move || {
            bob_starts.recv().unwrap();
            let input = AssetInput {
                asset_tag: "it-0002".into(),
                name: "Phone".into(),
                ..Default::default()
            };
            register_pg::write(&mut b, Source::App, |tx| {
                assets::create_asset(tx, &input, None)
            })
        });
        register_pg::write(&mut a, Source::App, |tx| {
            let patch = AssetPatch {
                asset_tag: Some("IT-0002".into()),
                ..Default::default()
            };
            let saved = assets::update_asset(tx, first.asset.id, 1, &patch, None)?;
            started.send(()).unwrap();
            std::thread::sleep(Duration::from_millis(300));
            Ok(saved)
        })
        .unwrap();
        bob_creates.join().unwrap()
    });
    let err = bobs.unwrap_err();
    assert!(
        matches!(&err, Error::Core(register_core::Error::DuplicateTag(t)) if t == "it-0002"),
        "{err:?}"
    );
    let check = audit::verify_chain(&mut a).unwrap();
    assert_eq!((check.event_count, check.first_bad_event), (2, None));
}
