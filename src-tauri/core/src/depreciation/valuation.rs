//! What assets are worth as of a date: one asset's method, book value and schedule, and the
//! register's cost and book value in total, by category and by status.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::calc::*;
use super::rules::method_from_columns;
use super::store::*;
use crate::error::Result;
use crate::values::{format_date, Money};

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
    /// Purchase cost.
    pub cost: Option<Money>,
    /// Purchase date.
    pub purchase_date: Option<String>,
    /// Net book value as of `as_of`; `None` without a cost and date, or when bought later.
    pub book_value: Option<Money>,
    /// Depreciation to date (with `book_value`).
    pub depreciated: Option<Money>,
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
    let cost = asset.purchase_cost.map(Money::minor);
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
        cost: cost.map(Money::from_minor),
        purchase_date: bought.map(format_date),
        book_value: bv.map(Money::from_minor),
        depreciated: bv.zip(cost).map(|(v, c)| Money::from_minor(c - v)),
        schedule: rows,
        schedule_continues: continues,
        missing,
    })
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
    /// Purchase cost.
    pub purchase_cost: Money,
    /// Net book value as of the date.
    pub book_value: Money,
}

/// Cost and book value of a group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Assets counted.
    pub count: u64,
    /// Purchase cost.
    pub cost: Money,
    /// Net book value.
    pub book_value: Money,
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

pub(super) fn valuate(conn: &Connection, as_of: NaiveDate, with_assets: bool) -> Result<Valuation> {
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
            purchase_cost: Money::from_minor(cost),
            book_value: Money::from_minor(bv),
        });
    }
    for ((kind, key), (count, c, b)) in sums {
        let t = Totals {
            count,
            cost: Money::from_minor(c),
            book_value: Money::from_minor(b),
        };
        if kind == 0 {
            out.by_category.insert(key, t);
        } else {
            out.by_status.insert(key, t);
        }
    }
    out.total = Totals {
        count: n,
        cost: Money::from_minor(cost_sum),
        book_value: Money::from_minor(bv_sum),
    };
    Ok(out)
}
