//! Setting an asset's own depreciation method and its own replacement life in the team
//! register, each an edit of the asset: inside the caller's transaction ([`crate::write`]),
//! guarded by the asset's row version as every asset change is (`write`'s order: lock, check
//! the version, then the archived asset is refused), with the event the core's rules give
//! (`register_core::depreciation::asset_method_changed`, `register_core::replacements::
//! check_life` and `asset_life_changed`), which the file's `set_asset_method` and
//! `set_asset_life` call too. Setting what is set writes nothing and keeps the version.

use postgres::types::Type;
use register_core::depreciation::Method;
use register_core::depreciation::{asset_method_changed, method_columns, method_from_columns};
use register_core::replacements::{asset_life_changed, check_life};

use super::read::{from_row, Versioned, COLUMNS};
use super::write::lock_at;
use crate::audit;
use crate::conflict::Record;
use crate::db::Tx;
use crate::error::Result;

/// Sets the own depreciation method of the asset `id`, read at `read_version` (`Some`), or
/// makes it follow its category again (`None`), as the file's
/// `register_core::depreciation::set_asset_method` does. Refused with [`crate::Error::Conflict`]
/// when the asset has moved on from `read_version`, and when it is archived.
pub fn set_asset_method(
    tx: &mut Tx<'_>,
    id: i64,
    read_version: i64,
    method: Option<Method>,
    note: Option<&str>,
) -> Result<Versioned> {
    let current = lock_at(tx, id, read_version)?;
    let row = tx.client().query_typed_one(
        "SELECT depreciation, life_months::int8 AS life_months, residual,
                rate_bp::int8 AS rate_bp
           FROM public.assets WHERE id = $1",
        &[(&id, Type::INT8)],
    )?;
    let before = method_from_columns(
        row.try_get::<_, Option<String>>("depreciation")?.as_deref(),
        row.try_get("life_months")?,
        row.try_get("residual")?,
        row.try_get("rate_bp")?,
    );
    let tag = current.asset.asset_tag.clone();
    let Some(event) = asset_method_changed(id, &tag, before, method, note) else {
        return Ok(current);
    };
    let (m, life, residual, rate) = match method.map(method_columns) {
        Some((k, l, r, b)) => (Some(k), l, r, b),
        None => (None, None, None, None),
    };
    let row = tx.client().query_typed_one(
        &format!(
            "UPDATE public.assets SET depreciation = $1, life_months = $2::int4, residual = $3,
                 rate_bp = $4::int4, updated_at = statement_timestamp()
             WHERE id = $5
             RETURNING {COLUMNS}"
        ),
        &[
            (&m, Type::TEXT),
            (&life, Type::INT8),
            (&residual, Type::INT8),
            (&rate, Type::INT8),
            (&id, Type::INT8),
        ],
    )?;
    let after = from_row(&row)?;
    audit::record_versioned(tx, &event, Record::Asset, after.version)?;
    Ok(after)
}

/// Sets the own replacement life (months) of the asset `id`, read at `read_version` (`None`:
/// it follows its category again), as the file's `register_core::replacements::set_asset_life`
/// does: a life out of range is refused before anything is read. Refused with
/// [`crate::Error::Conflict`] when the asset has moved on from `read_version`, and when it is
/// archived.
pub fn set_asset_life(
    tx: &mut Tx<'_>,
    id: i64,
    read_version: i64,
    life_months: Option<u32>,
    note: Option<&str>,
) -> Result<Versioned> {
    check_life(life_months)?;
    let current = lock_at(tx, id, read_version)?;
    let old: Option<i64> = tx
        .client()
        .query_typed_one(
            "SELECT replacement_months::int8 AS replacement_months
               FROM public.assets WHERE id = $1",
            &[(&id, Type::INT8)],
        )?
        .try_get("replacement_months")?;
    let old = old.map(|l| l as u32);
    let tag = current.asset.asset_tag.clone();
    let Some(event) = asset_life_changed(id, &tag, old, life_months, note) else {
        return Ok(current);
    };
    let row = tx.client().query_typed_one(
        &format!(
            "UPDATE public.assets SET replacement_months = $1::int4,
                 updated_at = statement_timestamp()
             WHERE id = $2
             RETURNING {COLUMNS}"
        ),
        &[(&life_months.map(i64::from), Type::INT8), (&id, Type::INT8)],
    )?;
    let after = from_row(&row)?;
    audit::record_versioned(tx, &event, Record::Asset, after.version)?;
    Ok(after)
}
