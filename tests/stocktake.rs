//! Stocktakes scripted through the CLI: start a room, scan (arguments and standard input),
//! move, finish with Lost/Stolen, the report's text, the history and refusals that change
//! nothing.

use crate::util::{pdf_text, TestDb};

fn seed(db: &TestDb) {
    for (tag, room) in [
        ("IT-0001", "Room 1"),
        ("IT-0002", "Room 2"),
        ("IT-0003", "Room 1"),
        ("IT-0004", "Room 1"),
    ] {
        db.ok(&["add", "--tag", tag, "--name", &format!("Laptop {tag}")]);
        db.ok(&["assign", tag, "--location", room]);
    }
}

#[test]
fn a_scripted_stocktake_of_one_room() {
    let db = TestDb::new();
    seed(&db);
    let said = db.ok(&[
        "stocktake",
        "start",
        "--name",
        "Q3 Room 1",
        "--by",
        "Alex",
        "--location",
        "room 1",
    ]);
    assert!(said.contains("expected 3"), "{said}");
    let said = db.ok(&[
        "stocktake",
        "scan",
        "IT-0001",
        "it-0002",
        "NEW-77",
        "--move",
    ]);
    assert!(said.contains("IT-0001: found"), "{said}");
    assert!(
        said.contains("IT-0002: found elsewhere (the register has it at Room 2); moved to Room 1"),
        "{said}"
    );
    assert!(
        said.contains("NEW-77: unexpected: No asset in the register has this tag"),
        "{said}"
    );
    let out = db.cli_with_stdin(&["stocktake", "scan", "-"], "IT-0004\nIT-0001\n");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("IT-0004: found") && said.contains("IT-0001: already scanned"),
        "{said}"
    );
    let status = db.json(&["stocktake", "status", "--list", "not-seen", "--json"]);
    assert_eq!(status["stocktake"]["counts"]["not_seen"], 1);
    assert_eq!(status["items"][0]["tag"], "IT-0003");

    let said = db.ok(&[
        "stocktake",
        "finish",
        "--lost",
        "IT-0003",
        "--note",
        "Not in the cupboard",
    ]);
    assert!(said.contains("missing 1 (Lost/Stolen 1)"), "{said}");
    let show = db.json(&["show", "IT-0003", "--json"]);
    assert_eq!(show["status"], "lost_stolen");
    let history = db.ok(&["history", "IT-0003"]);
    assert!(
        history.contains("not_seen") && history.contains("Not in the cupboard"),
        "{history}"
    );
    let history = db.ok(&["history", "IT-0002"]);
    assert!(
        history.contains("seen") && history.contains("location: Room 2 -> Room 1"),
        "{history}"
    );

    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("stocktake.pdf");
    db.ok(&["stocktake", "report", "--out", pdf.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    let verify = db.json(&["verify", "--json"]);
    let head = verify["head_hash"].as_str().unwrap().to_string();
    for needle in [
        "Stocktake report",
        "Q3 Room 1",
        "Counted by",
        "Alex",
        "Found where expected",
        "Found elsewhere (1)",
        "Unexpected (1)",
        "NEW-77",
        "Missing (1)",
        "IT-0003",
        "Missing, marked",
        "Audit trail at the start",
        "Audit trail at the finish",
    ] {
        assert!(text.contains(needle), "the report lacks {needle:?}: {text}");
    }
    // The finish head is the one before the finishing event: verify's head follows it by one.
    let finish_head = status_field(&db, "finish_head");
    assert!(text.replace('\n', "").contains(&finish_head), "{text}");
    assert_ne!(finish_head, head);
    let count = verify["event_count"].as_i64().unwrap();
    assert_eq!(status_i64(&db, "finish_event_count") + 1, count);
}

fn status_field(db: &TestDb, key: &str) -> String {
    db.json(&["stocktake", "status", "--json"])["stocktake"][key]
        .as_str()
        .unwrap()
        .to_string()
}

fn status_i64(db: &TestDb, key: &str) -> i64 {
    db.json(&["stocktake", "status", "--json"])["stocktake"][key]
        .as_i64()
        .unwrap()
}

#[test]
fn refusals_explain_and_change_nothing() {
    let db = TestDb::new();
    seed(&db);
    let before = db.snapshot();
    for (args, want) in [
        (vec!["stocktake", "scan", "IT-0001"], "no stocktake is open"),
        (vec!["stocktake", "finish"], "no stocktake is open"),
        (
            vec![
                "stocktake",
                "start",
                "--name",
                "X",
                "--by",
                "A",
                "--location",
                "Attic",
            ],
            "no location called “Attic”",
        ),
        (
            vec!["stocktake", "start", "--name", " ", "--by", "A"],
            "enter a name",
        ),
        (
            vec![
                "stocktake",
                "start",
                "--name",
                "X",
                "--by",
                "A",
                "--date",
                "2024-02-30",
            ],
            "not a real date",
        ),
        (
            vec!["stocktake", "status", "--list", "lost"],
            "no stocktake is open",
        ),
    ] {
        let err = db.fails(&args);
        assert!(err.contains(want), "{args:?}: {err}");
    }
    assert_eq!(db.snapshot(), before, "a refusal changes nothing");
    db.ok(&["stocktake", "start", "--name", "All", "--by", "Alex"]);
    let before = db.snapshot();
    for (args, want) in [
        (
            vec!["stocktake", "start", "--name", "Y", "--by", "A"],
            "still open",
        ),
        (
            vec!["stocktake", "finish", "--lost", "IT-9999"],
            "not an unseen item",
        ),
        (
            vec!["stocktake", "status", "--list", "lost"],
            "not an outcome",
        ),
        (
            vec!["stocktake", "scan", "IT-0001", "--room", "Garage"],
            "no location called",
        ),
    ] {
        let out = db.cli(&args);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(all.contains(want), "{args:?}: {all}");
    }
    assert_eq!(db.snapshot(), before, "a refusal changes nothing");
}

#[test]
fn a_stocktake_started_by_mistake_is_cancelled() {
    let db = TestDb::new();
    seed(&db);
    db.ok(&["stocktake", "start", "--name", "Oops", "--by", "Alex"]);
    db.ok(&["stocktake", "scan", "IT-0001"]);
    let said = db.ok(&["stocktake", "cancel", "--reason", "Wrong building"]);
    assert!(
        said.contains("cancelled") && said.contains("missing 0"),
        "{said}"
    );
    let show = db.json(&["show", "IT-0003", "--json"]);
    assert_eq!(show["status"], "deployed", "nothing was marked missing");
    let history = db.ok(&["history"]);
    assert!(
        history.contains("stocktake_cancelled") && history.contains("Wrong building"),
        "{history}"
    );
    // A new one may start.
    db.ok(&["stocktake", "start", "--name", "Again", "--by", "Alex"]);
}
