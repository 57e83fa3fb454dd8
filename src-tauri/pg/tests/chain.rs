//! The chain under concurrent writers: one linear chain, and the guards that refuse a fork.

use std::time::Instant;

use postgres::error::SqlState;
use register_core::audit::{Source, StoredRow, GENESIS};
use register_pg::admin::Role;
use register_pg::audit;

use crate::util::{edit, server_or_skip, TestRegister};

const WRITERS: usize = 8;
const APPENDS: usize = 200;

/// 8 editors on 8 connections each append 200 events, one change (transaction) per event: the
/// head lock queues them into one chain of 1600 events with no gap and no fork.
#[test]
fn eight_writers_make_one_linear_chain() {
    let server = server_or_skip!("eight_writers_make_one_linear_chain");
    let mut reg = TestRegister::new(server, "chain8");
    let logins: Vec<String> = (0..WRITERS)
        .map(|w| reg.add_login(&format!("w{w}"), Role::Editor))
        .collect();
    let auditor = reg.add_login("audit", Role::Auditor);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for login in &logins {
            let mut client = reg.connect_as(login);
            scope.spawn(move || {
                for i in 0..APPENDS {
                    let label = format!("{login}-{i:03}");
                    register_pg::write(&mut client, Source::App, |tx| {
                        audit::record(tx, &edit(&label, i as i64 + 1, "x"))
                    })
                    .expect("append");
                }
            });
        }
    });
    let elapsed = started.elapsed();
    let total = WRITERS * APPENDS;
    println!(
        "{WRITERS} writers x {APPENDS} appends: {total} events in {:.2} s = {:.0} appends/s",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );

    let mut client = reg.connect_as(&auditor);
    let check = audit::verify_chain(&mut client).unwrap();
    assert_eq!(check.first_bad_event, None);
    assert_eq!(check.event_count, total as i64);
    assert_eq!(
        audit::head(&mut client).unwrap(),
        (total as i64, check.head_hash)
    );

    // Linear: ids 1..=1600, each linked to the one before; each writer's events in its order.
    let mut prev = GENESIS.to_string();
    let mut next_of: std::collections::HashMap<String, usize> = Default::default();
    let mut n = 0;
    audit::for_each_stored(&mut client, |ev| {
        n += 1;
        assert_eq!(ev.row.id, n);
        assert_eq!(ev.row.prev_hash, prev);
        prev = ev.row.hash.clone();
        let (login, i) = ev.row.label.rsplit_once('-').unwrap();
        assert_eq!(login, ev.actor, "each event names the login that wrote it");
        let next = next_of.entry(ev.actor.clone()).or_default();
        assert_eq!(i.parse::<usize>().unwrap(), *next);
        *next += 1;
    })
    .unwrap();
    assert_eq!(n, total as i64);
    assert!(next_of.values().all(|&k| k == APPENDS), "{next_of:?}");
}

/// Two writers that skip the lock both read the same head; the second one's event would fork the
/// chain, and `UNIQUE (prev_hash)` refuses it (as does the primary key on its sequence number).
#[test]
fn unique_guards_refuse_a_fork() {
    let server = server_or_skip!("unique_guards_refuse_a_fork");
    let mut reg = TestRegister::new(server, "fork");
    let a = reg.add_login("a", Role::Editor);
    let b = reg.add_login("b", Role::Editor);
    let mut a = reg.connect_as(&a);
    let mut b = reg.connect_as(&b);
    for i in 0..3 {
        register_pg::write(&mut a, Source::App, |tx| {
            audit::record(tx, &edit("A-1", 1, &i.to_string()))
        })
        .unwrap();
    }
    // Both read the head without the lock.
    let (seq, hash) = audit::head(&mut a).unwrap();
    assert_eq!(audit::head(&mut b).unwrap(), (seq, hash.clone()));
    let row = |label: &str, id: i64, prev: &str| {
        StoredRow::encode(
            id,
            &register_core::now(),
            Source::App,
            &edit(label, 1, "y"),
            prev,
        )
        .unwrap()
    };
    insert_raw(&mut a, &row("A-1", seq + 1, &hash)).unwrap();

    // B's event after the same head: a second successor of event `seq`.
    let err = insert_raw(&mut b, &row("B-1", seq + 1, &hash)).unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::UNIQUE_VIOLATION), "{err}");
    // Renumbered to dodge the primary key, it still follows the same event.
    let err = insert_raw(&mut b, &row("B-1", seq + 2, &hash)).unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::UNIQUE_VIOLATION), "{err}");
    assert_eq!(
        err.as_db_error().and_then(|e| e.constraint()),
        Some("audit_log_prev_hash_key")
    );

    // With the head trigger switched off (only the owner can), UNIQUE alone still refuses it.
    let mut owner = reg.owner();
    let mut tx = owner.transaction().unwrap();
    tx.batch_execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_head")
        .unwrap();
    let err = tx
        .execute(INSERT, &params(&row("B-1", seq + 2, &hash)))
        .unwrap_err();
    assert_eq!(
        err.as_db_error().and_then(|e| e.constraint()),
        Some("audit_log_prev_hash_key")
    );
    drop(tx); // rolled back: the trigger is on again

    let check = audit::verify_chain(&mut owner).unwrap();
    assert_eq!((check.event_count, check.first_bad_event), (seq + 1, None));
}

const INSERT: &str = "INSERT INTO audit_log (id, at, source, action, entity, entity_id, asset_id,
                                            label, changes, note, prev_hash, hash)
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

fn params(r: &StoredRow) -> [&(dyn postgres::types::ToSql + Sync); 12] {
    [
        &r.id,
        &r.at,
        &r.source,
        &r.action,
        &r.entity,
        &r.entity_id,
        &r.asset_id,
        &r.label,
        &r.changes,
        &r.note,
        &r.prev_hash,
        &r.hash,
    ]
}

/// Inserts `row` as a client that does not take the head lock would.
pub fn insert_raw(client: &mut postgres::Client, row: &StoredRow) -> Result<u64, postgres::Error> {
    client.execute(INSERT, &params(row))
}

/// A benchmark, not a check: 8 writers, each change one audited event, with the figure printed.
/// `pg_virtualenv cargo test -p register_pg --release -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_eight_writers() {
    let server = server_or_skip!("bench_eight_writers");
    let mut reg = TestRegister::new(server, "bench8");
    let logins: Vec<String> = (0..WRITERS)
        .map(|w| reg.add_login(&format!("w{w}"), Role::Editor))
        .collect();
    for per_writer in [200, 1000] {
        let started = Instant::now();
        std::thread::scope(|scope| {
            for login in &logins {
                let mut client = reg.connect_as(login);
                scope.spawn(move || {
                    for i in 0..per_writer {
                        register_pg::write(&mut client, Source::App, |tx| {
                            audit::record(tx, &edit("BENCH", i, "x"))
                        })
                        .expect("append");
                    }
                });
            }
        });
        let s = started.elapsed().as_secs_f64();
        let total = WRITERS as i64 * per_writer;
        println!(
            "bench: {WRITERS} writers x {per_writer}: {total} audited changes in {s:.2} s = {:.0}/s",
            total as f64 / s
        );
    }
    let started = Instant::now();
    let check = audit::verify_chain(&mut reg.owner()).unwrap();
    assert_eq!(check.first_bad_event, None);
    println!(
        "bench: verify of {} events: {:.3} s",
        check.event_count,
        started.elapsed().as_secs_f64()
    );
}
