//! Import and export through the CLI, as a script would use them.

use crate::util::{fixture, TestDb};

fn tags(db: &TestDb) -> Vec<String> {
    db.json(&["list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["asset_tag"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn dry_run_writes_nothing_and_errors_block_the_import() {
    let db = TestDb::new();
    db.ok(&["init"]);
    let file = fixture("import-one-bad-row.csv");
    let before = db.snapshot();
    let out = db.cli(&["import", file.to_str().unwrap(), "--dry-run"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Dry run, nothing written") && text.contains("line 3"),
        "{text}"
    );
    assert!(
        !out.status.success(),
        "a dry run with errors exits non-zero"
    );
    assert_eq!(db.snapshot(), before);
    let err = db.fails(&["import", file.to_str().unwrap()]);
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(db.snapshot(), before);
    let out = db.ok(&["import", file.to_str().unwrap(), "--skip-invalid"]);
    assert!(out.contains("2 created") && out.contains("line 3"), "{out}");
    assert_eq!(tags(&db), ["IT-1701", "IT-1703"]);
    let h = db.json(&["history", "IT-1701", "--json"]);
    assert_eq!(h[0]["source"], "import");
    assert!(
        h[0]["note"]
            .as_str()
            .unwrap()
            .contains("import-one-bad-row.csv"),
        "{}",
        h[0]["note"]
    );
}

#[test]
fn snipe_it_export_imports_with_holders_and_undo_removes_it() {
    let db = TestDb::new();
    let out = db.ok(&[
        "import",
        fixture("import-snipe-it-export.csv").to_str().unwrap(),
    ]);
    assert!(out.contains("5 created"), "{out}");
    let sam = db.json(&["show", "SNIPE-0001", "--json"]);
    assert_eq!(
        (sam["status"].as_str(), sam["assigned_to"].as_str()),
        (Some("deployed"), Some("Sam Patel"))
    );
    let imports = db.json(&["imports", "--json"]);
    let id = imports[0]["id"].to_string();
    db.ok(&["undo-import", &id]);
    assert!(tags(&db).is_empty());
    assert!(db.ok(&["verify"]).contains("OK"));
}

#[test]
fn export_then_import_round_trips_and_neutralises_formulas() {
    let db = TestDb::new();
    db.ok(&[
        "add",
        "--tag",
        "IT-0001",
        "--name",
        "=HYPERLINK(\"http://x\")",
        "--cost",
        "1249.99",
        "--purchase-date",
        "2024-01-15",
        "--notes",
        "two\nlines, \"quoted\"",
    ]);
    db.ok(&[
        "add",
        "--tag",
        "IT-0002",
        "--name",
        "Łódź printer",
        "--serial=-5",
    ]);
    db.ok(&["assign", "IT-0001", "--person", "Chloë Brontë"]);
    let csv = db.path.parent().unwrap().join("export.csv");
    db.ok(&["export", "--out", csv.to_str().unwrap(), "--bom"]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("'=HYPERLINK"), "formula neutralised: {text}");
    let other = TestDb::new();
    other.ok(&["import", csv.to_str().unwrap()]);
    let strip = |v: serde_json::Value| -> Vec<serde_json::Value> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| {
                let mut a = a.clone();
                for k in ["id", "created_at", "updated_at", "person_id", "location_id"] {
                    a.as_object_mut().unwrap().remove(k);
                }
                a
            })
            .collect()
    };
    assert_eq!(
        strip(other.json(&["list", "--json"])),
        strip(db.json(&["list", "--json"]))
    );
    let json = db.ok(&["export", "--format", "json"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn bad_import_paths_are_refused_clearly() {
    let db = TestDb::new();
    db.ok(&["init"]);
    assert!(db
        .fails(&["import", "/nonexistent/assets.csv"])
        .contains("no file at"));
    let dir = db.path.parent().unwrap().to_str().unwrap().to_string();
    assert!(db.fails(&["import", &dir]).contains("is a folder"));
    let pipe = fixture("import-pipe.csv");
    assert!(db
        .fails(&["import", pipe.to_str().unwrap(), "--map", "Nope"])
        .contains("COLUMN=FIELD"));
    assert!(db
        .fails(&["import", pipe.to_str().unwrap(), "--map", "Tag=colour"])
        .contains("not a field"));
    // Larger than the cap (a sparse file: no disk used), and a CSV that is really a device.
    let huge = db.path.parent().unwrap().join("huge.csv");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(register_core::import::MAX_IMPORT_BYTES + 1)
        .unwrap();
    assert!(db
        .fails(&["import", huge.to_str().unwrap()])
        .contains("larger than 512 MB"));
    #[cfg(unix)]
    {
        let zero = db.path.parent().unwrap().join("zero.csv");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(db
            .fails(&["import", zero.to_str().unwrap()])
            .contains("not an ordinary file"));
    }
    assert!(tags(&db).is_empty());
}

#[test]
fn an_import_with_more_rows_than_the_register_is_built_for_is_refused() {
    let db = TestDb::new();
    db.ok(&["init"]);
    let many = db.path.parent().unwrap().join("many.csv");
    let mut text = String::from("Tag,Name\n");
    for i in 0..=register_core::import::MAX_IMPORT_ROWS {
        text.push_str(&format!("T{i},x\n"));
    }
    std::fs::write(&many, text).unwrap();
    let err = db.fails(&["import", many.to_str().unwrap()]);
    assert!(err.contains("more than 250,000 rows"), "{err}");
    assert!(tags(&db).is_empty());
}

// See: issue #19, item 12 (an error repeated on every row)
/// The same mistake on every row is said once, with how many rows and which lines; a mistake
/// on one row keeps its own line.
#[test]
fn issue_19_an_error_on_every_row_is_said_once() {
    let db = TestDb::new();
    db.ok(&["init"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad-costs.csv");
    let mut csv = String::from("Asset Tag,Name,Purchase Cost\n");
    for i in 1..=40 {
        csv.push_str(&format!("IT-{i:04},Laptop {i},lots\n"));
    }
    csv.push_str("IT-0041,Laptop 41,-5\n");
    std::fs::write(&file, csv).unwrap();
    let out = db.cli(&["import", file.to_str().unwrap(), "--dry-run"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let errors: Vec<&str> = text.lines().filter(|l| l.contains("error:")).collect();
    assert_eq!(errors.len(), 2, "one line per distinct error:\n{text}");
    assert!(
        errors[0].contains("40 rows, column \"Purchase Cost\"")
            && errors[0].contains("lines 2, 3, 4, 5, 6 and 35 more"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].contains("line 42, column \"Purchase Cost\""),
        "{}",
        errors[1]
    );
}
