//! Locations and categories in the team register, the file's two name tables
//! (`register_core::names`): listed with their asset counts, found, added and renamed, each
//! change inside the caller's transaction with its audit event, checked by the core's rules
//! (`check_name`, `name_exists`, `renamed`). Owns the SQL of the `locations` and `categories`
//! tables; a change to an asset that names a new one creates it through [`get_or_create`].
//!
//! A rename copies the new name onto the assets (the schema's trigger): the renamed row is
//! locked `FOR NO KEY UPDATE`, which an asset change pointing at it (its foreign key's
//! `KEY SHARE`) does not wait for, so renames and asset changes never wait for each other in a
//! circle.
//!
//! Not here: a category's depreciation default and replacement plan (`categories`).

use postgres::error::SqlState;
use postgres::types::Type;
use postgres::{GenericClient, Row};
use register_core::names::{check_name, name_exists, named_created, renamed, Kind, Named};

use crate::audit;
use crate::db::Tx;
use crate::error::{Error, Result};

/// The table and the assets' column for `kind`.
fn table(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Location => ("public.locations", "location_id"),
        Kind::Category => ("public.categories", "category_id"),
    }
}

/// A row of `id, name` and the live assets there (`asset_count`).
fn select(kind: Kind) -> String {
    let (table, column) = table(kind);
    format!(
        "SELECT t.id, t.name,
                (SELECT count(*) FROM public.assets a
                  WHERE a.{column} = t.id AND a.archived_at IS NULL) AS asset_count
           FROM {table} t"
    )
}

/// The same name ignoring ASCII case, as the file's NOCASE (and the unique index) does.
const SAME_NAME: &str = r#"lower(t.name COLLATE "C") = lower($1 COLLATE "C")"#;

fn from_row(r: &Row) -> Result<Named> {
    Ok(Named {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        asset_count: r.try_get("asset_count")?,
    })
}

/// All locations or categories, by name (ignoring ASCII case, as the file sorts them).
pub fn list(client: &mut impl GenericClient, kind: Kind) -> Result<Vec<Named>> {
    let sql = format!(
        r#"{} ORDER BY lower(t.name COLLATE "C") COLLATE "C""#,
        select(kind)
    );
    client
        .query_typed(&sql, &[])?
        .iter()
        .map(from_row)
        .collect()
}

/// One by name, ignoring case and surrounding spaces, with its asset count.
pub fn find(client: &mut impl GenericClient, kind: Kind, name: &str) -> Result<Option<Named>> {
    let sql = format!("{} WHERE {SAME_NAME}", select(kind));
    client
        .query_typed_opt(&sql, &[(&name.trim(), Type::TEXT)])?
        .map(|r| from_row(&r))
        .transpose()
}

/// Adds a location or category and records its `created` event; refuses a name already used
/// (also when another client takes it at the same moment).
pub fn create(tx: &mut Tx<'_>, kind: Kind, name: &str) -> Result<Named> {
    let name = check_name(kind, name)?;
    if find(tx.client(), kind, &name)?.is_some() {
        return Err(name_exists(&name).into());
    }
    let id = insert(tx, kind, &name)?.ok_or_else(|| Error::from(name_exists(&name)))?;
    audit::record(tx, &named_created(kind, id, &name))?;
    Ok(Named {
        id,
        name,
        asset_count: 0,
    })
}

/// Inserts `name`; `None` when it is taken (by a save that committed after the check, or while
/// this insert waited for it).
fn insert(tx: &mut Tx<'_>, kind: Kind, name: &str) -> Result<Option<i64>> {
    let (table, _) = table(kind);
    let row = tx.client().query_typed_opt(
        &format!(
            "INSERT INTO {table} (name, created_at) VALUES ($1, statement_timestamp())
             ON CONFLICT DO NOTHING RETURNING id"
        ),
        &[(&name, Type::TEXT)],
    )?;
    Ok(row.map(|r| r.get("id")))
}

/// The location or category called `name`: (id, name as stored, whether this call created it,
/// whose `created` event the caller then appends; see `lookup`).
pub(crate) fn get_or_create(
    tx: &mut Tx<'_>,
    kind: Kind,
    name: &str,
) -> Result<(i64, String, bool)> {
    let name = check_name(kind, name)?;
    let (table, _) = table(kind);
    let sql = format!("SELECT t.id, t.name FROM {table} t WHERE {SAME_NAME}");
    let find = |tx: &mut Tx<'_>| -> Result<Option<(i64, String)>> {
        Ok(tx
            .client()
            .query_typed_opt(&sql, &[(&name, Type::TEXT)])?
            .map(|r| (r.get("id"), r.get("name"))))
    };
    if let Some((id, stored)) = find(tx)? {
        return Ok((id, stored, false));
    }
    if let Some(id) = insert(tx, kind, &name)? {
        return Ok((id, name, true));
    }
    // Another client added it after the look-up and has committed: theirs is the one.
    let (id, stored) = find(tx)?.ok_or_else(|| Error::from(name_exists(&name)))?;
    Ok((id, stored, false))
}

/// Renames a location or category (the assets there carry the new name) and records it; a
/// name another one has is refused, and the same name writes nothing.
pub fn rename(tx: &mut Tx<'_>, kind: Kind, id: i64, name: &str) -> Result<Named> {
    let name = check_name(kind, name)?;
    let (table, _) = table(kind);
    let old: String = tx
        .client()
        .query_typed_opt(
            &format!("SELECT name FROM {table} WHERE id = $1 FOR NO KEY UPDATE"),
            &[(&id, Type::INT8)],
        )?
        .map(|r| r.get("name"))
        .ok_or_else(|| Error::from(register_core::Error::not_found(kind.entity(), id)))?;
    if let Some(other) = find(tx.client(), kind, &name)? {
        if other.id != id {
            return Err(name_exists(&name).into());
        }
    }
    if let Some(event) = renamed(kind, id, &old, &name) {
        tx.client()
            .query_typed(
                &format!("UPDATE {table} SET name = $1 WHERE id = $2"),
                &[(&name, Type::TEXT), (&id, Type::INT8)],
            )
            .map_err(|e| match e.as_db_error() {
                Some(db) if *db.code() == SqlState::UNIQUE_VIOLATION => name_exists(&name).into(),
                _ => Error::from(e),
            })?;
        audit::record(tx, &event)?;
    }
    let sql = format!("{} WHERE t.id = $1", select(kind));
    from_row(&tx.client().query_typed_one(&sql, &[(&id, Type::INT8)])?)
}
