//! What a licence is: its stored shape as lists and pages show it (the key masked), what a form
//! or the CLI sends, a seat in use, and the words for a licence's period and cost basis. The
//! same types for every store: the file's SQL (`mod.rs`) and the team register's
//! (`register_pg::licences`) both give these.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::values::Money;

/// The most seats a licence can have (a typo guard, not a business limit).
pub const MAX_SEATS: i64 = 100_000;

/// How often a licence's cost is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Every month, from the renewal date.
    Monthly,
    /// Every year, on the renewal date.
    #[default]
    Yearly,
    /// Paid once; the date is the expiry.
    OneOff,
}

impl Period {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Monthly => "monthly",
            Period::Yearly => "yearly",
            Period::OneOff => "one_off",
        }
    }

    /// How it reads: "a month", "a year", "one-off".
    pub fn label(self) -> &'static str {
        match self {
            Period::Monthly => "monthly",
            Period::Yearly => "yearly",
            Period::OneOff => "one-off",
        }
    }

    /// Parses `monthly`, `yearly` (or `annual`), `one-off` (or `one_off`, `once`, `perpetual`).
    pub fn parse(s: &str) -> Result<Period> {
        match s.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
            "monthly" | "month" => Ok(Period::Monthly),
            "yearly" | "year" | "annual" | "annually" | "" => Ok(Period::Yearly),
            "one_off" | "oneoff" | "once" | "perpetual" => Ok(Period::OneOff),
            other => Err(Error::invalid(
                "period",
                format!("\"{other}\" is not a period; use monthly, yearly or one-off"),
            )),
        }
    }
}

/// Whether a licence's cost is for each seat or for the whole licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CostBasis {
    /// The cost is for the whole licence (every licence recorded before the choice existed).
    #[default]
    Total,
    /// The cost is for one seat: a period costs it times the seats bought.
    PerSeat,
}

impl CostBasis {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CostBasis::Total => "total",
            CostBasis::PerSeat => "per_seat",
        }
    }

    /// Parses `total` (or empty) and `per-seat` (or `per_seat`, `seat`, `per-user`).
    pub fn parse(s: &str) -> Result<CostBasis> {
        match s.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
            "total" | "in_total" | "whole" | "" => Ok(CostBasis::Total),
            "per_seat" | "seat" | "per_user" | "user" => Ok(CostBasis::PerSeat),
            other => Err(Error::invalid(
                "cost_basis",
                format!("\"{other}\" is not a way to price a licence; use per-seat or total"),
            )),
        }
    }
}

/// A licence as lists and pages show it (the key masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Licence {
    /// Row id.
    pub id: i64,
    /// What it licenses (Microsoft 365 Business, Adobe Acrobat…).
    pub product: String,
    /// Who makes it.
    pub vendor: Option<String>,
    /// Seats bought.
    pub seats: i64,
    /// Seats given to people.
    pub seats_used: i64,
    /// The next renewal, or the expiry of a one-off licence (YYYY-MM-DD).
    pub renewal_date: Option<String>,
    /// Cost per period ("12.50" in JSON), per seat or in total as `cost_basis` says.
    pub cost: Option<Money>,
    /// Whether `cost` is per seat or for the whole licence.
    pub cost_basis: CostBasis,
    /// What one period costs for the whole licence: `cost`, times the seats when per seat.
    pub period_cost: Option<Money>,
    /// How often the cost is paid.
    pub period: Period,
    /// Who sold it.
    pub supplier: Option<String>,
    /// The key masked ("•••• 7Q2X"), or `None` when no key is stored.
    pub key_hint: Option<String>,
    /// Free text.
    pub notes: Option<String>,
    /// True once archived (retired).
    pub archived: bool,
    /// Documents attached.
    pub document_count: i64,
    /// When it was recorded.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// What a form or the CLI sends. Creating: every field is read (`None` = empty). Editing:
/// `None` keeps a field, `Some("")` clears it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LicenceInput {
    /// Required.
    pub product: Option<String>,
    /// Vendor.
    pub vendor: Option<String>,
    /// A whole number of seats, at least 1 (and at least the seats in use).
    pub seats: Option<String>,
    /// YYYY-MM-DD.
    pub renewal_date: Option<String>,
    /// Cost per period, e.g. 12.50.
    pub cost: Option<String>,
    /// `total` (the default) or `per_seat`.
    pub cost_basis: Option<String>,
    /// monthly, yearly or one-off.
    pub period: Option<String>,
    /// Supplier.
    pub supplier: Option<String>,
    /// The licence key (stored as given; lists show it masked).
    pub licence_key: Option<String>,
    /// Free text.
    pub notes: Option<String>,
}

/// A seat in use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seat {
    /// The licence.
    pub licence_id: i64,
    /// Its product.
    pub product: String,
    /// The person holding it.
    pub person_id: i64,
    /// Their name.
    pub person_name: String,
    /// False once the person has left (only possible for seats given before this rule).
    pub person_active: bool,
    /// When the seat was given (UTC).
    pub assigned_at: String,
}
