//! Logins tied to people: only the owner ties one (with the role's grant and an event, all or
//! nothing), everyone reads the ties, and a tie is never moved or undone, even by the owner.

use postgres::error::SqlState;
use register_core::audit::Source;
use register_core::people::PersonInput;
use register_pg::admin::Role;
use register_pg::logins::{self, Tie};
use register_pg::{audit, people};

use crate::util::{server_or_skip, TestRegister};

#[test]
fn only_the_owner_ties_and_a_tie_stays() {
    let server = server_or_skip!("only_the_owner_ties_and_a_tie_stays");
    let mut reg = TestRegister::new(server, "ties");
    let editor = reg.add_login("ed", Role::Editor);
    let viewer = reg.add_login("vi", Role::Viewer);
    let mut ed = reg.connect_as(&editor);
    let ann = register_pg::write(&mut ed, Source::App, |tx| {
        people::create_person(
            tx,
            &PersonInput {
                name: "Ann Lee".into(),
                ..Default::default()
            },
        )
    })
    .unwrap()
    .person;

    let tie = logins::grant(
        &mut reg.owner(),
        &reg.roles,
        &editor,
        Role::Editor,
        Some("ann lee"),
        Source::Cli,
    )
    .unwrap();
    let want = Tie {
        login: editor.clone(),
        person_id: ann.id,
        person: "Ann Lee".into(),
    };
    assert_eq!(tie.as_ref(), Some(&want));
    // Everyone reads the ties; the tie's event is the person's, written by the owner.
    assert_eq!(
        logins::list_ties(&mut reg.connect_as(&viewer)).unwrap(),
        [want]
    );
    let mut last = None;
    audit::for_each_stored(&mut ed, |ev| last = Some(ev)).unwrap();
    let last = last.unwrap();
    assert_eq!(
        (
            last.row.action.as_str(),
            last.row.entity.as_str(),
            last.row.entity_id
        ),
        ("edited", "person", Some(ann.id))
    );
    assert_eq!(
        last.row.changes,
        format!(r#"[{{"field":"login","old":null,"new":"{editor}"}}]"#)
    );

    // Nobody but the owner writes a tie; not even the owner moves or removes one.
    let denied = |r: Result<u64, postgres::Error>, what: &str| {
        let e = r.expect_err(what);
        assert_eq!(
            e.code(),
            Some(&SqlState::INSUFFICIENT_PRIVILEGE),
            "{what}: {e}"
        );
    };
    denied(
        ed.execute(
            "INSERT INTO logins (login, person_id, tied_at) VALUES ('x', $1, now())",
            &[&ann.id],
        ),
        "editor INSERT",
    );
    let mut owner = reg.owner();
    denied(
        owner.execute("UPDATE logins SET login = 'someone_else'", &[]),
        "owner UPDATE",
    );
    denied(owner.execute("DELETE FROM logins", &[]), "owner DELETE");
    denied(owner.execute("TRUNCATE logins", &[]), "owner TRUNCATE");
    assert_eq!(logins::list_ties(&mut owner).unwrap().len(), 1);
}
