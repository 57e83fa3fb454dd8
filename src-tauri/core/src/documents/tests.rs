//! Tests of documents: the store, the records and their events, and verification.

use super::*;
use std::fs::{self};

use std::path::PathBuf;

use crate::audit::Source;
use crate::db::Db;

use crate::assets::{create_asset, AssetInput};

struct Fixture {
    db: Db,
    store: DocumentStore,
    dir: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("register.db")).unwrap();
    for tag in ["IT-1", "IT-2"] {
        let input = AssetInput {
            asset_tag: tag.into(),
            name: "Laptop".into(),
            ..Default::default()
        };
        db.write(Source::Cli, |tx| create_asset(tx, &input, None))
            .unwrap();
    }
    let store = DocumentStore::for_db(&db);
    Fixture { db, store, dir }
}

impl Fixture {
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        fs::write(&p, bytes).unwrap();
        p
    }
    fn events(&self) -> i64 {
        self.db.read(|c| Ok(crate::audit::head(c)?.0)).unwrap()
    }
}

#[test]
fn licences_take_documents_in_the_same_store_and_chain() {
    let f = fixture();
    let lic =
        f.db.write(Source::Cli, |tx| {
            crate::licences::create_licence(
                tx,
                &crate::licences::LicenceInput {
                    product: Some("Figma".into()),
                    seats: Some("2".into()),
                    ..Default::default()
                },
                None,
            )
        })
        .unwrap();
    let p = f.file("figma invoice.pdf", b"%PDF-1.4 invoice");
    let on_asset = attach_file_to(
        &f.db,
        &f.store,
        Source::Cli,
        Owner::Asset(1),
        &p,
        None,
        None,
    )
    .unwrap();
    let d = attach_file_to(
        &f.db,
        &f.store,
        Source::Cli,
        Owner::Licence(lic.id),
        &p,
        None,
        Some("2026"),
    )
    .unwrap();
    assert_eq!((d.asset_id, d.licence_id), (None, Some(lic.id)));
    assert_eq!(d.kind, DocKind::Invoice);
    let listed =
        f.db.read(|c| documents_of(c, Owner::Licence(lic.id)))
            .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0], d);
    assert_eq!(
        f.db.read(|c| documents_of(c, Owner::Asset(1))).unwrap()[0].id,
        on_asset.id
    );
    f.db.write(Source::Cli, |tx| {
        set_kind_of(tx, Owner::Licence(lic.id), d.id, DocKind::Receipt)
    })
    .unwrap();
    // The wrong owner cannot reach it.
    assert!(f
        .db
        .read(|c| document_of(c, Owner::Asset(1), d.id))
        .is_err());
    assert!(f
        .db
        .read(|c| document_of(c, Owner::Licence(lic.id), on_asset.id))
        .is_err());
    // verify covers licence documents too.
    let blob = f.store.blob_path(&d.sha256).unwrap();
    remove_from(
        &f.db,
        &f.store,
        Source::Cli,
        Owner::Asset(1),
        on_asset.id,
        None,
    )
    .unwrap();
    assert!(blob.exists(), "still used by the licence");
    fs::write(&blob, b"tampered").unwrap();
    let problems = f.db.read(|c| verify_documents(c, &f.store)).unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].asset_tag, "licence Figma");
    fs::write(&blob, b"%PDF-1.4 invoice").unwrap();
    remove_from(
        &f.db,
        &f.store,
        Source::Cli,
        Owner::Licence(lic.id),
        d.id,
        None,
    )
    .unwrap();
    assert!(!blob.exists(), "no longer used");
    let kinds: Vec<String> =
        f.db.read(|c| crate::audit::list_entity_events(c, "licence", lic.id))
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
    assert_eq!(
        kinds,
        [
            "created",
            "document_attached",
            "document_edited",
            "document_removed"
        ]
    );
    assert!(f.db.read(crate::audit::verify).unwrap().ok);
}

#[test]
fn attach_dedups_and_remove_keeps_shared_bytes() {
    let f = fixture();
    let p = f.file("Dell receipt.pdf", b"%PDF-1.4 receipt");
    let a = attach_file_to(
        &f.db,
        &f.store,
        Source::Cli,
        Owner::Asset(1),
        &p,
        None,
        Some("from finance"),
    )
    .unwrap();
    let b = attach_file_to(
        &f.db,
        &f.store,
        Source::Cli,
        Owner::Asset(2),
        &p,
        Some(DocKind::Invoice),
        None,
    )
    .unwrap();
    assert_eq!(a.kind, DocKind::Receipt);
    assert_eq!(a.sha256, b.sha256);
    let blob = f.store.blob_path(&a.sha256).unwrap();
    let stored: Vec<_> = fs::read_dir(blob.parent().unwrap()).unwrap().collect();
    assert_eq!(stored.len(), 1, "identical content is stored once");
    remove_from(&f.db, &f.store, Source::Cli, Owner::Asset(1), a.id, None).unwrap();
    assert!(blob.exists(), "still used by IT-2");
    remove_from(&f.db, &f.store, Source::Cli, Owner::Asset(2), b.id, None).unwrap();
    assert!(!blob.exists(), "removed once nothing uses it");
    let events =
        f.db.read(|c| crate::audit::list_asset_events(c, 1))
            .unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["created", "document_attached", "document_removed"]);
    assert!(events[1]
        .changes
        .iter()
        .any(|c| c.field == "document_sha256" && c.new.as_deref() == Some(a.sha256.as_str())));
    assert!(f.db.read(crate::audit::verify).unwrap().ok);
}

#[test]
fn refusals_change_nothing() {
    let f = fixture().with_small_limit();
    let before = f.events();
    let empty = f.file("empty.pdf", b"");
    let big = f.file("big.pdf", &[7u8; 2000]);
    let folder = f.dir.path().join("a-folder");
    fs::create_dir(&folder).unwrap();
    let cases: [(PathBuf, &str); 4] = [
        (empty, "is empty"),
        (big, "the limit is"),
        (folder, "is a folder"),
        (f.dir.path().join("missing.pdf"), "there is no file"),
    ];
    for (p, needle) in cases {
        let e = attach_file_to(
            &f.db,
            &f.store,
            Source::Cli,
            Owner::Asset(1),
            &p,
            None,
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains(needle), "{}: {e}", p.display());
    }
    assert_eq!(f.events(), before);
    assert!(f
        .db
        .read(|c| documents_of(c, Owner::Asset(1)))
        .unwrap()
        .is_empty());
}

impl Fixture {
    fn with_small_limit(mut self) -> Fixture {
        self.store = self.store.with_limit(1000);
        self
    }
}

#[test]
fn hostile_names_are_data() {
    let f = fixture();
    let p = f.file("ok.pdf", b"bytes");
    let mut blob = f.store.store_file(&p).unwrap();
    for name in [
        "../../etc/passwd",
        "a/b\\c",
        "bell\u{7}\nname",
        &"x".repeat(300),
    ] {
        blob.name = name.to_string();
        let d =
            f.db.write(Source::Cli, |tx| {
                attach_to(tx, Owner::Asset(1), &blob, None, None)
            })
            .unwrap();
        assert_eq!(d.name, name);
    }
    assert!(f
        .db
        .read(|c| verify_documents(c, &f.store))
        .unwrap()
        .is_empty());
    assert!(!f.dir.path().join("etc").exists());
}

#[test]
fn verify_names_a_changed_or_missing_document() {
    let f = fixture();
    let a = attach_file_to(
        &f.db,
        &f.store,
        Source::Cli,
        Owner::Asset(1),
        &f.file("warranty.pdf", b"original"),
        None,
        None,
    )
    .unwrap();
    let b = attach_file_to(
        &f.db,
        &f.store,
        Source::Cli,
        Owner::Asset(2),
        &f.file("invoice.pdf", b"other"),
        None,
        None,
    )
    .unwrap();
    fs::write(f.store.blob_path(&a.sha256).unwrap(), b"tampered").unwrap();
    fs::remove_file(f.store.blob_path(&b.sha256).unwrap()).unwrap();
    let problems = f.db.read(|c| verify_documents(c, &f.store)).unwrap();
    assert_eq!(problems.len(), 2);
    assert_eq!(
        (problems[0].asset_tag.as_str(), problems[0].name.as_str()),
        ("IT-1", "warranty.pdf")
    );
    assert!(
        problems[0].problem.contains("changed"),
        "{}",
        problems[0].problem
    );
    assert!(
        problems[1].problem.contains("missing"),
        "{}",
        problems[1].problem
    );
    let e = f
        .store
        .save_copy(&a, &f.dir.path().join("out.pdf"))
        .unwrap_err();
    assert!(e.to_string().contains("run verify"), "{e}");
}

#[test]
fn save_copy_round_trips_bytes() {
    let f = fixture();
    let a = attach_file_to(
        &f.db,
        &f.store,
        Source::Cli,
        Owner::Asset(1),
        &f.file("r.pdf", b"%PDF exact bytes"),
        None,
        None,
    )
    .unwrap();
    let out = f.dir.path().join("copy.pdf");
    f.store.save_copy(&a, &out).unwrap();
    assert_eq!(fs::read(&out).unwrap(), b"%PDF exact bytes");
    let e = f
        .store
        .save_copy(&a, &f.dir.path().join("nope/copy.pdf"))
        .unwrap_err();
    assert!(e.to_string().contains("does not exist"), "{e}");
}

#[test]
fn guesses_kinds() {
    assert_eq!(DocKind::guess("Dell_Warranty_2024.PDF"), DocKind::Warranty);
    assert_eq!(DocKind::guess("INV-2024-001.pdf"), DocKind::Invoice);
    assert_eq!(DocKind::guess("amazon receipt.jpg"), DocKind::Receipt);
    assert_eq!(DocKind::guess("manual.pdf"), DocKind::Other);
}
