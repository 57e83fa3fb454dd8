//! Purchases on the server follow the core's rules and record the core's events: the same
//! purchases recorded in a file register and in a team register give the same assets (the same
//! next free tags), documents, problems and events (the same hashes, given the same times). And
//! what several clients at once could break: two purchases at once are numbered one after the
//! other; refusals change nothing; a viewer is refused by the server.

use std::sync::Barrier;

use register_core::audit::{self as core_audit, Source};
use register_core::documents::{self as core_docs, DocumentStore, Owner};
use register_core::purchase::{self as core_purchase, PurchaseInput, PurchaseItem};
use register_core::{assets as core_assets, AssetInput, Db};
use register_pg::admin::Role;
use register_pg::purchase::{self, Receipt};
use register_pg::{assets, audit, documents, Client};

use crate::util::{assert_same_events, comparable, server_or_skip, TestRegister};

fn monitor(serial: &str) -> PurchaseItem {
    PurchaseItem {
        name: "Dell P2723DE".into(),
        category: "Monitor".into(),
        make: "Dell".into(),
        model: "P2723DE".into(),
        serial_number: serial.into(),
        purchase_cost: "289.99".into(),
    }
}

fn order(items: Vec<PurchaseItem>) -> PurchaseInput {
    PurchaseInput {
        supplier: "Dell UK".into(),
        purchase_date: "2026-11-20".into(),
        warranty_months: "36".into(),
        reference: "PO-4412".into(),
        items,
        ..Default::default()
    }
}

fn old_laptop() -> AssetInput {
    AssetInput {
        asset_tag: "IT-0041".into(),
        name: "Old laptop".into(),
        serial_number: "CN-OLD".into(),
        ..Default::default()
    }
}

const RECEIPT: &[u8] = b"%PDF-1.4 receipt 4412";

#[test]
fn a_purchase_is_the_same_in_both_stores() {
    let server = server_or_skip!("a_purchase_is_the_same_in_both_stores");
    let mut reg = TestRegister::new(server, "buyparity");
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("register.db")).unwrap();
    let store = DocumentStore::for_db(&db);
    let receipt = dir.path().join("Dell order 4412.pdf");
    std::fs::write(&receipt, RECEIPT).unwrap();

    db.write(Source::App, |tx| {
        core_assets::create_asset(tx, &old_laptop(), None)
    })
    .unwrap();
    register_pg::write(&mut ed, Source::App, |tx| {
        assets::create_asset(tx, &old_laptop(), None)
    })
    .unwrap();

    // The same problems, found at once.
    let mut bad = order(vec![monitor("CN-1"), monitor("cn-1"), monitor("CN-OLD")]);
    bad.purchase_date = "20/11/2026".into();
    bad.items[0].purchase_cost = String::new();
    let problems = purchase::check_purchase(&mut ed, &bad).unwrap();
    assert_eq!(
        problems,
        db.read(|c| core_purchase::check_purchase(c, &bad)).unwrap()
    );
    let paths: Vec<String> = problems.iter().map(|p| p.path()).collect();
    assert_eq!(
        paths,
        [
            "purchase_date",
            "items.0.purchase_cost",
            "items.1.serial_number",
            "items.2.serial_number"
        ]
    );
    // Refused in the same words, changing nothing.
    let head = audit::head(&mut ed).unwrap();
    let in_file =
        core_purchase::record_purchase_with_receipt(&db, &store, Source::App, &bad, Some(&receipt))
            .unwrap_err();
    let served = purchase::record_purchase_with_receipt(&mut ed, Source::App, &bad, Some(&receipt))
        .unwrap_err();
    assert_eq!(served.to_string(), in_file.to_string());
    assert_eq!(audit::head(&mut ed).unwrap(), head);

    // Three monitors with the receipt, then one without.
    let p = order(vec![monitor("CN-1"), monitor("CN-2"), monitor("CN-3")]);
    let in_file =
        core_purchase::record_purchase_with_receipt(&db, &store, Source::App, &p, Some(&receipt))
            .unwrap();
    let served =
        purchase::record_purchase_with_receipt(&mut ed, Source::App, &p, Some(&receipt)).unwrap();
    let tags: Vec<&str> = served.assets.iter().map(|a| a.asset_tag.as_str()).collect();
    assert_eq!(tags, ["IT-0042", "IT-0043", "IT-0044"]);
    assert_eq!(served.receipt.as_deref(), Some("Dell order 4412.pdf"));
    let strip =
        |v: Vec<register_core::Asset>| -> Vec<_> { v.into_iter().map(comparable).collect() };
    assert_eq!(strip(served.assets.clone()), strip(in_file.assets.clone()));
    let one = order(vec![monitor("CN-4")]);
    core_purchase::record_purchase_with_receipt(&db, &store, Source::App, &one, None).unwrap();
    let served_one =
        purchase::record_purchase_with_receipt(&mut ed, Source::App, &one, None).unwrap();
    assert_eq!(served_one.assets[0].asset_tag, "IT-0045");
    assert_eq!(served_one.assets[0].document_count, 0);

    for id in 1..=5 {
        assert_eq!(
            comparable(assets::get_asset(&mut ed, id).unwrap().asset),
            comparable(db.read(|c| core_assets::get_asset(c, id)).unwrap()),
            "asset {id}"
        );
        let untimed = |mut d: Vec<register_core::documents::Document>| {
            d.iter_mut().for_each(|d| d.added_at.clear());
            d
        };
        assert_eq!(
            untimed(documents::documents_of(&mut ed, Owner::Asset(id)).unwrap()),
            untimed(
                db.read(|c| core_docs::documents_of(c, Owner::Asset(id)))
                    .unwrap()
            )
        );
    }
    // The receipt's bytes are stored once.
    let n: i64 = ed
        .query_one("SELECT count(*) FROM public.document_content", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    assert_same_events(&db, &mut ed, &editor);
    assert!(db.read(core_audit::verify).unwrap().ok);
}

#[test]
fn two_purchases_at_once_are_numbered_one_after_the_other() {
    let server = server_or_skip!("two_purchases_at_once_are_numbered_one_after_the_other");
    let mut reg = TestRegister::new(server, "buyboth");
    let alice = reg.add_login("alice", Role::Editor);
    let bob = reg.add_login("bob", Role::Editor);
    register_pg::write(&mut reg.connect_as(&alice), Source::App, |tx| {
        assets::create_asset(tx, &old_laptop(), None)
    })
    .unwrap();
    let barrier = Barrier::new(2);
    let results: Vec<Vec<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = [(&alice, "A"), (&bob, "B")]
            .into_iter()
            .map(|(login, who)| {
                let (reg, barrier) = (&reg, &barrier);
                s.spawn(move || {
                    let mut c = reg.connect_as(login);
                    let p = order((1..=3).map(|i| monitor(&format!("CN-{who}{i}"))).collect());
                    barrier.wait();
                    let r = register_pg::write(&mut c, Source::App, |tx| {
                        purchase::record_purchase(
                            tx,
                            &p,
                            Some(Receipt {
                                name: "receipt.pdf",
                                bytes: RECEIPT,
                            }),
                        )
                    })
                    .unwrap();
                    r.assets.into_iter().map(|a| a.asset_tag).collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut tags: Vec<String> = results.concat();
    tags.sort();
    assert_eq!(
        tags,
        ["IT-0042", "IT-0043", "IT-0044", "IT-0045", "IT-0046", "IT-0047"]
    );
    let mut c = reg.connect_as(&alice);
    assert!(audit::verify_chain(&mut c)
        .unwrap()
        .first_bad_event
        .is_none());
    // A serial bought meanwhile by the other is seen by the one that waited.
    let p = order(vec![monitor("CN-A1")]);
    let err = register_pg::write(&mut c, Source::App, |tx| {
        purchase::record_purchase(tx, &p, None)
    })
    .unwrap_err();
    assert!(err.to_string().contains("already on IT-00"), "{err}");
}

#[test]
fn a_viewer_cannot_record_a_purchase_and_nothing_changes() {
    let server = server_or_skip!("a_viewer_cannot_record_a_purchase_and_nothing_changes");
    let mut reg = TestRegister::new(server, "buyview");
    let viewer = reg.add_login("vera", Role::Viewer);
    let mut v: Client = reg.connect_as(&viewer);
    let p = order(vec![monitor("CN-1")]);
    // A viewer can check one.
    assert!(purchase::check_purchase(&mut v, &p).unwrap().is_empty());
    let err = purchase::record_purchase_with_receipt(&mut v, Source::App, &p, None).unwrap_err();
    assert!(
        err.to_string().contains("not allowed for this login"),
        "{err}"
    );
    let mut owner = reg.owner();
    assert_eq!(audit::head(&mut owner).unwrap().0, 0);
    let n: i64 = owner
        .query_one("SELECT count(*) FROM public.assets", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
}
