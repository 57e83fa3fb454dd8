//! The histories the window shows read the same from both stores: one register built twice
//! (see `twins`), and every asset's, person's, location's, category's and licence's history, a
//! person's with the assets and seats they held (under a name they had before a rename too),
//! and the most recent events, equal event for event: ids, sources, kinds, records, labels,
//! changes and notes. The time and the hash (which covers the time) are each store's own;
//! `assert_same_events` shows the hashes agree given the server's times.

use register_core::audit as core_audit;
use register_core::Event;
use register_pg::history;

use crate::twins::twins;
use crate::util::assert_same_events;

/// An event without what each store's clock makes its own.
fn timeless(events: Vec<Event>) -> Vec<Event> {
    events
        .into_iter()
        .map(|e| Event {
            at: String::new(),
            hash: String::new(),
            ..e
        })
        .collect()
}

#[test]
fn histories_are_the_same_in_both_stores() {
    let Some(mut t) = twins("historyparity") else {
        return;
    };
    let ed = &mut t.ed;
    for id in 1..=10 {
        let in_file = t.db.read(|c| core_audit::list_asset_events(c, id)).unwrap();
        let on_server = history::asset_events(ed, id).unwrap();
        assert_eq!(timeless(on_server), timeless(in_file), "asset {id}");
    }
    for (entity, ids) in [
        ("person", 1..=4),
        ("location", 1..=3),
        ("category", 1..=7),
        ("licence", 1..=5),
        ("asset", 1..=2),
    ] {
        for id in ids {
            let in_file =
                t.db.read(|c| core_audit::list_entity_events(c, entity, id))
                    .unwrap();
            let on_server = history::entity_events(ed, entity, id).unwrap();
            assert_eq!(timeless(on_server), timeless(in_file), "{entity} {id}");
        }
    }
    for id in 1..=3 {
        let in_file =
            t.db.read(|c| core_audit::list_person_events(c, id))
                .unwrap();
        let on_server = history::person_events(ed, id).unwrap();
        assert_eq!(timeless(on_server), timeless(in_file), "person {id}");
    }
    // Ana was given it-0002 as "ana ruiz", then renamed: the assignment is in her history.
    let ana = history::person_events(ed, 2).unwrap();
    let kinds: Vec<(&str, &str)> = ana
        .iter()
        .map(|e| (e.entity.as_str(), e.kind.as_str()))
        .collect();
    assert!(kinds.contains(&("asset", "assigned")), "{kinds:?}");
    assert!(kinds.contains(&("person", "edited")), "{kinds:?}");
    // Sam's seat is in his.
    let sam = history::person_events(ed, 1).unwrap();
    assert!(sam.iter().any(|e| e.entity == "licence"), "{sam:?}");
    // Nobody by that id: the same refusal.
    let in_file =
        t.db.read(|c| core_audit::list_person_events(c, 99))
            .unwrap_err();
    let on_server = history::person_events(ed, 99).unwrap_err();
    assert_eq!(on_server.to_string(), in_file.to_string());

    for limit in [None, Some(0), Some(1), Some(7), Some(10_000)] {
        let in_file =
            t.db.read(|c| core_audit::list_audit_events(c, limit))
                .unwrap();
        let on_server = history::recent_events(ed, limit).unwrap();
        assert_eq!(timeless(on_server), timeless(in_file), "limit {limit:?}");
    }
    let newest = history::recent_events(ed, Some(1)).unwrap();
    let n = assert_same_events(&t.db, ed, &t.editor);
    assert_eq!(newest[0].id, n);
    assert_eq!(
        newest[0].hash,
        register_pg::audit::head(ed).unwrap().1,
        "the newest event is the head"
    );

    // The trail is the editors' and auditors': a viewer is refused it, not shown an empty one.
    let viewer = t.reg.add_login("reader", register_pg::admin::Role::Viewer);
    let mut v = t.reg.connect_as(&viewer);
    let err = history::asset_events(&mut v, 1).unwrap_err();
    assert!(matches!(err, register_pg::Error::Denied(_)), "{err:?}");
    let auditor = t
        .reg
        .add_login("checker", register_pg::admin::Role::Auditor);
    let mut a = t.reg.connect_as(&auditor);
    assert_eq!(
        history::recent_events(&mut a, None).unwrap().len() as i64,
        n
    );
}
