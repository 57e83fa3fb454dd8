//! Tests of depreciation: the calculations, the stored methods and the valuation.

use super::calc::*;
use super::store::*;
use super::*;

use chrono::NaiveDate;

use crate::audit::Change;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn the_issue_example() {
    let m = Method::StraightLine {
        life_months: 36,
        residual: 0,
    };
    assert_eq!(
        book_value(120_000, d("2024-01-01"), d("2025-07-01"), m),
        Some(60_000)
    );
    assert_eq!(
        book_value(120_000, d("2024-01-01"), d("2027-01-01"), m),
        Some(0)
    );
    assert_eq!(
        book_value(120_000, d("2024-01-01"), d("2030-01-01"), m),
        Some(0)
    );
}

#[test]
fn edges() {
    let sl = Method::StraightLine {
        life_months: 36,
        residual: 20_000,
    };
    assert_eq!(
        book_value(120_000, d("2024-01-01"), d("2023-12-31"), sl),
        None,
        "bought after the date"
    );
    assert_eq!(
        book_value(120_000, d("2024-01-01"), d("2024-01-01"), sl),
        Some(120_000)
    );
    assert_eq!(
        book_value(120_000, d("2024-01-01"), d("2025-07-01"), sl),
        Some(70_000),
        "half-way to the residual"
    );
    assert_eq!(
        book_value(120_000, d("2024-01-01"), d("2028-01-01"), sl),
        Some(20_000),
        "never below the residual"
    );
    // Half up: 1000 over 3 months, 1 month used = 333.33… → 333 depreciated.
    let m3 = Method::StraightLine {
        life_months: 3,
        residual: 0,
    };
    assert_eq!(
        book_value(100_000, d("2024-01-31"), d("2024-02-29"), m3),
        Some(100_000),
        "not a full month yet"
    );
    assert_eq!(
        book_value(100_000, d("2024-01-31"), d("2024-03-31"), m3),
        Some(33_333),
        "2/3 of 1000.00 = 666.67 depreciated"
    );
    let db = Method::Declining { rate_bp: 2500 };
    assert_eq!(
        book_value(100_000, d("2024-01-01"), d("2024-12-31"), db),
        Some(100_000)
    );
    assert_eq!(
        book_value(100_000, d("2024-01-01"), d("2025-01-01"), db),
        Some(75_000)
    );
    assert_eq!(
        book_value(100_000, d("2024-01-01"), d("2026-06-30"), db),
        Some(56_250)
    );
    assert_eq!(
        book_value(99_999, d("2024-01-01"), d("2025-01-01"), db),
        Some(74_999),
        "74999.25 rounds to 74999"
    );
    assert_eq!(
        book_value(5_000, d("2024-01-01"), d("2030-01-01"), Method::None),
        Some(5_000)
    );
}

#[test]
fn parses_the_cli_spellings() {
    assert_eq!(
        parse_method("straight-line", Some(36), Some("100.00"), None).unwrap(),
        Method::StraightLine {
            life_months: 36,
            residual: 10_000
        }
    );
    assert_eq!(
        parse_method("declining", None, None, Some("25")).unwrap(),
        Method::Declining { rate_bp: 2500 }
    );
    assert_eq!(
        parse_method("none", None, None, None).unwrap(),
        Method::None
    );
    assert!(parse_method("straight-line", None, None, None).is_err());
    assert!(parse_method("declining", None, None, Some("120")).is_err());
    assert!(parse_method("sum-of-digits", None, None, None).is_err());
}

fn laptop_db() -> crate::Db {
    let db = crate::Db::open_in_memory().unwrap();
    db.write(crate::Source::Cli, |tx| {
        set_category_method(
            tx,
            "Laptop",
            Method::StraightLine {
                life_months: 36,
                residual: 0,
            },
        )?;
        for (tag, cost, date) in [
            ("IT-1", "1200.00", "2024-01-01"),
            ("IT-2", "1200.00", "2024-01-01"),
            ("IT-3", "900.00", "2026-01-01"),
        ] {
            crate::assets::create_asset(
                tx,
                &crate::AssetInput {
                    asset_tag: tag.into(),
                    name: "Laptop".into(),
                    category: "Laptop".into(),
                    purchase_cost: cost.into(),
                    purchase_date: date.into(),
                    ..Default::default()
                },
                None,
            )?;
        }
        Ok(())
    })
    .unwrap();
    db
}

#[test]
fn an_override_wins_over_the_category_and_can_be_undone() {
    let db = laptop_db();
    let declining = Method::Declining { rate_bp: 5000 };
    db.write(crate::Source::App, |tx| {
        set_asset_method(tx, 2, Some(declining), Some("heavy use"))
    })
    .unwrap();
    let v = db.read(|c| value_register(c, d("2025-07-01"))).unwrap();
    let bv = |tag: &str| {
        v.assets
            .iter()
            .find(|a| a.asset_tag == tag)
            .map(|a| a.book_value)
    };
    assert_eq!(
        bv("IT-1").map(|m| m.to_string()).as_deref(),
        Some("600.00"),
        "category default"
    );
    assert_eq!(
        bv("IT-2").map(|m| m.to_string()).as_deref(),
        Some("600.00"),
        "one year at 50%"
    );
    assert_eq!(bv("IT-3"), None, "bought after the date");
    assert_eq!((v.bought_later, v.total.count), (1, 2));
    let v = db.read(|c| value_register(c, d("2026-01-01"))).unwrap();
    assert_eq!(v.by_category["Laptop"].book_value, "1600.00");
    assert_eq!(
        v.total.book_value, "1600.00",
        "400 + 300 + 900 bought that day"
    );
    let dep = db
        .read(|c| asset_depreciation(c, 2, d("2026-01-01")))
        .unwrap();
    assert_eq!(dep.effective.method, "declining");
    assert_eq!(dep.category_method.method, "straight_line");
    assert_eq!(
        dep.own_method.as_ref().unwrap().rate_percent.as_deref(),
        Some("50")
    );
    assert_eq!(
        dep.book_value.map(|m| m.to_string()).as_deref(),
        Some("300.00")
    );
    assert_eq!(
        dep.depreciated.map(|m| m.to_string()).as_deref(),
        Some("900.00")
    );
    let hist = db.read(|c| crate::audit::list_asset_events(c, 2)).unwrap();
    let last = hist.last().unwrap();
    assert_eq!(last.kind, "edited");
    assert_eq!(
        last.changes,
        vec![Change::new(
            "depreciation",
            Some("category default".into()),
            Some("declining balance at 50.00% a year".into())
        )]
    );
    assert_eq!(last.note.as_deref(), Some("heavy use"));
    // Setting the same again records nothing; going back to the default does.
    let events = |db: &crate::Db| {
        db.read(|c| Ok(crate::audit::list_asset_events(c, 2)?.len()))
            .unwrap()
    };
    let n = events(&db);
    db.write(crate::Source::App, |tx| {
        set_asset_method(tx, 2, Some(declining), None)
    })
    .unwrap();
    assert_eq!(events(&db), n);
    db.write(crate::Source::App, |tx| set_asset_method(tx, 2, None, None))
        .unwrap();
    assert_eq!(events(&db), n + 1);
    let dep = db
        .read(|c| asset_depreciation(c, 2, d("2026-01-01")))
        .unwrap();
    assert_eq!(
        (
            dep.own_method,
            dep.book_value.map(|m| m.to_string()).as_deref()
        ),
        (None, Some("400.00"))
    );
    // "none" as an override: worth its cost for ever, whatever the category says.
    db.write(crate::Source::App, |tx| {
        set_asset_method(tx, 1, Some(Method::None), None)
    })
    .unwrap();
    let v = db.read(|c| value_register(c, d("2030-01-01"))).unwrap();
    assert_eq!(v.assets[0].book_value, "1200.00");
    assert_eq!(v.assets[1].book_value, "0.00", "fully depreciated");
}

#[test]
fn schedules_end_at_anniversaries() {
    let sl = Method::StraightLine {
        life_months: 30,
        residual: 20_000,
    };
    let (rows, more) = schedule(120_000, d("2024-03-15"), sl);
    assert!(!more);
    let got: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r.year_end.clone(),
                r.depreciation.to_string(),
                r.book_value.to_string(),
            )
        })
        .collect();
    let got: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|(y, d, b)| (y.as_str(), d.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("2025-03-15", "400.00", "800.00"),
            ("2026-03-15", "400.00", "400.00"),
            ("2027-03-15", "200.00", "200.00"),
        ],
        "a part year last, down to the residual"
    );
    let (rows, more) = schedule(
        100_000,
        d("2024-02-29"),
        Method::Declining { rate_bp: 2500 },
    );
    assert!(more, "declining balance goes on");
    assert_eq!(rows.len(), 10);
    assert_eq!(
        rows[0].year_end, "2025-03-01",
        "29 Feb: a whole year ends on 1 Mar"
    );
    assert_eq!(
        (
            rows[0].book_value.to_string().as_str(),
            rows[1].book_value.to_string().as_str()
        ),
        ("750.00", "562.50")
    );
    assert_eq!(
        schedule(100_000, d("2024-01-01"), Method::None),
        (vec![], false)
    );
    let (rows, _) = schedule(
        120_000,
        d("2024-01-01"),
        Method::StraightLine {
            life_months: 36,
            residual: 0,
        },
    );
    assert_eq!(rows.last().unwrap().book_value, "0.00");
    assert_eq!(rows.len(), 3);
}

#[test]
fn method_input_names_the_bad_field() {
    let input = |m: &str, life: &str, residual: &str, rate: &str| MethodInput {
        method: m.into(),
        life_months: life.into(),
        residual: residual.into(),
        rate: rate.into(),
    };
    assert_eq!(
        input("straight_line", "36", "", "").parse().unwrap(),
        Method::StraightLine {
            life_months: 36,
            residual: 0
        }
    );
    assert_eq!(
        input("declining", "", "", "12.5%").parse().unwrap(),
        Method::Declining { rate_bp: 1250 }
    );
    for (i, field) in [
        (input("straight_line", "three", "", ""), "life_months"),
        (input("straight_line", "0", "", ""), "life_months"),
        (input("straight_line", "1201", "", ""), "life_months"),
        (input("straight_line", "36", "-5", ""), "residual"),
        (input("declining", "", "", ""), "rate"),
        (input("declining", "", "", "0"), "rate"),
        (input("sum of digits", "", "", ""), "depreciation"),
    ] {
        assert_eq!(i.parse().unwrap_err().field(), Some(field), "{i:?}");
    }
    let v = MethodView::from(Method::Declining { rate_bp: 1250 });
    assert_eq!(v.rate_percent.as_deref(), Some("12.5"));
    assert_eq!(MethodView::from(Method::None).label, "not depreciated");
}

// See: issue #19, item 6 (no depreciation policy looked like "worth its cost")
#[test]
fn several_category_defaults_are_set_in_one_step_each_recorded() {
    use crate::audit::Source;
    use crate::db::Db;
    let db = Db::open_in_memory().unwrap();
    let count = |db: &Db| {
        db.read(|c| Ok(c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0))?))
            .unwrap()
    };
    let line = |months| Method::StraightLine {
        life_months: months,
        residual: 0,
    };
    let n = count(&db);
    db.write(Source::App, |tx| {
        set_category_methods(
            tx,
            &[("Laptop".into(), line(36)), ("Monitor".into(), line(60))],
        )
    })
    .unwrap();
    let cats = db.read(list_category_methods).unwrap();
    let lives: Vec<(&str, Option<u32>)> = cats
        .iter()
        .map(|c| (c.name.as_str(), c.method.life_months))
        .collect();
    assert_eq!(lives, [("Laptop", Some(36)), ("Monitor", Some(60))]);
    // Two new categories and two defaults: four events, in one transaction.
    assert_eq!(count(&db), n + 4);
    // All or none: a failure on the second leaves the first as it was.
    let e = db.write(Source::App, |tx| {
        set_category_methods(tx, &[("Laptop".into(), line(48)), ("   ".into(), line(12))])
    });
    assert!(e.is_err());
    assert_eq!(
        db.read(list_category_methods).unwrap()[0]
            .method
            .life_months,
        Some(36)
    );
}
