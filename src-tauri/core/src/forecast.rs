//! The budget forecast: warranty ends, licence renewals and replacements due over the next one
//! to five years, grouped by calendar month, quarter or year with a subtotal per kind; the
//! replacements already overdue; and the budget table (per year, per category) to paste into a
//! spreadsheet, as CSV. Read-only.
//!
//! The horizon runs from a date (today) to the end of the month `years × 12` months later; the
//! first and last periods may be partial. Overdue replacements are not in any period: they are
//! due now, listed on their own and, in the budget table, counted in the first year.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{Datelike, Months, NaiveDate};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::renewals::{self, DueItem};
use crate::replacements::{self, Replacement, Unplanned};
use crate::values::{format_date, Money};

/// The longest horizon, in years.
pub const MAX_YEARS: u32 = 5;

/// How the forecast's periods are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// Calendar months.
    #[default]
    Month,
    /// Calendar quarters.
    Quarter,
    /// Calendar years.
    Year,
}

impl Grouping {
    /// `month`, `quarter` or `year` (any case).
    pub fn parse(s: &str) -> Result<Grouping> {
        match s.trim().to_ascii_lowercase().as_str() {
            "month" | "months" | "monthly" => Ok(Grouping::Month),
            "quarter" | "quarters" | "quarterly" => Ok(Grouping::Quarter),
            "year" | "years" | "yearly" => Ok(Grouping::Year),
            _ => Err(Error::invalid("by", "group by month, quarter or year")),
        }
    }
}

/// What to forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastOptions {
    /// The first day counted (today).
    pub from: NaiveDate,
    /// How many years ahead, 1 to [`MAX_YEARS`].
    pub years: u32,
    /// How periods are cut.
    pub grouping: Grouping,
    /// At most this many items of each kind listed per period (the counts and costs always
    /// cover them all); `None` lists everything.
    pub items_per_period: Option<usize>,
}

/// One period of the forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodDue {
    /// `2027-03`, `2027-Q1` or `2027`.
    pub key: String,
    /// First day in it (YYYY-MM-DD).
    pub start: String,
    /// Last day in it (YYYY-MM-DD).
    pub end: String,
    /// Warranty ends and licence renewals, by date.
    pub renewals: Vec<DueItem>,
    /// How many there are in all.
    pub renewal_count: usize,
    /// What the licence renewals cost (a warranty end has no cost of its own).
    pub renewal_cost: Money,
    /// Replacements due, by date.
    pub replacements: Vec<Replacement>,
    /// How many there are in all.
    pub replacement_count: usize,
    /// What they cost.
    pub replacement_cost: Money,
    /// Renewals and replacements together.
    pub total: Money,
}

/// The budget forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetForecast {
    /// The first day counted.
    pub from: String,
    /// The last day counted.
    pub until: String,
    /// Years ahead.
    pub years: u32,
    /// How periods are cut.
    pub grouping: Grouping,
    /// The register's currency code.
    pub currency: String,
    /// Yearly inflation applied to replacement costs ("2.5").
    pub inflation_percent: String,
    /// Every period, in order (empty ones included).
    pub periods: Vec<PeriodDue>,
    /// Replacements already due before `from`: assets still in use past their life.
    pub overdue: Vec<Replacement>,
    /// How many, in all.
    pub overdue_count: usize,
    /// What replacing them costs.
    pub overdue_cost: Money,
    /// All periods' licence renewals.
    pub renewal_cost: Money,
    /// All periods' replacements.
    pub replacement_cost: Money,
    /// Renewals and replacements over the horizon (overdue ones not included).
    pub total: Money,
    /// Live assets that cannot be planned.
    pub unplanned: Unplanned,
}

/// The last day of the horizon: the end of the month `years × 12 - 1` months after `from`'s.
pub fn horizon_end(from: NaiveDate, years: u32) -> NaiveDate {
    let first = from.with_day(1).unwrap_or(from);
    first
        .checked_add_months(Months::new(12 * years))
        .and_then(|d| d.pred_opt())
        .unwrap_or(from)
}

/// The period containing `d`: its key and its first and last days.
fn period_of(d: NaiveDate, g: Grouping) -> (String, NaiveDate, NaiveDate) {
    let (key, start, months) = match g {
        Grouping::Month => (d.format("%Y-%m").to_string(), (d.year(), d.month()), 1),
        Grouping::Quarter => {
            let q = (d.month() - 1) / 3;
            (format!("{}-Q{}", d.year(), q + 1), (d.year(), q * 3 + 1), 3)
        }
        Grouping::Year => (d.year().to_string(), (d.year(), 1), 12),
    };
    let first = NaiveDate::from_ymd_opt(start.0, start.1, 1).expect("a valid month");
    let last = first
        .checked_add_months(Months::new(months))
        .and_then(|n| n.pred_opt())
        .expect("within chrono's range");
    (key, first, last)
}

fn check_years(years: u32) -> Result<()> {
    if !(1..=MAX_YEARS).contains(&years) {
        return Err(Error::invalid(
            "years",
            format!("forecast 1 to {MAX_YEARS} years ahead"),
        ));
    }
    Ok(())
}

/// The forecast for `opts`.
pub fn forecast(conn: &Connection, opts: &ForecastOptions) -> Result<BudgetForecast> {
    check_years(opts.years)?;
    let from = opts.from;
    let until = horizon_end(from, opts.years);
    // Light passes first (dates, ids, costs); details are read only for the items listed.
    let warranties = renewals::warranty_ends(conn, from, until)?;
    let licences = renewals::licence_renewals(conn, from, until)?;
    let planned = replacements::plan_dues(conn, from, until, None)?;

    let mut bounds: Vec<(String, NaiveDate, NaiveDate)> = Vec::new();
    let mut start = from;
    while start <= until {
        let (key, _, last) = period_of(start, opts.grouping);
        let end = last.min(until);
        bounds.push((key, start, end));
        match end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    let cap = opts.items_per_period.unwrap_or(usize::MAX);
    // Each list is sorted by date, so a walk forward finds each item's period.
    let by_period = |dates: &mut dyn Iterator<Item = NaiveDate>| -> Vec<usize> {
        let mut at = 0;
        dates
            .map(|d| {
                while at < bounds.len() && bounds[at].2 < d {
                    at += 1;
                }
                at
            })
            .collect()
    };
    let w_at = by_period(&mut warranties.iter().map(|(d, _)| *d));
    let l_at = by_period(
        &mut licences
            .iter()
            .map(|l| crate::values::iso_date(&l.date).unwrap_or(until)),
    );
    let r_at = by_period(&mut planned.due.iter().map(|d| d.due));

    let mut periods = Vec::with_capacity(bounds.len());
    let (mut wi, mut li, mut ri) = (0, 0, 0);
    for (i, (key, start, end)) in bounds.into_iter().enumerate() {
        let mut p = PeriodDue {
            key,
            start: format_date(start),
            end: format_date(end),
            renewals: Vec::new(),
            renewal_count: 0,
            renewal_cost: Money::ZERO,
            replacements: Vec::new(),
            replacement_count: 0,
            replacement_cost: Money::ZERO,
            total: Money::ZERO,
        };
        // Warranty ends and licence renewals: all counted, the first `cap` by date listed.
        let w_first = wi;
        while wi < warranties.len() && w_at[wi] == i {
            wi += 1;
        }
        let l_first = li;
        while li < licences.len() && l_at[li] == i {
            li += 1;
        }
        p.renewal_count = (wi - w_first) + (li - l_first);
        p.renewal_cost = licences[l_first..li].iter().filter_map(|l| l.cost).sum();
        let mut listed: Vec<DueItem> = licences[l_first..li].iter().take(cap).cloned().collect();
        for (_, id) in warranties[w_first..wi].iter().take(cap) {
            listed.push(renewals::warranty_item(conn, *id)?);
        }
        renewals::sort_items(&mut listed);
        listed.truncate(cap);
        p.renewals = listed;
        // Replacements likewise.
        let r_first = ri;
        while ri < planned.due.len() && r_at[ri] == i {
            ri += 1;
        }
        let due = &planned.due[r_first..ri];
        p.replacement_count = due.len();
        p.replacement_cost = due.iter().filter_map(|d| d.cost).sum();
        p.replacements = due
            .iter()
            .take(cap)
            .map(|d| replacements::describe(conn, d))
            .collect::<Result<_>>()?;
        p.total = p.renewal_cost + p.replacement_cost;
        periods.push(p);
    }
    let overdue_count = planned.overdue.len();
    let overdue_cost = planned.overdue.iter().filter_map(|d| d.cost).sum();
    let overdue = planned
        .overdue
        .iter()
        .take(cap)
        .map(|d| replacements::describe(conn, d))
        .collect::<Result<_>>()?;
    let renewal_cost: Money = periods.iter().map(|p| p.renewal_cost).sum();
    let replacement_cost: Money = periods.iter().map(|p| p.replacement_cost).sum();
    Ok(BudgetForecast {
        from: format_date(from),
        until: format_date(until),
        years: opts.years,
        grouping: opts.grouping,
        currency: crate::settings::get_settings(conn)?.currency,
        inflation_percent: replacements::plan_inflation_text(conn)?,
        periods,
        overdue,
        overdue_count,
        overdue_cost,
        renewal_cost,
        replacement_cost,
        total: renewal_cost + replacement_cost,
        unplanned: planned.unplanned,
    })
}

/// The label of the budget table's row for licences (they have no category).
pub const LICENCES_ROW: &str = "Software licences";
/// The label for assets with no category.
pub const UNCATEGORISED_ROW: &str = "No category";

/// One line of the budget table: one category (or the licences) in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    /// The calendar year.
    pub year: i32,
    /// The category, [`LICENCES_ROW`] or [`UNCATEGORISED_ROW`].
    pub category: String,
    /// Assets due for replacement (overdue ones in the first year).
    pub replacements: usize,
    /// What replacing them costs.
    pub replacement_cost: Money,
    /// Licence renewals (and one-off expiries) falling due.
    pub licence_renewals: usize,
    /// What they cost.
    pub licence_cost: Money,
    /// Both costs.
    pub total: Money,
}

/// The budget table: per calendar year from `from` over `years`, per category, then that year's
/// total line (category "Total").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    /// The first day counted.
    pub from: String,
    /// The last day counted.
    pub until: String,
    /// The register's currency code.
    pub currency: String,
    /// Yearly inflation applied to replacement costs ("2.5").
    pub inflation_percent: String,
    /// Lines by year, categories by name, each year ending with its total.
    pub lines: Vec<BudgetLine>,
}

/// The budget table for `years` years from `from`.
pub fn budget(conn: &Connection, from: NaiveDate, years: u32) -> Result<Budget> {
    check_years(years)?;
    let until = horizon_end(from, years);
    let mut by: BTreeMap<(i32, String), BudgetLine> = BTreeMap::new();
    fn line<'b>(
        by: &'b mut BTreeMap<(i32, String), BudgetLine>,
        year: i32,
        category: &str,
    ) -> &'b mut BudgetLine {
        by.entry((year, category.to_lowercase()))
            .or_insert_with(|| BudgetLine {
                year,
                category: category.to_string(),
                replacements: 0,
                replacement_cost: Money::ZERO,
                licence_renewals: 0,
                licence_cost: Money::ZERO,
                total: Money::ZERO,
            })
    }
    let planned = replacements::plan_dues(conn, from, until, None)?;
    let names: BTreeMap<i64, String> = conn
        .prepare("SELECT id, name FROM categories")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let first_year = from.year();
    for d in planned.overdue.iter().chain(&planned.due) {
        let year = d.due.year().max(first_year);
        let category = d
            .category_id
            .and_then(|id| names.get(&id))
            .map_or(UNCATEGORISED_ROW, String::as_str);
        let l = line(&mut by, year, category);
        l.replacements += 1;
        l.replacement_cost += d.cost.unwrap_or(Money::ZERO);
    }
    for item in renewals::licence_renewals(conn, from, until)? {
        let year = item.date[..4].parse::<i32>().unwrap_or(first_year);
        let l = line(&mut by, year, LICENCES_ROW);
        l.licence_renewals += 1;
        l.licence_cost += item.cost.unwrap_or(Money::ZERO);
    }
    let mut lines: Vec<BudgetLine> = Vec::new();
    for year in first_year..=until.year() {
        let mut rows: Vec<BudgetLine> = by
            .iter()
            .filter(|((y, _), _)| *y == year)
            .map(|(_, l)| l.clone())
            .collect();
        // Categories by name, the licences last.
        rows.sort_by_key(|l| (l.category == LICENCES_ROW, l.category.to_lowercase()));
        let mut total = BudgetLine {
            year,
            category: "Total".into(),
            replacements: 0,
            replacement_cost: Money::ZERO,
            licence_renewals: 0,
            licence_cost: Money::ZERO,
            total: Money::ZERO,
        };
        for l in &mut rows {
            l.total = l.replacement_cost + l.licence_cost;
            total.replacements += l.replacements;
            total.replacement_cost += l.replacement_cost;
            total.licence_renewals += l.licence_renewals;
            total.licence_cost += l.licence_cost;
        }
        total.total = total.replacement_cost + total.licence_cost;
        lines.extend(rows);
        lines.push(total);
    }
    Ok(Budget {
        from: format_date(from),
        until: format_date(until),
        currency: crate::settings::get_settings(conn)?.currency,
        inflation_percent: replacements::plan_inflation_text(conn)?,
        lines,
    })
}

/// The CSV header of the budget table.
pub const BUDGET_HEADERS: [&str; 7] = [
    "Year",
    "Category",
    "Replacements",
    "Replacement cost",
    "Licence renewals",
    "Licence cost",
    "Total",
];

/// Writes the budget table as CSV (amounts as plain decimals a spreadsheet sums; cells a
/// spreadsheet would run as formulas neutralised as in every export).
pub fn write_budget_csv(w: impl Write, budget: &Budget) -> Result<()> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    let err = crate::export::csv_error;
    out.write_record(BUDGET_HEADERS).map_err(err)?;
    for l in &budget.lines {
        out.write_record([
            l.year.to_string(),
            crate::export::guard(&l.category).into_owned(),
            l.replacements.to_string(),
            l.replacement_cost.to_string(),
            l.licence_renewals.to_string(),
            l.licence_cost.to_string(),
            l.total.to_string(),
        ])
        .map_err(err)?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{create_asset, AssetInput};
    use crate::audit::Source;
    use crate::licences::{create_licence, LicenceInput};
    use crate::Db;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn register() -> Db {
        let db = Db::open_in_memory().unwrap();
        for (tag, cat, bought, cost) in [
            ("L-1", "Laptops", "2023-03-15", "1000.00"),
            ("L-2", "Laptops", "2024-01-10", "900.00"),
            ("M-1", "Monitors", "2020-02-29", "200.00"),
            ("N-1", "", "2023-05-01", "300.00"),
        ] {
            let input = AssetInput {
                asset_tag: tag.into(),
                name: format!("Thing {tag}"),
                category: cat.into(),
                purchase_date: bought.into(),
                purchase_cost: cost.into(),
                warranty_expires: if tag == "L-2" {
                    "2027-01-10".into()
                } else {
                    String::new()
                },
                ..Default::default()
            };
            db.write(Source::Cli, |tx| create_asset(tx, &input, None))
                .unwrap();
        }
        db.write(Source::Cli, |tx| {
            replacements::set_category_plan(tx, "Laptops", Some(48), None)?;
            replacements::set_category_plan(
                tx,
                "Monitors",
                Some(48),
                Some(Money::from_minor(25_000)),
            )?;
            create_licence(
                tx,
                &LicenceInput {
                    product: Some("Office".into()),
                    seats: Some("5".into()),
                    renewal_date: Some("2027-02-01".into()),
                    cost: Some("600.00".into()),
                    period: Some("yearly".into()),
                    ..Default::default()
                },
                None,
            )?;
            Ok(())
        })
        .unwrap();
        db
    }

    #[test]
    fn periods_subtotals_and_overdue() {
        let db = register();
        let opts = ForecastOptions {
            from: d("2026-12-01"),
            years: 2,
            grouping: Grouping::Quarter,
            items_per_period: None,
        };
        let f = db.read(|c| forecast(c, &opts)).unwrap();
        assert_eq!(f.until, "2028-11-30");
        let keys: Vec<_> = f.periods.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4", "2028-Q1", "2028-Q2",
                "2028-Q3", "2028-Q4"
            ]
        );
        assert_eq!(
            (f.periods[0].start.as_str(), f.periods[0].end.as_str()),
            ("2026-12-01", "2026-12-31")
        );
        assert_eq!(
            f.periods[8].end, "2028-11-30",
            "the last period is cut at the horizon"
        );
        let q1 = &f.periods[1];
        // L-1 due 2027-03-15 at its purchase cost; the warranty end of L-2; Office renews.
        assert_eq!(q1.replacement_count, 1);
        assert_eq!(q1.replacement_cost, "1000.00");
        assert_eq!(q1.renewal_count, 2);
        assert_eq!(q1.renewal_cost, "600.00", "a warranty end adds no cost");
        assert_eq!(q1.total, "1600.00");
        let q2028 = &f.periods[5];
        assert_eq!(q2028.replacement_cost, "900.00");
        assert_eq!(q2028.renewal_cost, "600.00");
        assert_eq!(f.replacement_cost, "1900.00");
        assert_eq!(f.renewal_cost, "1200.00");
        assert_eq!(f.total, "3100.00");
        assert_eq!(
            (f.overdue_count, f.overdue_cost),
            (1, Money::from_minor(25_000))
        );
        assert_eq!(f.unplanned.no_life, 1, "N-1 has no category and no life");

        let yearly = ForecastOptions {
            grouping: Grouping::Year,
            items_per_period: Some(1),
            ..opts
        };
        let f = db.read(|c| forecast(c, &yearly)).unwrap();
        let keys: Vec<_> = f.periods.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["2026", "2027", "2028"]);
        assert_eq!(f.periods[1].renewals.len(), 1, "listed up to the cap");
        assert_eq!(f.periods[1].renewal_count, 2, "counted in full");
        assert!(db
            .read(|c| forecast(c, &ForecastOptions { years: 6, ..opts }))
            .is_err());
    }

    #[test]
    fn the_budget_table_by_year_and_category() {
        let db = register();
        let b = db.read(|c| budget(c, d("2026-12-01"), 2)).unwrap();
        let rows: Vec<(i32, &str, usize, String, usize, String)> = b
            .lines
            .iter()
            .map(|l| {
                (
                    l.year,
                    l.category.as_str(),
                    l.replacements,
                    l.replacement_cost.to_string(),
                    l.licence_renewals,
                    l.licence_cost.to_string(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (2026, "Monitors", 1, "250.00".into(), 0, "0.00".into()),
                (2026, "Total", 1, "250.00".into(), 0, "0.00".into()),
                (2027, "Laptops", 1, "1000.00".into(), 0, "0.00".into()),
                (2027, LICENCES_ROW, 0, "0.00".into(), 1, "600.00".into()),
                (2027, "Total", 1, "1000.00".into(), 1, "600.00".into()),
                (2028, "Laptops", 1, "900.00".into(), 0, "0.00".into()),
                (2028, LICENCES_ROW, 0, "0.00".into(), 1, "600.00".into()),
                (2028, "Total", 1, "900.00".into(), 1, "600.00".into()),
            ]
        );
        let mut csv = Vec::new();
        write_budget_csv(&mut csv, &b).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert!(
            csv.starts_with("Year,Category,Replacements,Replacement cost,"),
            "{csv}"
        );
        assert!(
            csv.contains("2027,Software licences,0,0.00,1,600.00,600.00\r\n"),
            "{csv}"
        );
    }
}
