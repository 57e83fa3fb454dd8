//! Depreciation methods as stored in a register file: a default per category and an override per
//! asset, each change audited. How a method fills the columns, and what changing a category's
//! default or an asset's own method records, are `rules`' (shared with the team register).

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::calc::*;
use super::rules::{
    asset_method_changed, category_method_changed, method_columns, method_from_columns,
};
use crate::audit;
use crate::db::{QueryAll, Tx};
use crate::error::{Error, Result};

/// method, life_months, residual, rate_bp
pub(super) type MethodRow = (Option<String>, Option<i64>, Option<i64>, Option<i64>);

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

/// Sets a category's default method (creating the category if new), audited.
pub fn set_category_method(tx: &mut Tx<'_>, name: &str, method: Method) -> Result<()> {
    let cat = crate::names::get_or_create(tx, crate::names::Kind::Category, name)?;
    let before = category_method(tx.conn(), cat.id)?;
    let Some(event) = category_method_changed(cat.id, &cat.name, before, method) else {
        return Ok(());
    };
    let (m, life, residual, rate) = method_columns(method);
    tx.conn().execute(
        "UPDATE categories SET depreciation = ?1, life_months = ?2, residual = ?3, rate_bp = ?4 WHERE id = ?5",
        params![m, life, residual, rate, cat.id],
    )?;
    audit::record(tx, event)?;
    Ok(())
}

/// Sets several categories' defaults in the caller's transaction (so all or none), each
/// recorded as [`set_category_method`] records one: the one step of "set up depreciation".
pub fn set_category_methods(tx: &mut Tx<'_>, methods: &[(String, Method)]) -> Result<()> {
    for (name, method) in methods {
        set_category_method(tx, name, *method)?;
    }
    Ok(())
}

/// Sets an asset's own method (`Some`) or makes it follow its category again (`None`),
/// audited as a field edit. Setting what is already set writes nothing.
pub fn set_asset_method(
    tx: &mut Tx<'_>,
    asset_id: i64,
    method: Option<Method>,
    note: Option<&str>,
) -> Result<()> {
    let asset = crate::assets::live(tx.conn(), asset_id)?;
    let before = asset_override(tx.conn(), asset_id)?;
    let Some(event) = asset_method_changed(asset_id, &asset.asset_tag, before, method, note) else {
        return Ok(());
    };
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
        params![m, life, residual, rate, tx.now(), asset_id],
    )?;
    audit::record(tx, event)?;
    Ok(())
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
    stmt.query_all([], |r| {
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
    })
}
