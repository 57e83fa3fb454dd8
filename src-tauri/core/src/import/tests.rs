//! Tests of the import: preview, commit, cancel and undo.

use super::commit::BULK_ROWS;
use super::*;
use crate::assets::{self, AssetPatch};
use crate::audit::Source;
use crate::db::Db;
use crate::status::Status;

fn opts() -> ImportOptions {
    ImportOptions {
        file_name: "t.csv".into(),
        ..Default::default()
    }
}

fn plan(db: &Db, csv: &str, o: &ImportOptions) -> Plan {
    let p = read_file(csv.as_bytes()).unwrap();
    db.read(|c| preview(c, &p, o)).unwrap()
}

fn actions(p: &Plan) -> Vec<Action> {
    p.rows.iter().map(|r| r.action).collect()
}

fn import(db: &Db, csv: &str, o: &ImportOptions) -> Result<ImportSummary> {
    let p = read_file(csv.as_bytes()).unwrap();
    db.write(Source::Import, |tx| commit(tx, &p, o))
}

#[test]
fn cleans_values_into_register_forms() {
    let db = Db::open_in_memory().unwrap();
    let p = plan(
        &db,
        "Tag;Item;Price;Purchased;Status\nA1;\"Desk\nphone\";1.234,56 €;25/12/2023;In stock\nA2;Chair;12,50;45292;Issued\n",
        &opts(),
    );
    let v = &p.rows[0].values;
    assert_eq!(
        v.input.name, "Desk phone",
        "line breaks leave single-line fields"
    );
    assert_eq!(v.input.purchase_cost, "1234.56");
    assert_eq!(v.input.purchase_date, "2023-12-25");
    assert_eq!(v.status, Some(Status::Available));
    assert_eq!(p.rows[1].values.input.purchase_date, "2024-01-01");
    assert_eq!(p.rows[1].action, Action::Error, "Deployed needs a holder");
}

#[test]
fn ambiguous_dates_block_until_an_order_is_chosen() {
    let db = Db::open_in_memory().unwrap();
    let csv = "Tag,Name,Purchase Date\nA1,x,03/04/2024\nA2,y,05/06/2024\n";
    let p = plan(&db, csv, &opts());
    assert_eq!(p.ambiguous_date_columns.len(), 1);
    assert!(import(&db, csv, &opts()).is_err());
    let o = ImportOptions {
        date_order: Some(DateOrder::Mdy),
        ..opts()
    };
    let p = plan(&db, csv, &o);
    assert!(p.problems.is_empty());
    assert_eq!(p.rows[0].values.input.purchase_date, "2024-03-04");
}

#[test]
fn duplicates_in_file_and_register() {
    let db = Db::open_in_memory().unwrap();
    import(&db, "Tag,Name,Serial\nA1,Laptop,S1\n", &opts()).unwrap();
    let csv = "Tag,Name,Serial\na1,Laptop,S1\nA1,Laptop 2,S1\nB1,Phone,s1\nC1,Cam,C\nC1,Cam,C\n";
    assert_eq!(
        actions(&plan(&db, csv, &opts())),
        vec![
            Action::Duplicate,
            Action::Skip,
            Action::Skip,
            Action::New,
            Action::Duplicate
        ]
    );
    let upd = ImportOptions {
        on_duplicate: OnDuplicate::Update,
        ..opts()
    };
    assert_eq!(
        actions(&plan(&db, csv, &upd)),
        vec![
            Action::Duplicate,
            Action::Update,
            Action::Error,
            Action::New,
            Action::Duplicate
        ]
    );
    let fail = ImportOptions {
        on_duplicate: OnDuplicate::Fail,
        ..opts()
    };
    assert_eq!(plan(&db, csv, &fail).counts.error, 2);
}

#[test]
fn commit_update_and_undo() {
    let db = Db::open_in_memory().unwrap();
    let first = import(
        &db,
        "Tag,Name,Location,Status\nA1,Laptop,Store,\nA2,Phone,,Retired\n",
        &opts(),
    )
    .unwrap();
    assert_eq!(first.created, 2);
    let a1 = db.read(|c| assets::find_asset(c, "A1")).unwrap();
    assert_eq!(
        (a1.status, a1.location.as_deref()),
        (Status::Available, Some("Store"))
    );
    let upd = ImportOptions {
        on_duplicate: OnDuplicate::Update,
        ..opts()
    };
    let second = import(&db, "Tag,Name,Supplier\nA1,Laptop Pro,CDW\nA3,New,\n", &upd).unwrap();
    assert_eq!((second.created, second.updated), (1, 1));
    // The first import's A1 changed since: its undo is refused.
    let e = db
        .write(Source::App, |tx| undo_import(tx, first.import_id))
        .unwrap_err();
    assert!(e.to_string().contains("changed since (A1)"), "{e}");
    let u = db
        .write(Source::App, |tx| undo_import(tx, second.import_id))
        .unwrap();
    assert_eq!((u.archived, u.reverted), (1, 1));
    let a1 = db.read(|c| assets::find_asset(c, "A1")).unwrap();
    assert_eq!((a1.name.as_str(), a1.supplier), ("Laptop", None));
    assert!(db.read(|c| assets::find_asset(c, "A3")).unwrap().archived);
    assert!(db
        .write(Source::App, |tx| undo_import(tx, second.import_id))
        .is_err());
    assert!(db.read(crate::audit::verify).unwrap().ok);
}

#[test]
fn a_row_decision_beats_the_choice_for_all() {
    let db = Db::open_in_memory().unwrap();
    import(&db, "Tag,Name\nA1,Laptop\nA2,Phone\n", &opts()).unwrap();
    let csv = "Tag,Name\nA1,Laptop Pro\nA2,Phone 2\nA3,Cam\n";
    let o = ImportOptions {
        row_decisions: vec![(3, OnDuplicate::Update)],
        ..opts()
    };
    let p = plan(&db, csv, &o);
    assert_eq!(actions(&p), vec![Action::Skip, Action::Update, Action::New]);
    assert!(p.rows[0].conflict && p.rows[1].conflict && !p.rows[2].conflict);
    let trimmed = p.trimmed(1);
    assert_eq!((trimmed.rows.len(), trimmed.omitted_rows), (1, 2));
    assert_eq!(trimmed.counts.rows, 3);
    let s = import(&db, csv, &o).unwrap();
    assert_eq!((s.created, s.updated, s.skipped), (1, 1, 1));
}

#[test]
fn imported_assets_are_searchable_and_edits_still_index() {
    let db = Db::open_in_memory().unwrap();
    let search = |q: &str| {
        db.read(|c| {
            assets::list_assets(
                c,
                &assets::ListQuery {
                    search: Some(q.into()),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .total
    };
    let triggers = || {
        db.read(|c| {
            Ok(c.query_row(
                "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master
                 WHERE type = 'trigger' AND name LIKE 'assets_fts%' ORDER BY name)",
                [],
                |r| r.get::<_, String>(0),
            )?)
        })
        .unwrap()
    };
    let before = triggers();
    import(&db, "Tag,Name\nA1,Laptop\n", &opts()).unwrap();
    let upd = ImportOptions {
        on_duplicate: OnDuplicate::Update,
        ..opts()
    };
    import(
        &db,
        "Tag,Name,Assigned To,Location\nA1,Zebra laptop,,\nA2,Phone,Priya Patel,\nA3,Printer,,Leeds\n",
        &upd,
    )
    .unwrap();
    assert_eq!(triggers(), before, "the search triggers are back");
    assert_eq!(search("zebra"), 1, "an updated asset is indexed anew");
    assert_eq!(search("laptop"), 1, "with its old row gone");
    assert_eq!(search("priya"), 1, "holders are searchable");
    assert_eq!(search("leeds"), 1, "locations are searchable");
    let a3 = db.read(|c| assets::find_asset(c, "A3")).unwrap();
    let patch = AssetPatch {
        name: Some("Colour printer".into()),
        ..Default::default()
    };
    db.write(Source::App, |tx| {
        assets::update_asset(tx, a3.id, &patch, None)
    })
    .unwrap();
    assert_eq!(
        search("colour"),
        1,
        "later edits are indexed by the triggers"
    );
    // A failed import leaves the triggers in place.
    assert!(import(&db, "Tag,Name\nB1,\n", &opts()).is_err());
    assert_eq!(triggers(), before);
}

#[test]
fn a_big_import_rebuilds_the_indexes_it_paused() {
    let db = Db::open_in_memory().unwrap();
    let schema = || {
        db.read(|c| {
            Ok(c.query_row(
                "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master
                 WHERE sql IS NOT NULL ORDER BY type, name)",
                [],
                |r| r.get::<_, String>(0),
            )?)
        })
        .unwrap()
    };
    let before = schema();
    let mut csv = String::from("Tag,Name,Assigned To\n");
    for i in 0..BULK_ROWS + 10 {
        csv.push_str(&format!("B{i:05},Thing {i},Person {}\n", i % 7));
    }
    let s = import(&db, &csv, &opts()).unwrap();
    assert_eq!(s.created, BULK_ROWS + 10);
    assert_eq!(
        schema(),
        before,
        "every index and trigger is back, as it was"
    );
    let check: String = db
        .read(|c| Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(check, "ok");
    let page = db
        .read(|c| {
            assets::list_assets(
                c,
                &assets::ListQuery {
                    search: Some("person".into()),
                    sort: Some("assigned_to".into()),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert_eq!(
        page.total as usize,
        BULK_ROWS + 10,
        "every holder is indexed"
    );
    assert!(db.read(crate::audit::verify).unwrap().ok);
}

/// A file of several cleaning batches (cleaned on a second thread): rows keep their order
/// and lines, duplicates and conflicts are found across batches, and a cancel in the middle
/// leaves nothing.
#[test]
fn a_file_of_many_batches_plans_and_commits_in_order() {
    let n = 3 * columns::BATCH + 100;
    let mut csv = String::from("Tag,Name,Serial,Status,Assigned To\n");
    for i in 0..n {
        let line = i + 2;
        match line {
            // the same as line 2: an identical duplicate, two batches later
            9_000 => csv.push_str("T-0,Laptop 0,SN-0,,\n"),
            // line 3's serial on another tag: a conflict, skipped
            10_000 => csv.push_str("X-1,Other,SN-1,,\n"),
            // a status nobody knows, mapped by the caller below
            11_000 => csv.push_str("U-1,Cam,SN-U1,Borrowed,\n"),
            // a deployed asset with nobody to hold it: an error
            12_000 => csv.push_str("U-2,Cam,SN-U2,Deployed,\n"),
            _ => csv.push_str(&format!(
                "T-{i},Laptop {i},SN-{i},,{}\n",
                if i % 3 == 0 { "Ann Lee" } else { "" }
            )),
        }
    }
    let o = ImportOptions {
        status_overrides: vec![("Borrowed".into(), Status::InMaintenance)],
        ..opts()
    };
    let db = Db::open_in_memory().unwrap();
    let p = plan(&db, &csv, &o);
    assert_eq!(p.rows.len(), n);
    assert!(p
        .rows
        .iter()
        .enumerate()
        .all(|(i, r)| r.line == i as u64 + 2));
    let at = |line: u64| &p.rows[line as usize - 2];
    assert_eq!(at(9_000).action, Action::Duplicate);
    assert_eq!(at(10_000).action, Action::Skip);
    assert_eq!(at(11_000).values.status, Some(Status::InMaintenance));
    assert_eq!(at(12_000).action, Action::Error);
    assert_eq!(
        (
            p.counts.new,
            p.counts.duplicate,
            p.counts.skip,
            p.counts.error
        ),
        (n - 3, 1, 1, 1)
    );

    let parsed = read_file(csv.as_bytes()).unwrap();
    let e = db
        .write(Source::Import, |tx| {
            commit_with_progress(tx, &parsed, &o, &mut |done, _| done < columns::BATCH + 7)
        })
        .unwrap_err();
    assert_eq!(e.kind(), "cancelled");
    assert!(db.read(list_imports).unwrap().is_empty());
    assert!(db.read(|c| assets::find_asset(c, "T-1")).is_err());

    let e = import(&db, &csv, &o).unwrap_err();
    assert!(e.to_string().contains("Line 12000"), "{e}");
    let summary = import(
        &db,
        &csv,
        &ImportOptions {
            skip_invalid: true,
            ..o.clone()
        },
    )
    .unwrap();
    assert_eq!(
        (
            summary.created,
            summary.duplicates,
            summary.skipped,
            summary.invalid.len()
        ),
        (n - 3, 1, 1, 1)
    );
    db.read(|c| {
        let held = assets::find_asset(c, "T-3")?;
        assert_eq!(held.assigned_to.as_deref(), Some("Ann Lee"));
        assert_eq!(held.status, Status::Deployed);
        assert_eq!(assets::find_asset(c, "U-1")?.status, Status::InMaintenance);
        let v = crate::audit::verify(c)?;
        assert!(v.ok, "{v:?}");
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_cancelled_commit_leaves_nothing() {
    let db = Db::open_in_memory().unwrap();
    let p = read_file(b"Tag,Name\nA1,Laptop\nA2,Phone\nA3,Cam\n").unwrap();
    let mut seen = Vec::new();
    let e = db
        .write(Source::Import, |tx| {
            commit_with_progress(tx, &p, &opts(), &mut |done, total| {
                seen.push((done, total));
                done < 2
            })
        })
        .unwrap_err();
    assert_eq!(e.kind(), "cancelled");
    assert_eq!(seen, vec![(0, 3), (1, 3), (2, 3)]);
    assert!(db.read(list_imports).unwrap().is_empty());
    let left = db.read(|c| assets::find_asset(c, "A1"));
    assert!(left.is_err(), "the first rows were rolled back");
}

#[test]
fn remembers_a_mapping_per_header_set() {
    let db = Db::open_in_memory().unwrap();
    let csv = "Code,Label\nA1,Laptop\n";
    let o = ImportOptions {
        mapping_overrides: vec![
            ("Code".into(), Field::AssetTag),
            ("Label".into(), Field::Name),
        ],
        ..opts()
    };
    import(&db, csv, &o).unwrap();
    let p = plan(&db, "Code,Label\nA2,Phone\n", &opts());
    assert_eq!(p.mapping[0].matched_by, MatchedBy::Remembered);
    assert_eq!(p.counts.new, 1);
}

// See: issue #19, item 12 (an error repeated on every row)
#[test]
fn the_same_issue_on_many_rows_is_grouped_once() {
    let issue = |line, column: Option<&str>, message: &str| RowIssue {
        line,
        column: column.map(str::to_string),
        field: None,
        message: message.into(),
    };
    let issues = [
        issue(2, Some("Status"), "not a status"),
        issue(3, Some("Cost"), "not an amount"),
        issue(3, Some("Status"), "not a status"),
        issue(4, Some("Status"), "not a status"),
        issue(5, Some("Model"), "not a status"),
        issue(6, None, "no tag"),
    ];
    let groups = group_issues(&issues);
    let seen: Vec<(Option<&str>, &str, &[u64])> = groups
        .iter()
        .map(|g| (g.column.as_deref(), g.message.as_str(), g.lines.as_slice()))
        .collect();
    assert_eq!(
        seen,
        [
            (Some("Status"), "not a status", &[2, 3, 4][..]),
            (Some("Cost"), "not an amount", &[3][..]),
            (Some("Model"), "not a status", &[5][..]),
            (None, "no tag", &[6][..]),
        ]
    );
}

// See: issue #19 (polish: a "Disposed" row recorded "Assigned to Leeds" before it was retired)
#[test]
fn a_row_kept_at_a_location_out_of_use_is_never_assigned_there() {
    let db = Db::open_in_memory().unwrap();
    import(
        &db,
        "Tag,Name,Status,Location\nOLD-1,Old laptop,Disposed,Leeds\nNEW-1,New laptop,,Leeds\n",
        &opts(),
    )
    .unwrap();
    let old = db.read(|c| assets::find_asset(c, "OLD-1")).unwrap();
    assert_eq!(
        (old.status, old.location.as_deref()),
        (Status::Retired, Some("Leeds"))
    );
    let kinds = |id| {
        db.read(|c| crate::audit::list_asset_events(c, id))
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds(old.id), ["created", "status_changed"]);
    // A row merely at a location is still placed as before.
    let new = db.read(|c| assets::find_asset(c, "NEW-1")).unwrap();
    assert_eq!(new.location.as_deref(), Some("Leeds"));
}

#[test]
fn generated_tags_follow_the_highest_with_their_prefix() {
    let db = Db::open_in_memory().unwrap();
    // "AB0007" is not an "A_" tag: the prefix's `_` is literal, not LIKE's wildcard.
    import(
        &db,
        "Tag,Name\nA_0002,One\nAB0007,Two\nA_x9,Three\n",
        &opts(),
    )
    .unwrap();
    let gen = |prefix: &str| ImportOptions {
        generate_tags: Some(prefix.into()),
        ..opts()
    };
    let csv = "Name,Serial\nPrinter,P-1\nScanner,S-1\n";
    let p = plan(&db, csv, &opts());
    assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
    assert!(p.problems[0].contains("No column is mapped to asset_tag"));
    assert!(
        p.rows.iter().all(|r| r.errors.is_empty()),
        "said once, not per row"
    );
    let p = plan(&db, csv, &gen("A_"));
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    let tags: Vec<&str> = p.rows.iter().map(|r| r.asset_tag.as_str()).collect();
    assert_eq!(tags, ["A_0003", "A_0004"]);
    assert_eq!(p.generated_tags.as_deref(), Some("A_0003 to A_0004"));
    // Over several batches the numbers still follow the rows.
    let mut big = String::from("Name\n");
    for i in 0..(columns::BATCH + 10) {
        big.push_str(&format!("Thing {i}\n"));
    }
    let p = plan(&db, &big, &gen("N-"));
    assert_eq!(
        p.rows.last().unwrap().asset_tag,
        format!("N-{:04}", columns::BATCH + 10)
    );
    // A tag column and generated tags at once, or an empty prefix, is a problem.
    assert!(
        plan(&db, "Tag,Name\nT1,x\n", &gen("IT-")).problems[0].contains("already the asset tag")
    );
    assert!(plan(&db, csv, &gen("  ")).problems[0].contains("prefix"));
    import(&db, csv, &gen("A_")).unwrap();
    let scanner = db.read(|c| assets::find_asset(c, "A_0004")).unwrap();
    assert_eq!(scanner.name, "Scanner");
}

#[test]
fn ignored_columns_are_named_and_can_be_kept_in_the_notes() {
    let db = Db::open_in_memory().unwrap();
    let csv = "Tag,Name,Notes,Kit ref,Colour,Empty\nA1,Laptop,Has a dent,KIT-7,Red,\nA2,Phone,,KIT-8,,\nA3,Dock,,,Blue,\n";
    let p = plan(&db, csv, &opts());
    let named: Vec<(&str, usize, bool)> = p
        .ignored_columns
        .iter()
        .map(|c| (c.header.as_str(), c.rows, c.kept_in_notes))
        .collect();
    // "Empty" has no values: nothing is lost by leaving it out, so it is not named.
    assert_eq!(named, [("Kit ref", 2, false), ("Colour", 2, false)]);
    assert_eq!(p.ignored_columns[0].samples, ["KIT-7", "KIT-8"]);

    let keep = ImportOptions {
        keep_in_notes: vec!["kit ref".into(), "Colour".into()],
        ..opts()
    };
    let p = plan(&db, csv, &keep);
    assert!(p.ignored_columns.iter().all(|c| c.kept_in_notes));
    import(&db, csv, &keep).unwrap();
    let notes = |tag: &str| db.read(|c| assets::find_asset(c, tag)).unwrap().notes;
    assert_eq!(
        notes("A1").as_deref(),
        Some("Has a dent\nKit ref: KIT-7\nColour: Red")
    );
    assert_eq!(notes("A2").as_deref(), Some("Kit ref: KIT-8"));
    assert_eq!(notes("A3").as_deref(), Some("Colour: Blue"));

    // A column that is not there is refused; one imported as a field cannot also be notes.
    let bad = ImportOptions {
        keep_in_notes: vec!["Nope".into()],
        ..opts()
    };
    let parsed = read_file(csv.as_bytes()).unwrap();
    let err = db.read(|c| preview(c, &parsed, &bad)).unwrap_err();
    assert!(
        err.to_string().contains("there is no column \"Nope\""),
        "{err}"
    );
    let mapped = ImportOptions {
        keep_in_notes: vec!["Name".into()],
        ..opts()
    };
    let p = plan(&db, csv, &mapped);
    assert!(
        p.problems.iter().any(|m| m.contains("imported as name")),
        "{:?}",
        p.problems
    );
}

#[test]
fn a_row_naming_a_person_and_a_site_keeps_both() {
    let db = Db::open_in_memory().unwrap();
    let csv = "Tag,Name,Assigned To,Site\nA1,Laptop,Sam Patel,Manchester\nA2,Dock,,Leeds\n";
    let p = plan(&db, csv, &opts());
    assert!(
        p.rows.iter().all(|r| r.warnings.is_empty()),
        "{:?}",
        p.rows[0].warnings
    );
    import(&db, csv, &opts()).unwrap();
    let a = db.read(|c| assets::find_asset(c, "A1")).unwrap();
    assert_eq!(a.assigned_to.as_deref(), Some("Sam Patel"));
    assert_eq!(a.location.as_deref(), Some("Manchester"));
    assert_eq!(a.status, Status::Deployed);
    let events = db
        .read(|c| crate::audit::list_asset_events(c, a.id))
        .unwrap();
    let assigned = events.iter().find(|e| e.kind == "assigned").unwrap();
    let fields: Vec<&str> = assigned.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["assigned_to", "location", "status"]);
    let b = db.read(|c| assets::find_asset(c, "A2")).unwrap();
    assert_eq!(
        (b.assigned_to, b.location.as_deref()),
        (None, Some("Leeds"))
    );
}
