//! The register's schema: an append-only list of SQL migrations applied by `PRAGMA user_version`
//! in one transaction. Owns nothing else (connection pragmas live in `db`).
//!
//! Rules for this list: never edit, reorder or delete a shipped migration; only append new
//! ones; avoid destructive `DROP`s. A migration that must rewrite rows in a way SQL cannot (11,
//! the compact audit trail) has a step in Rust between two halves of SQL. A file whose `user_version` is higher than this list is long
//! was written by a newer build and is refused with [`Error::IncompatibleVersion`].

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use crate::error::{Error, Result};

/// One step of the schema.
enum Migration {
    /// SQL only.
    Sql(&'static str),
    /// SQL, then `step` in Rust, then more SQL, all in the migration's transaction.
    WithStep {
        before: &'static str,
        step: fn(&Connection) -> Result<()>,
        after: &'static str,
    },
}

impl Migration {
    fn apply(&self, conn: &Connection) -> Result<()> {
        match self {
            Migration::Sql(sql) => conn.execute_batch(sql)?,
            Migration::WithStep {
                before,
                step,
                after,
            } => {
                conn.execute_batch(before)?;
                step(conn)?;
                conn.execute_batch(after)?;
            }
        }
        Ok(())
    }
}

/// Every migration, in order. Index `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[Migration] = &[
    Migration::Sql(include_str!("../migrations/0001_init.sql")),
    Migration::Sql(include_str!("../migrations/0002_imports.sql")),
    Migration::Sql(include_str!("../migrations/0003_documents.sql")),
    Migration::Sql(include_str!("../migrations/0004_depreciation.sql")),
    Migration::Sql(include_str!("../migrations/0005_licences.sql")),
    Migration::Sql(include_str!("../migrations/0006_asset_depreciation.sql")),
    Migration::Sql(include_str!("../migrations/0007_licence_cost_basis.sql")),
    Migration::Sql(include_str!("../migrations/0008_replacement.sql")),
    Migration::Sql(include_str!("../migrations/0009_disposals.sql")),
    Migration::Sql(include_str!("../migrations/0010_stocktakes.sql")),
    Migration::WithStep {
        before: include_str!("../migrations/0011_compact_audit.sql"),
        step: crate::audit::compact_trail,
        after: include_str!("../migrations/0011_compact_audit_swap.sql"),
    },
];

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings `conn` up to [`VERSION`], all steps in one immediate transaction.
///
/// Foreign keys are not enforced while it runs, so that a migration can rebuild a table others
/// refer to (drop it and rename its new copy into its place, SQLite's way of changing a table);
/// before committing, every reference must hold again (`PRAGMA foreign_key_check`).
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let enforced: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let result = migrate_unenforced(conn);
    if enforced {
        conn.pragma_update(None, "foreign_keys", "ON")?;
    }
    result
}

fn migrate_unenforced(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > VERSION {
        return Err(Error::IncompatibleVersion {
            found: current,
            supported: VERSION,
        });
    }
    if current == VERSION {
        return Ok(());
    }
    for (i, m) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        m.apply(&tx)
            .map_err(|e| Error::Internal(format!("migration {} failed: {e}", i + 1)))?;
    }
    let dangling: Option<String> = tx
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .optional()?;
    if let Some(table) = dangling {
        return Err(Error::Internal(format!(
            "the migration left a row of `{table}` referring to a row that is not there"
        )));
    }
    tx.pragma_update(None, "user_version", VERSION)?;
    tx.commit()?;
    // A migration that rebuilt a table leaves the old one's pages free inside the file (migration
    // 11 freed 100 MB of a 100k-asset register's 190 MB); give them back to the disk once.
    let free: i64 = conn.pragma_query_value(None, "freelist_count", |r| r.get(0))?;
    let pages: i64 = conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
    if free >= 256 && free * 4 >= pages {
        conn.execute_batch("VACUUM")?;
    }
    Ok(())
}

/// Brings `conn` up to `version` only (an older register, for tests of upgrades).
#[cfg(test)]
pub(crate) fn migrate_to(conn: &mut Connection, version: usize) -> Result<()> {
    let tx = conn.transaction()?;
    for m in &MIGRATIONS[..version] {
        m.apply(&tx)?;
    }
    tx.pragma_update(None, "user_version", version as i64)?;
    tx.commit()?;
    Ok(())
}

/// The schema as `sqlite_master` describes it, for comparing two databases.
pub fn describe(conn: &Connection) -> Result<Vec<(String, String, Option<String>)>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How `conn`'s schema differs from the one this version creates, one line per table, index,
/// trigger or view that is extra, missing or defined differently ("extra trigger
/// `rewrite_notes`"). Empty when they match. A register carrying an object this version did not
/// create (a hidden trigger that rewrites rows, say) is not one to trust.
pub fn differences(conn: &Connection) -> Result<Vec<String>> {
    static REFERENCE: std::sync::OnceLock<Vec<(String, String, Option<String>)>> =
        std::sync::OnceLock::new();
    let reference = match REFERENCE.get() {
        Some(r) => r,
        None => {
            let mut fresh = Connection::open_in_memory()?;
            migrate(&mut fresh)?;
            let described = describe(&fresh)?;
            REFERENCE.get_or_init(|| described)
        }
    };
    let normal = |sql: &Option<String>| {
        sql.as_deref()
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    let ours = describe(conn)?;
    let find = |list: &[(String, String, Option<String>)], name: &str| {
        list.iter()
            .find(|(_, n, _)| n == name)
            .map(|(t, _, sql)| (t.clone(), normal(sql)))
    };
    let mut out = Vec::new();
    for (kind, name, sql) in &ours {
        match find(reference, name) {
            None => out.push(format!("extra {kind} `{name}`")),
            Some((k, s)) if k != *kind || s != normal(sql) => {
                out.push(format!("{kind} `{name}` is defined differently"))
            }
            Some(_) => {}
        }
    }
    for (kind, name, _) in reference {
        if find(&ours, name).is_none() {
            out.push(format!("missing {kind} `{name}`"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn
    }

    #[test]
    fn migrates_to_current_version() {
        let conn = fresh();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, VERSION);
        let currency: String = conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'currency'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(currency, "GBP");
    }

    #[test]
    fn migrate_twice_changes_nothing() {
        let mut conn = fresh();
        let before = describe(&conn).unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(before, describe(&conn).unwrap());
    }

    #[test]
    fn step_by_step_equals_fresh() {
        // Each prefix of the list, then the rest, must give the same schema as a fresh database.
        for start in 0..MIGRATIONS.len() {
            let mut conn = Connection::open_in_memory().unwrap();
            for m in &MIGRATIONS[..start] {
                m.apply(&conn).unwrap();
            }
            conn.pragma_update(None, "user_version", start as i64)
                .unwrap();
            migrate(&mut conn).unwrap();
            assert_eq!(
                describe(&conn).unwrap(),
                describe(&fresh()).unwrap(),
                "from {start}"
            );
        }
    }

    #[test]
    fn version_5_keeps_every_document_row_when_it_rebuilds_the_table() {
        // A register at version 4 with documents, migrated: same ids, rows and owners.
        let mut conn = Connection::open_in_memory().unwrap();
        for m in &MIGRATIONS[..4] {
            m.apply(&conn).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        conn.execute_batch(
            "INSERT INTO assets (id, asset_tag, name, status, created_at, updated_at)
                 VALUES (7, 'IT-7', 'Laptop', 'available', 'x', 'x');
             INSERT INTO documents (id, asset_id, name, kind, size, sha256, added_at)
                 VALUES (3, 7, 'receipt.pdf', 'receipt', 10, 'ab', 't1'),
                        (9, 7, 'warranty.pdf', 'warranty', 20, 'cd', 't2');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        type Row = (i64, Option<i64>, Option<i64>, String, i64);
        let rows: Vec<Row> = conn
            .prepare("SELECT id, asset_id, licence_id, name, size FROM documents ORDER BY id")
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                (3, Some(7), None, "receipt.pdf".to_string(), 10),
                (9, Some(7), None, "warranty.pdf".to_string(), 20)
            ]
        );
        // Exactly one owner: neither or both is refused.
        for owners in ["NULL, NULL", "7, 1"] {
            let sql = format!(
                "INSERT INTO documents (asset_id, licence_id, name, kind, size, sha256, added_at)
                 VALUES ({owners}, 'x', 'other', 1, 'ef', 't')"
            );
            assert!(conn.execute(&sql, []).is_err(), "{owners}");
        }
    }

    #[test]
    fn refuses_a_newer_database() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", VERSION + 1)
            .unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(matches!(err, Error::IncompatibleVersion { .. }), "{err}");
        assert!(describe(&conn).unwrap().is_empty(), "nothing was created");
    }

    #[test]
    fn fts5_is_available() {
        let conn = fresh();
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM assets_fts WHERE assets_fts MATCH 'x*'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 0);
    }
}
