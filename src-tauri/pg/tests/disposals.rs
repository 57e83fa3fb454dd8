//! Disposal records on the server follow the core's rules and record the core's events: the same
//! records and corrections applied to a file register and to a team register give the same
//! records, assets, open items and events (the same hashes, given the same times), and the same
//! refusals in the same words. And what the server adds: two people recording one asset's
//! disposal at once (the second is told who came first), a record from an out-of-date read, the
//! refusals that change nothing, a viewer; and a file holding disposal records moved in and
//! exported back.

use std::sync::Barrier;

use register_core::assets as core_assets;
use register_core::audit::{self as core_audit, Source};
use register_core::disposals::{self as core_disp, Disposal, DisposalInput, Undisposed};
use register_core::documents::{DocumentStore, Owner};
use register_core::status::Status;
use register_core::{AssetInput, AssetPatch, Db, Holder};
use register_pg::admin::Role;
use register_pg::disposals::{self, Certificate};
use register_pg::transfer::{export_to_file, move_in};
use register_pg::{assets, audit, Client, Error};

use crate::util::{assert_same_events, comparable, server_or_skip, TestRegister};

const CERT: &[u8] = b"%PDF-1.4 wiping certificate";

/// One change, applied to either store; assets by id (both stores number them 1, 2, 3…).
#[derive(Clone)]
enum Step {
    Asset(&'static str, &'static str),
    Give(i64, &'static str),
    Status(i64, Status),
    Archive(i64),
    /// A first record (the file's `dispose` on an asset without one), with the certificate
    /// file or not.
    Record(i64, DisposalInput, bool),
    /// A correction (the file's `dispose` on an asset with one).
    Correct(i64, DisposalInput, bool),
}

fn input(method: &str, on: &str) -> DisposalInput {
    DisposalInput {
        method: method.into(),
        disposed_on: on.into(),
        recipient: Some("GreenIT Recycling Ltd".into()),
        wipe_method: Some("NIST 800-88 purge".into()),
        wiped_by: Some("Sam Okafor".into()),
        certificate_number: Some("CERT-7781".into()),
        note: None,
        certificate_id: None,
    }
}

fn steps() -> Vec<Step> {
    use Step::*;
    let mut corrected = input("recycled", "2025-03-01");
    corrected.recipient = Some("J. Smith".into());
    corrected.note = Some("collected".into());
    vec![
        Asset("IT-1", "2022-01-10"),
        Asset("IT-2", ""),
        Asset("IT-3", ""),
        Asset("IT-4", ""),
        Asset("IT-5", ""),
        Give(2, "Sam Patel"),
        Status(3, register_core::status::Status::Retired),
        Status(4, register_core::status::Status::Retired),
        Status(5, register_core::status::Status::LostStolen),
        Record(1, input("recycled", "2025-03-01"), true),
        // Deployed: retired first, its holding ended.
        Record(2, input("sold", "2025-04-01"), false),
        // Retired already: no second status event.
        Record(3, input("destroyed", ""), false),
        Correct(1, corrected, false),
        // A new certificate on a correction.
        Correct(3, input("destroyed", ""), true),
    ]
}

/// What both stores refuse, in the same words, after [`steps`].
fn refused() -> Vec<(Step, &'static str)> {
    use Step::*;
    let mut long = input("sold", "");
    long.recipient = Some("x".repeat(600));
    let mut corrected = input("recycled", "2025-03-01");
    corrected.recipient = Some("J. Smith".into());
    corrected.note = Some("collected".into());
    vec![
        (
            Record(4, input("burned", "2025-03-01"), false),
            "not a disposal method",
        ),
        (
            Record(4, input("sold", "2999-01-01"), false),
            "in the future",
        ),
        (Record(4, input("sold", "01/03/2025"), false), "YYYY-MM-DD"),
        (Record(4, long, false), "under 500"),
        (
            Correct(1, input("sold", "2021-12-31"), false),
            "before the asset was bought",
        ),
        (Record(5, input("sold", ""), false), "Lost/Stolen"),
        (Record(99, input("sold", ""), false), "not found"),
        (Correct(1, corrected, false), "already says exactly this"),
    ]
}

fn apply_file(
    db: &Db,
    store: &DocumentStore,
    dir: &std::path::Path,
    step: &Step,
) -> register_core::Result<()> {
    let app = Source::App;
    match step.clone() {
        Step::Asset(tag, bought) => {
            let a = AssetInput {
                asset_tag: tag.into(),
                name: format!("Laptop {tag}"),
                serial_number: format!("SN-{tag}"),
                purchase_date: bought.into(),
                ..Default::default()
            };
            db.write(app, |tx| core_assets::create_asset(tx, &a, None))?;
        }
        Step::Give(id, p) => {
            db.write(app, |tx| {
                core_assets::assign_asset(tx, id, &Holder::Person(p.into()), None)
            })?;
        }
        Step::Status(id, s) => {
            db.write(app, |tx| core_assets::change_status(tx, id, s, None))?;
        }
        Step::Archive(id) => {
            db.write(app, |tx| core_assets::archive_asset(tx, id, None))?;
        }
        Step::Record(id, i, cert) | Step::Correct(id, i, cert) => {
            let file = dir.join("wipe-certificate.pdf");
            std::fs::write(&file, CERT).unwrap();
            core_disp::dispose(db, store, app, id, &i, cert.then_some(file.as_path()))?;
        }
    }
    Ok(())
}

fn apply_server(client: &mut Client, step: &Step) -> register_pg::Result<()> {
    register_pg::write(client, Source::App, |tx| {
        match step.clone() {
            Step::Asset(tag, bought) => {
                let a = AssetInput {
                    asset_tag: tag.into(),
                    name: format!("Laptop {tag}"),
                    serial_number: format!("SN-{tag}"),
                    purchase_date: bought.into(),
                    ..Default::default()
                };
                drop(assets::create_asset(tx, &a, None)?)
            }
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
            Step::Status(id, s) => {
                let v = assets::get_asset(tx.client(), id)?.version;
                drop(assets::change_status(tx, id, v, s, None)?)
            }
            Step::Archive(id) => {
                let v = assets::get_asset(tx.client(), id)?.version;
                drop(assets::archive_asset(tx, id, v, None)?)
            }
            Step::Record(id, i, cert) | Step::Correct(id, i, cert) => {
                let v = assets::get_asset(tx.client(), id)?.version;
                let c = cert.then_some(Certificate {
                    name: "wipe-certificate.pdf",
                    bytes: CERT,
                });
                if matches!(step, Step::Record(..)) {
                    drop(disposals::record_disposal(tx, id, v, &i, c)?)
                } else {
                    drop(disposals::correct_disposal(tx, id, v, &i, c)?)
                }
            }
        }
        Ok(())
    })
}

/// A record without the times each store stamps (when written, when its certificate was added).
fn same_record(mut d: Disposal) -> Disposal {
    d.recorded_at.clear();
    if let Some(c) = &mut d.certificate {
        c.added_at.clear();
    }
    d
}

fn same_open(mut u: Undisposed) -> Undisposed {
    u.retired_at = u.retired_at.map(|_| String::new());
    u
}

/// Both stores' records, open items and assets compared.
fn assert_same_records(db: &Db, ed: &mut Client) {
    let in_file: Vec<_> = db
        .read(|c| core_disp::list_disposals(c, None))
        .unwrap()
        .into_iter()
        .map(same_record)
        .collect();
    let served: Vec<_> = disposals::list_disposals(ed, None)
        .unwrap()
        .into_iter()
        .map(same_record)
        .collect();
    assert_eq!(served, in_file);
    let in_file: Vec<_> = db
        .read(core_disp::retired_without_disposal)
        .unwrap()
        .into_iter()
        .map(same_open)
        .collect();
    let served: Vec<_> = disposals::retired_without_disposal(ed)
        .unwrap()
        .into_iter()
        .map(same_open)
        .collect();
    assert_eq!(served, in_file);
    for id in 1..=5 {
        let in_file = db.read(|c| core_assets::get_asset(c, id)).unwrap();
        let served = assets::get_asset(ed, id).unwrap().asset;
        assert_eq!(comparable(served), comparable(in_file), "asset {id}");
        assert_eq!(
            disposals::disposal_of(ed, id).unwrap().map(same_record),
            db.read(|c| core_disp::disposal_of(c, id))
                .unwrap()
                .map(same_record)
        );
    }
}

#[test]
fn disposals_are_the_same_in_both_stores() {
    let server = server_or_skip!("disposals_are_the_same_in_both_stores");
    let mut reg = TestRegister::new(server, "dispparity");
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("register.db")).unwrap();
    let store = DocumentStore::for_db(&db);

    for (i, step) in steps().iter().enumerate() {
        apply_file(&db, &store, dir.path(), step)
            .unwrap_or_else(|e| panic!("step {i} in the file: {e}"));
        apply_server(&mut ed, step).unwrap_or_else(|e| panic!("step {i} on the server: {e}"));
    }
    assert_same_records(&db, &mut ed);
    let open = disposals::retired_without_disposal(&mut ed).unwrap();
    let tags: Vec<&str> = open.iter().map(|u| u.asset_tag.as_str()).collect();
    assert_eq!(tags, ["IT-4"]);
    let one = disposals::disposal_of(&mut ed, 1).unwrap().unwrap();
    assert_eq!(one.recipient.as_deref(), Some("J. Smith"));
    assert_eq!(one.certificate.unwrap().name, "wipe-certificate.pdf");
    let two = assets::get_asset(&mut ed, 2).unwrap().asset;
    assert_eq!((two.status, two.assigned_to), (Status::Retired, None));

    // The same refusals, in the same words, changing nothing in either store.
    let head = audit::head(&mut ed).unwrap();
    let file_head = db.read(core_audit::head).unwrap();
    for (step, words) in refused() {
        let in_file = apply_file(&db, &store, dir.path(), &step).unwrap_err();
        let served = apply_server(&mut ed, &step).unwrap_err();
        assert!(in_file.to_string().contains(words), "{in_file}");
        assert_eq!(served.to_string(), in_file.to_string());
    }
    assert_eq!(audit::head(&mut ed).unwrap(), head);
    assert_eq!(db.read(core_audit::head).unwrap(), file_head);
    // An archived asset too.
    let archived = Step::Archive(4);
    apply_file(&db, &store, dir.path(), &archived).unwrap();
    apply_server(&mut ed, &archived).unwrap();
    let step = Step::Record(4, input("sold", ""), false);
    let in_file = apply_file(&db, &store, dir.path(), &step).unwrap_err();
    let served = apply_server(&mut ed, &step).unwrap_err();
    assert!(in_file.to_string().contains("archived"), "{in_file}");
    assert_eq!(served.to_string(), in_file.to_string());

    // A certificate removed from the asset's documents: the record stays, without its file.
    let doc = disposals::disposal_of(&mut ed, 3)
        .unwrap()
        .unwrap()
        .certificate
        .unwrap()
        .id;
    db.write(Source::App, |tx| {
        register_core::documents::detach_from(tx, Owner::Asset(3), doc, None)
    })
    .unwrap();
    register_pg::write(&mut ed, Source::App, |tx| {
        register_pg::documents::remove_document(tx, Owner::Asset(3), doc, None)
    })
    .unwrap();
    let three = disposals::disposal_of(&mut ed, 3).unwrap().unwrap();
    assert_eq!(three.certificate, None);
    assert_eq!(three.certificate_number.as_deref(), Some("CERT-7781"));

    assert_same_records(&db, &mut ed);
    // The same events, hashing to the same head given the server's times.
    assert_same_events(&db, &mut ed, &editor);

    // The CSV through the core's writer: the same lines but for when each was recorded.
    let mut served = Vec::new();
    disposals::write_disposals_csv(&mut ed, &mut served).unwrap();
    let mut in_file = Vec::new();
    let rows = db.read(|c| core_disp::list_disposals(c, None)).unwrap();
    core_disp::write_disposals_csv(&mut in_file, &rows).unwrap();
    let untimed = |b: Vec<u8>| -> Vec<String> {
        String::from_utf8(b)
            .unwrap()
            .lines()
            .map(|l| l.rsplit_once(',').unwrap().0.to_string())
            .collect()
    };
    let served = untimed(served);
    assert_eq!(served.len(), 4);
    assert_eq!(served, untimed(in_file));
}

/// Asset 1 (Available) in a fresh register, and two editors.
fn two_editors(name: &str) -> Option<(TestRegister, String, String)> {
    let server = crate::util::server(name)?;
    let mut reg = TestRegister::new(server, name);
    let alice = reg.add_login("alice", Role::Editor);
    let bob = reg.add_login("bob", Role::Editor);
    apply_server(&mut reg.connect_as(&alice), &Step::Asset("IT-1", "")).unwrap();
    Some((reg, alice, bob))
}

#[test]
fn two_people_recording_one_disposal_at_once_one_is_told_who_came_first() {
    let Some((reg, alice, bob)) = two_editors("dispboth") else {
        eprintln!("skipped: no test server");
        return;
    };
    let barrier = Barrier::new(2);
    let results: Vec<(String, register_pg::Result<Disposal>)> = std::thread::scope(|s| {
        let handles: Vec<_> = [&alice, &bob]
            .into_iter()
            .map(|login| {
                let (reg, barrier) = (&reg, &barrier);
                s.spawn(move || {
                    let mut c = reg.connect_as(login);
                    let v = assets::get_asset(&mut c, 1).unwrap().version;
                    barrier.wait();
                    let r = register_pg::write(&mut c, Source::App, |tx| {
                        disposals::record_disposal(tx, 1, v, &input("recycled", ""), None)
                    });
                    (login.clone(), r)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let won: Vec<&String> = results
        .iter()
        .filter(|r| r.1.is_ok())
        .map(|r| &r.0)
        .collect();
    assert_eq!(won.len(), 1, "one wins");
    let (_, lost) = results.iter().find(|r| r.1.is_err()).unwrap();
    let err = lost.as_ref().unwrap_err().to_string();
    assert!(
        err.contains("IT-1 has a disposal record already, recorded by")
            && err.contains(won[0].as_str())
            && err.contains("nothing was changed"),
        "{err}"
    );
    // One record, one retirement, one `disposed` event.
    let mut c = reg.connect_as(&alice);
    assert_eq!(disposals::list_disposals(&mut c, None).unwrap().len(), 1);
    let mut kinds = Vec::new();
    audit::for_each_stored(&mut c, |e| kinds.push(e.row.action)).unwrap();
    assert_eq!(kinds, ["created", "status_changed", "disposed"]);
    assert!(audit::verify_chain(&mut c)
        .unwrap()
        .first_bad_event
        .is_none());
}

#[test]
fn a_record_from_an_out_of_date_read_is_refused_naming_who_changed_the_asset() {
    let Some((reg, alice, bob)) = two_editors("dispstale") else {
        eprintln!("skipped: no test server");
        return;
    };
    let mut a = reg.connect_as(&alice);
    let mut b = reg.connect_as(&bob);
    let read = assets::get_asset(&mut b, 1).unwrap().version;
    let patch = AssetPatch {
        name: Some("Laptop (renamed)".into()),
        ..Default::default()
    };
    register_pg::write(&mut a, Source::App, |tx| {
        assets::update_asset(tx, 1, read, &patch, None)
    })
    .unwrap();
    let head = audit::head(&mut b).unwrap();
    let err = register_pg::write(&mut b, Source::App, |tx| {
        disposals::record_disposal(tx, 1, read, &input("sold", ""), None)
    })
    .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err}");
    assert!(err.to_string().contains(&alice), "{err}");
    assert_eq!(audit::head(&mut b).unwrap(), head);
    assert!(disposals::disposal_of(&mut b, 1).unwrap().is_none());

    // A correction from a read older than another's correction is refused the same way.
    let v = assets::get_asset(&mut b, 1).unwrap().version;
    register_pg::write(&mut b, Source::App, |tx| {
        disposals::record_disposal(tx, 1, v, &input("sold", ""), None)
    })
    .unwrap();
    let read = assets::get_asset(&mut a, 1).unwrap().version;
    let mut first = input("sold", "");
    first.note = Some("first".into());
    register_pg::write(&mut b, Source::App, |tx| {
        disposals::correct_disposal(tx, 1, read, &first, None)
    })
    .unwrap();
    let mut second = input("sold", "");
    second.note = Some("second".into());
    let err = register_pg::write(&mut a, Source::App, |tx| {
        disposals::correct_disposal(tx, 1, read, &second, None)
    })
    .unwrap_err();
    assert!(err.to_string().contains(&bob), "{err}");
    let note = disposals::disposal_of(&mut a, 1).unwrap().unwrap().note;
    assert_eq!(note.as_deref(), Some("first"));
}

#[test]
fn refusals_change_nothing_and_a_viewer_is_refused_by_the_server() {
    let Some((mut reg, alice, _)) = two_editors("disprefuse") else {
        eprintln!("skipped: no test server");
        return;
    };
    let mut a = reg.connect_as(&alice);
    let viewer = reg.add_login("vera", Role::Viewer);
    let mut v = reg.connect_as(&viewer);
    let state = |c: &mut Client| {
        let n: i64 = c
            .query_one("SELECT count(*) FROM public.disposals", &[])
            .unwrap()
            .get(0);
        (audit::head(c).unwrap(), n, assets::get_asset(c, 1).unwrap())
    };
    let before = state(&mut a);
    let cert = Some(Certificate {
        name: "c.pdf",
        bytes: CERT,
    });
    let attempt = |c: &mut Client, first: bool, i: DisposalInput| {
        register_pg::write(c, Source::App, |tx| {
            let ver = assets::get_asset(tx.client(), 1)?.version;
            if first {
                disposals::record_disposal(tx, 1, ver, &i, cert)
            } else {
                disposals::correct_disposal(tx, 1, ver, &i, cert)
            }
        })
        .unwrap_err()
        .to_string()
    };
    // No record to correct; a bad date; a viewer.
    let err = attempt(&mut a, false, input("sold", ""));
    assert!(
        err.contains("IT-1 has no disposal record to correct"),
        "{err}"
    );
    let err = attempt(&mut a, true, input("sold", "2999-01-01"));
    assert!(err.contains("in the future"), "{err}");
    let err = attempt(&mut v, true, input("sold", ""));
    assert!(err.contains("not allowed for this login"), "{err}");
    assert_eq!(state(&mut a), before);

    // Disposed already: a second record is refused, naming who recorded the first.
    let ver = before.2.version;
    register_pg::write(&mut a, Source::App, |tx| {
        disposals::record_disposal(tx, 1, ver, &input("sold", ""), None)
    })
    .unwrap();
    let before = state(&mut a);
    let err = attempt(&mut a, true, input("recycled", ""));
    assert!(
        err.contains("has a disposal record already, recorded by") && err.contains(&alice),
        "{err}"
    );
    let err = attempt(&mut v, false, input("recycled", ""));
    assert!(err.contains("not allowed for this login"), "{err}");
    assert_eq!(state(&mut a), before);
    // A viewer reads them.
    assert_eq!(disposals::list_disposals(&mut v, None).unwrap().len(), 1);
}

#[test]
fn a_file_with_disposal_records_moves_in_and_exports_back() {
    let server = server_or_skip!("a_file_with_disposal_records_moves_in_and_exports_back");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db");
    let db = Db::open(&path).unwrap();
    let store = DocumentStore::for_register(&path);
    for step in steps() {
        apply_file(&db, &store, dir.path(), &step).unwrap();
    }
    let in_file = db.read(|c| core_disp::list_disposals(c, None)).unwrap();
    assert_eq!(in_file.len(), 3);

    let reg = TestRegister::new(server, "dispmove");
    move_in(&db, &store, &mut reg.owner(), None).unwrap();
    let mut owner = reg.owner();
    assert_eq!(
        disposals::list_disposals(&mut owner, None).unwrap(),
        in_file
    );
    assert_eq!(
        disposals::retired_without_disposal(&mut owner).unwrap(),
        db.read(core_disp::retired_without_disposal).unwrap()
    );
    assert!(register_pg::verify::verify(&mut owner).unwrap().ok());

    // Recorded there too, then exported: the new file holds every record and verifies.
    register_pg::write(&mut owner, Source::App, |tx| {
        let v = assets::get_asset(tx.client(), 4)?.version;
        let c = Certificate {
            name: "shredded.pdf",
            bytes: b"%PDF-1.4 shredded",
        };
        disposals::record_disposal(tx, 4, v, &input("destroyed", ""), Some(c))
    })
    .unwrap();
    let served = disposals::list_disposals(&mut owner, None).unwrap();
    assert_eq!(served.len(), 4);
    let back = dir.path().join("back").join("register.db");
    std::fs::create_dir_all(back.parent().unwrap()).unwrap();
    let exported = export_to_file(&mut owner, &back).unwrap();
    let back_db = Db::open(&back).unwrap();
    let v = back_db.read(core_audit::verify).unwrap();
    assert!(v.ok, "{}", v.describe());
    assert_eq!(
        (v.event_count, &v.head_hash),
        (exported.head.0, &exported.head.1)
    );
    assert_eq!(
        back_db
            .read(|c| core_disp::list_disposals(c, None))
            .unwrap(),
        served
    );
    let problems = back_db
        .read(|c| {
            register_core::documents::verify_documents(c, &DocumentStore::for_register(&back))
        })
        .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}
