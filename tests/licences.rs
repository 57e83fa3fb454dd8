//! Licences, renewals and offboarding with licence seats, through the CLI on a real file.

use crate::util::TestDb;

fn day(offset: u64) -> String {
    (chrono::Local::now().date_naive() + chrono::Days::new(offset))
        .format("%Y-%m-%d")
        .to_string()
}

#[test]
fn a_licence_key_can_come_from_standard_input_not_the_command_line() {
    let db = TestDb::new();
    let args = [
        "licence",
        "add",
        "--product",
        "Office",
        "--seats",
        "3",
        "--key",
        "-",
    ];
    let out = db.cli_with_stdin(&args, "OFF-9999-AAAA-BBBB\n");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = db.json(&["licence", "show", "Office", "--json", "--reveal-key"]);
    assert_eq!(shown["licence_key"], "OFF-9999-AAAA-BBBB");
    // Nothing on standard input: refused, nothing added.
    let out = db.cli_with_stdin(
        &[
            "licence",
            "add",
            "--product",
            "Visio",
            "--seats",
            "1",
            "--key",
            "-",
        ],
        "",
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("standard input"), "{err}");
    assert_eq!(
        db.json(&["licence", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let help = db.ok(&["licence", "add", "--help"]);
    assert!(help.contains("standard input"), "{help}");
}

#[test]
fn licences_keep_seats_within_limits_and_keys_masked() {
    let db = TestDb::new();
    let out = db.ok(&[
        "licence",
        "add",
        "--product",
        "Adobe Acrobat Pro",
        "--seats",
        "2",
        "--vendor",
        "Adobe",
        "--renewal",
        "2027-04-01",
        "--cost",
        "359.88",
        "--period",
        "yearly",
        "--key",
        "ACRO-1234-5678-WXYZ",
    ]);
    assert!(out.contains("Added licence #1"), "{out}");
    let list = db.ok(&["licence", "list"]);
    assert!(list.contains("•••• WXYZ"), "{list}");
    assert!(
        !list.contains("ACRO-1234"),
        "the key is masked in lists: {list}"
    );
    let json = db.json(&["licence", "list", "--json"]);
    assert_eq!(json[0]["key_hint"], "•••• WXYZ");
    assert_eq!(json[0]["cost"], "359.88");
    assert!(!json.to_string().contains("ACRO-1234"));
    let shown = db.json(&[
        "licence",
        "show",
        "adobe acrobat pro",
        "--json",
        "--reveal-key",
    ]);
    assert_eq!(shown["licence_key"], "ACRO-1234-5678-WXYZ");

    db.ok(&["licence", "assign", "#1", "Sam Patel"]);
    db.ok(&["licence", "assign", "Adobe Acrobat Pro", "Ana Ruiz"]);
    let err = db.fails(&["licence", "assign", "1", "Bo Chen"]);
    assert!(err.contains("all 2 seats"), "{err}");
    let err = db.fails(&["licence", "edit", "1", "--seats", "1"]);
    assert!(err.contains("2 seats are in use"), "{err}");
    db.ok(&["licence", "unassign", "1", "Sam Patel"]);
    let shown = db.json(&["licence", "show", "1", "--json"]);
    assert_eq!(shown["seats_used"], 1);
    assert_eq!(shown["seat_holders"][0]["person_name"], "Ana Ruiz");
}

#[test]
fn seats_history_and_archive() {
    let db = TestDb::new();
    db.ok(&[
        "licence",
        "add",
        "--product",
        "Figma",
        "--seats",
        "3",
        "--key",
        "FIG-0000-1111",
    ]);
    db.ok(&[
        "licence",
        "assign",
        "Figma",
        "Sam Patel",
        "--note",
        "design work",
    ]);
    let err = db.fails(&["licence", "archive", "Figma"]);
    assert!(err.contains("release it"), "{err}");
    db.ok(&["licence", "unassign", "Figma", "sam patel"]);
    let err = db.fails(&["licence", "unassign", "Figma", "Sam Patel"]);
    assert!(err.contains("has no seat"), "{err}");
    db.ok(&[
        "licence",
        "edit",
        "Figma",
        "--key",
        "FIG-0000-2222",
        "--cost",
        "12",
        "--period",
        "monthly",
    ]);
    db.ok(&["licence", "archive", "Figma", "--note", "moved to Penpot"]);
    let h = db.json(&["licence", "history", "Figma", "--json"]);
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
            "seat_assigned",
            "seat_released",
            "edited",
            "archived"
        ]
    );
    assert!(
        !h.to_string().contains("FIG-0000"),
        "no clear key in the trail"
    );
    assert!(h.to_string().contains("•••• 2222"));
    assert_eq!(h[1]["note"], "design work");
    assert!(db.ok(&["licence", "list"]).contains("0 licence(s)"));
    assert!(db.ok(&["licence", "list", "--all"]).contains("(archived)"));
    // Licence events are part of the one chain that verify checks.
    let v = db.json(&["verify", "--json"]);
    assert_eq!(v["ok"], true);
    assert_eq!(
        v["event_count"], 6,
        "5 licence events + the person created: {v}"
    );
    let err = db.fails(&["licence", "show", "Zoom"]);
    assert!(err.contains("not found"), "{err}");
}

#[test]
fn a_person_who_left_gets_no_seat() {
    let db = TestDb::new();
    db.ok(&["licence", "add", "--product", "Slack", "--seats", "5"]);
    db.ok(&["add", "--tag", "IT-1", "--name", "Laptop"]);
    db.ok(&["assign", "IT-1", "--person", "Sam Patel"]);
    db.ok(&["return", "IT-1"]);
    let core = db.open();
    let sam = core
        .read(|c| register_core::people::find_person(c, "Sam Patel"))
        .unwrap()
        .unwrap();
    core.write(register_core::Source::Cli, |tx| {
        register_core::people::set_person_left(tx, sam.id, true, None)
    })
    .unwrap();
    drop(core);
    let err = db.fails(&["licence", "assign", "Slack", "Sam Patel"]);
    assert!(err.contains("has left"), "{err}");
}

#[test]
fn expiring_and_renewals_include_licences_with_costs() {
    let db = TestDb::new();
    db.ok(&[
        "add",
        "--tag",
        "IT-1",
        "--name",
        "Soon",
        "--warranty-expires",
        &day(20),
        "--cost",
        "800",
    ]);
    db.ok(&[
        "licence",
        "add",
        "--product",
        "Zoom",
        "--seats",
        "4",
        "--renewal",
        &day(10),
        "--cost",
        "149.90",
        "--period",
        "yearly",
    ]);
    db.ok(&[
        "licence",
        "add",
        "--product",
        "Later",
        "--seats",
        "1",
        "--renewal",
        &day(200),
        "--cost",
        "10",
        "--period",
        "one-off",
    ]);
    let due = db.json(&["expiring", "--json"]);
    let items = due.as_array().unwrap();
    let summary: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i["kind"].as_str().unwrap(), i["name"].as_str().unwrap()))
        .collect();
    assert_eq!(summary, [("licence", "Zoom"), ("warranty", "Soon")]);
    assert_eq!(items[0]["cost"], "149.90");
    assert_eq!(items[1]["asset_tag"], "IT-1");
    assert_eq!(
        db.json(&["expiring", "--within", "365", "--json"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let text = db.ok(&["expiring"]);
    assert!(
        text.contains("1 warranty(ies) end and 1 licence renewal(s)"),
        "{text}"
    );

    let f = db.json(&["renewals", "--from", "2026-01-15", "--json"]);
    assert_eq!(f["months"].as_array().unwrap().len(), 12);
    assert_eq!(f["months"][0]["month"], "2026-01");
    assert_eq!(f["until"], "2026-12-31");
    let text = db.ok(&["renewals"]);
    assert!(text.contains("licence renews Zoom"), "{text}");
    assert!(text.contains("warranty ends  IT-1 Soon"), "{text}");
    assert!(text.contains("Total "), "{text}");
}

#[test]
fn offboard_lists_and_releases_licence_seats() {
    let db = TestDb::new();
    db.ok(&["add", "--tag", "IT-1", "--name", "Laptop"]);
    db.ok(&["assign", "IT-1", "--person", "Sam Patel"]);
    db.ok(&["licence", "add", "--product", "Figma", "--seats", "2"]);
    db.ok(&["licence", "assign", "Figma", "Sam Patel"]);
    let list = db.json(&["offboard", "Sam Patel", "--json"]);
    assert_eq!(list["assets"].as_array().unwrap().len(), 1);
    assert_eq!(list["licence_seats"][0]["product"], "Figma");
    let text = db.ok(&["offboard", "Sam Patel"]);
    assert!(text.contains("1 asset(s) and 1 licence seat(s)"), "{text}");
    assert!(text.contains("[ ] licence seat: Figma"), "{text}");
    let out = db.ok(&[
        "offboard",
        "Sam Patel",
        "--return-all",
        "--location",
        "Store room",
    ]);
    assert!(
        out.contains("Returned 1 asset(s) and released 1 licence seat(s)"),
        "{out}"
    );
    assert_eq!(
        db.json(&["licence", "show", "Figma", "--json"])["seats_used"],
        0
    );
    let h = db.json(&["licence", "history", "Figma", "--json"]);
    assert_eq!(
        h.as_array().unwrap().last().unwrap()["kind"],
        "seat_released"
    );
}

#[test]
fn offboarding_checklist_pdf_names_the_person_and_every_item() {
    use register_core::offboarding::{self, ItemKind, Resolution};
    let db = TestDb::new();
    db.ok(&[
        "add",
        "--tag",
        "IT-1",
        "--name",
        "ThinkPad X1",
        "--serial",
        "PF-111",
    ]);
    db.ok(&["add", "--tag", "IT-2", "--name", "iPhone 15"]);
    db.ok(&["assign", "IT-1", "--person", "Sam Patel"]);
    db.ok(&["assign", "IT-2", "--person", "Sam Patel"]);
    db.ok(&[
        "licence",
        "add",
        "--product",
        "Figma",
        "--seats",
        "2",
        "--vendor",
        "Figma Inc",
    ]);
    db.ok(&["licence", "assign", "Figma", "Sam Patel"]);
    let core = db.open();
    let sam = core
        .read(|c| register_core::people::find_person(c, "Sam Patel"))
        .unwrap()
        .unwrap();
    let leaving = chrono::NaiveDate::from_ymd_opt(2026, 12, 18).unwrap();
    let it1 = core
        .read(|c| register_core::assets::find_asset(c, "IT-1"))
        .unwrap()
        .id;
    core.write(register_core::Source::App, |tx| {
        offboarding::start_offboarding(tx, sam.id, leaving, None)?;
        offboarding::resolve_item(
            tx,
            sam.id,
            ItemKind::Asset,
            it1,
            &Resolution::Returned {
                location: Some("Store room".into()),
            },
            None,
        )
    })
    .unwrap();
    drop(core);
    let pdf = db.path.with_file_name("checklist.pdf");
    let out = db.ok(&["offboard", "Sam Patel", "--pdf", pdf.to_str().unwrap()]);
    assert!(out.contains("Wrote"), "{out}");
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is installed");
    let text = String::from_utf8_lossy(&text.stdout);
    for want in [
        "Offboarding checklist",
        "Sam Patel",
        "2026-12-18",
        "IT-1 ThinkPad X1",
        "Returned to Store room",
        "IT-2 iPhone 15",
        "Figma (licence seat)",
        "Figma Inc",
        "☐ returned",
        "signature",
        "2 still to collect",
    ] {
        assert!(text.contains(want), "{want:?} missing from:\n{text}");
    }
    let check = std::process::Command::new("qpdf")
        .args(["--check", pdf.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn licence_documents_through_the_cli_are_verified_and_backed_up() {
    let db = TestDb::new();
    db.ok(&["licence", "add", "--product", "Figma", "--seats", "2"]);
    let file = db.path.with_file_name("Figma invoice.pdf");
    std::fs::write(&file, b"%PDF-1.4 figma invoice").unwrap();
    let out = db.ok(&[
        "licence",
        "attach",
        "Figma",
        file.to_str().unwrap(),
        "--note",
        "2026",
    ]);
    assert!(out.contains("Attached Figma invoice.pdf to Figma"), "{out}");
    let docs = db.json(&["licence", "documents", "Figma", "--json"]);
    assert_eq!(docs[0]["kind"], "invoice");
    assert_eq!(docs[0]["licence_id"], 1);
    assert!(docs[0]["asset_id"].is_null());
    assert_eq!(
        db.json(&["licence", "show", "Figma", "--json"])["document_count"],
        1
    );
    let v = db.json(&["verify", "--json"]);
    assert_eq!(v["ok"], true, "{v}");
    // A backup carries the licence's document, and a restore checks it.
    let archive = db.path.with_file_name("backup.tar");
    db.ok(&["backup", "--out", archive.to_str().unwrap()]);
    let listing = std::process::Command::new("tar")
        .args(["-tf", archive.to_str().unwrap()])
        .output()
        .unwrap();
    let sha = docs[0]["sha256"].as_str().unwrap();
    assert!(
        String::from_utf8_lossy(&listing.stdout).contains(sha),
        "the backup holds the licence's document"
    );
    let id = docs[0]["id"].to_string();
    db.ok(&["licence", "detach", "Figma", &id, "--note", "wrong file"]);
    assert!(db
        .ok(&["licence", "documents", "Figma"])
        .contains("0 document(s)"));
    let h = db.json(&["licence", "history", "Figma", "--json"]);
    let kinds: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "document_attached", "document_removed"]);
}

// See: issue #19, item 7 (a per-user price showed as the whole licence's)
/// `--per-seat` prices a licence per seat: `show` says so with the whole licence's cost, the
/// renewals forecast multiplies it, `--total` switches back, and the change is in its history.
#[test]
fn issue_19_a_licence_priced_per_seat() {
    let db = TestDb::new();
    db.ok(&[
        "licence",
        "add",
        "--product",
        "Zoom Pro",
        "--seats",
        "10",
        "--cost",
        "10.30",
        "--per-seat",
        "--period",
        "monthly",
        "--renewal",
        "2026-01-20",
    ]);
    let shown = db.ok(&["licence", "show", "Zoom Pro"]);
    assert!(
        shown.contains("10.30 per seat monthly (103.00 for 10 seats)"),
        "{shown}"
    );
    let json = db.json(&["licence", "show", "Zoom Pro", "--json"]);
    assert_eq!(json["cost_basis"], "per_seat");
    assert_eq!(json["period_cost"], "103.00");
    let forecast = || db.json(&["renewals", "--from", "2026-01-15", "--json"]);
    let f = forecast();
    assert_eq!(f["total"], "1236.00", "12 monthly renewals of 103.00: {f}");
    db.ok(&["licence", "edit", "Zoom Pro", "--total"]);
    let f = forecast();
    assert_eq!(f["total"], "123.60", "{f}");
    let h = db.json(&["licence", "history", "Zoom Pro", "--json"]);
    let changes = h.as_array().unwrap().last().unwrap()["changes"].to_string();
    assert!(
        changes.contains("per_seat") && changes.contains("total"),
        "{changes}"
    );
}
