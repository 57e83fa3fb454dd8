//! Asset labels from the CLI: the QR codes decoded from the rendered PDF are the tags asked for,
//! on every layout; the start position, a search and refusals that write nothing.

use std::path::PathBuf;

use register_core::report::LabelLayout;
use register_core::{settings, Source};

use crate::util::{label_qr_codes, pdf_text, TestDb};

fn seed(db: &TestDb, n: usize) {
    for i in 1..=n {
        db.ok(&[
            "add",
            "--tag",
            &format!("LAB-{i:03}"),
            "--name",
            &format!("ThinkPad T14 number {i}"),
        ]);
    }
    db.open()
        .write(Source::App, |tx| {
            settings::update_settings(
                tx,
                &settings::Settings {
                    organisation: "Acme Clinic".into(),
                    currency: "GBP".into(),
                },
            )
        })
        .unwrap();
}

fn out(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

/// The decoded texts alone, in print order.
fn texts(codes: Vec<(usize, u32, String)>) -> Vec<String> {
    codes.into_iter().map(|c| c.2).collect()
}

#[test]
fn the_qr_codes_decode_to_the_tags_on_every_layout() {
    let db = TestDb::new();
    seed(&db, 3);
    let dir = tempfile::tempdir().unwrap();
    for layout in ["l7651", "l7160", "l7163", "5160", "roll62", "roll29"] {
        let pdf = out(&dir, &format!("{layout}.pdf"));
        let said = db.ok(&[
            "labels",
            "--out",
            pdf.to_str().unwrap(),
            "--layout",
            layout,
            "--tags",
            "LAB-001,lab-003",
            "--line",
            "Property of Acme — if found call 01234 567890",
        ]);
        assert!(said.contains("2 labels"), "{layout}: {said}");
        let codes = label_qr_codes(&pdf, LabelLayout::parse(layout).unwrap());
        assert_eq!(texts(codes), ["LAB-001", "LAB-003"], "{layout}");
        let text = pdf_text(&pdf);
        assert!(
            text.contains("LAB-001") && text.contains("LAB-003"),
            "{layout}: {text}"
        );
        assert!(!text.contains("LAB-002"), "{layout}");
        assert!(text.contains("ThinkPad T14"), "{layout}: {text}");
        // The line's end (the phone number) is never cut, on the smallest label too.
        let flat: String = text.split_whitespace().collect();
        assert!(flat.contains("iffoundcall01234567890"), "{layout}: {text}");
    }
    // The larger labels have room for the organisation and the line.
    let text = pdf_text(&out(&dir, "l7163.pdf"));
    assert!(text.contains("Acme Clinic"), "{text}");
    assert!(text.contains("if found call 01234 567890"), "{text}");
}

#[test]
fn a_search_or_everything_and_the_start_position() {
    let db = TestDb::new();
    seed(&db, 25);
    let dir = tempfile::tempdir().unwrap();
    let all = out(&dir, "all.pdf");
    // 25 labels from position 20 of 21: 2 on the first sheet, 21 on the second, 2 on a third.
    let said = db.ok(&["labels", "--out", all.to_str().unwrap(), "--start", "20"]);
    assert!(said.contains("25 labels, 3 pages"), "{said}");
    let codes = label_qr_codes(&all, LabelLayout::L7160);
    let want: Vec<(usize, u32, String)> = (1..=25)
        .map(|i| {
            let tag = format!("LAB-{i:03}");
            match i {
                1..=2 => (1, 19 + i as u32, tag),
                3..=23 => (2, i as u32 - 2, tag),
                _ => (3, i as u32 - 23, tag),
            }
        })
        .collect();
    assert_eq!(codes, want, "every label where it belongs, in tag order");
    let some = out(&dir, "some.pdf");
    db.ok(&[
        "labels",
        "--out",
        some.to_str().unwrap(),
        "--search",
        "LAB-01",
        "--layout",
        "l7651",
    ]);
    let want: Vec<String> = (10..=19).map(|i| format!("LAB-{i:03}")).collect();
    assert_eq!(texts(label_qr_codes(&some, LabelLayout::L7651)), want);
}

#[test]
fn refusals_explain_and_write_nothing() {
    let db = TestDb::new();
    seed(&db, 2);
    let dir = tempfile::tempdir().unwrap();
    let pdf = out(&dir, "x.pdf");
    let o = pdf.to_str().unwrap();
    let long = "x".repeat(81);
    let missing = dir.path().join("no/such/x.pdf");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["labels", "--out", o, "--layout", "a3"],
            "not a label layout",
        ),
        (
            vec!["labels", "--out", o, "--start", "0"],
            "must be 1 to 21",
        ),
        (
            vec!["labels", "--out", o, "--layout", "l7651", "--start", "66"],
            "must be 1 to 65",
        ),
        (
            vec!["labels", "--out", o, "--layout", "roll62", "--start", "2"],
            "a roll has no start position",
        ),
        (
            vec!["labels", "--out", o, "--tags", "LAB-001,NOPE-9"],
            "no asset has the tag NOPE-9",
        ),
        (
            vec!["labels", "--out", o, "--search", "printer"],
            "no assets to print labels for",
        ),
        (vec!["labels", "--out", o, "--line", &long], "at most 80"),
        (
            vec!["labels", "--out", missing.to_str().unwrap()],
            "does not exist",
        ),
        (
            vec!["labels", "--out", dir.path().to_str().unwrap()],
            "is a folder",
        ),
    ];
    let before = db.snapshot();
    for (args, want) in cases {
        let err = db.fails(&args);
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!pdf.exists(), "{args:?} wrote a file");
    }
    assert_eq!(db.snapshot(), before, "a refusal changes nothing");
}

#[test]
fn without_an_organisation_the_labels_name_none() {
    let db = TestDb::new();
    db.ok(&["add", "--tag", "LAB-001", "--name", "ThinkPad T14"]);
    let dir = tempfile::tempdir().unwrap();
    let pdf = out(&dir, "l.pdf");
    db.ok(&[
        "labels",
        "--out",
        pdf.to_str().unwrap(),
        "--layout",
        "l7163",
    ]);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("LAB-001") && text.contains("ThinkPad T14"),
        "{text}"
    );
    assert!(!text.contains("Your organisation"), "{text}");
}
