//! Documents on the server follow the file's rules and record the file's events: the same
//! attaches, kind changes and removals applied to a file register and to a team register give
//! the same documents and events (the same hashes, given the same times), identical bytes are
//! stored once, and a removal takes the bytes with the last document that has them. The 50 MB
//! limit is refused in the file's words with nothing written; changed bytes are named by verify
//! and refused when read; a viewer reads documents and attaches none.

use std::path::Path;

use register_core::assets as core_assets;
use register_core::audit::Source;
use register_core::documents::{
    self as core_docs, DocKind, Document, DocumentStore, Owner, DEFAULT_MAX_BYTES,
};
use register_core::licences::{self as core_licences, LicenceInput};
use register_core::{AssetInput, Db};
use register_pg::admin::Role;
use register_pg::{assets, audit, documents, licences, Client, Error};

use crate::util::{assert_same_events, TestRegister};

const RECEIPT: &[u8] = b"%PDF-1.4 a receipt for a laptop";
const WARRANTY: &[u8] = b"%PDF-1.4 three years on site";

fn laptop() -> AssetInput {
    AssetInput {
        asset_tag: "IT-1".into(),
        name: "Laptop".into(),
        ..Default::default()
    }
}

fn figma() -> LicenceInput {
    LicenceInput {
        product: Some("Figma".into()),
        seats: Some("2".into()),
        ..Default::default()
    }
}

/// One change, applied to either store.
enum Step {
    Attach(
        Owner,
        &'static str,
        &'static [u8],
        Option<DocKind>,
        Option<&'static str>,
    ),
    Kind(Owner, i64, DocKind),
    Remove(Owner, i64, Option<&'static str>),
}

/// Attaches (a kind guessed, a kind given with a note, the same bytes again under another name,
/// bytes to a licence), kind changes (one that changes nothing), removals (bytes another
/// document still has, then the last of them).
fn steps() -> Vec<Step> {
    use Step::*;
    let (it1, figma) = (Owner::Asset(1), Owner::Licence(1));
    vec![
        Attach(it1, "receipt.pdf", RECEIPT, None, None),
        Attach(
            it1,
            "copy.pdf",
            RECEIPT,
            Some(DocKind::Invoice),
            Some("scan"),
        ),
        Attach(figma, "Figma-warranty.pdf", WARRANTY, None, None),
        Attach(figma, "receipt-again.pdf", RECEIPT, None, None),
        Kind(it1, 1, DocKind::Warranty),
        Kind(it1, 2, DocKind::Invoice),
        Remove(it1, 1, Some("duplicate")),
        Remove(figma, 4, None),
    ]
}

fn apply_file(
    db: &Db,
    store: &DocumentStore,
    dir: &Path,
    step: &Step,
) -> register_core::Result<()> {
    match step {
        Step::Attach(owner, name, bytes, kind, note) => {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            core_docs::attach_file_to(db, store, Source::App, *owner, &path, *kind, *note).map(drop)
        }
        Step::Kind(owner, id, kind) => db
            .write(Source::App, |tx| {
                core_docs::set_kind_of(tx, *owner, *id, *kind)
            })
            .map(drop),
        Step::Remove(owner, id, note) => {
            core_docs::remove_from(db, store, Source::App, *owner, *id, *note).map(drop)
        }
    }
}

fn apply_server(client: &mut Client, step: &Step) -> register_pg::Result<()> {
    register_pg::write(client, Source::App, |tx| match step {
        Step::Attach(owner, name, bytes, kind, note) => {
            documents::attach_document(tx, *owner, name, bytes, *kind, *note).map(drop)
        }
        Step::Kind(owner, id, kind) => {
            documents::set_document_kind(tx, *owner, *id, *kind).map(drop)
        }
        Step::Remove(owner, id, note) => {
            documents::remove_document(tx, *owner, *id, *note).map(drop)
        }
    })
}

/// A document without its time (each store's clock).
fn timeless(docs: Vec<Document>) -> Vec<Document> {
    docs.into_iter()
        .map(|d| Document {
            added_at: String::new(),
            ..d
        })
        .collect()
}

/// The distinct contents the server holds.
fn contents(client: &mut Client) -> Vec<String> {
    client
        .query("SELECT sha256 FROM document_content ORDER BY sha256", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// A register with IT-1 and the licence Figma, and an editor's connection to it.
fn register_with_owners(name: &str) -> Option<(TestRegister, String, Client)> {
    let server = crate::util::server(name)?;
    let mut reg = TestRegister::new(server, name);
    let editor = reg.add_login("ed", Role::Editor);
    let mut ed = reg.connect_as(&editor);
    register_pg::write(&mut ed, Source::App, |tx| {
        assets::create_asset(tx, &laptop(), None)?;
        licences::create_licence(tx, &figma(), None)
    })
    .unwrap();
    Some((reg, editor, ed))
}

#[test]
fn documents_are_the_same_in_both_stores() {
    let Some((_reg, editor, mut ed)) = register_with_owners("docparity") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("register.db")).unwrap();
    let store = DocumentStore::for_register(&dir.path().join("register.db"));
    let uploads = tempfile::tempdir().unwrap();
    db.write(Source::App, |tx| {
        core_assets::create_asset(tx, &laptop(), None)?;
        core_licences::create_licence(tx, &figma(), None)
    })
    .unwrap();

    for (i, step) in steps().iter().enumerate() {
        apply_file(&db, &store, uploads.path(), step)
            .unwrap_or_else(|e| panic!("step {i} in the file: {e}"));
        apply_server(&mut ed, step).unwrap_or_else(|e| panic!("step {i} on the server: {e}"));
        if i == 3 {
            // The receipt's bytes, attached three times, are stored once.
            assert_eq!(contents(&mut ed).len(), 2);
        }
    }
    for owner in [Owner::Asset(1), Owner::Licence(1)] {
        let in_file = db.read(|c| core_docs::documents_of(c, owner)).unwrap();
        let on_server = documents::documents_of(&mut ed, owner).unwrap();
        assert_eq!(timeless(on_server.clone()), timeless(in_file), "{owner:?}");
        for d in &on_server {
            let (read, bytes) = documents::read_document(&mut ed, owner, d.id).unwrap();
            assert_eq!(&read, d);
            let copy = uploads.path().join("copy-out");
            store.save_copy(d, &copy).unwrap();
            assert_eq!(bytes, std::fs::read(&copy).unwrap(), "{}", d.name);
        }
    }
    // Document 2 still has the receipt's bytes; the warranty's are Figma's.
    let left: Vec<String> = [RECEIPT, WARRANTY].map(core_docs::sha256_hex).into();
    let mut left_sorted = left.clone();
    left_sorted.sort();
    assert_eq!(contents(&mut ed), left_sorted);
    // The last document with given bytes takes them with it, in both stores.
    let last = Step::Remove(Owner::Asset(1), 2, None);
    apply_file(&db, &store, uploads.path(), &last).unwrap();
    apply_server(&mut ed, &last).unwrap();
    assert_eq!(contents(&mut ed), vec![left[1].clone()]);
    assert!(!store.dir().join(&left[0][..2]).join(&left[0]).exists());

    let n = assert_same_events(&db, &mut ed, &editor);
    assert_eq!(n, 2 + 4 + 1 + 3);
    assert!(documents::verify_documents(&mut ed).unwrap().is_empty());
    assert!(db
        .read(|c| core_docs::verify_documents(c, &store))
        .unwrap()
        .is_empty());
}

#[test]
fn refusals_are_the_files_and_write_nothing() {
    let Some((_reg, _editor, mut ed)) = register_with_owners("doclimit") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("register.db")).unwrap();
    let store = DocumentStore::for_register(&dir.path().join("register.db"));
    db.write(Source::App, |tx| {
        core_assets::create_asset(tx, &laptop(), None)
    })
    .unwrap();
    let head = audit::head(&mut ed).unwrap();

    let big = vec![7u8; DEFAULT_MAX_BYTES as usize + 1];
    for (name, bytes) in [("scan.pdf", &big[..]), ("empty.pdf", &b""[..])] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let in_file =
            core_docs::attach_file_to(&db, &store, Source::App, Owner::Asset(1), &path, None, None)
                .unwrap_err();
        let on_server = register_pg::write(&mut ed, Source::App, |tx| {
            documents::attach_document(tx, Owner::Asset(1), name, bytes, None, None)
        })
        .unwrap_err();
        assert!(matches!(on_server, Error::Core(_)), "{on_server:?}");
        assert_eq!(on_server.to_string(), in_file.to_string());
    }
    // A name no file system holds, refused as the file's attach refuses it.
    let long = format!("{}.pdf", "n".repeat(1000));
    let why = register_pg::write(&mut ed, Source::App, |tx| {
        documents::attach_document(tx, Owner::Asset(1), &long, RECEIPT, None, None)
    })
    .unwrap_err();
    assert!(
        why.to_string().contains("longer than 1000 characters"),
        "{why}"
    );
    let limit = register_pg::write(&mut ed, Source::App, |tx| {
        documents::attach_document(tx, Owner::Asset(1), "scan.pdf", &big, None, None)
    })
    .unwrap_err();
    assert!(
        limit
            .to_string()
            .contains("scan.pdf is 50.0 MB; the limit is 50.0 MB per file"),
        "{limit}"
    );
    // Nothing written: no event, no document, no content.
    assert_eq!(audit::head(&mut ed).unwrap(), head);
    assert!(documents::documents_of(&mut ed, Owner::Asset(1))
        .unwrap()
        .is_empty());
    assert!(contents(&mut ed).is_empty());

    // Exactly the limit is taken, and stored once.
    let at_limit = vec![1u8; DEFAULT_MAX_BYTES as usize];
    let d = register_pg::write(&mut ed, Source::App, |tx| {
        documents::attach_document(tx, Owner::Asset(1), "at-limit.bin", &at_limit, None, None)
    })
    .unwrap();
    assert_eq!(d.size as u64, DEFAULT_MAX_BYTES);
    assert_eq!(
        documents::read_document(&mut ed, Owner::Asset(1), d.id)
            .unwrap()
            .1,
        at_limit
    );

    // An archived asset takes no documents, in the file's words; an unknown one is not found.
    let why = register_pg::write(&mut ed, Source::App, |tx| {
        let v = assets::find_asset(tx.client(), "IT-1")?;
        assets::archive_asset(tx, v.asset.id, v.version, None)?;
        documents::attach_document(tx, Owner::Asset(1), "late.pdf", RECEIPT, None, None)
    })
    .unwrap_err();
    assert_eq!(
        why.to_string(),
        "IT-1 is archived; documents cannot be added"
    );
    let why = register_pg::write(&mut ed, Source::App, |tx| {
        documents::attach_document(tx, Owner::Asset(9), "x.pdf", RECEIPT, None, None)
    })
    .unwrap_err();
    assert!(matches!(why, Error::Core(_)), "{why:?}");
}

#[test]
fn verify_names_a_document_whose_bytes_were_changed() {
    let Some((mut reg, _editor, mut ed)) = register_with_owners("doctamper") else {
        return;
    };
    let auditor = reg.add_login("au", Role::Auditor);
    let [receipt, warranty] = ["receipt.pdf", "warranty.pdf"].map(|name| {
        let bytes = if name == "receipt.pdf" {
            RECEIPT
        } else {
            WARRANTY
        };
        register_pg::write(&mut ed, Source::App, |tx| {
            documents::attach_document(tx, Owner::Asset(1), name, bytes, None, None)
        })
        .unwrap()
    });
    let mut au = reg.connect_as(&auditor);
    assert!(documents::verify_documents(&mut au).unwrap().is_empty());

    // An editor can change no stored bytes: not the bytes (no privilege), not the key (the
    // trigger).
    let denied = ed.execute(
        "UPDATE document_content SET bytes = 'x'::bytea, size = 1",
        &[],
    );
    assert!(denied.is_err());
    let err = register_pg::Error::from(
        ed.execute(
            "UPDATE document_content SET sha256 = repeat('0', 64) WHERE sha256 = $1",
            &[&receipt.sha256],
        )
        .unwrap_err(),
    );
    assert!(matches!(err, Error::Denied(_)), "{err}");

    // The owner can, with the trigger off: the same length, one byte changed.
    let mut owner = reg.owner();
    owner
        .batch_execute("ALTER TABLE document_content DISABLE TRIGGER document_content_fixed")
        .unwrap();
    owner
        .execute(
            "UPDATE document_content SET bytes = overlay(bytes placing '\\x58'::bytea from 1)
              WHERE sha256 = $1",
            &[&warranty.sha256],
        )
        .unwrap();
    let problems = documents::verify_documents(&mut au).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    let p = &problems[0];
    assert_eq!(
        (p.asset_tag.as_str(), p.document_id, p.name.as_str()),
        ("IT-1", warranty.id, "warranty.pdf")
    );
    assert_eq!(
        p.problem,
        "the stored file's content was changed (SHA-256 differs)"
    );
    let why = documents::read_document(&mut au, Owner::Asset(1), warranty.id).unwrap_err();
    assert_eq!(
        why.to_string(),
        "warranty.pdf: the stored file's content was changed (SHA-256 differs); run verify"
    );
    assert!(documents::read_document(&mut au, Owner::Asset(1), receipt.id).is_ok());
}

#[test]
fn a_viewer_reads_documents_and_attaches_none() {
    let Some((mut reg, _editor, mut ed)) = register_with_owners("docviewer") else {
        return;
    };
    let viewer = reg.add_login("vi", Role::Viewer);
    let d = register_pg::write(&mut ed, Source::App, |tx| {
        documents::attach_document(tx, Owner::Asset(1), "receipt.pdf", RECEIPT, None, None)
    })
    .unwrap();
    let head = audit::head(&mut ed).unwrap();
    let mut vi = reg.connect_as(&viewer);
    assert_eq!(
        documents::documents_of(&mut vi, Owner::Asset(1)).unwrap(),
        vec![d.clone()]
    );
    assert_eq!(
        documents::read_document(&mut vi, Owner::Asset(1), d.id)
            .unwrap()
            .1,
        RECEIPT
    );
    let refused: Vec<register_pg::Result<Document>> = vec![
        register_pg::write(&mut vi, Source::App, |tx| {
            documents::attach_document(tx, Owner::Asset(1), "new.pdf", WARRANTY, None, None)
        }),
        register_pg::write(&mut vi, Source::App, |tx| {
            documents::set_document_kind(tx, Owner::Asset(1), d.id, DocKind::Invoice)
        }),
        register_pg::write(&mut vi, Source::App, |tx| {
            documents::remove_document(tx, Owner::Asset(1), d.id, None)
        }),
    ];
    for r in refused {
        let err = r.unwrap_err();
        assert!(matches!(err, Error::Denied(_)), "{err}");
    }
    assert_eq!(audit::head(&mut ed).unwrap(), head);
    assert_eq!(
        documents::documents_of(&mut ed, Owner::Asset(1)).unwrap(),
        vec![d]
    );
    assert_eq!(contents(&mut ed).len(), 1);
}
