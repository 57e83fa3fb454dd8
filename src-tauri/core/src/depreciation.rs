//! What assets are worth: each category's depreciation default (straight-line to a residual
//! value, declining balance, or none), the net book value of an asset and of the register as of
//! any date, and totals by category and status. Money stays in integer minor units.
//!
//! Rounding rule: straight-line depreciation to date is `(cost − residual) × months ÷ life`,
//! rounded half up to the minor unit; declining balance applies the yearly rate once per full
//! year of ownership, rounding the book value half up to the minor unit each year. Months and
//! years count whole periods from the purchase date (2024-01-15 → 2024-02-14 is 0 months).

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Change, NewEvent};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::values::{format_date, format_money, parse_money};

/// A category's depreciation default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Method {
    /// Not depreciated: book value = cost.
    #[default]
    None,
    /// Straight-line over `life_months` down to `residual` (minor units).
    StraightLine {
        /// Useful life in months.
        life_months: u32,
        /// Value at the end of its life, minor units.
        residual: i64,
    },
    /// Declining balance at `rate_bp` basis points a year (2500 = 25 %).
    Declining {
        /// Yearly rate in basis points.
        rate_bp: u32,
    },
}

impl Method {
    /// The method in words, as History shows it: "straight-line over 36 months to 0.00".
    pub fn describe(self) -> String {
        match self {
            Method::None => "none".into(),
            Method::StraightLine {
                life_months,
                residual,
            } => {
                format!(
                    "straight-line over {life_months} months to {}",
                    format_money(residual)
                )
            }
            Method::Declining { rate_bp } => {
                format!(
                    "declining balance at {}.{:02}% a year",
                    rate_bp / 100,
                    rate_bp % 100
                )
            }
        }
    }
}

/// Whole months from `from` to `to` (0 when `to` is before a full month has passed).
pub fn whole_months(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    let mut m = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        m -= 1;
    }
    m.max(0) as u32
}

/// Book value in minor units of an asset costing `cost`, bought on `bought`, as of `as_of`.
/// `None` when it was bought after `as_of` (not yet owned).
pub fn book_value(cost: i64, bought: NaiveDate, as_of: NaiveDate, method: Method) -> Option<i64> {
    if as_of < bought {
        return None;
    }
    let months = whole_months(bought, as_of);
    Some(match method {
        Method::None => cost,
        Method::StraightLine {
            life_months,
            residual,
        } => {
            let residual = residual.min(cost);
            let used = i128::from(months.min(life_months));
            let base = i128::from(cost - residual);
            let life = i128::from(life_months);
            // Half up: (2·base·used + life) ÷ (2·life).
            let dep = (2 * base * used + life) / (2 * life);
            cost - dep as i64
        }
        Method::Declining { rate_bp } => {
            let mut bv = i128::from(cost);
            for _ in 0..months / 12 {
                bv = (bv * i128::from(10_000 - rate_bp) + 5_000) / 10_000;
            }
            bv as i64
        }
    })
}

/// A method from its stored columns (`depreciation, life_months, residual, rate_bp`); `None`
/// when the method column is NULL (an asset that follows its category).
fn method_from_columns(
    m: Option<&str>,
    life: Option<i64>,
    residual: Option<i64>,
    rate: Option<i64>,
) -> Option<Method> {
    Some(match m? {
        "straight_line" => Method::StraightLine {
            life_months: life.unwrap_or(1) as u32,
            residual: residual.unwrap_or(0),
        },
        "declining" => Method::Declining {
            rate_bp: rate.unwrap_or(0) as u32,
        },
        _ => Method::None,
    })
}

/// The stored columns of a method: `(depreciation, life_months, residual, rate_bp)`.
fn method_columns(method: Method) -> (&'static str, Option<i64>, Option<i64>, Option<i64>) {
    match method {
        Method::None => ("none", None, None, None),
        Method::StraightLine {
            life_months,
            residual,
        } => (
            "straight_line",
            Some(i64::from(life_months)),
            Some(residual),
            None,
        ),
        Method::Declining { rate_bp } => ("declining", None, None, Some(i64::from(rate_bp))),
    }
}

/// method, life_months, residual, rate_bp
type MethodRow = (Option<String>, Option<i64>, Option<i64>, Option<i64>);

/// Reads a category's method.
pub fn category_method(conn: &Connection, category_id: i64) -> Result<Method> {
    let row: Option<MethodRow> = conn
        .prepare_cached(
            "SELECT depreciation, life_months, residual, rate_bp FROM categories WHERE id = ?1",
        )?
        .query_row([category_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let (m, life, residual, rate) = row.ok_or_else(|| Error::not_found("category", category_id))?;
    Ok(method_from_columns(m.as_deref(), life, residual, rate).unwrap_or_default())
}

/// An asset's own method, or `None` when it follows its category's default.
pub fn asset_override(conn: &Connection, asset_id: i64) -> Result<Option<Method>> {
    let row: Option<MethodRow> = conn
        .prepare_cached(
            "SELECT depreciation, life_months, residual, rate_bp FROM assets WHERE id = ?1",
        )?
        .query_row([asset_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let (m, life, residual, rate) = row.ok_or_else(|| Error::not_found("asset", asset_id))?;
    Ok(method_from_columns(m.as_deref(), life, residual, rate))
}

/// The longest useful life accepted: 100 years.
pub const MAX_LIFE_MONTHS: u32 = 1200;

/// Parses the CLI's spelling: `straight-line` (+ life months, optional residual amount),
/// `declining` (+ yearly percent), or `none`.
pub fn parse_method(
    method: &str,
    life_months: Option<u32>,
    residual: Option<&str>,
    rate_percent: Option<&str>,
) -> Result<Method> {
    let key: String = method
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    match key.as_str() {
        "none" => Ok(Method::None),
        "straightline" => {
            let life_months = life_months
                .filter(|m| (1..=MAX_LIFE_MONTHS).contains(m))
                .ok_or_else(|| {
                    Error::invalid(
                        "life_months",
                        format!(
                            "straight-line needs --life-months, whole months from 1 to {MAX_LIFE_MONTHS}"
                        ),
                    )
                })?;
            let residual = match residual {
                Some(r) => parse_money("residual", r)?.unwrap_or(0),
                None => 0,
            };
            Ok(Method::StraightLine {
                life_months,
                residual,
            })
        }
        "declining" | "decliningbalance" => {
            let rate = rate_percent
                .ok_or_else(|| Error::invalid("rate", "declining balance needs --rate PERCENT"))?;
            let bp = parse_money("rate", rate.trim().trim_end_matches('%'))?.unwrap_or(0);
            if bp <= 0 || bp > 10_000 {
                return Err(Error::invalid(
                    "rate",
                    "the rate is a percentage above 0 and at most 100",
                ));
            }
            Ok(Method::Declining { rate_bp: bp as u32 })
        }
        _ => Err(Error::invalid(
            "depreciation",
            format!(
                "\"{}\" is not a method; use straight-line, declining or none",
                method.trim()
            ),
        )),
    }
}

/// Sets a category's default method (creating the category if new), audited.
pub fn set_category_method(tx: &mut Tx<'_>, name: &str, method: Method) -> Result<()> {
    let cat = crate::locations::get_or_create(tx, crate::locations::Kind::Category, name)?;
    let before = category_method(tx.conn(), cat.id)?;
    if before == method {
        return Ok(());
    }
    let (m, life, residual, rate) = method_columns(method);
    tx.conn().execute(
        "UPDATE categories SET depreciation = ?1, life_months = ?2, residual = ?3, rate_bp = ?4 WHERE id = ?5",
        params![m, life, residual, rate, cat.id],
    )?;
    audit::record(
        tx,
        NewEvent {
            action: "edited",
            entity: "category",
            entity_id: Some(cat.id),
            asset_id: None,
            label: &cat.name,
            changes: vec![Change::new(
                "depreciation",
                Some(before.describe()),
                Some(method.describe()),
            )],
            note: None,
        },
    )?;
    Ok(())
}

/// A method as the window shows and edits it: the method's key, its parameters as text (money
/// as a decimal string, the rate in percent) and a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodView {
    /// none | straight_line | declining.
    pub method: String,
    /// Straight-line: useful life in months.
    pub life_months: Option<u32>,
    /// Straight-line: residual value, decimal string.
    pub residual: Option<String>,
    /// Declining balance: yearly rate in percent ("25" or "12.5").
    pub rate_percent: Option<String>,
    /// In words: "straight-line over 36 months to 0.00", "not depreciated".
    pub label: String,
}

impl From<Method> for MethodView {
    fn from(m: Method) -> MethodView {
        let (key, life, residual, rate) = method_columns(m);
        MethodView {
            method: key.into(),
            life_months: life.map(|l| l as u32),
            residual: residual.map(format_money),
            rate_percent: rate.map(|bp| {
                let s = format_money(bp);
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            }),
            label: match m {
                Method::None => "not depreciated".into(),
                m => m.describe(),
            },
        }
    }
}

/// A method as a form sends it: every parameter as typed text, validated here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MethodInput {
    /// straight-line (or straight_line), declining, or none.
    pub method: String,
    /// Straight-line: whole months.
    pub life_months: String,
    /// Straight-line: residual amount (blank = 0).
    pub residual: String,
    /// Declining balance: yearly percent.
    pub rate: String,
}

impl MethodInput {
    /// Validates the typed parameters; errors name the field (`life_months`, `residual`, `rate`).
    pub fn parse(&self) -> Result<Method> {
        let life = self.life_months.trim();
        let life = if life.is_empty() {
            None
        } else {
            Some(life.parse::<u32>().map_err(|_| {
                Error::invalid(
                    "life_months",
                    format!("\"{life}\" is not a whole number of months (e.g. 36)"),
                )
            })?)
        };
        let opt = |s: &str| Some(s.trim().to_string()).filter(|t| !t.is_empty());
        // The form's own words for what the CLI calls --life-months and --rate.
        let key: String = self
            .method
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        let key = key.to_lowercase();
        if key == "straightline" && !life.is_some_and(|l| (1..=MAX_LIFE_MONTHS).contains(&l)) {
            return Err(Error::invalid(
                "life_months",
                format!("give the life in whole months, from 1 to {MAX_LIFE_MONTHS}"),
            ));
        }
        if key == "declining" && opt(&self.rate).is_none() {
            return Err(Error::invalid(
                "rate",
                "give the yearly rate in percent, e.g. 25",
            ));
        }
        parse_method(
            &self.method,
            life,
            opt(&self.residual).as_deref(),
            opt(&self.rate).as_deref(),
        )
    }
}

/// What an asset's depreciation says in History: its own method, or its category's default.
fn asset_method_words(own: Option<Method>) -> String {
    match own {
        Some(m) => m.describe(),
        None => "category default".into(),
    }
}

/// Sets an asset's own method (`Some`) or makes it follow its category again (`None`),
/// audited as a field edit. Setting what is already set writes nothing.
pub fn set_asset_method(
    tx: &mut Tx<'_>,
    asset_id: i64,
    method: Option<Method>,
    note: Option<&str>,
) -> Result<()> {
    let asset = crate::assets::get_asset(tx.conn(), asset_id)?;
    if asset.archived {
        return Err(Error::Refused(format!(
            "{} is archived and cannot be changed",
            asset.asset_tag
        )));
    }
    let before = asset_override(tx.conn(), asset_id)?;
    if before == method {
        return Ok(());
    }
    let (m, life, residual, rate) = match method {
        Some(m) => {
            let (k, l, r, b) = method_columns(m);
            (Some(k), l, r, b)
        }
        None => (None, None, None, None),
    };
    tx.conn().execute(
        "UPDATE assets SET depreciation = ?1, life_months = ?2, residual = ?3, rate_bp = ?4,
            updated_at = ?5 WHERE id = ?6",
        params![m, life, residual, rate, crate::now(), asset_id],
    )?;
    audit::record(
        tx,
        NewEvent::for_asset(
            asset_id,
            &asset.asset_tag,
            "edited",
            vec![Change::new(
                "depreciation",
                Some(asset_method_words(before)),
                Some(asset_method_words(method)),
            )],
            note,
        ),
    )?;
    Ok(())
}

/// One year of an asset's depreciation schedule. Years run from the purchase date: year 1
/// ends on its first anniversary, so each row equals the book value as of that date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleRow {
    /// 1, 2, 3…
    pub year: u32,
    /// The day the year ends (YYYY-MM-DD), the anniversary of the purchase.
    pub year_end: String,
    /// Depreciation during that year, decimal string.
    pub depreciation: String,
    /// Book value at the year's end, decimal string.
    pub book_value: String,
}

/// Rows shown for declining balance, which never quite reaches zero.
const DECLINING_YEARS: u32 = 10;
/// Rows shown at most for a (very) long straight-line life.
const MAX_YEARS: u32 = 50;

/// The yearly schedule of an asset costing `cost` bought on `bought`; the flag says whether
/// it continues beyond the rows given (declining balance, or a life over 50 years).
pub fn schedule(cost: i64, bought: NaiveDate, method: Method) -> (Vec<ScheduleRow>, bool) {
    let years = match method {
        Method::None => return (Vec::new(), false),
        Method::StraightLine { life_months, .. } => life_months.div_ceil(12),
        Method::Declining { .. } => DECLINING_YEARS,
    };
    let shown = years.min(MAX_YEARS);
    let mut rows = Vec::new();
    let mut prev = cost;
    for year in 1..=shown {
        let Some(mut end) = bought.checked_add_months(Months::new(12 * year)) else {
            break;
        };
        // 29 Feb + 1 year is clamped to 28 Feb, a day short of a whole year: the year ends
        // on 1 Mar instead.
        if end.day() < bought.day() {
            end = end.succ_opt().unwrap_or(end);
        }
        let bv = book_value(cost, bought, end, method).unwrap_or(cost);
        rows.push(ScheduleRow {
            year,
            year_end: format_date(end),
            depreciation: format_money(prev - bv),
            book_value: format_money(bv),
        });
        prev = bv;
        if bv == 0 {
            return (rows, false);
        }
    }
    let continues = match method {
        Method::Declining { .. } => prev > 0,
        _ => years > shown,
    };
    (rows, continues)
}

/// An asset's depreciation as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetDepreciation {
    /// The asset.
    pub asset_id: i64,
    /// Its category, if any.
    pub category: Option<String>,
    /// The category's default (not depreciated when there is no category).
    pub category_method: MethodView,
    /// The asset's own method, when it overrides the default.
    pub own_method: Option<MethodView>,
    /// The method in force: its own, else the category's.
    pub effective: MethodView,
    /// The date the book value is for (YYYY-MM-DD).
    pub as_of: String,
    /// Purchase cost, decimal string.
    pub cost: Option<String>,
    /// Purchase date.
    pub purchase_date: Option<String>,
    /// Net book value as of `as_of`; `None` without a cost and date, or when bought later.
    pub book_value: Option<String>,
    /// Depreciation to date, decimal string (with `book_value`).
    pub depreciated: Option<String>,
    /// The yearly schedule (empty without a cost and date, or when not depreciated).
    pub schedule: Vec<ScheduleRow>,
    /// True when the schedule goes on beyond its rows.
    pub schedule_continues: bool,
    /// What is missing for a value: "cost", "purchase_date", or both.
    pub missing: Vec<String>,
}

/// An asset's method, book value as of `as_of` and yearly schedule.
pub fn asset_depreciation(
    conn: &Connection,
    asset_id: i64,
    as_of: NaiveDate,
) -> Result<AssetDepreciation> {
    let asset = crate::assets::get_asset(conn, asset_id)?;
    let category_id: Option<i64> = conn
        .prepare_cached("SELECT category_id FROM assets WHERE id = ?1")?
        .query_row([asset_id], |r| r.get(0))?;
    let category = match category_id {
        Some(id) => category_method(conn, id)?,
        None => Method::None,
    };
    let own = asset_override(conn, asset_id)?;
    let effective = own.unwrap_or(category);
    let cost = match asset.purchase_cost.as_deref() {
        Some(c) => parse_money("purchase_cost", c)?,
        None => None,
    };
    let bought = asset
        .purchase_date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let mut missing = Vec::new();
    if cost.is_none() {
        missing.push("cost".to_string());
    }
    if bought.is_none() {
        missing.push("purchase_date".to_string());
    }
    let (bv, (rows, continues)) = match (cost, bought) {
        (Some(c), Some(b)) => (
            book_value(c, b, as_of, effective),
            schedule(c, b, effective),
        ),
        _ => (None, (Vec::new(), false)),
    };
    Ok(AssetDepreciation {
        asset_id,
        category: asset.category,
        category_method: category.into(),
        own_method: own.map(Into::into),
        effective: effective.into(),
        as_of: format_date(as_of),
        cost: cost.map(format_money),
        purchase_date: bought.map(format_date),
        book_value: bv.map(format_money),
        depreciated: bv.zip(cost).map(|(v, c)| format_money(c - v)),
        schedule: rows,
        schedule_continues: continues,
        missing,
    })
}

/// A category with its default method and how many live assets it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryMethod {
    /// Row id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its default.
    pub method: MethodView,
    /// Live assets in it.
    pub asset_count: i64,
    /// Of those, how many have their own method.
    pub overrides: i64,
}

/// Every category with its default method, by name.
pub fn list_category_methods(conn: &Connection) -> Result<Vec<CategoryMethod>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.name, c.depreciation, c.life_months, c.residual, c.rate_bp,
            (SELECT count(*) FROM assets a WHERE a.category_id = c.id AND a.archived_at IS NULL),
            (SELECT count(*) FROM assets a WHERE a.category_id = c.id AND a.archived_at IS NULL
                AND a.depreciation IS NOT NULL)
         FROM categories c ORDER BY c.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| {
        let m: Option<String> = r.get(2)?;
        let method =
            method_from_columns(m.as_deref(), r.get(3)?, r.get(4)?, r.get(5)?).unwrap_or_default();
        Ok(CategoryMethod {
            id: r.get(0)?,
            name: r.get(1)?,
            method: method.into(),
            asset_count: r.get(6)?,
            overrides: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One asset's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetValue {
    /// Its tag.
    pub asset_tag: String,
    /// Its category.
    pub category: Option<String>,
    /// Its status (JSON spelling).
    pub status: crate::Status,
    /// Purchase cost, decimal string.
    pub purchase_cost: String,
    /// Net book value as of the date, decimal string.
    pub book_value: String,
}

/// Cost and book value of a group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Assets counted.
    pub count: u64,
    /// Purchase cost, decimal string.
    pub cost: String,
    /// Net book value, decimal string.
    pub book_value: String,
}

/// The register's value as of a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Valuation {
    /// The date.
    pub as_of: String,
    /// The register's currency.
    pub currency: String,
    /// Every asset owned on that date with a cost and a purchase date (live assets).
    pub assets: Vec<AssetValue>,
    /// Totals of all of them.
    pub total: Totals,
    /// Totals by category ("(none)" for uncategorised).
    pub by_category: BTreeMap<String, Totals>,
    /// Totals by status.
    pub by_status: BTreeMap<String, Totals>,
    /// Live assets left out because they have no cost or no purchase date.
    pub without_cost_or_date: u64,
    /// Live assets left out because they were bought after the date.
    #[serde(default)]
    pub bought_later: u64,
}

/// Values every live asset as of `as_of`. Retired and Lost/Stolen assets count at their book
/// value like any other until archived (they are still on the books until written off).
pub fn value_register(conn: &Connection, as_of: NaiveDate) -> Result<Valuation> {
    valuate(conn, as_of, true)
}

/// The totals of [`value_register`] without the per-asset list (for the window, where a large
/// register's list would be megabytes nobody reads).
pub fn value_totals(conn: &Connection, as_of: NaiveDate) -> Result<Valuation> {
    valuate(conn, as_of, false)
}

fn valuate(conn: &Connection, as_of: NaiveDate, with_assets: bool) -> Result<Valuation> {
    let mut methods: BTreeMap<i64, Method> = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT asset_tag, category_id, category_name, status, purchase_cost, purchase_date,
            depreciation, life_months, residual, rate_bp
         FROM assets WHERE archived_at IS NULL ORDER BY asset_tag COLLATE NOCASE",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Valuation {
        as_of: as_of.format("%Y-%m-%d").to_string(),
        currency: crate::settings::get_settings(conn)?.currency,
        assets: Vec::new(),
        total: Totals::default(),
        by_category: BTreeMap::new(),
        by_status: BTreeMap::new(),
        without_cost_or_date: 0,
        bought_later: 0,
    };
    let mut sums: BTreeMap<(u8, String), (u64, i64, i64)> = BTreeMap::new();
    let (mut n, mut cost_sum, mut bv_sum) = (0u64, 0i64, 0i64);
    while let Some(r) = rows.next()? {
        let tag: String = r.get(0)?;
        let cat_id: Option<i64> = r.get(1)?;
        let cat: Option<String> = r.get(2)?;
        let status: String = r.get(3)?;
        let cost: Option<i64> = r.get(4)?;
        let date: Option<String> = r.get(5)?;
        let (Some(cost), Some(bought)) = (
            cost,
            date.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        ) else {
            out.without_cost_or_date += 1;
            continue;
        };
        let own: Option<String> = r.get(6)?;
        let own = method_from_columns(own.as_deref(), r.get(7)?, r.get(8)?, r.get(9)?);
        let method = match (own, cat_id) {
            (Some(m), _) => m,
            (None, Some(id)) => match methods.get(&id) {
                Some(m) => *m,
                None => {
                    let m = category_method(conn, id)?;
                    methods.insert(id, m);
                    m
                }
            },
            (None, None) => Method::None,
        };
        let Some(bv) = book_value(cost, bought, as_of, method) else {
            out.bought_later += 1;
            continue;
        };
        let status = crate::Status::parse(&status)?;
        for key in [
            (0u8, cat.clone().unwrap_or_else(|| "(none)".into())),
            (1u8, status.as_str().to_string()),
        ] {
            let e = sums.entry(key).or_default();
            e.0 += 1;
            e.1 += cost;
            e.2 += bv;
        }
        n += 1;
        cost_sum += cost;
        bv_sum += bv;
        if !with_assets {
            continue;
        }
        out.assets.push(AssetValue {
            asset_tag: tag,
            category: cat,
            status,
            purchase_cost: format_money(cost),
            book_value: format_money(bv),
        });
    }
    for ((kind, key), (count, c, b)) in sums {
        let t = Totals {
            count,
            cost: format_money(c),
            book_value: format_money(b),
        };
        if kind == 0 {
            out.by_category.insert(key, t);
        } else {
            out.by_status.insert(key, t);
        }
    }
    out.total = Totals {
        count: n,
        cost: format_money(cost_sum),
        book_value: format_money(bv_sum),
    };
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
                .map(|a| a.book_value.clone())
        };
        assert_eq!(bv("IT-1").as_deref(), Some("600.00"), "category default");
        assert_eq!(bv("IT-2").as_deref(), Some("600.00"), "one year at 50%");
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
        assert_eq!(dep.book_value.as_deref(), Some("300.00"));
        assert_eq!(dep.depreciated.as_deref(), Some("900.00"));
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
            (dep.own_method, dep.book_value.as_deref()),
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
        let got: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.year_end.as_str(),
                    r.depreciation.as_str(),
                    r.book_value.as_str(),
                )
            })
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
            (rows[0].book_value.as_str(), rows[1].book_value.as_str()),
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
}
