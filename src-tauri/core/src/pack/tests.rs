//! Tests of the evidence pack: what it holds, that it verifies, and that a changed byte, an
//! added or removed member, or a removed event is named.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::*;
use crate::assets::{create_asset, AssetInput};
use crate::audit::Source;
use crate::db::Db;
use crate::disposals::{dispose, DisposalInput};
use crate::documents::{attach_file_to, DocumentStore, Owner};

struct Fixture {
    dir: tempfile::TempDir,
    db: Db,
    store: DocumentStore,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("register.db")).unwrap();
    for tag in ["IT-1", "IT-2", "IT/3"] {
        let input = AssetInput {
            asset_tag: tag.into(),
            name: format!("Laptop {tag}"),
            ..Default::default()
        };
        db.write(Source::Cli, |tx| create_asset(tx, &input, None))
            .unwrap();
    }
    let store = DocumentStore::for_db(&db);
    let f = Fixture { dir, db, store };
    for (id, name, bytes) in [
        (1, "receipt.pdf", &b"%PDF receipt one"[..]),
        (1, "receipt.pdf", &b"%PDF receipt two"[..]),
        (3, "CON.pdf", &b"%PDF odd name"[..]),
    ] {
        let p = f.file(name, bytes);
        attach_file_to(
            &f.db,
            &f.store,
            Source::Cli,
            Owner::Asset(id),
            &p,
            None,
            None,
        )
        .unwrap();
    }
    let cert = f.file("wipe-cert.pdf", b"%PDF certificate");
    dispose(
        &f.db,
        &f.store,
        Source::Cli,
        2,
        &DisposalInput {
            method: "recycled".into(),
            wipe_method: Some("NIST 800-88 purge".into()),
            ..Default::default()
        },
        Some(&cert),
    )
    .unwrap();
    f
}

impl Fixture {
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join("in").join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }
    fn pack(&self) -> PathBuf {
        let out = self.dir.path().join("pack.zip");
        write_pack(
            &self.db,
            &self.store,
            &out,
            &PackOptions::default(),
            &mut |_| true,
        )
        .unwrap();
        out
    }
}

fn names(path: &Path) -> Vec<String> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
        .collect()
}

/// Rewrites the zip with `edit` applied to each (name, bytes); `None` drops a member.
fn rewrite(path: &Path, edit: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut members = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        members.push((name, b));
    }
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in members {
        if let Some(bytes) = edit(&name, bytes) {
            w.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(&bytes).unwrap();
        }
    }
    w.finish().unwrap();
}

#[test]
fn a_pack_holds_everything_and_verifies() {
    let f = fixture();
    let out = f.pack();
    let n = names(&out);
    for expected in [
        "register-report.pdf",
        "register.csv",
        "register.json",
        "licences.json",
        "disposals.csv",
        "open-items.csv",
        "disposals/IT-2/wipe-cert.pdf",
        "documents/IT-1/receipt.pdf",
        "documents/IT-1/receipt (2).pdf",
        "documents/IT_3/_CON.pdf",
        "audit-trail.jsonl",
        "README.txt",
        "manifest.json",
        "SHA256SUMS",
    ] {
        assert!(n.contains(&expected.to_string()), "{expected} not in {n:?}");
    }
    // The certificate is not repeated among the documents.
    assert!(!n.iter().any(|m| m.starts_with("documents/IT-2/")), "{n:?}");
    let check = verify_pack(&out).unwrap();
    assert!(check.ok, "{check:?}");
    assert_eq!(check.members_checked, n.len() - 2);
    let (count, head) = f.db.read(crate::audit::head).unwrap();
    assert_eq!((check.event_count, check.head_hash.clone()), (count, head));
    // No temporary file is left beside it.
    let left: Vec<_> = std::fs::read_dir(f.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_changed_byte_an_added_member_and_a_removed_event_are_named() {
    let f = fixture();
    let out = f.pack();
    let clean = std::fs::read(&out).unwrap();

    rewrite(&out, |name, mut b| {
        if name == "documents/IT-1/receipt.pdf" {
            b[0] ^= 1;
        }
        Some(b)
    });
    let check = verify_pack(&out).unwrap();
    assert!(!check.ok);
    assert_eq!(check.problems.len(), 1, "{:?}", check.problems);
    assert!(check.problems[0].starts_with("documents/IT-1/receipt.pdf: its content"));

    std::fs::write(&out, &clean).unwrap();
    rewrite(&out, |name, b| {
        if name == TRAIL {
            let text = String::from_utf8(b).unwrap();
            let kept: Vec<&str> = text
                .lines()
                .enumerate()
                .filter(|(i, _)| *i != 2)
                .map(|(_, l)| l)
                .collect();
            Some(format!("{}\n", kept.join("\n")).into_bytes())
        } else {
            Some(b)
        }
    });
    let check = verify_pack(&out).unwrap();
    let all = check.problems.join("\n");
    assert!(
        all.contains("audit-trail.jsonl: its content does not match"),
        "{all}"
    );
    assert!(
        all.contains("the hash chain breaks at line 3: event 3 is missing"),
        "{all}"
    );

    std::fs::write(&out, &clean).unwrap();
    rewrite(&out, |name, b| (name != "register.csv").then_some(b));
    let check = verify_pack(&out).unwrap();
    assert_eq!(check.problems, ["register.csv: missing from the pack"]);

    std::fs::write(&out, &clean).unwrap();
    let mut z = zip::ZipWriter::new_append(
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&out)
            .unwrap(),
    )
    .unwrap();
    z.start_file("extra.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(b"added").unwrap();
    z.finish().unwrap();
    let check = verify_pack(&out).unwrap();
    assert_eq!(
        check.problems,
        ["extra.txt: not in the manifest (it was added)"]
    );
}

#[test]
fn a_cancelled_pack_leaves_nothing_and_bad_input_is_refused() {
    let f = fixture();
    let out = f.dir.path().join("pack.zip");
    let mut calls = 0;
    let err = write_pack(&f.db, &f.store, &out, &PackOptions::default(), &mut |_| {
        calls += 1;
        calls < 3
    })
    .unwrap_err();
    assert_eq!(err.kind(), "cancelled");
    let files: Vec<_> = std::fs::read_dir(f.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !files.iter().any(|n| n.to_string_lossy().contains("pack")),
        "{files:?}"
    );

    let future = PackOptions {
        as_of: Some(chrono::NaiveDate::from_ymd_opt(2999, 1, 1).unwrap()),
        ..Default::default()
    };
    let err = write_pack(&f.db, &f.store, &out, &future, &mut |_| true).unwrap_err();
    assert!(err.to_string().contains("in the future"), "{err}");
    let err = write_pack(
        &f.db,
        &f.store,
        &f.dir.path().join("no/pack.zip"),
        &PackOptions::default(),
        &mut |_| true,
    )
    .unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
    let unknown = PackOptions {
        dossiers: Dossiers::parse("IT-1, NOPE-9"),
        ..Default::default()
    };
    let err = write_pack(&f.db, &f.store, &out, &unknown, &mut |_| true).unwrap_err();
    assert!(err.to_string().contains("NOPE-9"), "{err}");
    assert!(!out.exists());

    // Not a pack.
    let junk = f.file("junk.zip", b"PK\x03\x04 not really");
    assert!(verify_pack(&junk)
        .unwrap_err()
        .to_string()
        .contains("not an evidence pack"));
    assert!(verify_pack(&f.dir.path().join("missing.zip")).is_err());
}

#[test]
fn a_changed_stored_document_fails_the_pack_by_name() {
    let f = fixture();
    let doc =
        f.db.read(|c| crate::documents::documents_of(c, Owner::Asset(1)))
            .unwrap()
            .remove(0);
    let stored = f.store.dir().join(&doc.sha256[..2]).join(&doc.sha256);
    std::fs::write(&stored, b"%PDF receipt ONE").unwrap();
    let out = f.dir.path().join("pack.zip");
    let err = write_pack(&f.db, &f.store, &out, &PackOptions::default(), &mut |_| {
        true
    })
    .unwrap_err();
    assert!(err.to_string().contains("receipt.pdf"), "{err}");
    assert!(!out.exists());
}

#[test]
fn the_periods_leavers_have_their_checklists() {
    let f = fixture();
    let today = crate::today();
    for name in ["Ann Leaver", "Bob Stays"] {
        f.db.write(Source::App, |tx| {
            crate::people::create_person(
                tx,
                &crate::people::PersonInput {
                    name: name.into(),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    }
    f.db.write(Source::App, |tx| {
        crate::offboarding::start_offboarding(tx, 1, today, None)?;
        crate::offboarding::finish_offboarding(tx, 1, None)
    })
    .unwrap();
    let out = f.dir.path().join("pack.zip");
    let s = write_pack(&f.db, &f.store, &out, &PackOptions::default(), &mut |_| {
        true
    })
    .unwrap();
    assert_eq!(s.checklists, 1);
    let n = names(&out);
    assert!(
        n.contains(&"offboarding/Ann Leaver.pdf".to_string()),
        "{n:?}"
    );
    // A period that ended before she left has no checklist.
    let before = PackOptions {
        from: Some(today - chrono::Days::new(30)),
        as_of: Some(today - chrono::Days::new(1)),
        ..Default::default()
    };
    let s = write_pack(&f.db, &f.store, &out, &before, &mut |_| true).unwrap();
    assert_eq!(s.checklists, 0);
}

#[test]
fn the_latest_finished_stocktake_is_in_the_pack() {
    let f = fixture();
    let out = f.dir.path().join("pack.zip");
    let s = write_pack(&f.db, &f.store, &out, &PackOptions::default(), &mut |_| {
        true
    })
    .unwrap();
    assert_eq!(s.stocktake, None);
    let id =
        f.db.write(Source::App, |tx| {
            let st = crate::stocktake::start_stocktake(
                tx,
                &crate::stocktake::StocktakeInput {
                    name: "Year end 2026".into(),
                    on_date: None,
                    counted_by: "Sam".into(),
                    locations: Vec::new(),
                },
            )?;
            crate::stocktake::scan(tx, st.id, "IT-1", None)?;
            crate::stocktake::finish_stocktake(tx, st.id, &Default::default())?;
            Ok(st.id)
        })
        .unwrap();
    assert!(id > 0);
    let s = write_pack(&f.db, &f.store, &out, &PackOptions::default(), &mut |_| {
        true
    })
    .unwrap();
    assert_eq!(s.stocktake.as_deref(), Some("Year end 2026"));
    assert!(names(&out).contains(&"stocktake/Year end 2026.pdf".to_string()));
    assert!(verify_pack(&out).unwrap().ok);
}

#[test]
fn dossiers_can_be_asked_for() {
    let f = fixture();
    let out = f.dir.path().join("pack.zip");
    let opts = PackOptions {
        dossiers: Dossiers::parse("all"),
        ..Default::default()
    };
    let s = write_pack(&f.db, &f.store, &out, &opts, &mut |_| true).unwrap();
    assert_eq!(s.dossiers, 3);
    assert_eq!(s.disposals, 1);
    assert_eq!(s.documents, 4);
    let n = names(&out);
    assert!(n.contains(&"dossiers/IT_3.pdf".to_string()), "{n:?}");
    assert!(verify_pack(&out).unwrap().ok);
}
