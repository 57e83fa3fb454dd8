//! What `Error::Postgres` says: the server's cause (its message, and its detail and hint where it
//! gives them), not the postgres crate's bare "db error"; the client's cause when no server
//! answered; never a password, nor a failing row's values.

use register_pg::admin::Role;
use register_pg::connect::Target;
use register_pg::Error;

use crate::util::{server_or_skip, TestRegister, PASSWORD};

/// The error `sql` gets from the server, run as the register's owner, as `register_pg` says it.
fn said(reg: &TestRegister, sql: &str) -> String {
    let e = reg.owner().batch_execute(sql).expect_err(sql);
    let e = Error::from(e);
    assert!(matches!(e, Error::Postgres(_)), "{e:?}");
    e.to_string()
}

#[test]
fn a_database_error_says_the_servers_cause() {
    let server = server_or_skip!("a_database_error_says_the_servers_cause");
    let mut reg = TestRegister::new(server, "errors");
    let login = reg.add_login("ed", Role::Editor);

    // A wrong password: the server's words, not the password.
    let mut target = reg.login_target(&login);
    target.config_mut().password("not-the-password-9f3");
    let Err(e) = target.connect() else {
        panic!("signed in with a wrong password");
    };
    let message = e.to_string();
    assert_eq!(
        message,
        format!("database error: FATAL: password authentication failed for user \"{login}\"")
    );
    assert!(!message.contains("not-the-password") && !message.contains(PASSWORD));

    // A detail and a hint, where the server gives them.
    let message = said(
        &reg,
        "INSERT INTO people (name, created_at) VALUES ('Sam', now()), ('SAM', now())",
    );
    assert!(
        message.starts_with(
            "database error: ERROR: duplicate key value violates unique constraint \
             \"people_name\" (detail: Key ("
        ) && message.ends_with("=(sam) already exists)"),
        "{message}"
    );
    let message = said(&reg, "SELECT no_such_function(1)");
    assert!(
        message.starts_with(
            "database error: ERROR: function no_such_function(integer) does not exist (hint: \
             No function matches"
        ),
        "{message}"
    );

    // A failing row's values (here a licence key) are left out.
    let message = said(
        &reg,
        "INSERT INTO licences (product, seats, licence_key, created_at, updated_at)
         VALUES ('Figma', 0, 'SECRET-KEY-0001', now(), now())",
    );
    assert_eq!(
        message,
        "database error: ERROR: new row for relation \"licences\" violates check constraint \
         \"licences_seats_check\""
    );

    // No server answering: the client's cause.
    let nowhere = Target::parse("host=/nonexistent/register-socket user=ed dbname=x").unwrap();
    let Err(e) = nowhere.connect() else {
        panic!("connected to no server");
    };
    let message = e.to_string();
    assert!(
        message.starts_with("database error: error connecting to server: "),
        "{message}"
    );
    assert!(message.contains("No such file or directory"), "{message}");
}
