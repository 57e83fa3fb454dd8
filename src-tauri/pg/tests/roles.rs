//! What each role may do: editors only append to the trail, auditors and viewers change nothing,
//! and the triggers stop an UPDATE, DELETE or TRUNCATE even from a role that holds the privilege.

use postgres::error::SqlState;
use register_core::audit::Source;
use register_pg::admin::Role;
use register_pg::{audit, Error};

use crate::util::{edit, server_or_skip, TestRegister};

fn append(client: &mut postgres::Client, label: &str) -> register_pg::Result<i64> {
    register_pg::write(client, Source::App, |tx| {
        audit::record(tx, &edit(label, 7, "v"))
    })
}

fn assert_denied(result: Result<u64, postgres::Error>, what: &str) {
    let err = result.expect_err(what);
    assert_eq!(
        err.code(),
        Some(&SqlState::INSUFFICIENT_PRIVILEGE),
        "{what}: {err}"
    );
}

#[test]
fn editors_only_append_to_the_trail() {
    let server = server_or_skip!("editors_only_append_to_the_trail");
    let mut reg = TestRegister::new(server, "editor");
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    assert_eq!(append(&mut ed, "A-1").unwrap(), 1);
    assert_eq!(append(&mut ed, "A-1").unwrap(), 2);

    assert_denied(
        ed.execute("UPDATE audit_log SET label = 'B-9'", &[]),
        "UPDATE",
    );
    assert_denied(
        ed.execute("DELETE FROM audit_log WHERE id = 2", &[]),
        "DELETE",
    );
    assert_denied(ed.execute("TRUNCATE audit_log", &[]), "TRUNCATE");
    // The head moves only with an append, although editors may lock it.
    assert_denied(
        ed.execute("UPDATE chain_head SET seq = 0", &[]),
        "UPDATE chain_head",
    );
    assert_denied(
        ed.execute("DELETE FROM chain_head", &[]),
        "DELETE chain_head",
    );
    assert_eq!(audit::verify_chain(&mut ed).unwrap().event_count, 2);
}

#[test]
fn triggers_refuse_even_a_role_granted_too_much() {
    let server = server_or_skip!("triggers_refuse_even_a_role_granted_too_much");
    let mut reg = TestRegister::new(server, "trig");
    let editor = reg.add_login("ed", Role::Editor);
    append(&mut reg.connect_as(&editor), "A-1").unwrap();
    // The owner holds every privilege on its tables; only the triggers stand in its way.
    let mut owner = reg.owner();
    assert_denied(
        owner.execute("UPDATE audit_log SET label = 'B-9'", &[]),
        "UPDATE",
    );
    assert_denied(owner.execute("DELETE FROM audit_log", &[]), "DELETE");
    assert_denied(owner.execute("TRUNCATE audit_log", &[]), "TRUNCATE");
    assert_denied(
        owner.execute("TRUNCATE chain_head", &[]),
        "TRUNCATE chain_head",
    );
    assert_eq!(audit::head(&mut owner).unwrap().0, 1);
}

#[test]
fn auditors_and_viewers_change_nothing() {
    let server = server_or_skip!("auditors_and_viewers_change_nothing");
    let mut reg = TestRegister::new(server, "readers");
    let editor = reg.add_login("ed", Role::Editor);
    let auditor = reg.add_login("au", Role::Auditor);
    let viewer = reg.add_login("vi", Role::Viewer);
    append(&mut reg.connect_as(&editor), "A-1").unwrap();

    let mut au = reg.connect_as(&auditor);
    let err = append(&mut au, "A-1").unwrap_err();
    assert!(matches!(err, Error::Denied(_)), "{err}");
    assert_denied(au.execute("DELETE FROM audit_log", &[]), "auditor DELETE");
    let check = audit::verify_chain(&mut au).unwrap();
    assert_eq!((check.event_count, check.first_bad_event), (1, None));

    let mut vi = reg.connect_as(&viewer);
    let err = append(&mut vi, "A-1").unwrap_err();
    assert!(matches!(err, Error::Denied(_)), "{err}");
    assert_denied(
        vi.execute("INSERT INTO chain_head (seq, hash) VALUES (0, 'x')", &[]),
        "viewer INSERT",
    );
    // Viewers read the register, not its trail.
    assert!(matches!(
        audit::verify_chain(&mut vi),
        Err(Error::Denied(_))
    ));
    assert_eq!(
        register_pg::schema::version(&mut vi).unwrap(),
        register_pg::schema::VERSION
    );
}

#[test]
fn a_login_holds_one_role_at_a_time() {
    let server = server_or_skip!("a_login_holds_one_role_at_a_time");
    let mut reg = TestRegister::new(server, "regrant");
    let login = reg.add_login("p", Role::Editor);
    append(&mut reg.connect_as(&login), "A-1").unwrap();
    register_pg::admin::grant_login(&mut reg.owner(), &reg.roles, &login, Role::Viewer).unwrap();
    let err = append(&mut reg.connect_as(&login), "A-1").unwrap_err();
    assert!(matches!(err, Error::Denied(_)), "{err}");
    let err =
        register_pg::admin::grant_login(&mut reg.owner(), &reg.roles, "nobody_here", Role::Viewer)
            .unwrap_err();
    assert!(matches!(err, Error::Refused(_)), "{err}");
}
