//! Setting up: migrations and grants are safe to run again; a newer schema is refused.

use register_pg::admin;
use register_pg::schema::{self, VERSION};
use register_pg::Error;

use crate::util::{server_or_skip, TestRegister};

#[test]
fn setup_twice_changes_nothing_and_a_newer_schema_is_refused() {
    let server = server_or_skip!("setup_twice_changes_nothing_and_a_newer_schema_is_refused");
    let reg = TestRegister::new(server, "schema");
    let mut owner = reg.owner();
    let describe = |c: &mut postgres::Client| -> Vec<(String, String)> {
        c.query(
            "SELECT c.relname::text, coalesce(array_to_string(c.relacl, ','), '')
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
    };
    let before = describe(&mut owner);
    admin::setup(&mut owner, &reg.roles).unwrap();
    assert_eq!(describe(&mut owner), before);
    assert_eq!(schema::version(&mut owner).unwrap(), VERSION);
    schema::check(&mut owner).unwrap();

    owner
        .execute("UPDATE schema_version SET version = $1", &[&(VERSION + 1)])
        .unwrap();
    for err in [
        schema::check(&mut owner).unwrap_err(),
        admin::setup(&mut owner, &reg.roles).unwrap_err(),
    ] {
        assert!(
            matches!(err, Error::IncompatibleVersion { found, supported }
                if found == VERSION + 1 && supported == VERSION),
            "{err}"
        );
    }
}
