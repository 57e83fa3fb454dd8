//! Per-asset depreciation and the register's value through the CLI: an asset's own method
//! against its category's default, its schedule, and the edges (bought after the date, fully
//! depreciated, residual value, declining balance).

use crate::util::TestDb;

fn add(db: &TestDb, tag: &str, category: &str, cost: &str, date: &str) {
    db.ok(&[
        "add",
        "--tag",
        tag,
        "--name",
        tag,
        "--category",
        category,
        "--cost",
        cost,
        "--purchase-date",
        date,
    ]);
}

fn book_value(v: &serde_json::Value, tag: &str) -> Option<String> {
    v["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["asset_tag"] == tag)
        .map(|a| a["book_value"].as_str().unwrap().to_string())
}

#[test]
fn an_assets_own_method_overrides_its_category() {
    let db = TestDb::new();
    db.ok(&[
        "category",
        "Laptop",
        "--depreciation",
        "straight-line",
        "--life-months",
        "36",
    ]);
    add(&db, "IT-1", "Laptop", "1200.00", "2024-01-01");
    add(&db, "IT-2", "Laptop", "1200.00", "2024-01-01");
    add(&db, "IT-3", "Laptop", "1200.00", "2026-06-01");

    // Residual value: straight-line over 24 months down to 200.00.
    db.ok(&[
        "depreciation",
        "IT-2",
        "--depreciation",
        "straight-line",
        "--life-months",
        "24",
        "--residual",
        "200",
        "--note",
        "replaced sooner",
    ]);
    let v = db.json(&["value", "--as-of", "2025-01-01", "--json"]);
    assert_eq!(
        book_value(&v, "IT-1").as_deref(),
        Some("800.00"),
        "category default"
    );
    assert_eq!(
        book_value(&v, "IT-2").as_deref(),
        Some("700.00"),
        "own: half-way to 200"
    );
    assert_eq!(book_value(&v, "IT-3"), None, "bought after the date");
    assert_eq!(v["bought_later"], 1);
    let v = db.json(&["value", "--as-of", "2030-01-01", "--json"]);
    assert_eq!(
        book_value(&v, "IT-1").as_deref(),
        Some("0.00"),
        "fully depreciated"
    );
    assert_eq!(
        book_value(&v, "IT-2").as_deref(),
        Some("200.00"),
        "never below the residual"
    );

    // Declining balance, then back to the category default.
    db.ok(&[
        "depreciation",
        "IT-2",
        "--depreciation",
        "declining",
        "--rate",
        "40",
    ]);
    let d = db.json(&["depreciation", "IT-2", "--as-of", "2026-01-01", "--json"]);
    assert_eq!(d["effective"]["method"], "declining");
    assert_eq!(d["category_method"]["method"], "straight_line");
    assert_eq!(d["book_value"], "432.00", "1200 × 0.6 × 0.6");
    assert_eq!(d["schedule"][0]["book_value"], "720.00");
    assert_eq!(d["schedule"][0]["year_end"], "2025-01-01");
    assert_eq!(d["schedule_continues"], true);
    db.ok(&["depreciation", "IT-2", "--inherit"]);
    let d = db.json(&["depreciation", "IT-2", "--as-of", "2026-01-01", "--json"]);
    assert!(d["own_method"].is_null());
    assert_eq!(d["book_value"], "400.00");
    assert_eq!(d["schedule"].as_array().unwrap().len(), 3);

    // Every change is in the history, with the note.
    let h = db.json(&["history", "IT-2", "--json"]);
    let changes: Vec<(String, String)> = h
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["changes"].as_array().unwrap().clone())
        .filter(|c| c["field"] == "depreciation")
        .map(|c| {
            (
                c["old"].as_str().unwrap().to_string(),
                c["new"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        vec![
            (
                "category default".to_string(),
                "straight-line over 24 months to 200.00".to_string()
            ),
            (
                "straight-line over 24 months to 200.00".to_string(),
                "declining balance at 40.00% a year".to_string()
            ),
            (
                "declining balance at 40.00% a year".to_string(),
                "category default".to_string()
            ),
        ]
    );
    assert!(h.to_string().contains("replaced sooner"));
    assert_eq!(
        db.json(&["verify", "--json"])["ok"],
        true,
        "the chain still verifies"
    );

    // The text form names the method and prints the schedule.
    let text = db.ok(&["depreciation", "IT-1", "--as-of", "2025-07-01"]);
    assert!(
        text.contains("straight-line over 36 months to 0.00 (Laptop default)"),
        "{text}"
    );
    assert!(text.contains("Book value on 2025-07-01: 600.00"), "{text}");
    assert!(text.contains("2027-01-01"), "{text}");
}

#[test]
fn refusals_change_nothing() {
    let db = TestDb::new();
    add(&db, "IT-1", "Phone", "300", "2024-01-01");
    let before = db.snapshot();
    for args in [
        &["depreciation", "IT-1", "--depreciation", "straight-line"][..],
        &[
            "depreciation",
            "IT-1",
            "--depreciation",
            "declining",
            "--rate",
            "150",
        ],
        &["depreciation", "IT-1", "--depreciation", "sum-of-digits"],
        &["depreciation", "IT-1", "--life-months", "36"],
        &["depreciation", "IT-9", "--depreciation", "none"],
        &[
            "depreciation",
            "IT-1",
            "--depreciation",
            "none",
            "--inherit",
        ],
    ] {
        db.fails(args);
    }
    assert_eq!(db.snapshot(), before);
    // An asset with no cost has no book value, and says why.
    db.ok(&["add", "--tag", "IT-2", "--name", "Gift"]);
    let text = db.ok(&["depreciation", "IT-2"]);
    assert!(text.contains("no cost and no purchase date"), "{text}");
}

#[test]
fn purchase_records_every_item_with_the_receipt_or_nothing() {
    let db = TestDb::new();
    db.ok(&[
        "add",
        "--tag",
        "IT-0007",
        "--name",
        "Old monitor",
        "--serial",
        "CN-OLD",
    ]);
    let receipt = db.path.with_file_name("Dell order 4412.pdf");
    std::fs::write(&receipt, b"%PDF-1.4 Dell order 4412").unwrap();
    let receipt = receipt.to_str().unwrap();
    let item = |serial: &str| {
        format!("name=Dell P2723DE;category=Monitor;make=Dell;model=P2723DE;serial={serial};cost=289.99")
    };
    // One bad row (a serial already on the register, another used twice): nothing is written.
    let before = db.snapshot();
    let err = db.fails(&[
        "purchase",
        "--date",
        "2026-11-20",
        "--receipt",
        receipt,
        "--item",
        &item("CN-1"),
        "--item",
        &item("cn-old"),
        "--item",
        &item("CN-1"),
        "--item",
        "name=Cable",
    ]);
    for needle in [
        "item 2: serial_number: this serial number is already on IT-0007",
        "item 3: serial_number: the same serial number as item 1",
        "item 4: purchase_cost: what did this item cost?",
        "nothing recorded: 3 problem(s)",
    ] {
        assert!(err.contains(needle), "{needle:?} in {err}");
    }
    assert_eq!(db.snapshot(), before);

    let out = db.json(&[
        "purchase",
        "--supplier",
        "Dell UK",
        "--date",
        "2026-11-20",
        "--warranty-months",
        "36",
        "--reference",
        "PO-4412",
        "--receipt",
        receipt,
        "--item",
        &item("CN-1"),
        "--item",
        &item("CN-2"),
        "--item",
        &item("CN-3"),
        "--json",
    ]);
    let tags: Vec<&str> = out["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["asset_tag"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["IT-0008", "IT-0009", "IT-0010"]);
    assert_eq!(out["receipt"], "Dell order 4412.pdf");
    let mut hashes = Vec::new();
    for tag in &tags {
        let a = db.json(&["show", tag, "--json"]);
        assert_eq!(a["warranty_expires"], "2029-11-20");
        assert_eq!(a["supplier"], "Dell UK");
        assert_eq!(a["documents"][0]["kind"], "receipt");
        hashes.push(a["documents"][0]["sha256"].as_str().unwrap().to_string());
        let h = db.json(&["history", tag, "--json"]);
        assert!(
            h.to_string()
                .contains("Purchase of 3 items from Dell UK, reference PO-4412"),
            "{h}"
        );
    }
    hashes.dedup();
    assert_eq!(hashes.len(), 1, "one receipt, stored once");
    let stored = db
        .path
        .with_file_name("register-documents")
        .read_dir()
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .flat_map(|d| d.path().read_dir().unwrap().flatten())
        .count();
    assert_eq!(stored, 1);
    assert_eq!(db.json(&["verify", "--json"])["ok"], true);
}
