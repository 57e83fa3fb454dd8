//! Replacement planning: when each live asset reaches the end of its useful life, and what
//! replacing it will cost. Also the plan itself (a life and a "replace with" price per
//! category, a life per asset, a yearly inflation rate), changed only through audited writes.
//!
//! Rules:
//! - An asset is due for replacement on its purchase date plus its life, counted in calendar
//!   months (a life ending on a day its month lacks, such as 29 February in a common year,
//!   ends on that month's last day).
//! - Its life is the first that is set of: its own replacement life, its category's, its own
//!   straight-line depreciation life, its category's straight-line depreciation life.
//! - What replacing it costs is its category's "replace with" price when one is set (today's
//!   price of a laptop), else its own purchase cost; then the yearly inflation, compounded once
//!   for every whole year from today to the due date and rounded to the minor unit each year.
//! - Only live assets are planned: archived, Retired and Lost/Stolen assets never are.
//!   Assets with no purchase date or no life cannot be, and are counted so the window can say so.
//!
//! What a change of the plan is refused for and records is `rules`', and placing each asset's
//! replacement from what was read of it is `due`'s (no storage; the team register calls both);
//! the rest of this module reads and writes a register file.

use chrono::{Months, NaiveDate};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::db::{QueryAll, Tx};
use crate::error::{Error, Result};
use crate::values::Money;

mod due;
mod rules;

pub use due::{asset_replacement_of, Candidate, Due, Dues};
pub use rules::{
    asset_life_changed, category_plan_changed, check_life, inflation_changed,
    inflation_from_setting, percent_text, INFLATION_KEY,
};

/// The longest life the plan accepts: 50 years.
pub const MAX_LIFE_MONTHS: u32 = 600;

/// Where an asset's life comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LifeSource {
    /// Its own replacement life.
    Asset,
    /// Its category's replacement life.
    Category,
    /// A straight-line depreciation life (its own or its category's).
    Depreciation,
}

/// Which figure a replacement's cost is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostBasis {
    /// The category's "replace with" price.
    ReplaceWith,
    /// What the asset itself cost.
    PurchaseCost,
    /// Neither is known: the replacement is counted, with no cost.
    Unknown,
}

impl CostBasis {
    /// In words, for reports and exports.
    pub fn label(self) -> &'static str {
        match self {
            CostBasis::ReplaceWith => "replace-with price",
            CostBasis::PurchaseCost => "purchase cost",
            CostBasis::Unknown => "no cost known",
        }
    }
}

/// One asset falling due for replacement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replacement {
    /// The asset's id.
    pub asset_id: i64,
    /// Its tag.
    pub asset_tag: String,
    /// Its name.
    pub name: String,
    /// Its category.
    pub category: Option<String>,
    /// Its status (`deployed`…).
    pub status: String,
    /// Who or where holds it.
    pub holder: Option<String>,
    /// When it was bought (YYYY-MM-DD).
    pub purchase_date: String,
    /// When it is due for replacement (YYYY-MM-DD).
    pub due: String,
    /// Its life in months.
    pub life_months: u32,
    /// Where that life comes from.
    pub life_source: LifeSource,
    /// What replacing it costs at the due date (`None` when no figure is known).
    pub cost: Option<Money>,
    /// Which figure that is.
    pub basis: CostBasis,
    /// True when inflation was added to it.
    pub inflated: bool,
}

/// Live assets that cannot be planned, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unplanned {
    /// No purchase date.
    pub no_purchase_date: i64,
    /// A purchase date but no life (neither their own, their category's nor a depreciation
    /// life).
    pub no_life: i64,
}

/// Replacements in a window, those already overdue, and what could not be planned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replacements {
    /// Due in the window, by due date then tag.
    pub due: Vec<Replacement>,
    /// Due before the window's start: still in use past their life.
    pub overdue: Vec<Replacement>,
    /// What could not be planned.
    pub unplanned: Unplanned,
}

/// The date an asset bought on `purchased` with a life of `life_months` is due for
/// replacement (the month's last day when the day does not exist in the due month).
pub fn due_on(purchased: NaiveDate, life_months: u32) -> Option<NaiveDate> {
    purchased.checked_add_months(Months::new(life_months))
}

/// `base` after `years` of yearly inflation at `rate_bp` basis points, compounded and rounded
/// half up to the minor unit each year.
pub fn inflate(base: Money, rate_bp: u32, years: u32) -> Money {
    let mut minor = i128::from(base.minor());
    for _ in 0..years {
        minor += (minor * i128::from(rate_bp) + 5_000) / 10_000;
    }
    Money::from_minor(minor.min(i128::from(i64::MAX)) as i64)
}

/// The end of an asset's card's window: every replacement planned, however far off.
pub const END_OF_TIME: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// Replacements due in `[from, until]` and those overdue at `from`, for every live asset.
pub fn replacements(conn: &Connection, from: NaiveDate, until: NaiveDate) -> Result<Replacements> {
    planned(conn, from, until, None)
}

/// One asset's replacement, as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetReplacement {
    /// Its own life, when it has one (else it follows its category).
    pub own_life_months: Option<u32>,
    /// When it is due and at what cost (`None` when it cannot be planned).
    pub planned: Option<Replacement>,
    /// Why it cannot be planned: `not_live` (archived, Retired, Lost/Stolen),
    /// `no_purchase_date` or `no_life`.
    pub missing: Option<String>,
}

/// An asset's replacement: when it is due (also when that is past) and what it will cost.
pub fn asset_replacement(
    conn: &Connection,
    asset_id: i64,
    today: NaiveDate,
) -> Result<AssetReplacement> {
    let own_life_months = asset_life(conn, asset_id)?;
    let r = planned(conn, today, END_OF_TIME, Some(asset_id))?;
    Ok(asset_replacement_of(own_life_months, r))
}

/// [`replacements`] for every live asset, or only `only`, with every detail read.
fn planned(
    conn: &Connection,
    from: NaiveDate,
    until: NaiveDate,
    only: Option<i64>,
) -> Result<Replacements> {
    let p = plan_dues(conn, from, until, only)?;
    let read = |list: &[Due]| {
        list.iter()
            .map(|d| describe(conn, d))
            .collect::<Result<Vec<_>>>()
    };
    Ok(Replacements {
        due: read(&p.due)?,
        overdue: read(&p.overdue)?,
        unplanned: p.unplanned,
    })
}

/// When each live asset (or only `only`) is due for replacement, and at what cost.
pub(crate) fn plan_dues(
    conn: &Connection,
    from: NaiveDate,
    until: NaiveDate,
    only: Option<i64>,
) -> Result<Dues> {
    let rate = inflation_bp(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.category_id, a.purchase_date, a.purchase_cost,
                a.replacement_months, c.replacement_months,
                CASE WHEN a.depreciation = 'straight_line' THEN a.life_months END,
                CASE WHEN c.depreciation = 'straight_line' THEN c.life_months END,
                c.replace_with
         FROM assets a LEFT JOIN categories c ON c.id = a.category_id
         WHERE a.archived_at IS NULL AND a.status NOT IN ('retired', 'lost_stolen')
           AND (?1 IS NULL OR a.id = ?1)",
    )?;
    let mut rows = stmt.query([only])?;
    let mut out = Dues::new(from, until, rate);
    while let Some(r) = rows.next()? {
        out.add(&Candidate {
            asset_id: r.get(0)?,
            category_id: r.get(1)?,
            purchase_date: r
                .get_ref(2)?
                .as_str_or_null()
                .ok()
                .flatten()
                .and_then(crate::values::iso_date),
            purchase_cost: r.get(3)?,
            own_life: r.get(4)?,
            category_life: r.get(5)?,
            own_depreciation_life: r.get(6)?,
            category_depreciation_life: r.get(7)?,
            replace_with: r.get(8)?,
        });
    }
    Ok(out.sorted())
}

/// A planned replacement with its asset's details.
pub(crate) fn describe(conn: &Connection, d: &Due) -> Result<Replacement> {
    let mut stmt = conn.prepare_cached(
        "SELECT asset_tag, name, category_name, status, coalesce(person_name, location_name),
                purchase_date
         FROM assets WHERE id = ?1",
    )?;
    Ok(stmt.query_row([d.asset_id], |r| {
        Ok(d.with_details(
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get::<_, Option<String>>(5)?.unwrap_or_default(),
        ))
    })?)
}

/// A category's replacement plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryPlan {
    /// Row id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its replacement life in months, when set.
    pub life_months: Option<u32>,
    /// Its straight-line depreciation life, used when no replacement life is set.
    pub depreciation_months: Option<u32>,
    /// Today's price of a replacement, when set.
    pub replace_with: Option<Money>,
    /// Live assets in it.
    pub asset_count: i64,
}

/// The whole plan: the yearly inflation and every category's life and price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Yearly inflation of replacement costs, as a percentage ("2.5"; "0" for none).
    pub inflation_percent: String,
    /// Every category, by name.
    pub categories: Vec<CategoryPlan>,
}

/// The yearly inflation in basis points (0 when never set).
pub fn inflation_bp(conn: &Connection) -> Result<u32> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [INFLATION_KEY],
            |r| r.get(0),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    Ok(inflation_from_setting(v.as_deref()))
}

/// The yearly inflation as a percentage ("2.5"; "0" when none).
pub fn plan_inflation_text(conn: &Connection) -> Result<String> {
    Ok(percent_text(inflation_bp(conn)?))
}

/// A typed percentage ("2.5", "2.5 %", "") in basis points; refuses what is not 0–100 with at
/// most two decimals.
pub fn parse_percent(field: &str, s: &str) -> Result<u32> {
    let t = s.trim().trim_end_matches('%').trim().replace(',', ".");
    if t.is_empty() {
        return Ok(0);
    }
    let bad = || Error::invalid(field, "give a percentage from 0 to 100, e.g. 2.5");
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if frac.len() > 2
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || (whole.is_empty() && frac.is_empty())
    {
        return Err(bad());
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let frac: u32 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let bp = whole.checked_mul(100).and_then(|w| w.checked_add(frac));
    bp.filter(|bp| *bp <= 10_000).ok_or_else(bad)
}

/// The plan: inflation and every category's life and replace-with price.
pub fn plan(conn: &Connection) -> Result<Plan> {
    let categories = conn
        .prepare(
            "SELECT c.id, c.name, c.replacement_months,
                CASE WHEN c.depreciation = 'straight_line' THEN c.life_months END, c.replace_with,
                (SELECT count(*) FROM assets a WHERE a.category_id = c.id
                   AND a.archived_at IS NULL AND a.status NOT IN ('retired', 'lost_stolen'))
             FROM categories c ORDER BY c.name COLLATE NOCASE",
        )?
        .query_all([], |r| {
            Ok(CategoryPlan {
                id: r.get(0)?,
                name: r.get(1)?,
                life_months: r.get(2)?,
                depreciation_months: r.get(3)?,
                replace_with: r.get(4)?,
                asset_count: r.get(5)?,
            })
        })?;
    Ok(Plan {
        inflation_percent: percent_text(inflation_bp(conn)?),
        categories,
    })
}

/// Sets a category's replacement life and replace-with price (`None` clears either), creating
/// the category if new; audited. Setting what is already set writes nothing.
pub fn set_category_plan(
    tx: &mut Tx<'_>,
    name: &str,
    life_months: Option<u32>,
    replace_with: Option<Money>,
) -> Result<()> {
    check_life(life_months)?;
    let cat = crate::names::get_or_create(tx, crate::names::Kind::Category, name)?;
    let old: (Option<u32>, Option<Money>) = tx.conn().query_row(
        "SELECT replacement_months, replace_with FROM categories WHERE id = ?1",
        [cat.id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let Some(event) = category_plan_changed(cat.id, &cat.name, old, (life_months, replace_with))
    else {
        return Ok(());
    };
    tx.conn().execute(
        "UPDATE categories SET replacement_months = ?1, replace_with = ?2 WHERE id = ?3",
        params![life_months, replace_with, cat.id],
    )?;
    audit::record(tx, event)?;
    Ok(())
}

/// Sets the yearly inflation applied to replacement costs ("2.5" percent), audited.
pub fn set_inflation(tx: &mut Tx<'_>, percent: &str) -> Result<()> {
    let bp = parse_percent("inflation_percent", percent)?;
    let old = inflation_bp(tx.conn())?;
    let Some(event) = inflation_changed(old, bp) else {
        return Ok(());
    };
    tx.conn().execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [INFLATION_KEY, &bp.to_string()],
    )?;
    audit::record(tx, event)?;
    Ok(())
}

/// Sets an asset's own replacement life (`None`: follow its category again), audited as a field
/// edit of the asset.
pub fn set_asset_life(
    tx: &mut Tx<'_>,
    asset_id: i64,
    life_months: Option<u32>,
    note: Option<&str>,
) -> Result<()> {
    check_life(life_months)?;
    let asset = crate::assets::live(tx.conn(), asset_id)?;
    let old: Option<u32> = tx.conn().query_row(
        "SELECT replacement_months FROM assets WHERE id = ?1",
        [asset_id],
        |r| r.get(0),
    )?;
    let Some(event) = asset_life_changed(asset_id, &asset.asset_tag, old, life_months, note) else {
        return Ok(());
    };
    tx.conn().execute(
        "UPDATE assets SET replacement_months = ?1, updated_at = ?2 WHERE id = ?3",
        params![life_months, tx.now(), asset_id],
    )?;
    audit::record(tx, event)?;
    Ok(())
}

/// An asset's own replacement life, when it has one.
pub fn asset_life(conn: &Connection, asset_id: i64) -> Result<Option<u32>> {
    Ok(conn.query_row(
        "SELECT replacement_months FROM assets WHERE id = ?1",
        [asset_id],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::due::whole_years;
    use super::*;
    use crate::assets::{create_asset, AssetInput};
    use crate::audit::Source;
    use crate::Db;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn asset(db: &Db, tag: &str, category: &str, bought: &str, cost: &str) -> i64 {
        let input = AssetInput {
            asset_tag: tag.into(),
            name: format!("Thing {tag}"),
            category: category.into(),
            purchase_date: bought.into(),
            purchase_cost: cost.into(),
            ..Default::default()
        };
        db.write(Source::Cli, |tx| create_asset(tx, &input, None))
            .unwrap()
            .id
    }

    #[test]
    fn a_life_ending_on_29_february_ends_on_the_last_day_of_february() {
        use crate::values::iso_date;
        assert_eq!(iso_date("2020-02-29"), Some(d("2020-02-29")));
        assert_eq!(iso_date("2021-02-29"), None);
        assert_eq!(iso_date("2021-2-28"), None);
        assert_eq!(due_on(d("2020-02-29"), 48), Some(d("2024-02-29")));
        assert_eq!(due_on(d("2020-02-29"), 36), Some(d("2023-02-28")));
        assert_eq!(due_on(d("2021-01-31"), 1), Some(d("2021-02-28")));
    }

    #[test]
    fn inflation_compounds_once_a_year_in_whole_pence() {
        let p = |s: &str| Money::parse("x", s).unwrap().unwrap();
        assert_eq!(inflate(p("1000.00"), 500, 0), "1000.00");
        assert_eq!(inflate(p("1000.00"), 500, 1), "1050.00");
        assert_eq!(inflate(p("1000.00"), 500, 2), "1102.50");
        assert_eq!(inflate(p("1000.00"), 500, 3), "1157.63"); // 1157.625 rounds up
        assert_eq!(whole_years(d("2026-12-01"), d("2027-11-30")), 0);
        assert_eq!(whole_years(d("2026-12-01"), d("2027-12-01")), 1);
        assert_eq!(whole_years(d("2026-12-01"), d("2029-06-01")), 2);
        assert_eq!(parse_percent("x", "2.5 %").unwrap(), 250);
        assert_eq!(parse_percent("x", "").unwrap(), 0);
        assert!(parse_percent("x", "101").is_err());
        assert!(parse_percent("x", "2.555").is_err());
        assert_eq!(percent_text(250), "2.5");
        assert_eq!(percent_text(300), "3");
    }

    #[test]
    fn lives_costs_overrides_and_what_is_left_out() {
        let db = Db::open_in_memory().unwrap();
        let laptop = asset(&db, "L-1", "Laptops", "2023-03-15", "1000.00");
        asset(&db, "L-2", "Laptops", "2024-01-10", "900.00");
        asset(&db, "P-1", "Phones", "2024-06-01", "500.00");
        asset(&db, "M-1", "Monitors", "2020-02-29", "200.00");
        asset(&db, "X-1", "Laptops", "", "700.00"); // no purchase date
        let retired = asset(&db, "R-1", "Laptops", "2023-01-01", "800.00");
        db.write(Source::Cli, |tx| {
            crate::assets::change_status(tx, retired, crate::Status::Retired, None)
        })
        .unwrap();
        db.write(Source::Cli, |tx| {
            set_category_plan(tx, "Laptops", Some(48), None)?;
            set_category_plan(tx, "Monitors", Some(48), Some(Money::from_minor(25_000)))?;
            set_inflation(tx, "10")
        })
        .unwrap();
        // Phones have no life at all yet: one unplanned.
        let from = d("2026-12-01");
        let r = db.read(|c| replacements(c, from, d("2028-11-30"))).unwrap();
        assert_eq!(
            r.unplanned,
            Unplanned {
                no_purchase_date: 1,
                no_life: 1
            }
        );
        let tags: Vec<_> = r.due.iter().map(|x| x.asset_tag.as_str()).collect();
        assert_eq!(tags, ["L-1", "L-2"], "retired R-1 is never forecast");
        let l1 = &r.due[0];
        assert_eq!(l1.due, "2027-03-15");
        assert_eq!(l1.basis, CostBasis::PurchaseCost);
        assert_eq!(
            l1.cost.unwrap(),
            "1000.00",
            "due within a year: no inflation"
        );
        assert!(!l1.inflated);
        let l2 = &r.due[1];
        assert_eq!(l2.due, "2028-01-10");
        assert_eq!(l2.cost.unwrap(), "990.00", "one whole year of 10 %");
        // The monitor bought on 29 Feb 2020 with a 4-year life was due on 29 Feb 2024: overdue,
        // at its category's replace-with price.
        assert_eq!(r.overdue.len(), 1);
        assert_eq!(r.overdue[0].due, "2024-02-29");
        assert_eq!(r.overdue[0].basis, CostBasis::ReplaceWith);
        assert_eq!(r.overdue[0].cost.unwrap(), "250.00");
        // An asset's own life wins over its category's.
        db.write(Source::Cli, |tx| {
            set_asset_life(tx, laptop, Some(60), Some("kept longer"))
        })
        .unwrap();
        let r = db.read(|c| replacements(c, from, d("2027-12-31"))).unwrap();
        assert!(r.due.is_empty(), "L-1 now lasts until 2028: {:?}", r.due);
        let r = db.read(|c| replacements(c, from, d("2028-12-31"))).unwrap();
        let l1 = r.due.iter().find(|x| x.asset_tag == "L-1").unwrap();
        assert_eq!(
            (l1.due.as_str(), l1.life_source),
            ("2028-03-15", LifeSource::Asset)
        );
        // A depreciation life is used when no replacement life is set.
        db.write(Source::Cli, |tx| {
            crate::depreciation::set_category_method(
                tx,
                "Phones",
                crate::depreciation::Method::StraightLine {
                    life_months: 36,
                    residual: 0,
                },
            )
        })
        .unwrap();
        let r = db.read(|c| replacements(c, from, d("2028-12-31"))).unwrap();
        let p1 = r.due.iter().find(|x| x.asset_tag == "P-1").unwrap();
        assert_eq!(
            (p1.due.as_str(), p1.life_source),
            ("2027-06-01", LifeSource::Depreciation)
        );
        // Every change of the plan is in the history.
        let events = db
            .read(|c| crate::audit::list_audit_events(c, Some(10)))
            .unwrap();
        let text = serde_json::to_string(&events).unwrap();
        assert!(text.contains("replacement life"), "{text}");
        assert!(text.contains("replacement inflation"), "{text}");
        let one = db.read(|c| asset_replacement(c, laptop, from)).unwrap();
        assert_eq!(one.own_life_months, Some(60));
        assert_eq!(one.planned.unwrap().due, "2028-03-15");
        let gone = db.read(|c| asset_replacement(c, retired, from)).unwrap();
        assert_eq!(gone.missing.as_deref(), Some("not_live"));
        let plan = db.read(plan).unwrap();
        assert_eq!(plan.inflation_percent, "10");
        let monitors = plan
            .categories
            .iter()
            .find(|c| c.name == "Monitors")
            .unwrap();
        assert_eq!(monitors.replace_with, Some(Money::from_minor(25_000)));
    }
}
