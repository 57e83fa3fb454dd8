//! Replacement planning and the budget forecast through the CLI, checked against figures worked
//! out by hand.

use crate::util::{pdf_text, TestDb};

/// Two laptops and a monitor with lives and prices set, a retired laptop, a yearly licence.
fn register() -> TestDb {
    let db = TestDb::new();
    for (tag, category, bought, cost) in [
        ("L-1", "Laptops", "2023-03-15", "1000.00"),
        ("L-2", "Laptops", "2024-01-10", "900.00"),
        ("M-1", "Monitors", "2020-02-29", "200.00"),
        ("R-1", "Laptops", "2023-01-01", "800.00"),
    ] {
        db.ok(&[
            "add",
            "--tag",
            tag,
            "--name",
            &format!("Thing {tag}"),
            "--category",
            category,
            "--purchase-date",
            bought,
            "--cost",
            cost,
        ]);
    }
    db.ok(&["status", "R-1", "retired"]);
    db.ok(&[
        "licence",
        "add",
        "--product",
        "Office",
        "--seats",
        "5",
        "--renewal",
        "2027-02-01",
        "--cost",
        "600.00",
        "--period",
        "yearly",
    ]);
    db.ok(&["replacement", "category", "Laptops", "--life-months", "48"]);
    db.ok(&[
        "replacement",
        "category",
        "Monitors",
        "--life-months",
        "48",
        "--replace-with",
        "250",
    ]);
    db.ok(&["replacement", "inflation", "10"]);
    db
}

fn forecast(db: &TestDb) -> serde_json::Value {
    db.json(&[
        "forecast",
        "--years",
        "2",
        "--by",
        "year",
        "--from",
        "2026-12-01",
        "--json",
    ])
}

#[test]
fn forecast_json_matches_the_figures_worked_out_by_hand() {
    let db = register();
    let f = forecast(&db);
    assert_eq!(f["until"], "2028-11-30");
    let periods = f["periods"].as_array().unwrap();
    let keys: Vec<_> = periods.iter().map(|p| p["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["2026", "2027", "2028"]);
    // 2027: L-1 (bought 2023-03-15, 48 months) on 2027-03-15, less than a year away, so its
    // purchase cost as it is; Office renews on 1 Feb for 600.00.
    let y2027 = &periods[1];
    assert_eq!(y2027["replacements"][0]["asset_tag"], "L-1");
    assert_eq!(y2027["replacements"][0]["due"], "2027-03-15");
    assert_eq!(y2027["replacements"][0]["basis"], "purchase_cost");
    assert_eq!(y2027["replacement_cost"], "1000.00");
    assert_eq!(y2027["renewal_cost"], "600.00");
    assert_eq!(y2027["total"], "1600.00");
    // 2028: L-2 on 2028-01-10, one whole year away: 900.00 + 10 % = 990.00; Office again.
    let y2028 = &periods[2];
    assert_eq!(y2028["replacements"][0]["cost"], "990.00");
    assert_eq!(y2028["replacements"][0]["inflated"], true);
    assert_eq!(y2028["total"], "1590.00");
    // The monitor bought on 29 Feb 2020 was due on 29 Feb 2024: overdue, at the replace-with
    // price. The retired laptop is never forecast.
    assert_eq!(f["overdue_count"], 1);
    assert_eq!(f["overdue"][0]["due"], "2024-02-29");
    assert_eq!(f["overdue_cost"], "250.00");
    assert_eq!(f["total"], "3190.00");
    assert!(
        !f.to_string().contains("R-1"),
        "retired assets are left out"
    );

    // L-2 kept for five years: out of the horizon.
    db.ok(&["replacement", "asset", "L-2", "--life-months", "60"]);
    let f = forecast(&db);
    assert_eq!(f["periods"][2]["replacement_count"], 0);
    assert_eq!(f["total"], "2200.00");
    let history = db.ok(&["history", "L-2"]);
    assert!(history.contains("replacement life"), "{history}");
    db.ok(&["replacement", "asset", "L-2", "--inherit"]);
    assert_eq!(forecast(&db)["total"], "3190.00");

    // The text form and bad input.
    let text = db.ok(&["forecast", "--years", "2", "--from", "2026-12-01"]);
    assert!(text.contains("Overdue: 1 asset(s)"), "{text}");
    assert!(text.contains("replace L-1 Thing L-1"), "{text}");
    assert!(db
        .fails(&["forecast", "--years", "6"])
        .contains("1 to 5 years"));
    assert!(db
        .fails(&["forecast", "--by", "week"])
        .contains("month, quarter or year"));
    assert!(db
        .fails(&["replacement", "inflation", "abc"])
        .contains("percentage"));
}

#[test]
fn the_budget_table_as_csv_and_as_a_pdf_page() {
    let db = register();
    let csv = db.ok(&["budget", "--years", "2", "--from", "2026-12-01"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines,
        [
            "Year,Category,Replacements,Replacement cost,Licence renewals,Licence cost,Total",
            "2026,Monitors,1,250.00,0,0.00,250.00",
            "2026,Total,1,250.00,0,0.00,250.00",
            "2027,Laptops,1,1000.00,0,0.00,1000.00",
            "2027,Software licences,0,0.00,1,600.00,600.00",
            "2027,Total,1,1000.00,1,600.00,1600.00",
            "2028,Laptops,1,990.00,0,0.00,990.00",
            "2028,Software licences,0,0.00,1,600.00,600.00",
            "2028,Total,1,990.00,1,600.00,1590.00",
        ]
    );
    let pdf = db.path.parent().unwrap().join("budget.pdf");
    let out = db.ok(&[
        "budget",
        "--years",
        "2",
        "--from",
        "2026-12-01",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert!(out.contains("page(s)"), "{out}");
    let text = pdf_text(&pdf);
    for needle in [
        "Budget forecast",
        "2027",
        "Laptops",
        "1,000.00",
        "1,600.00",
        "10 % a year",
    ] {
        assert!(text.contains(needle), "{needle} in: {text}");
    }
}
