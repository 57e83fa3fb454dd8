//! What assets are worth: each category's depreciation default (straight-line to a residual
//! value, declining balance, or none), the net book value of an asset and of the register as of
//! any date, and totals by category and status. Money stays in integer minor units.
//!
//! Rounding rule: straight-line depreciation to date is `(cost − residual) × months ÷ life`,
//! rounded half up to the minor unit; declining balance applies the yearly rate once per full
//! year of ownership, rounding the book value half up to the minor unit each year. Months and
//! years count whole periods from the purchase date (2024-01-15 → 2024-02-14 is 0 months).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Change, NewEvent};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::values::{format_money, parse_money};

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
    fn describe(self) -> String {
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

/// Reads a category's method.
pub fn category_method(conn: &Connection, category_id: i64) -> Result<Method> {
    /// method, life_months, residual, rate_bp
    type Row = (String, Option<i64>, Option<i64>, Option<i64>);
    let row: Option<Row> = conn
        .prepare_cached(
            "SELECT depreciation, life_months, residual, rate_bp FROM categories WHERE id = ?1",
        )?
        .query_row([category_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let (m, life, residual, rate) = row.ok_or_else(|| Error::not_found("category", category_id))?;
    Ok(match m.as_str() {
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
            let life_months = life_months.filter(|m| *m > 0).ok_or_else(|| {
                Error::invalid(
                    "life_months",
                    "straight-line needs --life-months (a whole number above 0)",
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
    let (m, life, residual, rate) = match method {
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
    };
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
}

/// Values every live asset as of `as_of`. Retired and Lost/Stolen assets count at their book
/// value like any other until archived (they are still on the books until written off).
pub fn value_register(conn: &Connection, as_of: NaiveDate) -> Result<Valuation> {
    let mut methods: BTreeMap<i64, Method> = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT asset_tag, category_id, category_name, status, purchase_cost, purchase_date
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
        let method = match cat_id {
            Some(id) => match methods.get(&id) {
                Some(m) => *m,
                None => {
                    let m = category_method(conn, id)?;
                    methods.insert(id, m);
                    m
                }
            },
            None => Method::None,
        };
        let Some(bv) = book_value(cost, bought, as_of, method) else {
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
}
