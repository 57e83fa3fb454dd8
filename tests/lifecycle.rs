//! Value, depreciation, expiring warranties and offboarding through the CLI.

use crate::util::TestDb;

#[test]
fn straight_line_example_and_totals() {
    let db = TestDb::new();
    db.ok(&[
        "category",
        "Laptop",
        "--depreciation",
        "straight-line",
        "--life-months",
        "36",
    ]);
    db.ok(&[
        "add",
        "--tag",
        "IT-1",
        "--name",
        "Laptop",
        "--category",
        "Laptop",
        "--cost",
        "1200.00",
        "--purchase-date",
        "2024-01-01",
    ]);
    db.ok(&[
        "add",
        "--tag",
        "IT-2",
        "--name",
        "Later laptop",
        "--category",
        "Laptop",
        "--cost",
        "900",
        "--purchase-date",
        "2025-09-01",
    ]);
    db.ok(&["add", "--tag", "IT-3", "--name", "Free monitor"]);
    let v = db.json(&["value", "--as-of", "2025-07-01", "--json"]);
    let it1 = v["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["asset_tag"] == "IT-1")
        .unwrap();
    assert_eq!(
        (it1["purchase_cost"].as_str(), it1["book_value"].as_str()),
        (Some("1200.00"), Some("600.00"))
    );
    assert_eq!(
        v["assets"].as_array().unwrap().len(),
        1,
        "IT-2 was bought after the date; IT-3 has no cost"
    );
    assert_eq!(v["total"]["book_value"], "600.00");
    assert_eq!(v["without_cost_or_date"], 1);
    let later = db.json(&["value", "--as-of", "2027-01-01", "--json"]);
    let it1 = later["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["asset_tag"] == "IT-1")
        .unwrap();
    assert_eq!(it1["book_value"], "0.00");
    assert_eq!(later["by_category"]["Laptop"]["count"], 2);
    // Declining balance and refusals.
    db.ok(&[
        "category",
        "Laptop",
        "--depreciation",
        "declining",
        "--rate",
        "25",
    ]);
    let v = db.json(&["value", "--as-of", "2026-01-01", "--json"]);
    let it1 = v["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["asset_tag"] == "IT-1")
        .unwrap();
    assert_eq!(it1["book_value"], "675.00", "1200 × 0.75 × 0.75");
    assert!(db
        .fails(&["category", "Laptop", "--depreciation", "straight-line"])
        .contains("life-months"));
    assert!(db
        .fails(&["value", "--as-of", "2025-02-30"])
        .contains("not a real date"));
    let h = db.json(&["history", "--json"]);
    assert!(h
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["entity"] == "category" && e["changes"][0]["field"] == "depreciation"));
}

#[test]
fn offboarding_lists_and_returns_everything_in_one_step() {
    let db = TestDb::new();
    for t in ["IT-1", "IT-2", "IT-3"] {
        db.ok(&["add", "--tag", t, "--name", &format!("Thing {t}")]);
    }
    db.ok(&["assign", "IT-1", "--person", "Sam Patel"]);
    db.ok(&["assign", "IT-2", "--person", "Sam Patel"]);
    let list = db.json(&["offboard", "sam patel", "--json"]);
    assert_eq!(list["assets"].as_array().unwrap().len(), 2);
    let err = db.fails(&["offboard", "Nobody Here"]);
    assert!(err.contains("not found"), "{err}");
    let out = db.ok(&[
        "offboard",
        "Sam Patel",
        "--return-all",
        "--location",
        "Store room",
        "--note",
        "leaving 30 Nov",
    ]);
    assert!(out.contains("Returned 2"), "{out}");
    for t in ["IT-1", "IT-2"] {
        let a = db.json(&["show", t, "--json"]);
        assert_eq!(
            (a["status"].as_str(), a["location"].as_str()),
            (Some("available"), Some("Store room"))
        );
        let h = db.json(&["history", t, "--json"]);
        assert_eq!(
            h.as_array().unwrap().last().unwrap()["note"],
            "leaving 30 Nov"
        );
    }
    assert!(db
        .fails(&[
            "offboard",
            "Sam Patel",
            "--return-all",
            "--location",
            "Store room"
        ])
        .contains("holds nothing"));
}

#[test]
fn expiring_lists_warranties_in_the_window() {
    let db = TestDb::new();
    let today = chrono::Local::now().date_naive();
    let soon = (today + chrono::Days::new(20))
        .format("%Y-%m-%d")
        .to_string();
    let later = (today + chrono::Days::new(200))
        .format("%Y-%m-%d")
        .to_string();
    db.ok(&[
        "add",
        "--tag",
        "IT-1",
        "--name",
        "Soon",
        "--warranty-expires",
        &soon,
    ]);
    db.ok(&[
        "add",
        "--tag",
        "IT-2",
        "--name",
        "Later",
        "--warranty-expires",
        &later,
    ]);
    let tags = |args: &[&str]| -> Vec<String> {
        db.json(args)
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["asset_tag"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(tags(&["expiring", "--json"]), ["IT-1"]);
    assert_eq!(
        tags(&["expiring", "--within", "365", "--json"]),
        ["IT-1", "IT-2"]
    );
}
