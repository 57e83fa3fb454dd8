//! Depreciation methods as stored: a default per category and an override per asset, each
//! change audited.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::calc::*;
use crate::audit::Action;
use crate::audit::{self, Change, NewEvent};
use crate::db::{QueryAll, Tx};
use crate::error::{Error, Result};

/// A method from its stored columns (`depreciation, life_months, residual, rate_bp`); `None`
/// when the method column is NULL (an asset that follows its category).
pub(super) fn method_from_columns(
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
pub(super) fn method_columns(
    method: Method,
) -> (&'static str, Option<i64>, Option<i64>, Option<i64>) {
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
        NewEvent::category_edited(
            cat.id,
            &cat.name,
            vec![Change::new(
                "depreciation",
                Some(before.describe()),
                Some(method.describe()),
            )],
        ),
    )?;
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

/// What an asset's depreciation says in History: its own method, or its category's default.
pub(super) fn asset_method_words(own: Option<Method>) -> String {
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
    let asset = crate::assets::live(tx.conn(), asset_id)?;
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
        params![m, life, residual, rate, tx.now(), asset_id],
    )?;
    audit::record(
        tx,
        NewEvent::for_asset(
            asset_id,
            &asset.asset_tag,
            Action::Edited,
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
