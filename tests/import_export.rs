//! CSV import and export through the core on a file register: every spreadsheet oddity in
//! `fixtures/import-*.csv`, preview without writes, all-or-nothing commits, undo, and the
//! export → import round trip.

use register_core::assets::{self, AssetInput, Holder};
use register_core::import::{
    self, Action, DateOrder, Field, ImportOptions, ImportSummary, OnDuplicate, Plan, TextEncoding,
};
use register_core::{audit, export, Asset, Db, Source, Status};

use crate::util::{fixture, TestDb};

fn opts(file: &str) -> ImportOptions {
    ImportOptions {
        file_name: file.into(),
        ..Default::default()
    }
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

fn plan_of(db: &Db, name: &str, o: &ImportOptions) -> Plan {
    let parsed = import::read_file(&bytes(name)).unwrap();
    db.read(|c| import::preview(c, &parsed, o)).unwrap()
}

fn import_file(db: &Db, name: &str, o: &ImportOptions) -> register_core::Result<ImportSummary> {
    let parsed = import::read_file(&bytes(name)).unwrap();
    db.write(Source::Import, |tx| import::commit(tx, &parsed, o))
}

fn asset(db: &Db, tag: &str) -> Asset {
    db.read(|c| assets::find_asset(c, tag)).unwrap()
}

fn events(db: &Db) -> i64 {
    db.read(audit::head).unwrap().0
}

fn live_count(db: &Db) -> usize {
    db.read(|c| export::list_all_assets(c, false))
        .unwrap()
        .len()
}

fn actions(p: &Plan) -> Vec<Action> {
    p.rows.iter().map(|r| r.action).collect()
}

#[test]
fn preview_writes_nothing() {
    let t = TestDb::new();
    // Closing folds the write-ahead log into the file: compare closed file with closed file.
    drop(t.open());
    let before = std::fs::read(&t.path).unwrap();
    let db = t.open();
    for f in [
        "import-snipe-it-export.csv",
        "import-duplicates.csv",
        "import-status-words.csv",
        "import-one-bad-row.csv",
    ] {
        let o = ImportOptions {
            mapping_overrides: vec![("Tag".into(), Field::AssetTag)],
            ..opts(f)
        };
        let _ = plan_of(&db, f, &opts(f));
        let _ = db.read(|c| {
            let parsed = import::read_file(&bytes(f)).unwrap();
            import::preview(c, &parsed, &o)
        });
    }
    assert_eq!(events(&db), 0);
    assert_eq!(live_count(&db), 0);
    assert!(db.read(import::list_imports).unwrap().is_empty());
    drop(db);
    assert_eq!(
        std::fs::read(&t.path).unwrap(),
        before,
        "the file is untouched"
    );
}

#[test]
fn one_bad_row_imports_nothing_without_skip_invalid() {
    let t = TestDb::new();
    let db = t.open();
    let e = import_file(&db, "import-one-bad-row.csv", &opts("bad.csv")).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("Nothing was imported: 1 row has problems"),
        "{msg}"
    );
    assert!(msg.contains("Line 3, Purchase Date"), "{msg}");
    assert_eq!((events(&db), live_count(&db)), (0, 0));
}

#[test]
fn skip_invalid_imports_the_rest() {
    let t = TestDb::new();
    let db = t.open();
    let o = ImportOptions {
        skip_invalid: true,
        ..opts("bad.csv")
    };
    let s = import_file(&db, "import-one-bad-row.csv", &o).unwrap();
    assert_eq!((s.created, s.invalid.len()), (2, 1));
    assert_eq!(s.invalid[0].line, 3);
    assert_eq!(live_count(&db), 2);
    assert_eq!(
        asset(&db, "IT-1701")
            .purchase_cost
            .map(|m| m.to_string())
            .as_deref(),
        Some("1249.99")
    );
}

#[test]
fn an_import_is_recorded_and_its_events_name_the_file() {
    let t = TestDb::new();
    let db = t.open();
    let s = import_file(&db, "import-pipe.csv", &opts("pipe.csv")).unwrap();
    let list = db.read(import::list_imports).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].file_name.as_str(), list[0].created),
        ("pipe.csv", 2)
    );
    assert_eq!(list[0].sha256, s.sha256);
    assert_eq!(s.sha256.len(), 64);
    let a = asset(&db, "IT-0501");
    let ev = db.read(|c| audit::list_asset_events(c, a.id)).unwrap();
    assert_eq!(ev[0].source, "import");
    let note = ev[0].note.as_deref().unwrap();
    assert!(
        note.contains("pipe.csv") && note.contains(&s.sha256[..12]),
        "{note}"
    );
    let last = &db.read(|c| audit::list_audit_events(c, Some(1))).unwrap()[0];
    assert_eq!(
        (last.kind.as_str(), last.entity.as_str()),
        ("imported", "import")
    );
    assert!(db.read(audit::verify).unwrap().ok);
}

#[test]
fn undo_archives_created_and_reverts_updated_as_one_step() {
    let t = TestDb::new();
    let db = t.open();
    db.write(Source::App, |tx| {
        assets::create_asset(
            tx,
            &AssetInput {
                asset_tag: "EXIST-1".into(),
                name: "Existing laptop".into(),
                serial_number: "EX-1".into(),
                supplier: "CDW".into(),
                ..Default::default()
            },
            None,
        )
    })
    .unwrap();
    let o = ImportOptions {
        on_duplicate: OnDuplicate::Update,
        skip_invalid: true,
        ..opts("dups.csv")
    };
    let s = import_file(&db, "import-duplicates.csv", &o).unwrap();
    assert_eq!((s.created, s.updated), (2, 2), "{s:?}");
    assert_eq!(asset(&db, "EXIST-1").supplier.as_deref(), Some("Insight"));
    let u = db
        .write(Source::App, |tx| import::undo_import(tx, s.import_id))
        .unwrap();
    // IT-1501 was created then updated by the same file: undoing archives it.
    assert_eq!((u.archived, u.reverted), (2, 1));
    assert_eq!(asset(&db, "EXIST-1").supplier.as_deref(), Some("CDW"));
    assert!(asset(&db, "IT-1501").archived);
    assert_eq!(live_count(&db), 1);
    let e = db
        .write(Source::App, |tx| import::undo_import(tx, s.import_id))
        .unwrap_err();
    assert!(e.to_string().contains("already undone"), "{e}");
    assert!(db.read(audit::verify).unwrap().ok);

    // An asset changed after the import blocks its undo, and the refusal changes nothing.
    let s = import_file(&db, "import-pipe.csv", &opts("pipe.csv")).unwrap();
    let a = asset(&db, "IT-0502");
    db.write(Source::App, |tx| {
        assets::assign_asset(tx, a.id, &Holder::Person("Ann".into()), None)
    })
    .unwrap();
    let n = events(&db);
    let e = db
        .write(Source::App, |tx| import::undo_import(tx, s.import_id))
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("1 of its assets has changed since (IT-0502)"),
        "{e}"
    );
    assert_eq!(events(&db), n);
    assert!(!asset(&db, "IT-0501").archived);
}

#[test]
fn encodings_and_delimiters() {
    let t = TestDb::new();
    let db = t.open();
    let cases = [
        ("import-utf8-bom.csv", TextEncoding::Utf8Bom, ','),
        ("import-utf16le.csv", TextEncoding::Utf16Le, '\t'),
        ("import-windows-1252.csv", TextEncoding::Windows1252, ','),
        ("import-tab.csv", TextEncoding::Utf8, '\t'),
        ("import-pipe.csv", TextEncoding::Utf8, '|'),
        (
            "import-semicolon-decimal-comma.csv",
            TextEncoding::Utf8,
            ';',
        ),
    ];
    for (f, enc, delim) in cases {
        let p = import::read_file(&bytes(f)).unwrap();
        assert_eq!((p.encoding, p.delimiter), (enc, delim), "{f}");
    }
    for f in [
        "import-utf8-bom.csv",
        "import-utf16le.csv",
        "import-windows-1252.csv",
        "import-tab.csv",
    ] {
        import_file(&db, f, &opts(f)).unwrap();
    }
    assert_eq!(asset(&db, "IT-0001").name, "Laptop Zoë");
    assert_eq!(asset(&db, "IT-0002").name, "Écran 27\"");
    assert_eq!(asset(&db, "IT-0101").name, "ThinkPad Ü");
    assert_eq!(
        asset(&db, "IT-0102")
            .purchase_cost
            .map(|m| m.to_string())
            .as_deref(),
        Some("799.50")
    );
    let cafe = asset(&db, "IT-0201");
    assert_eq!(cafe.supplier.as_deref(), Some("Café £ Supplies"));
    assert_eq!(
        cafe.purchase_cost.map(|m| m.to_string()).as_deref(),
        Some("120.00")
    );
    let sw = asset(&db, "IT-0401");
    assert_eq!(
        (sw.serial_number.as_deref(), sw.location.as_deref()),
        (Some("SW-1"), Some("Server room"))
    );

    // A German export: "Inventarnummer" (inventory number) is read as the asset tag.
    let f = "import-semicolon-decimal-comma.csv";
    let p = plan_of(&db, f, &opts(f));
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert_eq!(p.mapping[0].field, import::Field::AssetTag);
    assert_eq!(p.mapping[0].reason, "the header names the asset tag");
    import_file(&db, f, &opts(f)).unwrap();
    let nb = asset(&db, "IT-0301");
    assert_eq!(
        nb.purchase_cost.map(|m| m.to_string()).as_deref(),
        Some("1234.56")
    );
    assert_eq!(nb.purchase_date.as_deref(), Some("2024-01-31"));
    assert_eq!(
        asset(&db, "IT-0302")
            .purchase_cost
            .map(|m| m.to_string())
            .as_deref(),
        Some("249.90")
    );
    assert_eq!(plan_of(&db, f, &opts(f)).counts.duplicate, 3);
}

#[test]
fn quoted_multiline_notes_and_ragged_rows() {
    let t = TestDb::new();
    let db = t.open();
    import_file(&db, "import-multiline-notes.csv", &opts("m.csv")).unwrap();
    assert_eq!(
        asset(&db, "IT-0601").notes.as_deref(),
        Some("Screen replaced 2024-03-01.\nKeyboard sticky, \"E\" key.\nSee ticket #42")
    );
    let p = plan_of(&db, "import-ragged.csv", &opts("r.csv"));
    let errors: Vec<u64> = p
        .rows
        .iter()
        .filter(|r| r.action == Action::Error)
        .map(|r| r.line)
        .collect();
    assert_eq!(errors, vec![3, 4], "a trailing empty cell is not ragged");
    assert!(p.rows[1].errors[0]
        .message
        .contains("has 2 cells but the header has 3"));
}

#[test]
fn dates_day_first_month_first_ambiguous_and_serial() {
    let t = TestDb::new();
    let db = t.open();
    import_file(&db, "import-dates-dmy.csv", &opts("d.csv")).unwrap();
    assert_eq!(
        asset(&db, "IT-0801").purchase_date.as_deref(),
        Some("2024-04-03")
    );
    assert_eq!(
        asset(&db, "IT-0801").warranty_expires.as_deref(),
        Some("2027-04-03")
    );
    import_file(&db, "import-dates-mdy.csv", &opts("m.csv")).unwrap();
    assert_eq!(
        asset(&db, "IT-0901").purchase_date.as_deref(),
        Some("2024-03-04")
    );

    let f = "import-dates-ambiguous.csv";
    let p = plan_of(&db, f, &opts(f));
    assert_eq!(p.ambiguous_date_columns.len(), 1);
    assert_eq!(p.ambiguous_date_columns[0].column, "Purchase Date");
    assert_eq!(
        p.ambiguous_date_columns[0].examples,
        vec!["03/04/2024", "05/06/2024"]
    );
    let e = import_file(
        &db,
        f,
        &ImportOptions {
            skip_invalid: true,
            ..opts(f)
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("day first or month first"), "{e}");
    let o = ImportOptions {
        date_order: Some(DateOrder::Dmy),
        ..opts(f)
    };
    import_file(&db, f, &o).unwrap();
    assert_eq!(
        asset(&db, "IT-1002").purchase_date.as_deref(),
        Some("2024-06-05")
    );
    assert_eq!(
        asset(&db, "IT-1003").purchase_date.as_deref(),
        Some("2024-01-15")
    );

    import_file(&db, "import-serial-dates.csv", &opts("s.csv")).unwrap();
    let a = asset(&db, "IT-1101");
    assert_eq!(a.purchase_date.as_deref(), Some("2024-01-01"));
    assert_eq!(a.warranty_expires.as_deref(), Some("2027-01-01"));
    assert_eq!(
        asset(&db, "IT-1102").purchase_date.as_deref(),
        Some("2024-02-15")
    );
}

#[test]
fn a_snipe_it_export_maps_and_imports() {
    let t = TestDb::new();
    let db = t.open();
    let f = "import-snipe-it-export.csv";
    let p = plan_of(&db, f, &opts(f));
    let fields: Vec<(&str, Field)> = p
        .mapping
        .iter()
        .filter(|m| m.field != Field::Ignore)
        .map(|m| (m.header.as_str(), m.field))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("Asset Name", Field::Name),
            ("Asset Tag", Field::AssetTag),
            ("Model", Field::Model),
            ("Category", Field::Category),
            ("Manufacturer", Field::Make),
            ("Serial", Field::SerialNumber),
            ("Purchase Date", Field::PurchaseDate),
            ("Purchase Cost", Field::PurchaseCost),
            ("Warranty Expires", Field::WarrantyExpires),
            ("Supplier", Field::Supplier),
            ("Location", Field::Location),
            ("Checked Out To", Field::AssignedTo),
            ("Status", Field::Status),
            ("Notes", Field::Notes),
        ]
    );
    import_file(&db, f, &opts(f)).unwrap();
    let sam = asset(&db, "SNIPE-0001");
    assert_eq!(
        (
            sam.status,
            sam.assigned_to.as_deref(),
            sam.purchase_cost.map(|m| m.to_string()).as_deref()
        ),
        (Status::Deployed, Some("Sam Patel"), Some("1249.99"))
    );
    let hp = asset(&db, "SNIPE-0002");
    assert_eq!(hp.name, "HP EliteBook 840", "named from make and model");
    assert_eq!(
        (hp.status, hp.location.as_deref()),
        (Status::Available, Some("Store room"))
    );
    let screen = asset(&db, "SNIPE-0003");
    assert_eq!(
        (
            screen.status,
            screen.assigned_to.as_deref(),
            screen.location.as_deref()
        ),
        (Status::Deployed, None, Some("Boardroom"))
    );
    assert_eq!(asset(&db, "SNIPE-0004").status, Status::Retired);
    assert_eq!(asset(&db, "SNIPE-0005").status, Status::InMaintenance);
}

#[test]
fn status_words_map_and_unknown_ones_ask_for_review() {
    let t = TestDb::new();
    let db = t.open();
    let f = "import-status-words.csv";
    let p = plan_of(&db, f, &opts(f));
    assert_eq!(p.unknown_statuses.len(), 1);
    assert_eq!(
        (
            p.unknown_statuses[0].word.as_str(),
            p.unknown_statuses[0].first_line
        ),
        ("Pending", 10)
    );
    assert!(import_file(&db, f, &opts(f)).is_err());
    let o = ImportOptions {
        status_overrides: vec![("pending".into(), Status::Available)],
        ..opts(f)
    };
    import_file(&db, f, &o).unwrap();
    let got = |tag: &str| {
        let a = asset(&db, tag);
        (a.status, a.assigned_to, a.location)
    };
    let s = |x: &str| Some(x.to_string());
    assert_eq!(got("IT-1301"), (Status::Available, None, None));
    assert_eq!(got("IT-1302"), (Status::Available, None, s("Store room")));
    assert_eq!(got("IT-1303"), (Status::Deployed, s("Chloë Brontë"), None));
    assert_eq!(got("IT-1304"), (Status::Deployed, None, s("Reception")));
    assert_eq!(got("IT-1305").0, Status::InMaintenance);
    assert_eq!(got("IT-1306").0, Status::Retired);
    assert_eq!(got("IT-1307").0, Status::LostStolen);
    assert_eq!(got("IT-1308").0, Status::InMaintenance);
    assert_eq!(got("IT-1309").0, Status::Available);
    assert_eq!(got("IT-1310").0, Status::LostStolen);
}

#[test]
fn a_serial_in_scientific_notation_is_an_error() {
    let t = TestDb::new();
    let db = t.open();
    let p = plan_of(&db, "import-scientific-serial.csv", &opts("s.csv"));
    assert_eq!(actions(&p), vec![Action::Error, Action::New]);
    let e = &p.rows[0].errors[0];
    assert_eq!((e.line, e.column.as_deref()), (2, Some("Serial")));
    assert!(
        e.message.contains("mangled by a spreadsheet"),
        "{}",
        e.message
    );
}

#[test]
fn duplicates_within_the_file_and_against_the_register() {
    let t = TestDb::new();
    let db = t.open();
    for (tag, serial) in [("EXIST-1", "EX-1"), ("EXIST-2", "EX-2")] {
        db.write(Source::App, |tx| {
            let i = AssetInput {
                asset_tag: tag.into(),
                name: "Existing laptop".into(),
                serial_number: serial.into(),
                supplier: "CDW".into(),
                ..Default::default()
            };
            assets::create_asset(tx, &i, None)
        })
        .unwrap();
    }
    use Action::*;
    let f = "import-duplicates.csv";
    let with = |on| ImportOptions {
        on_duplicate: on,
        ..opts(f)
    };
    assert_eq!(
        actions(&plan_of(&db, f, &with(OnDuplicate::Skip))),
        vec![New, Duplicate, Skip, Skip, Duplicate, Skip, Skip]
    );
    assert_eq!(
        actions(&plan_of(&db, f, &with(OnDuplicate::Update))),
        vec![New, Duplicate, Update, Error, Duplicate, Update, Error]
    );
    assert_eq!(
        actions(&plan_of(&db, f, &with(OnDuplicate::Fail))),
        vec![New, Duplicate, Error, Error, Duplicate, Error, Error]
    );
    let s = import_file(&db, f, &with(OnDuplicate::Skip)).unwrap();
    assert_eq!((s.created, s.duplicates, s.skipped), (1, 2, 4));
    assert_eq!(live_count(&db), 3);
}

#[test]
fn formula_cells_are_neutralised_on_export_and_restored_on_import() {
    let t = TestDb::new();
    let db = t.open();
    import_file(&db, "import-formula-injection.csv", &opts("f.csv")).unwrap();
    let a = asset(&db, "IT-1601");
    assert_eq!(a.name, "=HYPERLINK(\"http://evil.example\",\"click\")");
    assert_eq!(a.notes.as_deref(), Some("=1+1"), "our own guard is removed");
    assert_eq!(asset(&db, "IT-1602").name, "-cmd");
    let all = db.read(|c| export::list_all_assets(c, false)).unwrap();
    let mut out = Vec::new();
    export::write_csv(&mut out, &all, false).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("IT-1601,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""),
        "{text}"
    );
    assert!(text.contains("IT-1602,'-cmd,"), "{text}");
    assert!(text.contains("'@SUM(A1)"), "{text}");
    assert!(
        text.contains("IT-1603,-5,"),
        "a plain number is left alone: {text}"
    );
    assert!(text.contains("'+44 20 7946 0000"), "{text}");
}

#[test]
fn json_export_lists_assets() {
    let t = TestDb::new();
    let db = t.open();
    import_file(&db, "import-pipe.csv", &opts("p.csv")).unwrap();
    let all = db.read(|c| export::list_all_assets(c, false)).unwrap();
    let mut out = Vec::new();
    export::write_json(&mut out, &all).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["asset_tag"], "IT-0501");
    assert_eq!(v[0]["supplier"], "Insight UK");
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn maybe(&mut self, xs: &[&str]) -> String {
        if self.below(4) == 0 {
            String::new()
        } else {
            self.pick(xs).to_string()
        }
    }
}

const WORDS: &[&str] = &[
    "Laptop",
    "Dell, Latitude",
    "Say \"cheese\"",
    "=SUM(A1:A9)",
    "-5",
    "-cmd",
    "+44 20 7946 0000",
    "@home",
    "'quoted",
    "'=still a formula",
    "Zoë Brontë",
    "東京オフィス",
    "📱 phone",
    "1,234.50",
    "03/04/2024",
    "a|b;c",
    "  padded  ",
    "O'Brien",
];
const NOTES: &[&str] = &[
    "line one\nline two",
    "comma, \"quote\" and\r\nCRLF",
    "=cmd|' /C calc'!A0",
    "-",
    "plain",
    "ünïcödé\n\n",
    "'@x",
];
const PEOPLE: &[&str] = &["Ann Lee", "=Bob", "Chloë Brontë", "O'Neil, Pat"];
const PLACES: &[&str] = &["Store room", "-Basement", "Bureau 2, étage 3", "HQ"];

fn random_asset(g: &mut Gen, i: usize) -> (AssetInput, Status, Option<Holder>) {
    let prefixes = ["IT-", "=T", "-X", "Ü-", "+", "'"];
    let y = 1990 + g.below(35) as i32;
    let purchase = format!("{y}-{:02}-{:02}", 1 + g.below(12), 1 + g.below(28));
    let warranty = format!(
        "{}-{:02}-{:02}",
        y + 1 + g.below(5) as i32,
        1 + g.below(12),
        1 + g.below(28)
    );
    let input = AssetInput {
        asset_tag: format!("{}{i:04}", prefixes[g.below(prefixes.len())]),
        name: format!("{} {}", g.pick(WORDS), g.pick(WORDS))
            .trim()
            .to_string(),
        category: g.maybe(&["Laptop", "Phone", "=Formula cat", "Écran"]),
        make: g.maybe(WORDS),
        model: g.maybe(WORDS),
        serial_number: if g.below(5) == 0 {
            String::new()
        } else {
            format!("SN{:X}{i}", g.next() % 1_000_000)
        },
        purchase_date: if g.below(3) == 0 {
            String::new()
        } else {
            purchase
        },
        purchase_cost: if g.below(3) == 0 {
            String::new()
        } else {
            let minor = g.next() % 500_000;
            format!("{}.{:02}", minor / 100, minor % 100)
        },
        supplier: g.maybe(WORDS),
        warranty_expires: if g.below(3) == 0 {
            String::new()
        } else {
            warranty
        },
        notes: g.maybe(NOTES),
    };
    let (status, holder) = match g.below(7) {
        0 => (
            Status::Deployed,
            Some(Holder::Person(g.pick(PEOPLE).into())),
        ),
        1 => (
            Status::Deployed,
            Some(Holder::Location(g.pick(PLACES).into())),
        ),
        2 => (
            Status::Available,
            Some(Holder::Location(g.pick(PLACES).into())),
        ),
        3 => (Status::InMaintenance, None),
        4 => (Status::LostStolen, None),
        5 => (Status::Retired, None),
        _ => (Status::Available, None),
    };
    (input, status, holder)
}

/// What a round trip must keep: every field, the status and the holder.
fn essence(a: &Asset) -> (AssetInput, Status, Option<String>, Option<String>) {
    (
        a.to_input(),
        a.status,
        a.assigned_to.clone(),
        a.location.clone(),
    )
}

#[test]
fn export_then_import_into_an_empty_register_gives_the_same_assets() {
    let t = TestDb::new();
    let db = t.open();
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    db.write(Source::App, |tx| {
        for i in 0..300 {
            let (input, status, holder) = random_asset(&mut g, i);
            let a = assets::create_asset(tx, &input, None)?;
            if let Some(h) = &holder {
                assets::assign_asset(tx, a.id, h, None)?;
            }
            if status != Status::Deployed && status != Status::Available
                || holder.is_some() && status == Status::Available
            {
                assets::change_status(tx, a.id, status, None)?;
            }
        }
        Ok(())
    })
    .unwrap();
    let original = db.read(|c| export::list_all_assets(c, false)).unwrap();
    assert_eq!(original.len(), 300);
    for bom in [false, true] {
        let mut csv = Vec::new();
        export::write_csv(&mut csv, &original, bom).unwrap();
        let t2 = TestDb::new();
        let db2 = t2.open();
        let parsed = import::read_file(&csv).unwrap();
        let s = db2
            .write(Source::Import, |tx| {
                import::commit(tx, &parsed, &opts("export.csv"))
            })
            .unwrap();
        assert_eq!(s.created, 300, "{:?}", s.invalid.first());
        let back = db2.read(|c| export::list_all_assets(c, false)).unwrap();
        for (a, b) in original.iter().zip(&back) {
            assert_eq!(essence(a), essence(b), "{}", a.asset_tag);
        }
        assert_eq!(back.len(), original.len());
        // And the second export is byte-for-byte the first.
        let mut again = Vec::new();
        export::write_csv(&mut again, &back, bom).unwrap();
        assert_eq!(again, csv);
    }
}

/// Undo, fix the file, import again: the assets the undo took away come back (their tags stay
/// reserved, so they are restored, not created twice), searchable, with their history whole.
#[test]
fn a_file_imported_again_after_its_undo_brings_its_assets_back() {
    let t = TestDb::new();
    let db = t.open();
    let csv = "Tag,Name,Serial,Assigned To,Location,Status\n\
               R-1,Laptop,SN-R1,Ann Lee,,\n\
               R-2,Phone,SN-R2,,Store room,In stock\n\
               R-3,Monitor,SN-R3,,,Retired\n";
    let commit = |csv: &str| {
        let parsed = import::read_file(csv.as_bytes()).unwrap();
        db.write(Source::Import, |tx| {
            import::commit(tx, &parsed, &opts("r.csv"))
        })
    };
    let first = commit(csv).unwrap();
    db.write(Source::App, |tx| import::undo_import(tx, first.import_id))
        .unwrap();
    assert_eq!(live_count(&db), 0);

    // The corrected file: R-2 has another name now.
    let fixed = csv.replace("R-2,Phone", "R-2,Desk phone");
    let parsed = import::read_file(fixed.as_bytes()).unwrap();
    let plan = db
        .read(|c| import::preview(c, &parsed, &opts("r.csv")))
        .unwrap();
    assert_eq!(plan.counts.new, 3, "{:?}", plan.counts);
    assert!(plan.rows.iter().all(|r| r.restores.is_some()));
    let said = &plan.rows[0].warnings[0].message;
    assert!(
        said.contains(&format!("undoing import #{}", first.import_id)),
        "{said}"
    );
    let again = commit(&fixed).unwrap();
    assert_eq!((again.created, again.skipped), (3, 0), "{again:?}");
    assert_eq!(live_count(&db), 3);

    let (r1, r2, r3) = (asset(&db, "R-1"), asset(&db, "R-2"), asset(&db, "R-3"));
    assert!(!r1.archived && !r2.archived && !r3.archived);
    assert_eq!(
        (r1.status, r1.assigned_to.as_deref()),
        (Status::Deployed, Some("Ann Lee"))
    );
    assert_eq!(
        (r2.status, r2.location.as_deref(), r2.name.as_str()),
        (Status::Available, Some("Store room"), "Desk phone")
    );
    assert_eq!(r3.status, Status::Retired);
    let found = db
        .read(|c| {
            assets::list_assets(
                c,
                &assets::ListQuery {
                    search: Some("desk phone".into()),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert_eq!(
        found.total, 1,
        "the restored asset is searchable by its new name"
    );
    let history = db.read(|c| audit::list_asset_events(c, r2.id)).unwrap();
    let kinds: Vec<&str> = history.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "created",
            "assigned",
            "status_changed",
            "archived",
            "restored"
        ]
    );
    let restored = &history[4].changes;
    assert!(restored
        .iter()
        .any(|c| c.field == "name" && c.new.as_deref() == Some("Desk phone")));
    assert!(restored
        .iter()
        .any(|c| c.field == "archived" && c.old.as_deref() == Some("yes") && c.new.is_none()));
    let v = db.read(audit::verify).unwrap();
    assert!(v.ok, "{v:?}");

    // The second import can be undone in turn, and the same file brings them back again.
    db.write(Source::App, |tx| import::undo_import(tx, again.import_id))
        .unwrap();
    assert_eq!(live_count(&db), 0);
    assert_eq!(commit(&fixed).unwrap().created, 3);
    assert_eq!(live_count(&db), 3);

    // An asset archived by hand is not brought back: its tag stays reserved.
    let r3 = asset(&db, "R-3");
    db.write(Source::App, |tx| assets::archive_asset(tx, r3.id, None))
        .unwrap();
    let plan = db
        .read(|c| import::preview(c, &parsed, &opts("r.csv")))
        .unwrap();
    assert_eq!(plan.rows[2].action, Action::Skip, "{:?}", plan.rows[2]);
    assert!(db.read(audit::verify).unwrap().ok);
}
