//! The audit trail against outside tampering: edit, delete or reorder event rows with a raw
//! SQLite connection (as the `sqlite3` shell would) and `verify` must fail and name the event.

use crate::cli::rusqlite_conn;
use crate::util::TestDb;

/// A register with a handful of events.
fn seeded() -> TestDb {
    let db = TestDb::new();
    db.ok(&[
        "add", "--tag", "IT-0001", "--name", "Laptop", "--serial", "S1",
    ]);
    db.ok(&["add", "--tag", "IT-0002", "--name", "Phone"]);
    db.ok(&["assign", "IT-0001", "--person", "Sam Patel"]); // person created + assigned
    db.ok(&["edit", "IT-0002", "--supplier", "CDW"]);
    db.ok(&["status", "IT-0002", "retired", "--note", "broken screen"]);
    db
}

/// Runs SQL the way an outside tool would: no triggers dropped unless asked.
fn tamper(db: &TestDb, sql: &str) {
    let conn = rusqlite_conn(&db.path);
    conn.execute_batch(sql).unwrap();
}

fn verify_fails_at(db: &TestDb, event: i64) -> String {
    let out = db.cli(&["verify"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!out.status.success(), "verify should fail: {text}");
    assert!(text.contains(&format!("FAILED at event {event}")), "{text}");
    text
}

#[test]
fn a_clean_register_verifies_and_quotes_its_head() {
    let db = seeded();
    let out = db.ok(&["verify"]);
    assert!(out.contains("Register verified: OK"), "{out}");
    assert!(out.contains("Events: 6"), "{out}");
    let head = out
        .lines()
        .find_map(|l| l.strip_prefix("Head hash: "))
        .unwrap();
    assert_eq!(head.len(), 64);
    assert!(head.chars().all(|c| c.is_ascii_hexdigit()));
    let json = db.json(&["verify", "--json"]);
    assert_eq!(json["head_hash"], head);
    assert_eq!(json["ok"], true);
}

#[test]
fn the_app_cannot_rewrite_its_own_trail() {
    let db = seeded();
    let conn = rusqlite_conn(&db.path);
    let err = conn
        .execute("UPDATE audit_log SET note = 'x' WHERE id = 1", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = conn
        .execute("DELETE FROM audit_log WHERE id = 1", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

#[test]
fn editing_an_event_is_detected() {
    let db = seeded();
    tamper(
        &db,
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET note = 'nothing to see' WHERE id = 5;",
    );
    let text = verify_fails_at(&db, 5);
    assert!(text.contains("edited"), "{text}");
}

#[test]
fn changing_a_recorded_value_is_detected() {
    let db = seeded();
    tamper(
        &db,
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET changes = replace(changes, 'CDW', 'Insight') WHERE id = 5;",
    );
    let changed: String = rusqlite_conn(&db.path)
        .query_row("SELECT changes FROM audit_log WHERE id = 5", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(
        changed.contains("Insight"),
        "the tamper took effect: {changed}"
    );
    verify_fails_at(&db, 5);
}

#[test]
fn deleting_an_event_is_detected() {
    let db = seeded();
    tamper(
        &db,
        "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 3;",
    );
    let text = verify_fails_at(&db, 3);
    assert!(text.contains("missing"), "{text}");
}

#[test]
fn reordering_events_is_detected() {
    let db = seeded();
    tamper(
        &db,
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET id = 100 WHERE id = 2;
         UPDATE audit_log SET id = 2 WHERE id = 3;
         UPDATE audit_log SET id = 3 WHERE id = 100;",
    );
    verify_fails_at(&db, 2);
}

#[test]
fn rehashing_one_event_still_breaks_the_next_link() {
    // An attacker who edits event 2 and recomputes its hash still breaks event 3's link.
    let db = seeded();
    let conn = rusqlite_conn(&db.path);
    conn.execute_batch("DROP TRIGGER audit_log_no_update;")
        .unwrap();
    conn.execute(
        "UPDATE audit_log SET hash = ?1 WHERE id = 2",
        ["ab".repeat(32)],
    )
    .unwrap();
    drop(conn);
    let text = verify_fails_at(&db, 2);
    assert!(text.contains("edited"), "{text}");
}

#[test]
fn truncation_shows_as_a_different_head() {
    // Cutting events off the end leaves a valid shorter chain: the quoted head exposes it.
    let db = seeded();
    let quoted = db.json(&["verify", "--json"])["head_hash"]
        .as_str()
        .unwrap()
        .to_string();
    tamper(
        &db,
        "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 6;",
    );
    let out = db.cli(&["verify", "--json"]);
    let now: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(now["event_count"], 5);
    assert_ne!(now["head_hash"].as_str().unwrap(), quoted);
    // The dropped guard is named too: the schema is not the one this version creates.
    assert!(!out.status.success());
    assert_eq!(now["ok"], false);
    let integrity = now["integrity"].as_str().unwrap();
    assert!(
        integrity.contains("missing trigger `audit_log_no_delete`"),
        "{integrity}"
    );
}
