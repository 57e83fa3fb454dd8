//! Placing each live asset's replacement from what a store has read of it: its life (the first
//! set of its own, its category's and the two depreciation lives), its due date, and its cost
//! with the yearly inflation, sorted into due and overdue, with what cannot be planned counted.
//! Shared by every store: the file's `plan_dues` feeds it rows from SQLite, the team register
//! (`register_pg`) from PostgreSQL, so both plan the same. Nothing here reads or writes a
//! database.

use chrono::{Months, NaiveDate};

use super::AssetReplacement;
use super::{due_on, inflate, CostBasis, LifeSource, Replacement, Replacements, Unplanned};
use crate::values::{format_date, Money};

/// What the plan needs of one live (not archived, Retired or Lost/Stolen) asset.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Candidate {
    /// Its id.
    pub asset_id: i64,
    /// Its category's id.
    pub category_id: Option<i64>,
    /// When it was bought, if that is a date.
    pub purchase_date: Option<NaiveDate>,
    /// Its purchase cost.
    pub purchase_cost: Option<Money>,
    /// Its own replacement life (months).
    pub own_life: Option<u32>,
    /// Its category's replacement life.
    pub category_life: Option<u32>,
    /// Its own straight-line depreciation life, when that is its method.
    pub own_depreciation_life: Option<u32>,
    /// Its category's straight-line depreciation life, when that is the category's default.
    pub category_depreciation_life: Option<u32>,
    /// Its category's "replace with" price.
    pub replace_with: Option<Money>,
}

/// A replacement before its details are read: what it takes to place, count and cost it (the
/// forecast works out 100k of these and reads the details of the few it lists).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Due {
    /// The asset's id.
    pub asset_id: i64,
    /// Its category's id.
    pub category_id: Option<i64>,
    /// When it is due.
    pub due: NaiveDate,
    /// Its life in months.
    pub life_months: u32,
    /// Where that life comes from.
    pub life_source: LifeSource,
    /// What replacing it costs at the due date.
    pub cost: Option<Money>,
    /// Which figure that is.
    pub basis: CostBasis,
    /// True when inflation was added to it.
    pub inflated: bool,
}

impl Due {
    /// The replacement as lists show it, given its asset's details: tag, name, category, status
    /// (as stored), holder (person, else location) and purchase date (YYYY-MM-DD).
    pub fn with_details(
        &self,
        asset_tag: String,
        name: String,
        category: Option<String>,
        status: String,
        holder: Option<String>,
        purchase_date: String,
    ) -> Replacement {
        Replacement {
            asset_id: self.asset_id,
            asset_tag,
            name,
            category,
            status,
            holder,
            purchase_date,
            due: format_date(self.due),
            life_months: self.life_months,
            life_source: self.life_source,
            cost: self.cost,
            basis: self.basis,
            inflated: self.inflated,
        }
    }
}

/// Replacements due in `[from, until]` (by date, then asset id), those overdue at `from`, and
/// what could not be planned.
pub struct Dues {
    /// Due in the window.
    pub due: Vec<Due>,
    /// Due before it.
    pub overdue: Vec<Due>,
    /// What could not be planned.
    pub unplanned: Unplanned,
    from: NaiveDate,
    until: NaiveDate,
    rate_bp: u32,
}

impl Dues {
    /// No replacements yet, for the window `[from, until]` with yearly inflation `rate_bp`.
    pub fn new(from: NaiveDate, until: NaiveDate, rate_bp: u32) -> Dues {
        Dues {
            due: Vec::new(),
            overdue: Vec::new(),
            unplanned: Unplanned::default(),
            from,
            until,
            rate_bp,
        }
    }

    /// Places one live asset: due, overdue, beyond the window (left out), or unplanned.
    pub fn add(&mut self, c: &Candidate) {
        let Some(bought) = c.purchase_date else {
            self.unplanned.no_purchase_date += 1;
            return;
        };
        let lives = [
            (c.own_life, LifeSource::Asset),
            (c.category_life, LifeSource::Category),
            (c.own_depreciation_life, LifeSource::Depreciation),
            (c.category_depreciation_life, LifeSource::Depreciation),
        ];
        let Some((life, life_source)) = lives
            .into_iter()
            .find_map(|(l, s)| l.filter(|l| *l > 0).map(|l| (l, s)))
        else {
            self.unplanned.no_life += 1;
            return;
        };
        let Some(due) = due_on(bought, life) else {
            return;
        };
        if due > self.until {
            return;
        }
        let (base, basis) = match (c.replace_with, c.purchase_cost) {
            (Some(p), _) => (Some(p), CostBasis::ReplaceWith),
            (None, Some(c)) => (Some(c), CostBasis::PurchaseCost),
            (None, None) => (None, CostBasis::Unknown),
        };
        let years = whole_years(self.from, due);
        let rate = self.rate_bp;
        let item = Due {
            asset_id: c.asset_id,
            category_id: c.category_id,
            due,
            life_months: life,
            life_source,
            cost: base.map(|b| inflate(b, rate, years)),
            basis,
            inflated: base.is_some() && rate > 0 && years > 0,
        };
        if due < self.from {
            self.overdue.push(item);
        } else {
            self.due.push(item);
        }
    }

    /// The replacements by due date, then asset id.
    pub fn sorted(mut self) -> Dues {
        self.due.sort_unstable_by_key(|d| (d.due, d.asset_id));
        self.overdue.sort_unstable_by_key(|d| (d.due, d.asset_id));
        self
    }
}

/// Whole years from `from` to `to` (0 when `to` is within a year of `from`, or before it).
pub(super) fn whole_years(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut n = 0;
    while from
        .checked_add_months(Months::new(12 * (n + 1)))
        .is_some_and(|d| d <= to)
    {
        n += 1;
    }
    n
}

/// One asset's replacement card from its own life and its [`Replacements`] (planned up to the
/// end of time, from today): the first overdue or due, else why it cannot be planned.
pub fn asset_replacement_of(own_life_months: Option<u32>, r: Replacements) -> AssetReplacement {
    let planned = r.overdue.into_iter().chain(r.due).next();
    let missing = match (&planned, r.unplanned) {
        (Some(_), _) => None,
        (None, u) if u.no_purchase_date > 0 => Some("no_purchase_date"),
        (None, u) if u.no_life > 0 => Some("no_life"),
        (None, _) => Some("not_live"),
    };
    AssetReplacement {
        own_life_months,
        planned,
        missing: missing.map(str::to_string),
    }
}
