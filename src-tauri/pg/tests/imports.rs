//! Imports on a team register: the same file imported into a register file and onto the server
//! gives the same preview, the same assets and events that re-hash to the same head, and the
//! same again once undone; the refusals are the file's and change nothing; a cancelled import
//! leaves nothing; one import at a time, the second told who imports what; and a client that
//! dies mid-import leaves nothing stuck.

use std::sync::mpsc;
use std::time::Instant;

use register_core::assets as core_assets;
use register_core::audit::Source;
use register_core::import::{self as core_import, ImportOptions, ImportSummary, OnDuplicate};
use register_core::{AssetPatch, Db};
use register_pg::admin::Role;
use register_pg::{assets, audit, imports, Client};

use crate::util::{assert_same_events, comparable, server_or_skip, TestRegister};

/// A CSV in the export's columns with the mix a real register has: a third given to people
/// (some named twice), some at locations, in repair or retired, notes on every fifth row.
/// Rows `from..to`, so a later file can follow an earlier one.
pub(crate) fn make_csv(from: usize, to: usize) -> String {
    const MAKES: &[(&str, &[&str])] = &[
        ("Dell", &["Latitude 5440", "OptiPlex 7010", "U2723QE"]),
        ("HP", &["EliteBook 840", "ProDesk 400"]),
        ("Lenovo", &["ThinkPad T14", "ThinkCentre M70q"]),
        ("Apple", &["MacBook Air", "iPhone 15"]),
    ];
    const CATEGORIES: &[&str] = &["Laptop", "Desktop", "Phone", "Monitor"];
    const LOCATIONS: &[&str] = &["London HQ", "Leeds", "Store room"];
    let mut s = String::from(
        "Asset Tag,Name,Category,Make,Model,Serial Number,Purchase Date,Purchase Cost,Supplier,\
         Warranty Expires,Status,Assigned To,Location,Notes\n",
    );
    let mut x: u64 = 42 + from as u64;
    let mut next = move || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        x >> 33
    };
    for i in from..to {
        let (make, models) = MAKES[next() as usize % MAKES.len()];
        let model = models[next() as usize % models.len()];
        let (status, person, location) = match i % 10 {
            0..=2 => ("Deployed", format!("Person {}", next() % 400), ""),
            3 | 4 => (
                "In stock",
                String::new(),
                LOCATIONS[next() as usize % LOCATIONS.len()],
            ),
            5 => ("Repair", String::new(), ""),
            6 => ("Retired", String::new(), ""),
            _ => ("Available", String::new(), ""),
        };
        s.push_str(&format!(
            "IT-{i:06},{make} {model},{},{make},{model},SN{:07}{i},20{:02}-{:02}-{:02},{}.{:02},CDW,20{:02}-{:02}-{:02},{status},{person},{location},{}\n",
            CATEGORIES[next() as usize % CATEGORIES.len()],
            next() % 10_000_000,
            18 + next() % 7,
            1 + next() % 12,
            1 + next() % 28,
            100 + next() % 2400,
            next() % 100,
            26 + next() % 4,
            1 + next() % 12,
            1 + next() % 28,
            if i % 5 == 0 { "Spare charger in drawer" } else { "" },
        ));
    }
    s
}

fn opts(name: &str) -> ImportOptions {
    ImportOptions {
        file_name: name.into(),
        ..ImportOptions::default()
    }
}

fn into_file(db: &Db, csv: &str, o: &ImportOptions) -> register_core::Result<ImportSummary> {
    let parsed = core_import::read_file(csv.as_bytes())?;
    db.write(Source::Import, |tx| core_import::commit(tx, &parsed, o))
}

fn onto_server(c: &mut Client, csv: &str, o: &ImportOptions) -> register_pg::Result<ImportSummary> {
    let parsed = core_import::read_file(csv.as_bytes())?;
    imports::commit(c, Source::Import, &parsed, o)
}

/// Every asset of both stores, equal but for what each store's clock and lists set.
fn assert_same_assets(db: &Db, c: &mut Client) -> usize {
    let in_file: Vec<_> = db
        .read(|conn| {
            let n: i64 = conn.query_row("SELECT count(*) FROM assets", [], |r| r.get(0))?;
            (1..=n).map(|id| core_assets::get_asset(conn, id)).collect()
        })
        .unwrap();
    let n: i64 = c
        .query_one("SELECT count(*) FROM assets", &[])
        .unwrap()
        .get(0);
    assert_eq!(n as usize, in_file.len());
    for a in &in_file {
        let served = assets::get_asset(c, a.id).unwrap().asset;
        assert_eq!(comparable(served), comparable(a.clone()), "asset {}", a.id);
    }
    in_file.len()
}

/// The imports of both stores, equal but for their times.
fn assert_same_imports(db: &Db, c: &mut Client) {
    let strip = |mut r: core_import::ImportRecord| {
        r.at.clear();
        r.undone_at = r.undone_at.map(|_| String::new());
        r
    };
    let in_file: Vec<_> = db
        .read(core_import::list_imports)
        .unwrap()
        .into_iter()
        .map(strip)
        .collect();
    let served: Vec<_> = imports::list_imports(c)
        .unwrap()
        .into_iter()
        .map(strip)
        .collect();
    assert_eq!(served, in_file);
}

struct Pair {
    db: Db,
    ed: Client,
    editor: String,
    reg: TestRegister,
    _dir: tempfile::TempDir,
}

fn pair(server: register_pg::connect::Target, name: &str) -> Pair {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("register.db")).unwrap();
    let mut reg = TestRegister::new(server, name);
    let editor = reg.add_login("ed", Role::Editor);
    let ed = reg.connect_as(&editor);
    Pair {
        db,
        ed,
        editor,
        reg,
        _dir: dir,
    }
}

#[test]
fn the_same_import_gives_the_same_register_and_head_and_so_does_its_undo() {
    let server = server_or_skip!("the_same_import_gives_the_same_register_and_head");
    let mut p = pair(server, "impparity");
    let first = make_csv(0, 60);
    let o = opts("stock.csv");

    // The preview is the same, row for row.
    let parsed = core_import::read_file(first.as_bytes()).unwrap();
    let plan_file = p.db.read(|c| core_import::preview(c, &parsed, &o)).unwrap();
    let plan_team = imports::preview(&mut p.ed, &parsed, &o).unwrap();
    assert_eq!(plan_team, plan_file);

    let s_file = into_file(&p.db, &first, &o).unwrap();
    let s_team = onto_server(&mut p.ed, &first, &o).unwrap();
    assert_eq!(s_team, s_file);
    assert_eq!(s_team.created, 60);
    assert_eq!(assert_same_assets(&p.db, &mut p.ed), 60);
    assert_same_events(&p.db, &mut p.ed, &p.editor);

    // A second file: some rows update the first's assets (a mapping chosen, so remembered),
    // some are new, one is the same as before.
    let mut second = make_csv(55, 70).replace("CDW", "Insight");
    second.push_str(first.lines().nth(3).unwrap());
    second.push('\n');
    let o2 = ImportOptions {
        file_name: "more.csv".into(),
        on_duplicate: OnDuplicate::Update,
        mapping_overrides: vec![("Notes".into(), core_import::Field::Notes)],
        ..ImportOptions::default()
    };
    let s_file = into_file(&p.db, &second, &o2).unwrap();
    let s_team = onto_server(&mut p.ed, &second, &o2).unwrap();
    assert_eq!(s_team, s_file);
    assert!(s_team.updated >= 5 && s_team.created == 10, "{s_team:?}");
    assert_same_assets(&p.db, &mut p.ed);
    assert_same_imports(&p.db, &mut p.ed);
    assert_same_events(&p.db, &mut p.ed, &p.editor);
    // The mapping chosen is remembered on the server as in the file.
    let parsed2 = core_import::read_file(second.as_bytes()).unwrap();
    let m_file =
        p.db.read(|c| core_import::mapping_for(c, &parsed2, &[]))
            .unwrap();
    let plan = imports::preview(&mut p.ed, &parsed2, &opts("again.csv")).unwrap();
    assert_eq!(plan.mapping, m_file);

    // Undone on both: the same assets and the same head.
    let u_file =
        p.db.write(Source::Cli, |tx| core_import::undo_import(tx, 2))
            .unwrap();
    let u_team =
        register_pg::write(&mut p.ed, Source::Cli, |tx| imports::undo_import(tx, 2)).unwrap();
    assert_eq!(u_team, u_file);
    assert_eq!((u_team.archived, u_team.reverted), (10, 5));
    assert_same_assets(&p.db, &mut p.ed);
    assert_same_imports(&p.db, &mut p.ed);
    assert_same_events(&p.db, &mut p.ed, &p.editor);
    // The first cannot be: the second changed some of its assets since (undone or not).
    let on_file =
        p.db.write(Source::Cli, |tx| core_import::undo_import(tx, 1))
            .unwrap_err()
            .to_string();
    let on_server = register_pg::write(&mut p.ed, Source::Cli, |tx| imports::undo_import(tx, 1))
        .unwrap_err()
        .to_string();
    assert_eq!(on_server, on_file);
    // Nor the second again.
    let err =
        register_pg::write(&mut p.ed, Source::Cli, |tx| imports::undo_import(tx, 2)).unwrap_err();
    assert!(err.to_string().contains("already undone"), "{err}");

    // A third, undone, then imported again: the assets the undo took away come back (their
    // tags stay reserved), on both.
    let third = make_csv(100, 130);
    for _ in 0..2 {
        let s_file = into_file(&p.db, &third, &o).unwrap();
        let s_team = onto_server(&mut p.ed, &third, &o).unwrap();
        assert_eq!(s_team, s_file);
        assert_eq!(s_team.created, 30);
        assert_same_assets(&p.db, &mut p.ed);
        assert_same_events(&p.db, &mut p.ed, &p.editor);
        if s_team.import_id == 3 {
            let u_file =
                p.db.write(Source::Cli, |tx| core_import::undo_import(tx, 3))
                    .unwrap();
            let u_team =
                register_pg::write(&mut p.ed, Source::Cli, |tx| imports::undo_import(tx, 3))
                    .unwrap();
            assert_eq!(u_team, u_file);
        }
    }
    assert_same_imports(&p.db, &mut p.ed);
    assert_same_events(&p.db, &mut p.ed, &p.editor);
}

/// What each store said, with nothing changed in either.
fn both_refuse(p: &mut Pair, csv: &str, o: &ImportOptions) -> String {
    let head = audit::head(&mut p.ed).unwrap();
    let on_file = into_file(&p.db, csv, o).unwrap_err().to_string();
    let on_server = onto_server(&mut p.ed, csv, o).unwrap_err().to_string();
    assert_eq!(on_server, on_file);
    assert_eq!(audit::head(&mut p.ed).unwrap(), head);
    on_server
}

#[test]
fn refusals_are_the_files_and_change_nothing() {
    let server = server_or_skip!("refusals_are_the_files_and_change_nothing");
    let mut p = pair(server, "imprefuse");
    let csv = make_csv(0, 12);
    let o = opts("stock.csv");

    // A file with a problem: no tag column.
    let no_tags: String = csv
        .lines()
        .map(|l| l.split_once(',').unwrap().1.to_string() + "\n")
        .collect();
    let said = both_refuse(&mut p, &no_tags, &o);
    assert!(said.contains("No column is mapped to asset_tag"), "{said}");

    // Rows with errors: a date that is not one, a status nobody knows.
    let bad = format!(
        "{csv}IT-900000,Bad,Laptop,Dell,X,SNBAD,2020-01-01,twelve pounds,CDW,2021-01-01,Available,,,\n"
    );
    let said = both_refuse(&mut p, &bad, &o);
    assert!(said.contains("Nothing was imported"), "{said}");
    let unknown = csv.replace("Repair", "Gone fishing");
    both_refuse(&mut p, &unknown, &o);
    assert!(imports::list_imports(&mut p.ed).unwrap().is_empty());

    // Duplicates: the same file twice is all duplicates the second time, on both.
    into_file(&p.db, &csv, &o).unwrap();
    onto_server(&mut p.ed, &csv, &o).unwrap();
    let again_file = into_file(&p.db, &csv, &o).unwrap();
    let again_team = onto_server(&mut p.ed, &csv, &o).unwrap();
    assert_eq!(again_team, again_file);
    assert_eq!((again_team.created, again_team.duplicates), (0, 12));
    // A conflicting row fails with on_duplicate fail, on both.
    let changed = csv.replace("CDW", "Misco");
    let fail = ImportOptions {
        on_duplicate: OnDuplicate::Fail,
        ..o.clone()
    };
    both_refuse(&mut p, &changed, &fail);

    // A viewer may preview but not import.
    let viewer = p.reg.add_login("reader", Role::Viewer);
    let mut v = p.reg.connect_as(&viewer);
    let parsed = core_import::read_file(csv.as_bytes()).unwrap();
    imports::preview(&mut v, &parsed, &o).unwrap();
    let err = onto_server(&mut v, &csv, &o).unwrap_err();
    assert!(matches!(err, register_pg::Error::Denied(_)), "{err}");
    assert!(err.to_string().contains("table imports"), "{err}");
    assert_eq!(imports::in_progress(&mut v).unwrap(), None);

    // Undo once an asset changed since: refused with the file's words, on both.
    let patch = AssetPatch {
        name: Some("Renamed by hand".into()),
        ..AssetPatch::default()
    };
    p.db.write(Source::App, |tx| {
        core_assets::update_asset(tx, 2, &patch, None)
    })
    .unwrap();
    let read = assets::get_asset(&mut p.ed, 2).unwrap().version;
    register_pg::write(&mut p.ed, Source::App, |tx| {
        assets::update_asset(tx, 2, read, &patch, None)
    })
    .unwrap();
    let head = audit::head(&mut p.ed).unwrap();
    let on_file =
        p.db.write(Source::Cli, |tx| core_import::undo_import(tx, 1))
            .unwrap_err()
            .to_string();
    let on_server = register_pg::write(&mut p.ed, Source::Cli, |tx| imports::undo_import(tx, 1))
        .unwrap_err()
        .to_string();
    assert_eq!(on_server, on_file);
    assert!(on_server.contains("cannot be undone"), "{on_server}");
    assert_eq!(audit::head(&mut p.ed).unwrap(), head);
    // An import that does not exist.
    let err =
        register_pg::write(&mut p.ed, Source::Cli, |tx| imports::undo_import(tx, 99)).unwrap_err();
    assert!(err.to_string().contains("99"), "{err}");
    assert_same_events(&p.db, &mut p.ed, &p.editor);
}

#[test]
fn a_cancelled_import_leaves_nothing() {
    let server = server_or_skip!("a_cancelled_import_leaves_nothing");
    let mut reg = TestRegister::new(server, "impcancel");
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    let csv = make_csv(0, 5000);
    let parsed = core_import::read_file(csv.as_bytes()).unwrap();
    let err = imports::commit_with_progress(
        &mut ed,
        Source::Import,
        &parsed,
        &opts("big.csv"),
        &mut |done, _| done < 4321,
    )
    .unwrap_err();
    assert!(err.to_string().contains("cancelled"), "{err}");
    for table in [
        "assets",
        "people",
        "locations",
        "categories",
        "imports",
        "audit_log",
    ] {
        let n: i64 = ed
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .unwrap()
            .get(0);
        assert_eq!(n, 0, "{table}");
    }
    assert_eq!(audit::head(&mut ed).unwrap().0, 0);
    assert_eq!(imports::in_progress(&mut ed).unwrap(), None);
    // And the next import goes ahead, numbered 1.
    let s = imports::commit(&mut ed, Source::Import, &parsed, &opts("big.csv")).unwrap();
    assert_eq!((s.import_id, s.created), (1, 5000));
    let check = audit::verify_chain(&mut ed).unwrap();
    assert_eq!(check.first_bad_event, None);
}

#[test]
fn one_import_at_a_time_and_the_second_is_told_who() {
    let server = server_or_skip!("one_import_at_a_time_and_the_second_is_told_who");
    let mut reg = TestRegister::new(server, "imptwo");
    let alice = reg.add_login("alice", Role::Editor);
    let bob = reg.add_login("bob", Role::Editor);
    let viewer = reg.add_login("reader", Role::Viewer);
    let (mut a, mut b, mut v) = (
        reg.connect_as(&alice),
        reg.connect_as(&bob),
        reg.connect_as(&viewer),
    );
    let first = make_csv(0, 3000);
    let second = make_csv(5000, 5100);
    let (started, wait) = mpsc::channel();
    let (go_on, resume) = mpsc::channel::<()>();
    let (told, seen) = std::thread::scope(|scope| {
        let alices = scope.spawn(move || {
            let parsed = core_import::read_file(first.as_bytes()).unwrap();
            let mut once = Some(started);
            imports::commit_with_progress(
                &mut a,
                Source::Import,
                &parsed,
                &opts("alice.csv"),
                &mut |done, _| {
                    if done == 2500 {
                        if let Some(s) = once.take() {
                            s.send(()).unwrap();
                            resume.recv().unwrap();
                        }
                    }
                    true
                },
            )
        });
        let bobs = scope.spawn(move || {
            wait.recv().unwrap();
            let seen = imports::in_progress(&mut v).unwrap();
            let told = onto_server(&mut b, &second, &opts("bob.csv"));
            // Another change meanwhile waits for the import's end, then goes ahead.
            let edit = std::thread::spawn(move || {
                register_pg::write(&mut b, Source::App, |tx| {
                    register_pg::people::create_person(
                        tx,
                        &register_core::people::PersonInput {
                            name: "Sam Patel".into(),
                            ..Default::default()
                        },
                    )
                })
            });
            std::thread::sleep(std::time::Duration::from_millis(300));
            assert!(!edit.is_finished(), "the edit waits for the import");
            go_on.send(()).unwrap();
            edit.join().unwrap().unwrap();
            (told, seen)
        });
        let out = bobs.join().unwrap();
        let s = alices.join().unwrap().unwrap();
        assert_eq!(s.created, 3000);
        out
    });
    let seen = seen.expect("the viewer sees alice's import");
    assert_eq!(
        (seen.login.as_str(), seen.file_name.as_str(), seen.rows),
        (alice.as_str(), "alice.csv", 3000)
    );
    let err = told.unwrap_err().to_string();
    assert!(
        err.contains(&alice) && err.contains("alice.csv") && err.contains("only one import"),
        "{err}"
    );
    let mut v = reg.connect_as(&viewer);
    assert_eq!(imports::in_progress(&mut v).unwrap(), None);
    let mut o = reg.owner();
    let check = audit::verify_chain(&mut o).unwrap();
    assert_eq!(check.first_bad_event, None);
    // Sam came after the import's events.
    let last: String = o
        .query_one("SELECT label FROM audit_log ORDER BY id DESC LIMIT 1", &[])
        .unwrap()
        .get(0);
    assert_eq!(last, "Sam Patel");
    // Bob's import goes ahead now.
    let mut b = reg.connect_as(&bob);
    assert_eq!(
        onto_server(&mut b, &make_csv(5000, 5100), &opts("bob.csv"))
            .unwrap()
            .created,
        100
    );
}

#[test]
fn a_client_that_dies_mid_import_leaves_nothing_stuck() {
    let server = server_or_skip!("a_client_that_dies_mid_import_leaves_nothing_stuck");
    let mut su = server.connect().unwrap();
    let mut reg = TestRegister::new(server, "impdies");
    let alice = reg.add_login("alice", Role::Editor);
    let bob = reg.add_login("bob", Role::Editor);
    let mut a = reg.connect_as(&alice);
    let csv = make_csv(0, 3000);
    let (started, wait) = mpsc::channel();
    let (go_on, resume) = mpsc::channel::<()>();
    let died = std::thread::scope(|scope| {
        let alices = scope.spawn(move || {
            let parsed = core_import::read_file(csv.as_bytes()).unwrap();
            let mut once = Some(started);
            imports::commit_with_progress(
                &mut a,
                Source::Import,
                &parsed,
                &opts("alice.csv"),
                &mut |done, _| {
                    if done == 2500 {
                        if let Some(s) = once.take() {
                            s.send(()).unwrap();
                            resume.recv().unwrap();
                        }
                    }
                    true
                },
            )
        });
        wait.recv().unwrap();
        // Alice's client is cut off mid-import (a crash, a laptop closed).
        su.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
            &[&alice],
        )
        .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(200));
        go_on.send(()).unwrap();
        alices.join().unwrap()
    });
    assert!(died.is_err());
    let mut b = reg.connect_as(&bob);
    // Her row is still there, but nobody holds its lock: not shown, not in the way.
    let rows: i64 = b
        .query_one("SELECT count(*) FROM import_running", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, 1);
    assert_eq!(imports::in_progress(&mut b).unwrap(), None);
    let s = onto_server(&mut b, &make_csv(0, 50), &opts("bob.csv")).unwrap();
    assert_eq!((s.import_id, s.created), (1, 50));
}

/// A benchmark, not a check: the same generated CSV (`BENCH_ROWS` rows, 100,000 by default)
/// imported into a new register file and onto a new team register in the same run, each
/// commit timed (the reading and parsing are left out of both), and the ratio:
/// `bash .ci/pg -- --ignored --nocapture bench_import_100k` (in release for real figures).
#[test]
#[ignore]
fn bench_import_100k() {
    let server = server_or_skip!("bench_import_100k");
    let n: usize = std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let csv = make_csv(0, n);
    let parsed = core_import::read_file(csv.as_bytes()).unwrap();
    let o = opts("bench.csv");
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("register.db")).unwrap();
    let t = Instant::now();
    let in_file = db
        .write(Source::Import, |tx| core_import::commit(tx, &parsed, &o))
        .unwrap();
    let file_s = t.elapsed().as_secs_f64();

    let mut reg = TestRegister::new(server, "benchimp");
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    let fsync: String = ed.query_one("SHOW fsync", &[]).unwrap().get(0);
    let t = Instant::now();
    let on_server = imports::commit(&mut ed, Source::Import, &parsed, &o).unwrap();
    let team_s = t.elapsed().as_secs_f64();
    assert_eq!(on_server, in_file);
    let events = audit::head(&mut ed).unwrap().0;
    println!(
        "bench: import of {n} rows ({:.1} MB, {events} events): register file {file_s:.2} s, \
         team register {team_s:.2} s (fsync={fsync}): {:.2}× the file's",
        csv.len() as f64 / 1e6,
        team_s / file_s
    );
}

/// A register file holding imports moves to the server with them (and the mapping it
/// remembered), an import moved in can be undone there as in the file, and the team register
/// exports back to a file that holds the same imports.
#[test]
fn a_file_with_imports_moves_to_the_server_and_back() {
    let server = server_or_skip!("a_file_with_imports_moves_to_the_server_and_back");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db");
    let db = Db::open(&path).unwrap();
    into_file(&db, &make_csv(0, 40), &opts("a.csv")).unwrap();
    let b = ImportOptions {
        file_name: "b.csv".into(),
        mapping_overrides: vec![("Notes".into(), core_import::Field::Notes)],
        ..ImportOptions::default()
    };
    into_file(&db, &make_csv(100, 120), &b).unwrap();

    let mut reg = TestRegister::new(server, "impmove");
    let editor = reg.add_login("ed", Role::Editor);
    let store = register_core::documents::DocumentStore::for_register(&path);
    let moved = register_pg::transfer::move_in(&db, &store, &mut reg.owner(), None).unwrap();
    assert_eq!(moved.counts.imports, 2);
    assert!(
        moved.counts.describe().contains("2 imports"),
        "{:?}",
        moved.counts
    );
    let mut ed = reg.connect_as(&editor);
    assert_same_imports(&db, &mut ed);
    assert_same_assets(&db, &mut ed);
    // The remembered mapping came along.
    let parsed = core_import::read_file(make_csv(100, 120).as_bytes()).unwrap();
    let m_file = db
        .read(|c| core_import::mapping_for(c, &parsed, &[]))
        .unwrap();
    assert_eq!(
        imports::preview(&mut ed, &parsed, &opts("x.csv"))
            .unwrap()
            .mapping,
        m_file
    );

    // An import moved in is undone on the server as in the file.
    let u_file = db
        .write(Source::Cli, |tx| core_import::undo_import(tx, 2))
        .unwrap();
    let u_team =
        register_pg::write(&mut ed, Source::Cli, |tx| imports::undo_import(tx, 2)).unwrap();
    assert_eq!(u_team, u_file);
    assert_same_assets(&db, &mut ed);

    // And back to a file: the same imports, and it verifies to the server's head.
    let back = dir.path().join("back.db");
    let exported = register_pg::transfer::export_to_file(&mut ed, &back).unwrap();
    assert_eq!(exported.counts.imports, 2);
    let back = Db::open(&back).unwrap();
    assert_eq!(
        back.read(core_import::list_imports).unwrap(),
        imports::list_imports(&mut ed).unwrap()
    );
    // The first undone in the exported file and on the server alike (the second touched none
    // of its assets).
    let u_back = back
        .write(Source::Cli, |tx| core_import::undo_import(tx, 1))
        .unwrap();
    let u_team =
        register_pg::write(&mut ed, Source::Cli, |tx| imports::undo_import(tx, 1)).unwrap();
    assert_eq!(u_team, u_back);
}

/// A transaction that asks for batch appends (as an import does) is held to the chain all the
/// same: an event that skips a number, or names another hash than the head's, is refused.
#[test]
fn batch_appends_are_checked_as_row_appends_are() {
    let server = server_or_skip!("batch_appends_are_checked_as_row_appends_are");
    let mut reg = TestRegister::new(server, "impbatch");
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    onto_server(&mut ed, &make_csv(0, 3), &opts("a.csv")).unwrap();
    let (seq, hash) = audit::head(&mut ed).unwrap();
    let other = "ab".repeat(32);
    for (id, prev, what) in [
        (seq + 2, hash.clone(), "a gap"),
        (seq + 1, other.clone(), "another hash"),
    ] {
        let mut tx = ed.transaction().unwrap();
        tx.batch_execute("SET LOCAL register.batch_append = 'on'")
            .unwrap();
        let err = tx
            .execute(
                "INSERT INTO audit_log (id, at, source, action, entity, label, changes,
                                        prev_hash, hash)
                 VALUES ($1, '2026-12-03T00:00:00.000000Z', 'app', 'edited', 'asset', 'x',
                         '[]', $2, $3)",
                &[&id, &prev, &other],
            )
            .unwrap_err();
        let said = err.as_db_error().map(|d| d.message().to_string());
        assert!(
            said.as_deref()
                .is_some_and(|m| m.contains("does not follow the head")),
            "{what}: {err:?}"
        );
    }
    assert_eq!(audit::head(&mut ed).unwrap(), (seq, hash));
    assert_eq!(audit::verify_chain(&mut ed).unwrap().first_bad_event, None);
}
