//! What assets are worth: each category's depreciation default (straight-line to a residual
//! value, declining balance, or none), the net book value of an asset and of the register as of
//! any date, and totals by category and status. Money stays in integer minor units.
//!
//! Rounding rule: straight-line depreciation to date is `(cost − residual) × months ÷ life`,
//! rounded half up to the minor unit; declining balance applies the yearly rate once per full
//! year of ownership, rounding the book value half up to the minor unit each year. Months and
//! years count whole periods from the purchase date (2024-01-15 → 2024-02-14 is 0 months).
//!
//! - `calc`: the methods and the pure calculations (book value, schedule, parsing);
//! - `rules`: how a method is stored, and what changing a category's default or an asset's own
//!   method records (shared with the team register);
//! - `store`: methods stored per category and per asset in a file, audited;
//! - `worth`: an asset's depreciation card and the register's totals from rows already read
//!   (shared with the team register);
//! - `valuation`: reads them from a file, as of a date.

mod calc;
mod rules;
mod store;
mod valuation;
mod worth;

pub use calc::*;
pub use rules::*;
pub use store::*;
pub use valuation::*;
pub use worth::*;

#[cfg(test)]
mod tests;
