//! The PDF register report and dossier through the CLI, checked the way an auditor would: what
//! `pdftotext` finds in them, `qpdf --check`, the as-of reconstruction, filters and refusals.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{pdf_text, TestDb};

/// Tags and names of the seeded register: non-Latin scripts and a name with markup.
const ASSETS: &[(&str, &str)] = &[
    ("IT-0001", "Laptop for Chloë Brontë"),
    ("IT-0002", "Printer in Łódź"),
    ("IT-0003", "Jürgen Weiß ThinkPad"),
    ("IT-0004", "Phone of Αθηνά"),
    ("IT-0005", "Tablet Дмитрий"),
    ("IT-0006", "<b>Bold</b> & \"quoted\""),
];

fn seed(db: &TestDb) {
    for (i, (tag, name)) in ASSETS.iter().enumerate() {
        let cost = format!("{}.50", 100 * (i + 1));
        db.ok(&[
            "add",
            "--tag",
            tag,
            "--name",
            name,
            "--category",
            if i % 2 == 0 { "Laptop" } else { "Phone" },
            "--serial",
            &format!("SN-{i}"),
            "--cost",
            &cost,
            "--notes",
            "Seeded for the report tests",
        ]);
    }
    db.ok(&[
        "assign",
        "IT-0001",
        "--person",
        "Chloë Brontë",
        "--note",
        "New starter",
    ]);
    db.ok(&["assign", "IT-0002", "--location", "Łódź office"]);
    db.ok(&[
        "status",
        "IT-0005",
        "lost-stolen",
        "--note",
        "Left on a train",
    ]);
}

fn qpdf_pages(path: &Path) -> usize {
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "qpdf --check: {}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let n = Command::new("qpdf")
        .arg("--show-npages")
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8(n.stdout).unwrap().trim().parse().unwrap()
}

fn head_hash(db: &TestDb) -> String {
    db.json(&["verify", "--json"])["head_hash"]
        .as_str()
        .unwrap()
        .to_string()
}

fn out_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().to_path_buf();
    (dir, p)
}

/// The page count the CLI printed: "Wrote FILE (N pages)".
fn printed_pages(stdout: &str) -> usize {
    let n = stdout.rsplit('(').next().unwrap();
    n.split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn the_report_holds_every_tag_name_and_the_head_hash() {
    let db = TestDb::new();
    seed(&db);
    let hash = head_hash(&db);
    let (_d, dir) = out_dir();
    for paper in ["a4", "letter"] {
        let out = dir.join(format!("register-{paper}.pdf"));
        let said = db.ok(&["report", "--out", out.to_str().unwrap(), "--paper", paper]);
        assert!(said.contains(out.to_str().unwrap()), "{said}");
        assert_eq!(printed_pages(&said), qpdf_pages(&out));
        let text = pdf_text(&out);
        for (tag, name) in ASSETS {
            assert!(text.contains(tag), "{tag} missing from the {paper} report");
            assert!(
                text.contains(name),
                "{name} missing from the {paper} report"
            );
        }
        assert!(text.contains(&hash), "head hash missing");
        for fact in [
            "Asset register",
            "Your organisation",
            "Passed",
            "Lost/Stolen",
            "Page 1 of",
            "Chloë Brontë",
            "Łódź office",
        ] {
            assert!(text.contains(fact), "{fact} missing");
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn as_of_rebuilds_the_register_from_the_audit_trail() {
    let db = TestDb::new();
    seed(&db);
    db.ok(&["edit", "IT-0003", "--name", "Renamed ThinkPad"]);
    db.ok(&["archive", "IT-0006"]);
    let (_d, dir) = out_dir();
    let today = chrono::Utc::now().date_naive();
    let yesterday = today.pred_opt().unwrap();

    // Every event is stamped today: yesterday the register was empty.
    let before = dir.join("yesterday.pdf");
    db.ok(&[
        "report",
        "--as-of",
        &yesterday.to_string(),
        "--out",
        before.to_str().unwrap(),
    ]);
    qpdf_pages(&before);
    let text = pdf_text(&before);
    assert!(text.contains(&format!("end of {yesterday}")), "{text}");
    assert!(text.contains("Inventory (0 assets)"), "{text}");
    assert!(text.contains("No events"), "{text}");
    assert!(!text.contains("IT-0001"));

    // Today: the replay ends where the live register is.
    let now = dir.join("today.pdf");
    db.ok(&[
        "report",
        "--as-of",
        &today.to_string(),
        "--out",
        now.to_str().unwrap(),
    ]);
    let text = pdf_text(&now);
    assert!(text.contains("Renamed ThinkPad"));
    assert!(
        !text.contains("Jürgen Weiß ThinkPad"),
        "the old name is gone"
    );
    assert!(
        !text.contains("IT-0006"),
        "archived assets leave the register"
    );
    assert!(text.contains("Inventory (5 assets)"), "{text}");
    assert!(text.contains("reconstructed from the audit trail"));
    assert!(text.contains(&head_hash(&db)));
}

#[test]
fn the_dossier_tells_the_whole_history() {
    let db = TestDb::new();
    seed(&db);
    db.ok(&[
        "edit",
        "IT-0001",
        "--name",
        "Laptop (Finance)",
        "--note",
        "Moved to Finance",
    ]);
    db.ok(&["return", "IT-0001", "--location", "Store room"]);
    let (_d, dir) = out_dir();
    let out = dir.join("dossier.pdf");
    let said = db.ok(&["dossier", "it-0001", "--out", out.to_str().unwrap()]);
    assert_eq!(printed_pages(&said), qpdf_pages(&out));
    let text = pdf_text(&out);
    for s in [
        "Asset dossier",
        "IT-0001",
        "Added to the register",
        "Assigned to Chloë Brontë",
        "New starter",
        "Name: Laptop for Chloë Brontë → Laptop (Finance)",
        "Moved to Finance",
        "Returned (now Available)",
        "Location: (empty) → Store room",
        "Status: Deployed → Available",
        "Seeded for the report tests",
        "No documents attached",
    ] {
        assert!(text.contains(s), "{s:?} missing from:\n{text}");
    }
    assert!(text.contains(&head_hash(&db)));
}

#[test]
fn filters_narrow_the_report() {
    let db = TestDb::new();
    seed(&db);
    let (_d, dir) = out_dir();
    let lost = dir.join("lost.pdf");
    db.ok(&[
        "report",
        "--status",
        "Lost/Stolen",
        "--out",
        lost.to_str().unwrap(),
    ]);
    let text = pdf_text(&lost);
    assert!(text.contains("IT-0005") && text.contains("Status is Lost/Stolen"));
    for tag in ["IT-0001", "IT-0002", "IT-0003", "IT-0004", "IT-0006"] {
        assert!(!text.contains(tag), "{tag} is not Lost/Stolen");
    }

    let found = dir.join("search.pdf");
    db.ok(&[
        "report",
        "--search",
        "łódź",
        "--out",
        found.to_str().unwrap(),
    ]);
    let text = pdf_text(&found);
    assert!(
        text.contains("IT-0002") && text.contains("Inventory (1 assets)"),
        "{text}"
    );
    assert!(!text.contains("IT-0001"));
}

#[test]
fn refusals_explain_and_write_nothing() {
    let db = TestDb::new();
    seed(&db);
    let (_d, dir) = out_dir();
    let out = dir.join("r.pdf");
    let o = out.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["report", "--as-of", "2024-02-30", "--out", o],
            "not a real date",
        ),
        (
            vec!["report", "--as-of", "30/01/2024", "--out", o],
            "not a date",
        ),
        (
            vec!["report", "--as-of", "2999-01-01", "--out", o],
            "in the future",
        ),
        (
            vec!["report", "--status", "broken", "--out", o],
            "not a status",
        ),
        (
            vec!["report", "--paper", "a3", "--out", o],
            "not a paper size",
        ),
        (
            vec!["dossier", "IT-9999", "--out", o],
            "IT-9999 was not found",
        ),
    ];
    for (args, want) in cases {
        let err = db.fails(&args);
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?} wrote a file");
    }
    let missing = dir.join("no/such/folder/r.pdf");
    for cmd in [
        vec!["report", "--out", missing.to_str().unwrap()],
        vec!["dossier", "IT-0001", "--out", missing.to_str().unwrap()],
    ] {
        let err = db.fails(&cmd);
        assert!(err.contains("does not exist"), "{err}");
    }
    assert!(!dir.join("no").exists());
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing written"
    );
}
