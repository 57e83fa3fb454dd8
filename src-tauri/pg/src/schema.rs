//! The team register's schema: an append-only list of SQL migrations, applied in one
//! transaction and counted in `schema_version` (the server's counterpart of the file's
//! `PRAGMA user_version`). Owns nothing else: roles and grants live in `admin`.
//!
//! Rules for this list: never edit, reorder or delete a shipped migration; only append new
//! ones; avoid destructive `DROP`s. A database whose version is higher than this list is long
//! was set up by a newer build and is refused with [`Error::IncompatibleVersion`].

use postgres::{Client, GenericClient, Transaction};

use crate::error::{Error, Result};

/// Every migration, in order. Index `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_audit.sql"),
    include_str!("../migrations/0002_assets.sql"),
    include_str!("../migrations/0003_asset_versions.sql"),
    include_str!("../migrations/0004_people_places.sql"),
    include_str!("../migrations/0005_logins.sql"),
    include_str!("../migrations/0006_licences.sql"),
    include_str!("../migrations/0007_person_versions.sql"),
    include_str!("../migrations/0008_documents.sql"),
    include_str!("../migrations/0009_settings.sql"),
    include_str!("../migrations/0010_stocktakes.sql"),
    include_str!("../migrations/0011_imports.sql"),
    include_str!("../migrations/0012_offboarding.sql"),
    include_str!("../migrations/0013_disposals.sql"),
];

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Any constant, the same in every build: migrators of one database queue up on it.
const MIGRATION_LOCK: i64 = 0x5245_4749_5354_4552; // "REGISTER"

/// Brings the database up to [`VERSION`], all steps in one transaction. Run as the owner role;
/// `admin::setup` runs it and then grants the roles their privileges on what it created.
pub fn migrate(client: &mut Client) -> Result<()> {
    let mut tx = client.transaction()?;
    migrate_in(&mut tx)?;
    tx.commit()?;
    Ok(())
}

/// [`migrate`] inside the caller's transaction (the admin setup adds the grants to it).
pub(crate) fn migrate_in(tx: &mut Transaction<'_>) -> Result<()> {
    // Two admins setting up at once: the second waits, then finds the work done.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS public.schema_version (
             only_row BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_row),
             version  BIGINT NOT NULL CHECK (version >= 0)
         );
         INSERT INTO public.schema_version (version) VALUES (0) ON CONFLICT DO NOTHING;",
    )?;
    let current = version(tx)?;
    if current > VERSION {
        return Err(Error::IncompatibleVersion {
            found: current,
            supported: VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.batch_execute(sql).map_err(|e| {
            Error::Refused(format!(
                "migration {} failed: {}",
                i + 1,
                e.as_db_error()
                    .map_or(e.to_string(), |d| d.message().to_string())
            ))
        })?;
    }
    tx.execute("UPDATE public.schema_version SET version = $1", &[&VERSION])?;
    Ok(())
}

/// The database's schema version (0 for a database that was never set up).
pub fn version(client: &mut impl GenericClient) -> Result<i64> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('public.schema_version') IS NOT NULL",
            &[],
        )?
        .get(0);
    if !exists {
        return Ok(0);
    }
    Ok(client
        .query_one("SELECT version FROM public.schema_version", &[])?
        .get(0))
}

/// Refuses a database this build cannot use: never set up, or set up by a newer version.
pub fn check(client: &mut impl GenericClient) -> Result<()> {
    match version(client)? {
        v if v == VERSION => Ok(()),
        v if v > VERSION => Err(Error::IncompatibleVersion {
            found: v,
            supported: VERSION,
        }),
        v => Err(Error::Refused(format!(
            "this database is not set up as a team register of this version (schema {v}, \
             this version needs {VERSION}): its owner must run the admin setup"
        ))),
    }
}
