//! Stocktakes on the team register: the same stocktake on a file and on a server gives the same
//! items and a chain that re-hashes to the same head; several people at once (one open
//! stocktake, enforced by the server and named in the refusal; scans from two clients into one
//! stocktake all land; a scan into a stocktake finished meanwhile is refused; a sighting moves
//! the asset's row version); refusals that change nothing.

use std::sync::{Arc, Barrier};

use register_core::audit::Source;
use register_core::stocktake::{self as core_st, FinishInput, Item, Outcome, StocktakeInput};
use register_core::{AssetInput, AssetPatch, Db, Holder};
use register_pg::admin::Role;
use register_pg::{assets, audit, logins, people, stocktake, Client, Error};

use crate::twins::twins;
use crate::util::{assert_same_events, server_or_skip, while_in_flight, TestRegister};

fn input(name: &str, locations: &[&str]) -> StocktakeInput {
    StocktakeInput {
        name: name.into(),
        on_date: None,
        counted_by: "Alex".into(),
        locations: locations.iter().map(|s| s.to_string()).collect(),
    }
}

/// Items as both stores give them, without the time each store's clock gave a sighting.
fn comparable(items: Vec<Item>) -> Vec<Item> {
    items
        .into_iter()
        .map(|mut i| {
            i.seen_at = i.seen_at.map(|_| "seen".into());
            i
        })
        .collect()
}

/// The steps of one stocktake, on either store.
trait Store {
    fn start(&mut self, input: &StocktakeInput) -> core_st::Stocktake;
    fn scan(&mut self, id: i64, tag: &str, room: Option<&str>) -> core_st::Scan;
    fn move_here(&mut self, id: i64, item: i64) -> Item;
    fn finish(&mut self, id: i64, input: &FinishInput) -> core_st::Stocktake;
    fn cancel(&mut self, id: i64, reason: &str) -> core_st::Stocktake;
    fn stale(&mut self, months: u32);
    fn items(&mut self, id: i64) -> Vec<Item>;
    fn all(&mut self) -> Vec<core_st::Stocktake>;
    fn summary(&mut self) -> core_st::StocktakeSummary;
}

impl Store for Db {
    fn start(&mut self, input: &StocktakeInput) -> core_st::Stocktake {
        self.write(Source::App, |tx| core_st::start_stocktake(tx, input))
            .unwrap()
    }
    fn scan(&mut self, id: i64, tag: &str, room: Option<&str>) -> core_st::Scan {
        self.write(Source::App, |tx| core_st::scan(tx, id, tag, room))
            .unwrap()
    }
    fn move_here(&mut self, id: i64, item: i64) -> Item {
        self.write(Source::App, |tx| core_st::move_here(tx, id, item))
            .unwrap()
    }
    fn finish(&mut self, id: i64, input: &FinishInput) -> core_st::Stocktake {
        self.write(Source::App, |tx| core_st::finish_stocktake(tx, id, input))
            .unwrap()
    }
    fn cancel(&mut self, id: i64, reason: &str) -> core_st::Stocktake {
        self.write(Source::App, |tx| {
            core_st::cancel_stocktake(tx, id, Some(reason))
        })
        .unwrap()
    }
    fn stale(&mut self, months: u32) {
        self.write(Source::App, |tx| core_st::set_stale_months(tx, months))
            .unwrap();
    }
    fn items(&mut self, id: i64) -> Vec<Item> {
        self.read(|c| core_st::list_items(c, id, None)).unwrap()
    }
    fn all(&mut self) -> Vec<core_st::Stocktake> {
        self.read(core_st::list_stocktakes).unwrap()
    }
    fn summary(&mut self) -> core_st::StocktakeSummary {
        self.read(|c| core_st::stocktake_summary(c, register_core::today()))
            .unwrap()
    }
}

impl Store for Client {
    fn start(&mut self, input: &StocktakeInput) -> core_st::Stocktake {
        register_pg::write(self, Source::App, |tx| {
            stocktake::start_stocktake(tx, input)
        })
        .unwrap()
    }
    fn scan(&mut self, id: i64, tag: &str, room: Option<&str>) -> core_st::Scan {
        register_pg::write(self, Source::App, |tx| stocktake::scan(tx, id, tag, room)).unwrap()
    }
    fn move_here(&mut self, id: i64, item: i64) -> Item {
        register_pg::write(self, Source::App, |tx| stocktake::move_here(tx, id, item)).unwrap()
    }
    fn finish(&mut self, id: i64, input: &FinishInput) -> core_st::Stocktake {
        register_pg::write(self, Source::App, |tx| {
            stocktake::finish_stocktake(tx, id, input)
        })
        .unwrap()
    }
    fn cancel(&mut self, id: i64, reason: &str) -> core_st::Stocktake {
        register_pg::write(self, Source::App, |tx| {
            stocktake::cancel_stocktake(tx, id, Some(reason))
        })
        .unwrap()
    }
    fn stale(&mut self, months: u32) {
        register_pg::write(self, Source::App, |tx| {
            stocktake::set_stale_months(tx, months)
        })
        .unwrap();
    }
    fn items(&mut self, id: i64) -> Vec<Item> {
        stocktake::list_items(self, id, None).unwrap()
    }
    fn all(&mut self) -> Vec<core_st::Stocktake> {
        stocktake::list_stocktakes(self).unwrap()
    }
    fn summary(&mut self) -> core_st::StocktakeSummary {
        stocktake::stocktake_summary(self, register_core::today()).unwrap()
    }
}

/// What one store made of the same steps: every scan's outcome, the stocktakes and their
/// items, Home's card.
type Made = (
    Vec<(Outcome, bool, Option<String>)>,
    Vec<core_st::Stocktake>,
    Vec<Vec<Item>>,
    core_st::StocktakeSummary,
);

fn steps(s: &mut impl Store) -> Made {
    let st = s.start(&input("Q4 check", &[]));
    let mut scans = Vec::new();
    let mut scan = |s: &mut dyn Store, tag: &str, room: Option<&str>| {
        let r = s.scan(st.id, tag, room);
        scans.push((r.item.outcome, r.repeat, r.move_to.clone()));
        r
    };
    scan(s, "net-01", Some("server room"));
    let elsewhere = scan(s, "IT-0002", Some("Server room"));
    scan(s, "IT-0005", None); // archived
    scan(s, "IT-0006", Some("Leeds")); // retired
    scan(s, "NOPE-1", None); // unknown
    scan(s, "IT-0001", None);
    scan(s, "NET-01", None); // again
    let moved = s.move_here(st.id, elsewhere.item.id);
    assert!(moved.moved);
    let unseen: Vec<Item> = s
        .items(st.id)
        .into_iter()
        .filter(|i| i.outcome == Outcome::NotSeen)
        .collect();
    let lost = unseen.iter().find(|i| i.tag == "IT-0003").unwrap().id;
    s.finish(
        st.id,
        &FinishInput {
            lost_all: false,
            lost: vec![lost],
            note: Some("  Checked twice ".into()),
        },
    );
    let again = s.start(&input("Leeds only", &["leeds", "Leeds"]));
    s.scan(again.id, "IT-0004", None);
    s.cancel(again.id, "Started by mistake");
    s.stale(6);
    let mut all = s.all();
    let items = all.iter().map(|st| comparable(s.items(st.id))).collect();
    for st in &mut all {
        st.started_at.clear();
        st.finished_at = st.finished_at.as_ref().map(|_| "finished".into());
        st.start_head.clear();
        st.finish_head = st.finish_head.as_ref().map(|_| "head".into());
    }
    let mut summary = s.summary();
    summary.open = None;
    summary.last = summary.last.map(|_| all[1].clone());
    (scans, all, items, summary)
}

#[test]
fn the_same_stocktake_gives_the_same_items_and_chain_in_both_stores() {
    let Some(mut t) = twins("st_parity") else {
        return;
    };
    let in_file = steps(&mut t.db);
    let on_server = steps(&mut t.ed);
    assert_eq!(on_server.0, in_file.0);
    assert_eq!(on_server.1, in_file.1);
    assert_eq!(on_server.2, in_file.2);
    assert_eq!(on_server.3, in_file.3);
    let (scans, all, items, _) = &on_server;
    assert_eq!(
        scans.iter().map(|s| s.0).collect::<Vec<_>>(),
        [
            Outcome::Found,
            Outcome::Elsewhere,
            Outcome::Unexpected,
            Outcome::Unexpected,
            Outcome::Unexpected,
            Outcome::Found,
            Outcome::Found
        ]
    );
    assert!(scans[6].1, "the second scan of NET-01 changes nothing");
    assert_eq!(scans[1].2.as_deref(), Some("Server room"));
    let c = all[1].counts;
    assert_eq!(
        (
            c.found,
            c.elsewhere,
            c.moved,
            c.unexpected,
            c.unknown,
            c.marked_lost
        ),
        (2, 1, 1, 3, 1, 1)
    );
    assert!(all[0].cancelled && all[0].locations == ["Leeds"]);
    assert!(items[1]
        .iter()
        .any(|i| i.tag == "NOPE-1" && i.asset_id.is_none()));
    let it3 = assets::find_asset(&mut t.ed, "IT-0003").unwrap().asset;
    assert_eq!(it3.status, register_core::Status::LostStolen);
    assert_eq!(
        assets::find_asset(&mut t.ed, "it-0002")
            .unwrap()
            .asset
            .location
            .as_deref(),
        Some("Server room")
    );

    // The heads a stocktake keeps are the chain's at its first and its last event.
    for st in stocktake::list_stocktakes(&mut t.ed).unwrap() {
        for (count, head) in [
            (st.start_event_count, Some(st.start_head.clone())),
            (st.finish_event_count.unwrap(), st.finish_head.clone()),
        ] {
            let hash: String =
                t.ed.query_one("SELECT hash FROM audit_log WHERE id = $1", &[&count])
                    .unwrap()
                    .get(0);
            assert_eq!(Some(hash), head);
        }
    }
    let n = assert_same_events(&t.db, &mut t.ed, &t.editor);
    assert!(n > 40, "{n} events");
    let editor = t.editor.clone();
    assert_eq!(
        stocktake::last_seen(&mut t.ed, 1).unwrap(),
        Some(register_core::values::format_date(register_core::today())),
        "{editor}"
    );
}

/// A register with `n` assets in Room 1 (tags R-000…), and two editors tied to people.
fn room(name: &str, n: usize) -> Option<(TestRegister, Client, Client, String, String)> {
    let server = crate::util::server(name)?;
    let mut reg = TestRegister::new(server, name);
    let alice = reg.create_login("alice");
    let bob = reg.create_login("bob");
    let mut owner = reg.owner();
    let mut a = {
        let first = reg.add_login("setup", Role::Editor);
        reg.connect_as(&first)
    };
    for person in ["Alice Smith", "Bob Jones"] {
        let p = register_core::people::PersonInput {
            name: person.into(),
            ..Default::default()
        };
        register_pg::write(&mut a, Source::App, |tx| people::create_person(tx, &p)).unwrap();
    }
    for i in 0..n {
        register_pg::write(&mut a, Source::App, |tx| {
            let v = assets::create_asset(
                tx,
                &AssetInput {
                    asset_tag: format!("R-{i:03}"),
                    name: format!("Chair {i}"),
                    ..Default::default()
                },
                None,
            )?;
            assets::assign_asset(
                tx,
                v.asset.id,
                v.version,
                &Holder::Location("Room 1".into()),
                None,
            )
        })
        .unwrap();
    }
    for (login, person) in [(&alice, "Alice Smith"), (&bob, "Bob Jones")] {
        logins::grant(
            &mut owner,
            &reg.roles,
            login,
            Role::Editor,
            Some(person),
            Source::Cli,
        )
        .unwrap();
    }
    let (ca, cb) = (reg.connect_as(&alice), reg.connect_as(&bob));
    Some((reg, ca, cb, alice, bob))
}

#[test]
fn two_clients_start_at_once_and_exactly_one_stocktake_opens() {
    let Some((reg, a, b, alice, bob)) = room("st_two_starts", 3) else {
        return;
    };
    let barrier = Arc::new(Barrier::new(2));
    let results: Vec<_> = [(a, "Alice's count"), (b, "Bob's count")]
        .into_iter()
        .map(|(mut client, name)| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                register_pg::write(&mut client, Source::App, |tx| {
                    stocktake::start_stocktake(tx, &input(name, &[]))
                })
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    let won: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    let (who, login) = if won[0].name == "Alice's count" {
        ("Alice Smith", &alice)
    } else {
        ("Bob Jones", &bob)
    };
    let err = results.iter().find_map(|r| r.as_ref().err()).unwrap();
    let said = err.to_string();
    assert!(
        said.contains(&format!(
            "the stocktake “{}” is still open, started by {who} ({login}) at ",
            won[0].name
        )),
        "{said}"
    );
    assert!(said.contains(&won[0].started_at[..10]), "{said}");
    let mut c = reg.connect_as(&alice);
    assert_eq!(stocktake::list_stocktakes(&mut c).unwrap().len(), 1);
    assert_eq!(audit::verify_chain(&mut c).unwrap().first_bad_event, None);
}

#[test]
fn a_start_that_waits_on_another_is_told_who_started_it() {
    let Some((reg, mut a, mut b, alice, _)) = room("st_start_waits", 2) else {
        return;
    };
    let second = while_in_flight(
        &mut a,
        &mut b,
        |tx| stocktake::start_stocktake(tx, &input("First", &["Room 1"])).map(|_| ()),
        |b| {
            register_pg::write(b, Source::App, |tx| {
                stocktake::start_stocktake(tx, &input("Second", &[]))
            })
        },
    );
    let said = second.unwrap_err().to_string();
    assert!(
        said.contains(&format!(
            "“First” is still open, started by Alice Smith ({alice})"
        )),
        "{said}"
    );
    let mut c = reg.connect_as(&alice);
    let all = stocktake::list_stocktakes(&mut c).unwrap();
    assert_eq!((all.len(), all[0].counts.expected), (1, 2));
}

#[test]
fn two_clients_scanning_into_one_stocktake_lose_and_double_nothing() {
    const N: usize = 40;
    let Some((reg, mut a, b, alice, _)) = room("st_two_scanners", N) else {
        return;
    };
    let st = register_pg::write(&mut a, Source::App, |tx| {
        stocktake::start_stocktake(tx, &input("Room 1", &["Room 1"]))
    })
    .unwrap();
    let barrier = Arc::new(Barrier::new(2));
    // Each scans every other tag and the other's middle third, both the same unknown tag.
    let handles: Vec<_> = [(a, 0usize), (b, 1usize)]
        .into_iter()
        .map(|(mut client, parity)| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                let mut tags: Vec<String> = (0..N)
                    .filter(|i| i % 2 == parity || (N / 3..2 * N / 3).contains(i))
                    .map(|i| format!("R-{i:03}"))
                    .collect();
                tags.push("NEW-1".into());
                barrier.wait();
                for tag in tags {
                    register_pg::write(&mut client, Source::App, |tx| {
                        stocktake::scan(tx, st.id, &tag, None)
                    })
                    .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let mut c = reg.connect_as(&alice);
    let done = stocktake::get_stocktake(&mut c, st.id).unwrap();
    let counts = done.counts;
    assert_eq!(
        (
            counts.expected,
            counts.found,
            counts.not_seen,
            counts.unexpected,
            counts.unknown
        ),
        (N as i64, N as i64, 0, 1, 1)
    );
    assert_eq!(
        stocktake::list_items(&mut c, st.id, None).unwrap().len(),
        N + 1
    );
    // One `seen` event per asset, one for the unknown tag: a repeat writes nothing.
    let seen: i64 = c
        .query_one("SELECT count(*) FROM audit_log WHERE action = 'seen'", &[])
        .unwrap()
        .get(0);
    assert_eq!(seen, N as i64 + 1);
    assert_eq!(audit::verify_chain(&mut c).unwrap().first_bad_event, None);
}

#[test]
fn a_scan_into_a_stocktake_finished_meanwhile_is_refused() {
    let Some((_reg, mut a, mut b, _, _)) = room("st_finished_meanwhile", 2) else {
        return;
    };
    let st = register_pg::write(&mut a, Source::App, |tx| {
        stocktake::start_stocktake(tx, &input("Room 1", &["Room 1"]))
    })
    .unwrap();
    let head = audit::head(&mut b).unwrap();
    let scan = while_in_flight(
        &mut a,
        &mut b,
        |tx| stocktake::finish_stocktake(tx, st.id, &FinishInput::default()).map(|_| ()),
        |b| {
            register_pg::write(b, Source::App, |tx| {
                stocktake::scan(tx, st.id, "R-000", None)
            })
        },
    );
    let said = scan.unwrap_err().to_string();
    assert!(
        said.contains("the stocktake “Room 1” is finished; start a new one"),
        "{said}"
    );
    let done = stocktake::get_stocktake(&mut b, st.id).unwrap();
    assert_eq!((done.counts.missing, done.counts.found), (2, 0));
    // The finish wrote two `not_seen` and its own event; the refused scan nothing.
    assert_eq!(audit::head(&mut b).unwrap().0, head.0 + 3);

    // Cancelled by someone else: refused the same way.
    let again = register_pg::write(&mut a, Source::App, |tx| {
        stocktake::start_stocktake(tx, &input("Again", &[]))
    })
    .unwrap();
    register_pg::write(&mut a, Source::App, |tx| {
        stocktake::cancel_stocktake(tx, again.id, None)
    })
    .unwrap();
    let err = register_pg::write(&mut b, Source::App, |tx| {
        stocktake::scan(tx, again.id, "R-001", None)
    })
    .unwrap_err();
    assert!(err.to_string().contains("“Again” is finished"), "{err}");
}

#[test]
fn a_sighting_moves_the_asset_on_so_an_open_form_is_told() {
    let Some((_reg, mut a, mut b, _, bob)) = room("st_versions", 1) else {
        return;
    };
    let opened = assets::find_asset(&mut a, "R-000").unwrap();
    let st = register_pg::write(&mut b, Source::App, |tx| {
        stocktake::start_stocktake(tx, &input("Room 1", &[]))
    })
    .unwrap();
    register_pg::write(&mut b, Source::App, |tx| {
        stocktake::scan(tx, st.id, "R-000", None)
    })
    .unwrap();
    let patch = AssetPatch {
        notes: Some("wobbly".into()),
        ..Default::default()
    };
    let err = register_pg::write(&mut a, Source::App, |tx| {
        assets::update_asset(tx, opened.asset.id, opened.version, &patch, None)
    })
    .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err}");
    let said = err.to_string();
    assert!(
        said.contains(&format!("by Bob Jones ({bob})")) && said.contains("(last_seen)"),
        "{said}"
    );
    let now = assets::find_asset(&mut a, "R-000").unwrap();
    assert_eq!(now.version, opened.version + 1);
    assert!(now.asset.last_seen.is_some());
}

#[test]
fn refusals_change_nothing() {
    let server = server_or_skip!("st_refusals");
    let mut reg = TestRegister::new(server, "st_refusals");
    let editor = reg.add_login("ed", Role::Editor);
    let viewer = reg.add_login("reader", Role::Viewer);
    let mut ed = reg.connect_as(&editor);
    register_pg::write(&mut ed, Source::App, |tx| {
        let v = assets::create_asset(
            tx,
            &AssetInput {
                asset_tag: "IT-1".into(),
                name: "Laptop".into(),
                ..Default::default()
            },
            None,
        )?;
        assets::assign_asset(
            tx,
            v.asset.id,
            v.version,
            &Holder::Location("Room 1".into()),
            None,
        )
    })
    .unwrap();
    let start = |c: &mut Client, i: &StocktakeInput| {
        register_pg::write(c, Source::App, |tx| stocktake::start_stocktake(tx, i))
    };
    let head = audit::head(&mut ed).unwrap();
    let said = |r: register_pg::Result<core_st::Stocktake>| r.unwrap_err().to_string();
    assert!(said(start(&mut ed, &input("X", &["Attic"]))).contains("no location called “Attic”"));
    assert!(said(start(&mut ed, &input(" ", &[]))).contains("enter a name for the stocktake"));
    let mut blank_by = input("X", &[]);
    blank_by.counted_by.clear();
    assert!(said(start(&mut ed, &blank_by)).contains("enter who is counting"));
    let err = start(&mut reg.connect_as(&viewer), &input("X", &[])).unwrap_err();
    assert!(matches!(err, Error::Denied(_)), "{err}");
    assert_eq!(audit::head(&mut ed).unwrap(), head);
    assert!(stocktake::list_stocktakes(&mut ed).unwrap().is_empty());

    let st = start(&mut ed, &input("Q1", &["Room 1"])).unwrap();
    let head = audit::head(&mut ed).unwrap();
    let scan = |c: &mut Client, tag: &str, room: Option<&str>| {
        register_pg::write(c, Source::App, |tx| stocktake::scan(tx, st.id, tag, room))
    };
    for (tag, room, words) in [
        ("  ", None, "scan or type a tag"),
        ("IT-1", Some("Garage"), "no location called “Garage”"),
    ] {
        let err = scan(&mut ed, tag, room).unwrap_err();
        assert!(err.to_string().contains(words), "{err}");
    }
    let mut reader = reg.connect_as(&viewer);
    let err = scan(&mut reader, "IT-1", None).unwrap_err();
    assert!(matches!(err, Error::Denied(_)), "{err}");
    // A viewer reads what an editor reads: the open stocktake, its items, Home's card.
    assert_eq!(
        stocktake::open_stocktake(&mut reader)
            .unwrap()
            .map(|s| s.id),
        Some(st.id)
    );
    assert_eq!(
        stocktake::list_items(&mut reader, st.id, None)
            .unwrap()
            .len(),
        1
    );
    let card = stocktake::stocktake_summary(&mut reader, register_core::today()).unwrap();
    assert_eq!((card.unseen_total, card.stale_months), (1, 12));
    let err = register_pg::write(&mut ed, Source::App, |tx| {
        stocktake::finish_stocktake(
            tx,
            st.id,
            &FinishInput {
                lost: vec![9999],
                ..Default::default()
            },
        )
    })
    .unwrap_err();
    assert!(
        err.to_string().contains("item 9999 is not an unseen item"),
        "{err}"
    );
    let err = register_pg::write(&mut ed, Source::App, |tx| {
        stocktake::set_stale_months(tx, 0)
    })
    .unwrap_err();
    assert!(err.to_string().contains("from 1 to 120"), "{err}");
    assert_eq!(audit::head(&mut ed).unwrap(), head);

    // An unknown tag is no refusal: it is recorded as unexpected.
    let s = scan(&mut ed, "NEW-9", None).unwrap();
    assert_eq!(
        (s.item.outcome, s.item.asset_id),
        (Outcome::Unexpected, None)
    );
    let err = register_pg::write(&mut ed, Source::App, |tx| {
        stocktake::move_here(tx, st.id, s.item.id)
    })
    .unwrap_err();
    assert!(
        err.to_string().contains("the register does not know it"),
        "{err}"
    );
    register_pg::write(&mut ed, Source::App, |tx| {
        stocktake::finish_stocktake(tx, st.id, &FinishInput::default())
    })
    .unwrap();
    let head = audit::head(&mut ed).unwrap();
    let err = scan(&mut ed, "IT-1", None).unwrap_err();
    assert!(err.to_string().contains("is finished"), "{err}");
    let err = register_pg::write(&mut ed, Source::App, |tx| {
        stocktake::cancel_stocktake(tx, st.id, None)
    })
    .unwrap_err();
    assert!(err.to_string().contains("is finished"), "{err}");
    assert_eq!(audit::head(&mut ed).unwrap(), head);
    assert_eq!(stocktake::stale_months(&mut ed).unwrap(), 12);
}

/// Every stocktake of a register with its items, as one store gives them.
fn stocktakes_of(s: &mut impl Store) -> Vec<(core_st::Stocktake, Vec<Item>)> {
    let all = s.all();
    all.into_iter()
        .map(|st| {
            let items = s.items(st.id);
            (st, items)
        })
        .collect()
}

#[test]
fn stocktakes_move_to_a_server_and_back() {
    use register_core::documents::DocumentStore;
    use register_pg::transfer::{export_to_file, move_in};

    let server = server_or_skip!("st_move");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db");
    let mut db = crate::twins::build_file(&path);
    let done = db.start(&input("Q4 check", &[]));
    db.scan(done.id, "NET-01", Some("Server room"));
    let elsewhere = db.scan(done.id, "IT-0002", Some("Server room"));
    db.move_here(done.id, elsewhere.item.id);
    db.scan(done.id, "NOPE-1", None);
    db.scan(done.id, "IT-0005", None);
    db.finish(
        done.id,
        &FinishInput {
            lost_all: true,
            ..Default::default()
        },
    );
    let open = db.start(&input("Leeds", &["Leeds"]));
    db.scan(open.id, "IT-0004", None);
    db.stale(6);
    let in_file = stocktakes_of(&mut db);

    let mut reg = TestRegister::new(server, "st_move");
    let store = DocumentStore::for_register(&path);
    let moved = move_in(&db, &store, &mut reg.owner(), None).unwrap();
    assert_eq!(moved.counts.stocktakes, 2, "{}", moved.counts.describe());
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    // The same stocktakes and items, times and heads included.
    assert_eq!(stocktakes_of(&mut ed), in_file);
    assert_eq!(stocktake::stale_months(&mut ed).unwrap(), 6);
    assert_eq!(
        stocktake::open_stocktake(&mut ed).unwrap().map(|s| s.id),
        Some(open.id)
    );
    // The open one goes on on the server, and a second is refused there too.
    let err = register_pg::write(&mut ed, Source::App, |tx| {
        stocktake::start_stocktake(tx, &input("Another", &[]))
    })
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("“Leeds” is still open, started by"),
        "{err}"
    );
    ed.scan(open.id, "it-0002", Some("Leeds"));
    ed.finish(open.id, &FinishInput::default());
    let on_server = stocktakes_of(&mut ed);
    let head = audit::head(&mut ed).unwrap();

    let back = dir.path().join("back").join("register.db");
    std::fs::create_dir_all(back.parent().unwrap()).unwrap();
    let exported = export_to_file(&mut ed, &back).unwrap();
    assert_eq!(exported.head, head);
    let mut back_db = Db::open(&back).unwrap();
    assert_eq!(stocktakes_of(&mut back_db), on_server);
    let v = back_db.read(register_core::audit::verify).unwrap();
    assert!(v.ok, "{}", v.describe());
    // And the file goes on from there: a new stocktake starts.
    let next = back_db.start(&input("Q1 check", &[]));
    assert_eq!(next.id, 3);
}

/// A benchmark, not a check: 4 people scanning into one stocktake of 1,000 assets at once, each
/// scan its own transaction (as the window and the CLI make them), with the rate and the slowest
/// scans printed. `bash .ci/pg -- --ignored --nocapture bench_scans`.
#[test]
#[ignore]
fn bench_scans() {
    const N: usize = 1000;
    const SCANNERS: usize = 4;
    let server = server_or_skip!("bench_scans");
    let mut reg = TestRegister::new(server, "st_bench");
    let logins: Vec<String> = (0..SCANNERS)
        .map(|w| reg.add_login(&format!("s{w}"), Role::Editor))
        .collect();
    let mut first = reg.connect_as(&logins[0]);
    register_pg::write(&mut first, Source::App, |tx| {
        for i in 0..N {
            let v = assets::create_asset(
                tx,
                &AssetInput {
                    asset_tag: format!("B-{i:04}"),
                    name: "Chair".into(),
                    ..Default::default()
                },
                None,
            )?;
            let room = Holder::Location(format!("Room {}", i % 10));
            assets::assign_asset(tx, v.asset.id, v.version, &room, None)?;
        }
        Ok(())
    })
    .unwrap();
    let started = std::time::Instant::now();
    let st = register_pg::write(&mut first, Source::App, |tx| {
        stocktake::start_stocktake(tx, &input("Bench", &[]))
    })
    .unwrap();
    println!(
        "bench: start listing {} expected: {:.3} s",
        st.counts.expected,
        started.elapsed().as_secs_f64()
    );
    let started = std::time::Instant::now();
    let mut times: Vec<f64> = std::thread::scope(|scope| {
        let handles: Vec<_> = logins
            .iter()
            .enumerate()
            .map(|(w, login)| {
                let mut client = reg.connect_as(login);
                scope.spawn(move || {
                    let mut times = Vec::new();
                    for i in (w..N).step_by(SCANNERS) {
                        let t = std::time::Instant::now();
                        let room = format!("Room {}", i % 10);
                        register_pg::write(&mut client, Source::App, |tx| {
                            stocktake::scan(tx, st.id, &format!("B-{i:04}"), Some(&room))
                        })
                        .unwrap();
                        times.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    times
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let s = started.elapsed().as_secs_f64();
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "bench: {SCANNERS} scanners, {N} scans in {s:.2} s = {:.0}/s; p50 {:.1} ms, p95 {:.1} ms",
        N as f64 / s,
        times[times.len() / 2],
        times[times.len() * 95 / 100]
    );
    let started = std::time::Instant::now();
    let done = register_pg::write(&mut first, Source::App, |tx| {
        stocktake::finish_stocktake(tx, st.id, &FinishInput::default())
    })
    .unwrap();
    assert_eq!(done.counts.found, N as i64);
    println!("bench: finish: {:.3} s", started.elapsed().as_secs_f64());
}
