//! Each event records the acting person: the role the session acted as, set by the server.

use register_core::audit::{Source, StoredRow};
use register_pg::admin::Role;
use register_pg::audit;

use crate::util::{edit, server_or_skip, TestRegister};

#[test]
fn each_event_names_the_login_that_wrote_it() {
    let server = server_or_skip!("each_event_names_the_login_that_wrote_it");
    let mut reg = TestRegister::new(server, "actor");
    let alice = reg.add_login("alice", Role::Editor);
    let bob = reg.add_login("bob", Role::Editor);
    let mut a = reg.connect_as(&alice);
    let mut b = reg.connect_as(&bob);
    register_pg::write(&mut a, Source::App, |tx| {
        audit::record(tx, &edit("A-1", 1, "x"))?;
        audit::record(tx, &edit("A-2", 2, "x"))
    })
    .unwrap();
    register_pg::write(&mut b, Source::Cli, |tx| {
        audit::record(tx, &edit("A-1", 1, "y"))
    })
    .unwrap();

    // A client that names someone else is overruled by the server.
    let (seq, hash) = audit::head(&mut b).unwrap();
    let row = StoredRow::encode(
        seq + 1,
        &register_core::now(),
        Source::App,
        &edit("A-3", 3, "z"),
        &hash,
    )
    .unwrap();
    b.execute(
        "INSERT INTO audit_log (id, at, source, action, entity, entity_id, asset_id, label,
                                changes, note, prev_hash, hash, actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        &[
            &row.id,
            &row.at,
            &row.source,
            &row.action,
            &row.entity,
            &row.entity_id,
            &row.asset_id,
            &row.label,
            &row.changes,
            &row.note,
            &row.prev_hash,
            &row.hash,
            &alice,
        ],
    )
    .unwrap();

    let mut seen = Vec::new();
    audit::for_each_stored(&mut a, |ev| seen.push((ev.row.id, ev.row.source, ev.actor))).unwrap();
    assert_eq!(
        seen,
        [
            (1, "app".to_string(), alice.clone()),
            (2, "app".to_string(), alice.clone()),
            (3, "cli".to_string(), bob.clone()),
            (4, "app".to_string(), bob.clone()),
        ]
    );
    // Events of one change carry one time; the next change's is later.
    let mut at = Vec::new();
    audit::for_each_stored(&mut a, |ev| at.push(ev.row.at)).unwrap();
    assert_eq!(at[0], at[1]);
    assert!(at[2] > at[1], "{at:?}");
    assert!(at[0].ends_with('Z') && at[0].len() == "2026-01-01T00:00:00.000000Z".len());
}
