//! The register's two name tables, one engine: locations (offices, rooms, stores) and
//! categories (Laptop, Phone…). Each is created on first use by name, listed with its asset
//! count and renamed; [`Kind`] says which table. Every change is audited in the caller's
//! transaction. (A category's depreciation default lives in [`crate::depreciation`].) What a
//! valid name is and what a change records is in `rules`, shared with the team register on
//! PostgreSQL; this file holds the SQL.

mod rules;

pub use rules::{check_name, name_exists, named_created, renamed, Kind};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::db::{QueryAll, Tx};
use crate::error::{Error, Result};

/// A named place or category with the number of live assets in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Named {
    /// Row id.
    pub id: i64,
    /// The name (unique, ignoring case).
    pub name: String,
    /// Live assets at this location / in this category.
    pub asset_count: i64,
}

/// The file's table and column for each kind.
impl Kind {
    fn table(self) -> &'static str {
        match self {
            Kind::Location => "locations",
            Kind::Category => "categories",
        }
    }
    fn column(self) -> &'static str {
        match self {
            Kind::Location => "location_id",
            Kind::Category => "category_id",
        }
    }
}

/// All locations or categories, by name.
pub fn list(conn: &Connection, kind: Kind) -> Result<Vec<Named>> {
    let sql = format!(
        "SELECT t.id, t.name, (SELECT count(*) FROM assets a WHERE a.{col} = t.id AND a.archived_at IS NULL)
         FROM {table} t ORDER BY t.name COLLATE NOCASE",
        col = kind.column(),
        table = kind.table()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    stmt.query_all([], |r| {
        Ok(Named {
            id: r.get(0)?,
            name: r.get(1)?,
            asset_count: r.get(2)?,
        })
    })
}

/// One by name, ignoring case, with its asset count.
pub fn find(conn: &Connection, kind: Kind, name: &str) -> Result<Option<Named>> {
    let sql = format!(
        "SELECT t.id, t.name, (SELECT count(*) FROM assets a WHERE a.{col} = t.id AND a.archived_at IS NULL)
         FROM {table} t WHERE t.name = ?1 COLLATE NOCASE",
        col = kind.column(),
        table = kind.table()
    );
    Ok(conn
        .query_row(&sql, [name.trim()], |r| {
            Ok(Named {
                id: r.get(0)?,
                name: r.get(1)?,
                asset_count: r.get(2)?,
            })
        })
        .optional()?)
}

/// Adds a location or category; refuses a name already used.
pub fn create(tx: &mut Tx<'_>, kind: Kind, name: &str) -> Result<Named> {
    let name = check_name(kind, name)?;
    if find(tx.conn(), kind, &name)?.is_some() {
        return Err(name_exists(&name));
    }
    insert(tx, kind, &name)
}

fn insert(tx: &mut Tx<'_>, kind: Kind, name: &str) -> Result<Named> {
    tx.conn().execute(
        &format!(
            "INSERT INTO {} (name, created_at) VALUES (?1, ?2)",
            kind.table()
        ),
        params![name, tx.now()],
    )?;
    let id = tx.conn().last_insert_rowid();
    audit::record(tx, named_created(kind, id, name))?;
    Ok(Named {
        id,
        name: name.to_string(),
        asset_count: 0,
    })
}

/// The location or category called `name` (id and stored spelling), created and audited if
/// new. Skips the asset count: this runs for every asset written.
pub(crate) fn get_or_create(tx: &mut Tx<'_>, kind: Kind, name: &str) -> Result<Named> {
    let name = check_name(kind, name)?;
    let sql = format!(
        "SELECT id, name FROM {} WHERE name = ?1 COLLATE NOCASE",
        kind.table()
    );
    let found = tx
        .conn()
        .prepare_cached(&sql)?
        .query_row([&name], |r| {
            Ok(Named {
                id: r.get(0)?,
                name: r.get(1)?,
                asset_count: 0,
            })
        })
        .optional()?;
    match found {
        Some(n) => Ok(n),
        None => insert(tx, kind, &name),
    }
}

/// Renames a location or category.
pub fn rename(tx: &mut Tx<'_>, kind: Kind, id: i64, name: &str) -> Result<Named> {
    let name = check_name(kind, name)?;
    let old: String = tx
        .conn()
        .query_row(
            &format!("SELECT name FROM {} WHERE id = ?1", kind.table()),
            [id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| Error::not_found(kind.entity(), id))?;
    if let Some(other) = find(tx.conn(), kind, &name)? {
        if other.id != id {
            return Err(name_exists(&name));
        }
    }
    if let Some(event) = renamed(kind, id, &old, &name) {
        tx.conn().execute(
            &format!("UPDATE {} SET name = ?1 WHERE id = ?2", kind.table()),
            params![name, id],
        )?;
        audit::record(tx, event)?;
    }
    list(tx.conn(), kind)?
        .into_iter()
        .find(|n| n.id == id)
        .ok_or_else(|| Error::not_found(kind.entity(), id))
}
