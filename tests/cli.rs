//! The CLI as scripts use it: every spelling in the README, JSON keys, refusals and exit codes.

use crate::util::TestDb;

fn add_full(db: &TestDb) {
    db.ok(&[
        "add",
        "--tag",
        "IT-0001",
        "--name",
        "Dell Latitude 5440",
        "--category",
        "Laptop",
        "--make",
        "Dell",
        "--model",
        "Latitude 5440",
        "--serial",
        "5CD1234XYZ",
        "--purchase-date",
        "2024-01-15",
        "--cost",
        "1249.99",
        "--supplier",
        "Insight UK",
        "--warranty-expires",
        "2027-01-15",
        "--notes",
        "Finance team laptop",
    ]);
}

#[test]
fn init_creates_the_register() {
    let db = TestDb::new();
    let out = db.ok(&["init"]);
    assert!(out.contains("register.db"), "{out}");
    assert!(db.path.exists());
}

#[test]
fn every_field_round_trips_through_show_json() {
    let db = TestDb::new();
    add_full(&db);
    let a = db.json(&["show", "it-0001", "--json"]);
    let expect = [
        ("asset_tag", "IT-0001"),
        ("name", "Dell Latitude 5440"),
        ("category", "Laptop"),
        ("make", "Dell"),
        ("model", "Latitude 5440"),
        ("serial_number", "5CD1234XYZ"),
        ("purchase_date", "2024-01-15"),
        ("purchase_cost", "1249.99"),
        ("supplier", "Insight UK"),
        ("warranty_expires", "2027-01-15"),
        ("status", "available"),
        ("notes", "Finance team laptop"),
    ];
    for (k, v) in expect {
        assert_eq!(a[k], v, "{k}");
    }
    assert!(a["assigned_to"].is_null());
    assert!(a["location"].is_null());
}

#[test]
fn assign_return_status_and_history() {
    let db = TestDb::new();
    add_full(&db);
    db.ok(&[
        "assign",
        "IT-0001",
        "--person",
        "Sam Patel",
        "--note",
        "new starter",
    ]);
    let a = db.json(&["show", "IT-0001", "--json"]);
    assert_eq!(
        (a["status"].as_str(), a["assigned_to"].as_str()),
        (Some("deployed"), Some("Sam Patel"))
    );
    db.ok(&["return", "IT-0001", "--note", "leaving"]);
    db.ok(&[
        "status",
        "IT-0001",
        "In Maintenance",
        "--note",
        "screen flicker",
    ]);
    db.ok(&["status", "IT-0001", "available"]);
    db.ok(&["assign", "IT-0001", "--location", "Reception"]);
    let a = db.json(&["show", "IT-0001", "--json"]);
    assert_eq!(
        (a["status"].as_str(), a["location"].as_str()),
        (Some("deployed"), Some("Reception"))
    );
    db.ok(&[
        "edit",
        "IT-0001",
        "--supplier",
        "CDW",
        "--note",
        "moved contract",
    ]);

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
            "assigned",
            "returned",
            "status_changed",
            "status_changed",
            "assigned",
            "edited"
        ]
    );
    for e in h.as_array().unwrap() {
        assert_eq!(e["source"], "cli");
        assert!(e["at"].as_str().unwrap().ends_with('Z'));
    }
    let assigned = &h[1];
    assert_eq!(assigned["note"], "new starter");
    assert!(assigned["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["field"] == "assigned_to" && c["new"] == "Sam Patel"));
    let status = &h[3];
    assert_eq!(status["note"], "screen flicker");
    assert!(status["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["field"] == "status"
            && c["old"] == "available"
            && c["new"] == "in_maintenance"));
    let edit = &h[6]["changes"][0];
    assert_eq!(
        (
            edit["field"].as_str(),
            edit["old"].as_str(),
            edit["new"].as_str()
        ),
        (Some("supplier"), Some("Insight UK"), Some("CDW"))
    );
    // The text form reads too.
    let text = db.ok(&["history", "IT-0001"]);
    assert!(text.contains("supplier: Insight UK -> CDW"), "{text}");
}

#[test]
fn refusals_leave_the_register_unchanged() {
    let db = TestDb::new();
    add_full(&db);
    db.ok(&["add", "--tag", "IT-0002", "--name", "Spare phone"]);
    db.ok(&["status", "IT-0002", "Lost/Stolen"]);
    let before = db.snapshot();
    let cases: &[(&[&str], &str)] = &[
        (&["add", "--tag", "it-0001", "--name", "dup"], "IT-0001"),
        (
            &[
                "add",
                "--tag",
                "IT-0003",
                "--name",
                "x",
                "--serial",
                " 5cd1234xyz ",
            ],
            "already on IT-0001",
        ),
        (
            &[
                "add",
                "--tag",
                "IT-0003",
                "--name",
                "x",
                "--purchase-date",
                "2023-02-30",
            ],
            "not a real date",
        ),
        (
            &["add", "--tag", "IT-0003", "--name", "x", "--cost", "-5"],
            "negative",
        ),
        (
            &["add", "--tag", "IT-0003", "--name", "x", "--cost", "12.345"],
            "two decimal",
        ),
        (&["add", "--tag", "", "--name", "x"], "tag"),
        (&["assign", "IT-0002", "--person", "Sam"], "Lost/Stolen"),
        (&["return", "IT-0001"], "not assigned"),
        (&["status", "IT-0001", "deployed"], "assign it"),
        (&["status", "IT-0001", "broken"], "not a status"),
        (&["status", "IT-0001", "available"], "already Available"),
        (&["edit", "IT-0001", "--tag", "IT-0002"], "IT-0002"),
        (
            &["edit", "IT-0001", "--warranty-expires", "2020-01-01"],
            "before the purchase date",
        ),
        (&["show", "IT-9999"], "not found"),
    ];
    for (args, needle) in cases {
        let err = db.fails(args);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(
            !err.contains("SQL") && !err.contains("constraint"),
            "raw SQL error leaked: {err}"
        );
    }
    assert_eq!(db.snapshot(), before);
    // Nobody called Sam was created by the refused assignment.
    assert_eq!(db.json(&["people", "--json"]), serde_json::json!([]));
}

#[test]
fn list_searches_and_filters() {
    let db = TestDb::new();
    add_full(&db);
    db.ok(&[
        "add",
        "--tag",
        "IT-0002",
        "--name",
        "iPhone 15",
        "--make",
        "Apple",
        "--serial",
        "F2LXK9",
    ]);
    db.ok(&[
        "add",
        "--tag",
        "IT-0003",
        "--name",
        "Dell monitor",
        "--make",
        "Dell",
    ]);
    db.ok(&["assign", "IT-0002", "--person", "Jürgen Weiß"]);
    let tags = |args: &[&str]| -> Vec<String> {
        let v = db.json(args);
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| a["asset_tag"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        tags(&["list", "--json", "--search", "dell"]),
        ["IT-0001", "IT-0003"]
    );
    assert_eq!(tags(&["list", "--json", "--search", "jurgen"]), ["IT-0002"]);
    assert_eq!(tags(&["list", "--json", "--search", "f2lx"]), ["IT-0002"]);
    assert_eq!(
        tags(&["list", "--json", "--status", "deployed"]),
        ["IT-0002"]
    );
    assert_eq!(tags(&["list", "--json"]).len(), 3);
    let text = db.ok(&["list"]);
    assert!(
        text.contains("3 asset(s)") && text.contains("Jürgen Weiß"),
        "{text}"
    );
}

#[test]
fn archive_keeps_history() {
    let db = TestDb::new();
    add_full(&db);
    db.ok(&["archive", "IT-0001", "--note", "sold to staff"]);
    assert_eq!(db.json(&["list", "--json"]), serde_json::json!([]));
    let h = db.json(&["history", "IT-0001", "--json"]);
    assert_eq!(h.as_array().unwrap().last().unwrap()["kind"], "archived");
    assert!(db
        .fails(&["edit", "IT-0001", "--name", "x"])
        .contains("archived"));
}

#[test]
fn env_var_names_the_register() {
    let db = TestDb::new();
    let out = std::process::Command::new(crate::util::cli_bin())
        .args(["init"])
        .env("ASSET_REGISTER_DB", &db.path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(db.path.exists());
}

#[test]
fn hostile_text_is_stored_as_data() {
    let db = TestDb::new();
    let name = "<img src=x onerror=alert(1)>'; DROP TABLE assets; --";
    db.ok(&[
        "add",
        "--tag",
        "IT-0001",
        "--name",
        name,
        "--notes",
        "line one\nline two",
    ]);
    let a = db.json(&["show", "IT-0001", "--json"]);
    assert_eq!(a["name"], name);
    assert_eq!(a["notes"], "line one\nline two");
    assert!(db
        .fails(&["add", "--tag", "IT-0002", "--name", "bad\u{7}bell"])
        .contains("control characters"));
}

#[test]
fn a_register_from_a_newer_version_is_refused() {
    let db = TestDb::new();
    db.ok(&["init"]);
    {
        let conn = rusqlite_conn(&db.path);
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    assert!(db.fails(&["list"]).contains("newer version"));
}

#[test]
fn a_file_that_is_not_a_register_is_refused() {
    let db = TestDb::new();
    std::fs::write(
        &db.path,
        b"name,tag\nthis is a csv, not a database\n".repeat(200),
    )
    .unwrap();
    let before = std::fs::read(&db.path).unwrap();
    assert!(db.fails(&["list"]).contains("not an Asset Register file"));
    assert_eq!(
        std::fs::read(&db.path).unwrap(),
        before,
        "the file is left untouched"
    );
}

pub fn rusqlite_conn(path: &std::path::Path) -> register_core::Connection {
    register_core::Connection::open(path).unwrap()
}

#[test]
fn the_cli_version_is_the_apps() {
    let out = std::process::Command::new(crate::util::cli_bin())
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        printed.trim(),
        format!("asset-register-cli {}", env!("CARGO_PKG_VERSION"))
    );
}

// See: issue #19, item 11 (`history --json | grep -q …` ended with "error: JSON error: Broken
// pipe (os error 32)")
/// A reader that stops early (`| head`, `| grep -q`) ends the command quietly and successfully,
/// for JSON and for text, whether the output is long or one line.
#[test]
fn issue_19_a_closed_pipe_ends_the_command_quietly() {
    use std::process::{Command, Stdio};
    let db = TestDb::new();
    // Enough history (well over a pipe's 64 KiB buffer) that the writer must meet the closed end.
    let conn = db.open();
    conn.write(register_core::Source::Cli, |tx| {
        for i in 1..=400 {
            let input = register_core::AssetInput {
                asset_tag: format!("IT-{i:04}"),
                name: format!("Laptop number {i} with a fairly long name for the history"),
                ..Default::default()
            };
            register_core::assets::create_asset(tx, &input, Some("bought in bulk"))?;
        }
        Ok(())
    })
    .unwrap();
    drop(conn);
    for args in [
        &["history", "--json"][..],
        &["history"],
        &["list", "--json"],
        &["list"],
        &["show", "IT-0001"],
    ] {
        let mut child = Command::new(crate::util::cli_bin())
            .arg("--db")
            .arg(&db.path)
            .args(args)
            .env_remove("ASSET_REGISTER_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before reading a byte.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.is_empty(), "{args:?} printed: {stderr}");
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
    }
}

/// The commands a team register's CLI has too, on a file: moving an asset, people added, edited,
/// leaving and rejoining, locations and categories listed, each change an event.
#[test]
fn people_places_and_moves_on_a_file() {
    let db = TestDb::new();
    db.ok(&[
        "add",
        "--tag",
        "IT-1",
        "--name",
        "Laptop",
        "--category",
        "Laptop",
    ]);
    assert_eq!(
        db.ok(&["assign", "IT-1", "--person", "Sam Patel"]).trim(),
        "IT-1 assigned to Sam Patel"
    );
    // One a person holds comes back, there.
    assert_eq!(
        db.ok(&["move", "IT-1", "--location", "Leeds", "--note", "found"])
            .trim(),
        "IT-1 moved to Leeds"
    );
    let a = db.json(&["show", "IT-1", "--json"]);
    assert_eq!(
        (a["location"].as_str(), a["status"].as_str()),
        (Some("Leeds"), Some("available"))
    );
    assert!(db
        .fails(&["move", "IT-1", "--location", "leeds"])
        .contains("already"));
    // One nobody holds keeps its status and is now there.
    assert_eq!(
        db.ok(&["move", "IT-1", "--location", "York"]).trim(),
        "IT-1 moved to York"
    );

    assert_eq!(
        db.ok(&["person", "add", "Ann Lee", "--email", "ann@example.org"])
            .trim(),
        "Added Ann Lee"
    );
    assert!(db
        .fails(&["person", "add", "ann lee"])
        .contains("already in the register"));
    assert_eq!(
        db.ok(&["person", "edit", "ANN LEE", "--department", "IT"])
            .trim(),
        "Updated Ann Lee"
    );
    assert_eq!(
        db.ok(&["person", "edit", "Ann Lee", "--department", "IT"])
            .trim(),
        "Ann Lee: nothing changed"
    );
    let people = db.json(&["people", "--json"]);
    let ann = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Ann Lee")
        .unwrap();
    assert_eq!(
        (ann["email"].as_str(), ann["department"].as_str()),
        (Some("ann@example.org"), Some("IT"))
    );
    assert!(db
        .ok(&["person", "leave", "Ann Lee"])
        .starts_with("Ann Lee has left ("));
    assert!(db.ok(&["people"]).contains("Ann Lee (left "));
    assert!(db
        .fails(&["assign", "IT-1", "--person", "Ann Lee"])
        .contains("has left"));
    assert_eq!(
        db.ok(&["person", "rejoin", "Ann Lee"]).trim(),
        "Ann Lee is active"
    );
    assert!(db
        .fails(&["person", "leave", "Nobody"])
        .contains("not found"));

    assert_eq!(
        db.ok(&["locations"]),
        "Leeds: 0 asset(s)\nYork: 1 asset(s)\n"
    );
    let cats = db.json(&["categories", "--json"]);
    assert_eq!(
        (cats[0]["name"].as_str(), cats[0]["asset_count"].as_i64()),
        (Some("Laptop"), Some(1))
    );

    let kinds: Vec<String> = db
        .json(&["history", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["entity"].as_str().unwrap(),
                e["kind"].as_str().unwrap()
            )
        })
        .collect();
    // Moving an asset a person held back to a location is its return; moving it on, a move.
    for want in [
        "asset returned",
        "asset moved",
        "person created",
        "person edited",
        "person left",
        "person rejoined",
    ] {
        assert!(kinds.iter().any(|k| k == want), "{want} not in {kinds:?}");
    }
}

/// `team` commands need a team register's URL: given a file, they are refused and the file is
/// not made.
#[test]
fn team_commands_refuse_a_file() {
    let db = TestDb::new();
    let why = db.fails(&["team", "grant", "--login", "alice", "--role", "editor"]);
    assert!(
        why.contains("`team grant` works on a team register"),
        "{why}"
    );
    assert!(!db.path.exists());
}
