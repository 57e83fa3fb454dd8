//! Other clients hear of a change when it commits (issue #22): a listener on one login's
//! connection is told the new head by an editor's committed change, hears nothing of a change
//! rolled back (refused by the core's rules, or failing after its events were appended), of a
//! write that appended nothing, or of a read; a burst of changes is one wake-up with the last
//! head; and a dropped connection is an error, not silence.

use std::time::Duration;

use register_core::audit::Source;
use register_core::{AssetInput, ListQuery};
use register_pg::admin::Role;
use register_pg::listen::Listener;
use register_pg::{assets, audit, Client, Error};

use crate::util::{edit, server_or_skip, TestRegister};

/// Long enough for a notification to arrive; short enough for a test that expects none.
const QUIET: Duration = Duration::from_millis(500);
const PATIENT: Duration = Duration::from_secs(10);

fn create(ed: &mut Client, tag: &str) -> register_pg::Result<()> {
    let input = AssetInput {
        asset_tag: tag.into(),
        name: "Laptop".into(),
        ..Default::default()
    };
    register_pg::write(ed, Source::App, |tx| assets::create_asset(tx, &input, None)).map(drop)
}

#[test]
fn a_listener_hears_committed_changes_only() {
    let server = server_or_skip!("a_listener_hears_committed_changes_only");
    let mut reg = TestRegister::new(server, "listen");
    let editor = reg.add_login("ed", Role::Editor);
    let reader = reg.add_login("reader", Role::Viewer);
    let mut ed = reg.connect_as(&editor);
    let mut listener = Listener::new(reg.connect_as(&reader)).unwrap();
    assert_eq!(listener.wait(QUIET).unwrap(), None, "nothing has changed");

    // A committed change: the new head.
    create(&mut ed, "IT-1").unwrap();
    let head = audit::head(&mut ed).unwrap().0;
    assert_eq!(head, 1);
    assert_eq!(listener.wait(PATIENT).unwrap(), Some(head));

    // Refused by the core's rules (the tag is taken): rolled back, nothing heard.
    let err = create(&mut ed, "it-1").unwrap_err();
    assert!(matches!(err, Error::Core(_)), "{err:?}");
    // Events appended, then the change fails: rolled back with them, nothing heard.
    let err = register_pg::write(&mut ed, Source::App, |tx| {
        audit::record(tx, &edit("IT-1", 1, "never"))?;
        Err::<(), _>(Error::Refused("changed my mind".into()))
    })
    .unwrap_err();
    assert!(matches!(err, Error::Refused(_)), "{err:?}");
    // A write that appends nothing, and reads.
    register_pg::write(&mut ed, Source::App, |_| Ok(())).unwrap();
    assets::list_assets(&mut ed, &ListQuery::default()).unwrap();
    register_pg::history::recent_events(&mut ed, None).unwrap();
    assert_eq!(listener.wait(QUIET).unwrap(), None);
    assert_eq!(audit::head(&mut ed).unwrap().0, head);

    // A burst: the last head, once.
    for i in 2..=6 {
        create(&mut ed, &format!("IT-{i}")).unwrap();
    }
    let head = audit::head(&mut ed).unwrap().0;
    assert_eq!(head, 6);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(listener.wait(PATIENT).unwrap(), Some(head));
    assert_eq!(
        listener.wait(QUIET).unwrap(),
        None,
        "the burst was one wake-up"
    );

    // Another client's change while the listener waits.
    let waited = std::thread::scope(|s| {
        let waiting = s.spawn(|| listener.wait(PATIENT));
        std::thread::sleep(Duration::from_millis(200));
        create(&mut ed, "IT-7").unwrap();
        waiting.join().unwrap()
    });
    assert_eq!(waited.unwrap(), Some(7));
}

#[test]
fn a_dropped_connection_is_an_error() {
    let server = server_or_skip!("a_dropped_connection_is_an_error");
    let mut reg = TestRegister::new(server, "listendrop");
    let reader = reg.add_login("reader", Role::Viewer);
    let mut connection = reg.connect_as(&reader);
    let pid: i32 = connection
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let mut listener = Listener::new(connection).unwrap();
    // A login may end its own sessions.
    let ended: bool = reg
        .connect_as(&reader)
        .query_one("SELECT pg_terminate_backend($1)", &[&pid])
        .unwrap()
        .get(0);
    assert!(ended);
    let err = listener.wait(PATIENT).unwrap_err();
    assert!(matches!(err, Error::Postgres(_)), "{err:?}");
}
