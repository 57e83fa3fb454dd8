//! Moving a file register to a server and back (issue #22): the twins' file register, with
//! category defaults and plans, an asset's own depreciation and a licence's document added,
//! moved into an empty team register, changed there, exported to a new file and backed up; and
//! the moves refused, changing nothing on the server.

use std::path::Path;

use register_core::assets as core_assets;
use register_core::audit::{self as core_audit, Source};
use register_core::backup::{check_backup, restore_backup};
use register_core::depreciation::{self as core_dep, Method};
use register_core::documents::{self as core_docs, DocumentStore, Owner};
use register_core::licences as core_licences;
use register_core::people as core_people;
use register_core::replacements as core_plans;
use register_core::settings::{update_settings, Settings};
use register_core::values::Money;
use register_core::{AssetPatch, Connection, Db};
use register_pg::admin::Role;
use register_pg::transfer::{backup_to, export_to_file, move_in};
use register_pg::{assets, audit, categories, documents, licences, people, verify, Client};

use crate::twins::build_file;
use crate::util::{server_or_skip, TestRegister};

/// The twins' file register at `path` with what they lack: category defaults and plans, an
/// asset's own depreciation, a document on a licence.
fn file_register(path: &Path) -> Db {
    let db = build_file(path);
    let app = Source::App;
    let straight = Method::StraightLine {
        life_months: 36,
        residual: 10_000,
    };
    db.write(app, |tx| {
        core_dep::set_category_method(tx, "Laptop", straight)
    })
    .unwrap();
    db.write(app, |tx| {
        core_plans::set_category_plan(tx, "Laptop", Some(48), Some(Money::from_minor(120_000)))
    })
    .unwrap();
    db.write(app, |tx| {
        core_dep::set_category_method(tx, "Phone", Method::Declining { rate_bp: 2500 })
    })
    .unwrap();
    let file = path.with_file_name("licence-terms.pdf");
    std::fs::write(&file, b"%PDF-1.4 terms").unwrap();
    let store = DocumentStore::for_register(path);
    core_docs::attach_file_to(&db, &store, app, Owner::Licence(1), &file, None, None).unwrap();
    // An asset's own method and replacement life: nothing edits them on the server yet, a move
    // must keep them.
    Connection::open(path)
        .unwrap()
        .execute_batch(
            "UPDATE assets SET depreciation = 'straight_line', life_months = 24, residual = 0,
                               replacement_months = 30 WHERE asset_tag = 'IT-0001'",
        )
        .unwrap();
    db
}

/// Every row of every table that moves, as the file holds it, for comparing two files.
fn rows_of(path: &Path) -> Vec<(String, Vec<String>)> {
    let conn = Connection::open(path).unwrap();
    let mut out = Vec::new();
    for (table, order) in [
        ("people", "id"),
        ("locations", "id"),
        ("categories", "id"),
        ("assets", "id"),
        ("licences", "id"),
        ("licence_seats", "licence_id, person_id"),
        ("documents", "id"),
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY {order}"))
            .unwrap();
        let n = stmt.column_count();
        let rows: Vec<String> = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect();
                Ok(cells.join(" | "))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(!rows.is_empty(), "the register has {table}");
        out.push((table.to_string(), rows));
    }
    out
}

/// What the server holds, as its event count and every table's row count: to check that a
/// refused move changed nothing.
fn server_state(client: &mut Client) -> Vec<i64> {
    let mut counts = vec![audit::head(client).unwrap().0];
    for table in [
        "people",
        "locations",
        "categories",
        "assets",
        "licences",
        "licence_seats",
        "documents",
        "document_content",
    ] {
        counts.push(
            client
                .query_one(&format!("SELECT count(*) FROM {table}"), &[])
                .unwrap()
                .get(0),
        );
    }
    counts
}

#[test]
fn a_register_moves_to_a_server_and_back() {
    let server = server_or_skip!("a_register_moves_to_a_server_and_back");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db");
    let db = file_register(&path);
    // Settings move too: the organisation, the currency and the plan's inflation.
    db.write(Source::App, |tx| {
        update_settings(
            tx,
            &Settings {
                organisation: "Acme".into(),
                currency: "EUR".into(),
            },
        )?;
        core_plans::set_inflation(tx, "3.5")
    })
    .unwrap();
    let store = DocumentStore::for_register(&path);
    let file_head = db.read(core_audit::head).unwrap();

    let mut reg = TestRegister::new(server, "move");
    let moved = move_in(&db, &store, &mut reg.owner(), Some("moving day")).unwrap();
    assert_eq!(moved.file_head, file_head);
    assert_eq!(moved.server_head.0, file_head.0 + 1);
    assert_eq!(moved.counts.events as i64, file_head.0);
    assert_eq!(
        (
            moved.counts.assets,
            moved.counts.documents,
            moved.counts.seats
        ),
        (9, 4, 1),
        "{}",
        moved.counts.describe()
    );

    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    let checked = verify::verify(&mut ed).unwrap();
    assert!(checked.ok(), "{checked:?}");
    assert_eq!(checked.documents, 4);
    assert_eq!(
        (
            checked.verification.event_count,
            &checked.verification.head_hash
        ),
        (moved.server_head.0, &moved.server_head.1)
    );
    let file_settings = db.read(register_core::settings::get_settings).unwrap();
    assert_eq!(
        register_pg::settings::get_settings(&mut ed).unwrap(),
        file_settings
    );
    let file_plan = db.read(core_plans::plan).unwrap();
    assert_eq!(register_pg::replacements::plan(&mut ed).unwrap(), file_plan);
    // The move's own event follows the file's head and says so.
    let mut events = Vec::new();
    audit::for_each_stored(&mut ed, |e| events.push(e.row)).unwrap();
    let last = events.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.entity.as_str()),
        ("moved_to_server", "register")
    );
    assert_eq!(last.prev_hash, file_head.1);
    assert!(last.changes.contains(&file_head.1), "{}", last.changes);
    assert_eq!(last.note.as_deref(), Some("moving day"));

    // The server holds what the file holds, under the same ids.
    let ids: Vec<i64> = db
        .read(|c| {
            Ok(c.prepare("SELECT id FROM assets ORDER BY id")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<Vec<i64>, _>>()?)
        })
        .unwrap();
    for id in ids {
        let mut in_file = db.read(|c| core_assets::get_asset(c, id)).unwrap();
        let served = assets::get_asset(&mut ed, id).unwrap();
        assert_eq!(served.version, 1);
        in_file.document_count = served.asset.document_count;
        assert_eq!(served.asset, in_file);
    }
    assert_eq!(
        people::list_people(&mut ed).unwrap(),
        db.read(core_people::list_people).unwrap()
    );
    // Licences with their documents counted, as the file counts them.
    let served: Vec<_> = licences::list_licences(&mut ed, true)
        .unwrap()
        .into_iter()
        .map(|v| v.licence)
        .collect();
    let in_file = db.read(|c| core_licences::list_licences(c, true)).unwrap();
    assert!(in_file.iter().any(|l| l.document_count > 0));
    assert_eq!(served, in_file);
    for id in 1..=3 {
        assert_eq!(
            categories::category_method(&mut ed, id).unwrap(),
            db.read(|c| core_dep::category_method(c, id)).unwrap()
        );
    }
    for owner in [Owner::Asset(1), Owner::Asset(3), Owner::Licence(1)] {
        assert_eq!(
            documents::documents_of(&mut ed, owner).unwrap(),
            db.read(|c| core_docs::documents_of(c, owner)).unwrap()
        );
    }

    // Changes go on there: ids continue past the copied ones, a save from the version read
    // passes and one from an older version is refused.
    let read = assets::find_asset(&mut ed, "IT-0002").unwrap();
    let patch = AssetPatch {
        name: Some("Monitor, moved".into()),
        ..Default::default()
    };
    register_pg::write(&mut ed, Source::App, |tx| {
        assets::update_asset(tx, read.asset.id, read.version, &patch, None)
    })
    .unwrap();
    let err = register_pg::write(&mut ed, Source::App, |tx| {
        assets::update_asset(tx, read.asset.id, read.version, &patch, None)
    })
    .unwrap_err();
    assert!(matches!(err, register_pg::Error::Conflict(_)), "{err}");
    let new = register_pg::write(&mut ed, Source::App, |tx| {
        people::create_person(
            tx,
            &core_people::PersonInput {
                name: "New Starter".into(),
                ..Default::default()
            },
        )
    })
    .unwrap();
    let most = db
        .read(core_people::list_people)
        .unwrap()
        .iter()
        .map(|p| p.id)
        .max();
    assert_eq!(Some(new.person.id), most.map(|m| m + 1));
    let head = audit::head(&mut ed).unwrap();
    assert!(verify::verify(&mut ed).unwrap().ok());

    // Back to a file: the same rows (but the two changes) and the server's head.
    let back = dir.path().join("back").join("register.db");
    std::fs::create_dir_all(back.parent().unwrap()).unwrap();
    let exported = export_to_file(&mut ed, &back).unwrap();
    assert_eq!(exported.head, head);
    let back_db = Db::open(&back).unwrap();
    assert_eq!(
        back_db.read(register_core::settings::get_settings).unwrap(),
        file_settings
    );
    assert_eq!(back_db.read(core_plans::plan).unwrap(), file_plan);
    let v = back_db.read(core_audit::verify).unwrap();
    assert!(v.ok, "{}", v.describe());
    assert_eq!((v.event_count, &v.head_hash), (head.0, &head.1));
    let problems = back_db
        .read(|c| core_docs::verify_documents(c, &DocumentStore::for_register(&back)))
        .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let (before, after) = (rows_of(&path), rows_of(&back));
    for ((table, a), (_, b)) in before.iter().zip(&after) {
        match table.as_str() {
            // One asset renamed and one person added on the server since.
            "assets" => {
                let differ: Vec<_> = a.iter().zip(b).filter(|(x, y)| x != y).collect();
                assert_eq!(differ.len(), 1, "{differ:?}");
                assert!(differ[0].1.contains("Monitor, moved"), "{differ:?}");
            }
            "people" => {
                assert_eq!(&b[..a.len()], &a[..]);
                assert_eq!(b.len(), a.len() + 1);
            }
            _ => assert_eq!(a, b, "{table}"),
        }
    }
    // An existing file is never overwritten.
    let err = export_to_file(&mut ed, &back).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");

    // A backup of the team register is a file register's backup.
    let archive = dir.path().join("team.backup");
    let manifest = backup_to(&mut ed, &archive).unwrap();
    assert_eq!(check_backup(&archive).unwrap(), manifest);
    let restored = dir.path().join("restored").join("register.db");
    std::fs::create_dir_all(restored.parent().unwrap()).unwrap();
    restore_backup(&archive, &restored).unwrap();
    let v = Db::open(&restored)
        .unwrap()
        .read(core_audit::verify)
        .unwrap();
    assert!(v.ok, "{}", v.describe());
    assert_eq!((v.event_count, &v.head_hash), (head.0, &head.1));
}

#[test]
fn a_viewer_cannot_export() {
    let server = server_or_skip!("a_viewer_cannot_export");
    let dir = tempfile::tempdir().unwrap();
    let mut reg = TestRegister::new(server, "export_viewer");
    let viewer = reg.add_login("vi", Role::Viewer);
    let out = dir.path().join("register.db");
    let err = export_to_file(&mut reg.connect_as(&viewer), &out).unwrap_err();
    assert!(
        err.to_string().contains("cannot read the audit trail"),
        "{err}"
    );
    assert!(!out.exists());
    let auditor = reg.add_login("au", Role::Auditor);
    let exported = export_to_file(&mut reg.connect_as(&auditor), &out).unwrap();
    assert_eq!(exported.head.0, 0);
}

#[test]
fn a_move_is_refused_and_changes_nothing() {
    let server = server_or_skip!("a_move_is_refused_and_changes_nothing");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db");
    let db = file_register(&path);
    let store = DocumentStore::for_register(&path);
    let reg = TestRegister::new(server, "move_refused");
    let mut owner = reg.owner();

    // A register that is not empty.
    let once = TestRegister::new(
        crate::util::server("a_move_is_refused_and_changes_nothing").unwrap(),
        "move_twice",
    );
    let mut twice = once.owner();
    move_in(&db, &store, &mut twice, None).unwrap();
    let before = server_state(&mut twice);
    let err = move_in(&db, &store, &mut twice, None).unwrap_err();
    assert!(err.to_string().contains("not empty"), "{err}");
    assert_eq!(server_state(&mut twice), before);

    let empty = server_state(&mut owner);
    // A file whose chain was edited behind the app's back.
    let tampered = dir.path().join("tampered").join("register.db");
    std::fs::create_dir_all(tampered.parent().unwrap()).unwrap();
    let t_db = file_register(&tampered);
    Connection::open(&tampered)
        .unwrap()
        .execute_batch(
            "DROP TRIGGER audit_log_no_update;
             UPDATE audit_log SET note = 'nothing to see' WHERE id = 5;",
        )
        .unwrap();
    let err = move_in(
        &t_db,
        &DocumentStore::for_register(&tampered),
        &mut owner,
        None,
    )
    .unwrap_err();
    assert!(err.to_string().contains("FAILED at event 5"), "{err}");
    assert_eq!(server_state(&mut owner), empty);

    // A document whose bytes changed.
    let clean = dir.path().join("clean").join("register.db");
    std::fs::create_dir_all(clean.parent().unwrap()).unwrap();
    let c_db = file_register(&clean);
    let c_store = DocumentStore::for_register(&clean);
    let doc = c_db
        .read(|c| core_docs::documents_of(c, Owner::Asset(1)))
        .unwrap();
    let blob = c_store.dir().join(&doc[0].sha256[..2]).join(&doc[0].sha256);
    std::fs::write(&blob, b"%PDF-1.4 forged!").unwrap();
    let err = move_in(&c_db, &c_store, &mut owner, None).unwrap_err();
    assert!(err.to_string().contains("missing or changed"), "{err}");
    assert_eq!(server_state(&mut owner), empty);
}

/// A benchmark, not a check: how long the window's local copy of a team register takes to
/// make (`copy_for_reading`, what a report or an export on a team register waits for the first
/// time after a change), next to the full export. The register is the file at
/// `$BENCH_REGISTER` moved in (e.g. the app bench's 100k-asset register), else a generated one
/// of `$BENCH_ASSETS` assets (default 2,000). Release build, a quiet machine:
/// `BENCH_REGISTER=… bash .ci/pg-cluster cargo test -p register_pg --release --test tests --
/// --ignored --nocapture bench_copy`.
#[test]
#[ignore]
fn bench_copy_for_reading() {
    let server = server_or_skip!("bench_copy_for_reading");
    let dir = tempfile::tempdir().unwrap();
    let file = match std::env::var_os("BENCH_REGISTER") {
        Some(p) => {
            let copy = dir.path().join("bench.db");
            std::fs::copy(&p, &copy).unwrap();
            copy
        }
        None => {
            let n: i64 = std::env::var("BENCH_ASSETS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(2_000);
            let path = dir.path().join("bench.db");
            let db = Db::open(&path).unwrap();
            db.write(Source::Cli, |tx| {
                for i in 1..=n {
                    let input = register_core::AssetInput {
                        asset_tag: format!("IT-{i:06}"),
                        name: format!("Laptop {i}"),
                        serial_number: format!("SN{i}"),
                        ..Default::default()
                    };
                    core_assets::create_asset(tx, &input, None)?;
                }
                Ok(())
            })
            .unwrap();
            path
        }
    };
    let db = Db::open(&file).unwrap();
    let store = DocumentStore::for_register(&file);
    let mut reg = TestRegister::new(server, "benchcopy");
    let t = std::time::Instant::now();
    let moved = move_in(&db, &store, &mut reg.owner(), None).unwrap();
    println!(
        "bench: moved in {} in {:.1} s",
        moved.counts.describe(),
        t.elapsed().as_secs_f64()
    );
    let auditor = reg.add_login("au", Role::Auditor);
    let mut client = reg.connect_as(&auditor);
    for run in 1..=3 {
        let out = dir.path().join(format!("copy{run}.db"));
        let t = std::time::Instant::now();
        let made = register_pg::transfer::copy_for_reading(&mut client, &out, false).unwrap();
        let copy = t.elapsed().as_secs_f64();
        let out = dir.path().join(format!("export{run}.db"));
        let t = std::time::Instant::now();
        export_to_file(&mut client, &out).unwrap();
        println!(
            "bench: run {run}: local copy of {} assets and {} events {copy:.2} s; the full \
             export (checked after writing) {:.2} s",
            made.counts.assets,
            made.counts.events,
            t.elapsed().as_secs_f64()
        );
    }
}
