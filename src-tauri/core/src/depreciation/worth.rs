//! What an asset and the register are worth, from what a store has read: an asset's
//! depreciation card (its methods, book value and schedule) and the register's totals by
//! category and status. Shared by every store: the file's `valuation` feeds it rows from SQLite,
//! the team register (`register_pg`) from PostgreSQL, so both give the same figures. Nothing
//! here reads or writes a database.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calc::*;
use crate::assets::Asset;
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

/// The depreciation card of `asset`, whose category's default is `category` (`Method::None`
/// without a category) and whose own method is `own`, as of `as_of`.
pub fn depreciation_of(
    asset: &Asset,
    category: Method,
    own: Option<Method>,
    as_of: NaiveDate,
) -> AssetDepreciation {
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
    AssetDepreciation {
        asset_id: asset.id,
        category: asset.category.clone(),
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
    }
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

/// The register's value as of a date, built one live asset at a time (in the order the list
/// shows them: by tag, ignoring ASCII case).
pub struct Valuer {
    out: Valuation,
    as_of: NaiveDate,
    with_assets: bool,
    sums: BTreeMap<(u8, String), (u64, i64, i64)>,
    total: (u64, i64, i64),
}

impl Valuer {
    /// An empty valuation as of `as_of` in `currency`; `with_assets` keeps the per-asset list.
    pub fn new(as_of: NaiveDate, currency: String, with_assets: bool) -> Valuer {
        Valuer {
            out: Valuation {
                as_of: format_date(as_of),
                currency,
                assets: Vec::new(),
                total: Totals::default(),
                by_category: BTreeMap::new(),
                by_status: BTreeMap::new(),
                without_cost_or_date: 0,
                bought_later: 0,
            },
            as_of,
            with_assets,
            sums: BTreeMap::new(),
            total: (0, 0, 0),
        }
    }

    /// Counts one live asset: its tag, category, status (as stored), cost in minor units and
    /// purchase date (YYYY-MM-DD); `method` gives the method in force, asked for only when the
    /// asset has a cost and a date.
    pub fn add(
        &mut self,
        tag: String,
        category: Option<String>,
        status: &str,
        cost: Option<i64>,
        bought: Option<&str>,
        method: impl FnOnce() -> Result<Method>,
    ) -> Result<()> {
        let (Some(cost), Some(bought)) = (
            cost,
            bought.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        ) else {
            self.out.without_cost_or_date += 1;
            return Ok(());
        };
        let Some(bv) = book_value(cost, bought, self.as_of, method()?) else {
            self.out.bought_later += 1;
            return Ok(());
        };
        let status = crate::Status::parse(status)?;
        for key in [
            (0u8, category.clone().unwrap_or_else(|| "(none)".into())),
            (1u8, status.as_str().to_string()),
        ] {
            let e = self.sums.entry(key).or_default();
            e.0 += 1;
            e.1 += cost;
            e.2 += bv;
        }
        self.total.0 += 1;
        self.total.1 += cost;
        self.total.2 += bv;
        if self.with_assets {
            self.out.assets.push(AssetValue {
                asset_tag: tag,
                category,
                status,
                purchase_cost: Money::from_minor(cost),
                book_value: Money::from_minor(bv),
            });
        }
        Ok(())
    }

    /// The valuation, with its totals.
    pub fn finish(mut self) -> Valuation {
        for ((kind, key), (count, c, b)) in self.sums {
            let t = Totals {
                count,
                cost: Money::from_minor(c),
                book_value: Money::from_minor(b),
            };
            if kind == 0 {
                self.out.by_category.insert(key, t);
            } else {
                self.out.by_status.insert(key, t);
            }
        }
        let (count, cost, bv) = self.total;
        self.out.total = Totals {
            count,
            cost: Money::from_minor(cost),
            book_value: Money::from_minor(bv),
        };
        self.out
    }
}
