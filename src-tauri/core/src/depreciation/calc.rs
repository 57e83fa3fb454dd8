//! Depreciation methods and the pure calculations: whole months, book value, the yearly
//! schedule, and the forms a method is typed in. No database here.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::rules::method_columns;
use crate::error::{Error, Result};
use crate::values::{format_date, format_money, parse_money, Money};

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
                            "straight-line needs its life in whole months, from 1 to {MAX_LIFE_MONTHS}"
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
            let rate = rate_percent.ok_or_else(|| {
                Error::invalid(
                    "rate",
                    "declining balance needs its yearly rate in percent, e.g. 25",
                )
            })?;
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
        parse_method(
            &self.method,
            life,
            opt(&self.residual).as_deref(),
            opt(&self.rate).as_deref(),
        )
    }
}

/// One year of an asset's depreciation schedule. Years run from the purchase date: year 1
/// ends on its first anniversary, so each row equals the book value as of that date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleRow {
    /// 1, 2, 3…
    pub year: u32,
    /// The day the year ends (YYYY-MM-DD), the anniversary of the purchase.
    pub year_end: String,
    /// Depreciation during that year.
    pub depreciation: Money,
    /// Book value at the year's end.
    pub book_value: Money,
}

/// Rows shown for declining balance, which never quite reaches zero.
pub(super) const DECLINING_YEARS: u32 = 10;
/// Rows shown at most for a (very) long straight-line life.
pub(super) const MAX_YEARS: u32 = 50;

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
            depreciation: Money::from_minor(prev - bv),
            book_value: Money::from_minor(bv),
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
