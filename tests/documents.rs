//! Documents through the CLI: attach, dedup, list, save a copy, detach, refusals, and
//! tampering with the stored bytes caught by `verify`.

use std::path::PathBuf;

use crate::util::TestDb;

fn file(db: &TestDb, name: &str, bytes: &[u8]) -> PathBuf {
    let p = db.path.parent().unwrap().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn seeded() -> TestDb {
    let db = TestDb::new();
    db.ok(&["add", "--tag", "IT-0001", "--name", "Laptop"]);
    db.ok(&["add", "--tag", "IT-0002", "--name", "Monitor"]);
    db
}

fn store_dir(db: &TestDb) -> PathBuf {
    db.path.parent().unwrap().join("register-documents")
}

fn stored_files(db: &TestDb) -> usize {
    walk(&store_dir(db))
}

fn walk(p: &std::path::Path) -> usize {
    std::fs::read_dir(p)
        .map(|d| {
            d.flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        walk(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

#[test]
fn attach_list_show_save_detach() {
    let db = seeded();
    let receipt = file(&db, "Dell receipt 2024.pdf", b"%PDF-1.4 the receipt");
    let warranty = file(&db, "warranty.pdf", b"%PDF-1.4 the warranty");
    let out = db.ok(&[
        "attach",
        "IT-0001",
        receipt.to_str().unwrap(),
        warranty.to_str().unwrap(),
        "--note",
        "from finance",
    ]);
    assert!(
        out.contains("as receipt") && out.contains("as warranty"),
        "{out}"
    );
    db.ok(&[
        "attach",
        "IT-0002",
        receipt.to_str().unwrap(),
        "--kind",
        "invoice",
    ]);
    assert_eq!(stored_files(&db), 2, "identical content is stored once");

    let docs = db.json(&["documents", "IT-0001", "--json"]);
    assert_eq!(docs.as_array().unwrap().len(), 2);
    let show = db.json(&["show", "IT-0001", "--json"]);
    let d = &show["documents"][0];
    assert_eq!(d["name"], "Dell receipt 2024.pdf");
    assert_eq!(d["kind"], "receipt");
    assert_eq!(d["size"], 20);
    assert_eq!(d["sha256"].as_str().unwrap().len(), 64);
    assert!(d["added_at"].as_str().unwrap().ends_with('Z'));

    let id = d["id"].to_string();
    let copy = db.path.parent().unwrap().join("copy.pdf");
    db.ok(&[
        "save-document",
        "IT-0001",
        &id,
        "--out",
        copy.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&copy).unwrap(), b"%PDF-1.4 the receipt");

    db.ok(&["detach", "IT-0001", &id, "--note", "duplicate scan"]);
    assert_eq!(
        stored_files(&db),
        2,
        "IT-0002 still uses the receipt's bytes"
    );
    let h = db.json(&["history", "IT-0001", "--json"]);
    let kinds: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "created",
            "document_attached",
            "document_attached",
            "document_removed"
        ]
    );
    let attached = &h[1];
    assert_eq!(attached["note"], "from finance");
    for field in ["document", "document_size", "document_sha256"] {
        assert!(
            attached["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["field"] == field),
            "{field}"
        );
    }
    assert!(db.ok(&["verify"]).contains("OK"));
}

#[test]
fn refused_files_change_nothing() {
    let db = seeded();
    let good = file(&db, "ok.pdf", b"fine");
    let empty = file(&db, "empty.pdf", b"");
    let folder = db.path.parent().unwrap().join("folder");
    std::fs::create_dir(&folder).unwrap();
    let before = db.snapshot();
    let missing = db.path.parent().unwrap().join("missing.pdf");
    let cases: [(&[&str], &str); 5] = [
        (
            &[
                "attach",
                "IT-0001",
                good.to_str().unwrap(),
                empty.to_str().unwrap(),
            ],
            "is empty",
        ),
        (
            &["attach", "IT-0001", folder.to_str().unwrap()],
            "is a folder",
        ),
        (
            &["attach", "IT-0001", missing.to_str().unwrap()],
            "no file at",
        ),
        (
            &[
                "attach",
                "IT-0001",
                good.to_str().unwrap(),
                "--kind",
                "photo",
            ],
            "not a document kind",
        ),
        (&["attach", "IT-9999", good.to_str().unwrap()], "not found"),
    ];
    for (args, needle) in cases {
        let err = db.fails(args);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert_eq!(db.snapshot(), before);
    assert_eq!(stored_files(&db), 0);
    assert!(db
        .fails(&["save-document", "IT-0001", "1", "--out", "/tmp/x.pdf"])
        .contains("not found"));
}

#[test]
fn a_file_over_the_limit_is_refused() {
    let db = seeded();
    let big = db.path.parent().unwrap().join("huge.pdf");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(50 * 1024 * 1024 + 1).unwrap();
    let err = db.fails(&["attach", "IT-0001", big.to_str().unwrap()]);
    assert!(err.contains("the limit is 50.0 MB"), "{err}");
    assert_eq!(stored_files(&db), 0);
}

#[test]
fn verify_names_a_tampered_document() {
    let db = seeded();
    let p = file(&db, "warranty.pdf", b"%PDF original");
    db.ok(&["attach", "IT-0002", p.to_str().unwrap()]);
    let sha = db.json(&["documents", "IT-0002", "--json"])[0]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let stored = store_dir(&db).join(&sha[..2]).join(&sha);
    std::fs::write(&stored, b"%PDF forged").unwrap();
    let out = db.cli(&["verify"]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("IT-0002") && text.contains("warranty.pdf"),
        "{text}"
    );
}
