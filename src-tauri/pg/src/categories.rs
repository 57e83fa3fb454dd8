//! A category's depreciation default and replacement plan in the team register: read, and set
//! inside the caller's transaction ([`crate::write`]) with its audit event, by the core's rules
//! (`register_core::depreciation::category_method_changed`, `register_core::replacements::
//! check_life` and `category_plan_changed`), which the file's `set_category_method` and
//! `set_category_plan` call too: the same refusals in the same words, the same events. Owns the
//! SQL of those columns of `categories`; the names are `names`'. A category named for the first
//! time is created, with its `created` event before the change's, as in the file.
//!
//! Categories have no row versions, nor in the file: two people setting one category at once
//! are applied one after the other (the row is locked, `FOR NO KEY UPDATE`, which asset changes
//! filed under it do not wait for), the later one's values kept and each event recording what
//! it changed from what it found.

use postgres::types::Type;
use postgres::{GenericClient, Row};
use register_core::depreciation::{
    category_method_changed, method_columns, method_from_columns, Method,
};
use register_core::replacements::{category_plan_changed, check_life, CategoryPlan};
use register_core::values::Money;

use crate::audit;
use crate::db::Tx;
use crate::error::Result;
use crate::lookup::{record_created, Created, Lookup};

/// The plan of the category called `name` (ignoring ASCII case and surrounding spaces), as the
/// file's `replacements::plan` gives it, or `None` when there is no such category.
pub fn find_category_plan(
    client: &mut impl GenericClient,
    name: &str,
) -> Result<Option<CategoryPlan>> {
    let row = client.query_typed_opt(
        &format!(r#"{PLAN} WHERE lower(c.name COLLATE "C") = lower($1 COLLATE "C")"#),
        &[(&name.trim(), Type::TEXT)],
    )?;
    row.as_ref().map(plan_of).transpose()
}

/// Every category's plan, by name ignoring ASCII case, as the file's `replacements::plan`
/// lists them.
pub fn list_category_plans(client: &mut impl GenericClient) -> Result<Vec<CategoryPlan>> {
    let rows = client.query_typed(
        &format!(r#"{PLAN} ORDER BY lower(c.name COLLATE "C") COLLATE "C""#),
        &[],
    )?;
    rows.iter().map(plan_of).collect()
}

/// A category's plan and its live assets counted (not Retired or Lost/Stolen), read by
/// [`plan_of`].
const PLAN: &str = r#"SELECT c.id, c.name, c.replacement_months::int8 AS life_months,
          (CASE WHEN c.depreciation = 'straight_line' THEN c.life_months END)::int8
              AS depreciation_months,
          c.replace_with,
          (SELECT count(*) FROM public.assets a
            WHERE a.category_id = c.id AND a.archived_at IS NULL
              AND a.status NOT IN ('retired', 'lost_stolen')) AS asset_count
     FROM public.categories c"#;

/// The plan a row of [`PLAN`] holds.
fn plan_of(r: &Row) -> Result<CategoryPlan> {
    let months = |column: &str| -> Result<Option<u32>> {
        let m: Option<i64> = r.try_get(column)?;
        Ok(m.map(|m| m as u32))
    };
    let price: Option<i64> = r.try_get("replace_with")?;
    Ok(CategoryPlan {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        life_months: months("life_months")?,
        depreciation_months: months("depreciation_months")?,
        replace_with: price.map(Money::from_minor),
        asset_count: r.try_get("asset_count")?,
    })
}

/// The depreciation default of the category `id`, as the file's
/// `depreciation::category_method` reads it.
pub fn category_method(client: &mut impl GenericClient, id: i64) -> Result<Method> {
    let row = client.query_typed_opt(
        &format!("SELECT {METHOD} FROM public.categories WHERE id = $1"),
        &[(&id, Type::INT8)],
    )?;
    match row {
        Some(r) => method_of(&r),
        None => Err(register_core::Error::not_found("category", id).into()),
    }
}

/// The columns of a category's default, read by [`method_of`].
const METHOD: &str =
    "depreciation, life_months::int8 AS life_months, residual, rate_bp::int8 AS rate_bp";

/// The default a row of [`METHOD`] holds.
fn method_of(r: &Row) -> Result<Method> {
    Ok(method_from_columns(
        r.try_get::<_, Option<String>>("depreciation")?.as_deref(),
        r.try_get("life_months")?,
        r.try_get("residual")?,
        r.try_get("rate_bp")?,
    )
    .unwrap_or_default())
}

/// Sets the depreciation default of the category called `name` (created if new), as the file's
/// `depreciation::set_category_method` does: setting the one it has writes nothing.
pub fn set_category_method(tx: &mut Tx<'_>, name: &str, method: Method) -> Result<()> {
    let (id, stored, created) = category(tx, name)?;
    let before = method_of(&lock(tx, id, METHOD)?)?;
    let Some(event) = category_method_changed(id, &stored, before, method) else {
        return record_created(tx, &created);
    };
    let (m, life, residual, rate) = method_columns(method);
    tx.client().query_typed(
        "UPDATE public.categories SET depreciation = $1, life_months = $2::int4,
             residual = $3, rate_bp = $4::int4
         WHERE id = $5",
        &[
            (&m, Type::TEXT),
            (&life, Type::INT8),
            (&residual, Type::INT8),
            (&rate, Type::INT8),
            (&id, Type::INT8),
        ],
    )?;
    record_created(tx, &created)?;
    audit::record(tx, &event)?;
    Ok(())
}

/// Sets the replacement life (months) and replace-with price of the category called `name`
/// (created if new; `None` clears either), as the file's `replacements::set_category_plan`
/// does: a life out of range is refused before anything is written, and setting what is set
/// writes nothing.
pub fn set_category_plan(
    tx: &mut Tx<'_>,
    name: &str,
    life_months: Option<u32>,
    replace_with: Option<Money>,
) -> Result<()> {
    check_life(life_months)?;
    let (id, stored, created) = category(tx, name)?;
    let row = lock(
        tx,
        id,
        "replacement_months::int8 AS replacement_months, replace_with",
    )?;
    let old_life: Option<i64> = row.try_get("replacement_months")?;
    let old_price: Option<i64> = row.try_get("replace_with")?;
    let old = (old_life.map(|l| l as u32), old_price.map(Money::from_minor));
    let new = (life_months, replace_with);
    let Some(event) = category_plan_changed(id, &stored, old, new) else {
        return record_created(tx, &created);
    };
    tx.client().query_typed(
        "UPDATE public.categories SET replacement_months = $1::int4, replace_with = $2
         WHERE id = $3",
        &[
            (&life_months.map(i64::from), Type::INT8),
            (&replace_with.map(|p| p.minor()), Type::INT8),
            (&id, Type::INT8),
        ],
    )?;
    record_created(tx, &created)?;
    audit::record(tx, &event)?;
    Ok(())
}

/// The category called `name`: (id, name as stored, and itself when this call created it,
/// whose `created` event the caller appends after its own row writes, before its own event, as
/// `lookup` explains).
fn category(tx: &mut Tx<'_>, name: &str) -> Result<(i64, String, Vec<Created>)> {
    let mut lookup = Lookup::new(tx);
    let (id, stored) = lookup.category(name)?;
    Ok((id, stored, lookup.into_created()))
}

/// Locks the category `id` against other changes to it and reads `columns` of it.
fn lock(tx: &mut Tx<'_>, id: i64, columns: &str) -> Result<Row> {
    Ok(tx.client().query_typed_one(
        &format!("SELECT {columns} FROM public.categories WHERE id = $1 FOR NO KEY UPDATE"),
        &[(&id, Type::INT8)],
    )?)
}
