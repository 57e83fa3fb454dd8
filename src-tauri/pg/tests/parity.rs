//! The same events verify the same in both stores: a file register's chain copied to the server
//! gives the same count and head, and the same first bad event once one is edited.

use register_core::assets::{create_asset, update_asset};
use register_core::audit::{self as core_audit, Source, StoredRow};
use register_core::people::{create_person, PersonInput};
use register_core::{AssetInput, AssetPatch, Connection, Db};
use register_pg::admin::Role;
use register_pg::audit;

use crate::util::{edit, server_or_skip, TestRegister};

/// A file register with `n` assets, each created and edited, and a few people: its events.
fn file_register(path: &std::path::Path, n: usize) -> Vec<StoredRow> {
    let db = Db::open(path).unwrap();
    for i in 0..n {
        db.write(Source::App, |tx| {
            let input = AssetInput {
                asset_tag: format!("IT-{i:04}"),
                name: format!("Laptop {i} — «ünïcode» \"quoted\""),
                category: "Laptop".into(),
                purchase_cost: "1,234.50".into(),
                ..Default::default()
            };
            let asset = create_asset(tx, &input, Some(" bought in bulk "))?;
            let patch = AssetPatch {
                name: Some(format!("Laptop {i} renamed")),
                ..Default::default()
            };
            update_asset(tx, asset.id, &patch, None)
        })
        .unwrap();
        if i % 5 == 0 {
            db.write(Source::Cli, |tx| {
                create_person(
                    tx,
                    &PersonInput {
                        name: format!("Person {i}"),
                        ..Default::default()
                    },
                )
            })
            .unwrap();
        }
    }
    let mut rows = Vec::new();
    db.read(|c| {
        core_audit::for_each_stored(c, |r| {
            rows.push(r);
            Ok(())
        })
    })
    .unwrap();
    rows
}

#[test]
fn same_events_give_the_same_head_in_both_stores() {
    let server = server_or_skip!("same_events_give_the_same_head_in_both_stores");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db");
    let rows = file_register(&path, 40);
    assert!(rows.len() >= 88, "{} events", rows.len());

    let mut reg = TestRegister::new(server, "parity");
    let editor = reg.add_login("mover", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    register_pg::write(&mut ed, Source::System, |tx| {
        rows.iter().try_for_each(|r| audit::copy_stored(tx, r))
    })
    .unwrap();

    let file = Connection::open(&path).unwrap();
    let in_file = core_audit::verify_chain(&file).unwrap();
    let on_server = audit::verify_chain(&mut ed).unwrap();
    assert_eq!(in_file.first_bad_event, None);
    assert_eq!(on_server, in_file);
    assert_eq!(
        audit::head(&mut ed).unwrap(),
        core_audit::head(&file).unwrap()
    );

    // The chain goes on from the copied head, and still verifies.
    let n = rows.len() as i64;
    let id = register_pg::write(&mut ed, Source::App, |tx| {
        audit::record(tx, &edit("IT-0001", 2, "after the move"))
    })
    .unwrap();
    assert_eq!(id, n + 1);
    let after = audit::verify_chain(&mut ed).unwrap();
    assert_eq!((after.event_count, after.first_bad_event), (n + 1, None));

    // An event out of line is refused; so is one whose content does not match its hash.
    let mut wrong = rows[0].clone();
    let err = register_pg::write(&mut ed, Source::System, |tx| audit::copy_stored(tx, &wrong))
        .unwrap_err();
    assert!(matches!(err, register_pg::Error::Refused(_)), "{err}");
    let (seq, hash) = audit::head(&mut ed).unwrap();
    (wrong.id, wrong.prev_hash) = (seq + 1, hash);
    let err = register_pg::write(&mut ed, Source::System, |tx| audit::copy_stored(tx, &wrong))
        .unwrap_err();
    assert!(err.to_string().contains("does not match its hash"), "{err}");
}

/// The same edit behind the app's back (the owner switching the trigger off on the server, a
/// SQLite tool on the file) is reported at the same event, for the same reason.
#[test]
fn an_edited_event_is_found_at_the_same_place() {
    let server = server_or_skip!("an_edited_event_is_found_at_the_same_place");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db");
    let rows = file_register(&path, 10);
    let mut reg = TestRegister::new(server, "tamper");
    let editor = reg.add_login("mover", Role::Editor);
    register_pg::write(&mut reg.connect_as(&editor), Source::System, |tx| {
        rows.iter().try_for_each(|r| audit::copy_stored(tx, r))
    })
    .unwrap();

    let file = Connection::open(&path).unwrap();
    file.execute_batch(
        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET label = 'IT-9999' WHERE id = 5",
    )
    .unwrap();
    let mut owner = reg.owner();
    owner
        .batch_execute(
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
             UPDATE audit_log SET label = 'IT-9999' WHERE id = 5;
             ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;",
        )
        .unwrap();
    let in_file = core_audit::verify_chain(&file).unwrap();
    assert_eq!(in_file.first_bad_event.as_ref().map(|b| b.id), Some(5));
    assert_eq!(audit::verify_chain(&mut owner).unwrap(), in_file);
}
