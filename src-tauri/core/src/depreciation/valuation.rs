//! What assets are worth as of a date in a register file: one asset's method, book value and
//! schedule, and the register's cost and book value in total, by category and by status. Reads
//! the rows; the figures are `worth`'s (shared with the team register).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::calc::*;
use super::rules::method_from_columns;
use super::store::*;
use super::worth::*;
use crate::error::Result;

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
    Ok(depreciation_of(&asset, category, own, as_of))
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
    let currency = crate::settings::get_settings(conn)?.currency;
    let mut valuer = Valuer::new(as_of, currency, with_assets);
    while let Some(r) = rows.next()? {
        let cat_id: Option<i64> = r.get(1)?;
        let status: String = r.get(3)?;
        let date: Option<String> = r.get(5)?;
        let own: Option<String> = r.get(6)?;
        let own = method_from_columns(own.as_deref(), r.get(7)?, r.get(8)?, r.get(9)?);
        let method = || -> Result<Method> {
            Ok(match (own, cat_id) {
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
            })
        };
        valuer.add(
            r.get(0)?,
            r.get(2)?,
            &status,
            r.get(4)?,
            date.as_deref(),
            method,
        )?;
    }
    Ok(valuer.finish())
}
