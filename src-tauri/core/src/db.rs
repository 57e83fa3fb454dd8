//! Opening a register and running work on it: per-connection pragmas, the default location, and
//! the read/write closures. Every write goes through [`Db::write`], which hands out a [`Tx`]
//! that commits only on `Ok` and only when the change wrote its audit event.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::audit::Source;
use crate::error::{Error, Result};
use crate::schema;

/// The environment variable that names a register file for both the app and the CLI.
pub const DB_ENV: &str = "ASSET_REGISTER_DB";

/// The app's identifier; the default register lives in `<OS data dir>/<APP_ID>/`, the folder
/// Tauri's `app_data_dir()` resolves to.
pub const APP_ID: &str = "org.assetregister.app";

/// The default register file: `$ASSET_REGISTER_DB`, else `<data dir>/org.assetregister.app/register.db`.
pub fn default_path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let base = dirs::data_dir().ok_or_else(|| {
        Error::Internal("the OS data folder is unknown (is HOME set?); use --db PATH".into())
    })?;
    Ok(base.join(APP_ID).join("register.db"))
}

/// Sets the pragmas every connection needs. Kept out of migrations: they are per connection.
fn configure(conn: &Connection, writer: bool) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // An import row runs about twenty distinct statements (plan, create, assign, audit): with
    // rusqlite's default of 16 cached statements they pushed each other out and every one was
    // prepared again for every row.
    conn.set_prepared_statement_cache_capacity(128);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if writer {
        conn.pragma_update(None, "journal_mode", "WAL")?;
    }
    // FULL: a committed change survives power loss, not only an app crash. The cost (one more
    // fsync per commit) is invisible at a desk's pace of edits.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // A 100k-asset register is ~200 MB: map the file so reads do not copy pages through SQLite's
    // page cache (kept at 16 MB for what mapping does not cover, such as writes).
    conn.pragma_update(None, "cache_size", -16384)?;
    conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // Reads can never write: only `Db::write` lifts this, for the length of its transaction.
    conn.pragma_update(None, "query_only", "ON")?;
    Ok(())
}

/// An open register: one writer connection and, for files, a separate reader so long reads
/// (verify, reports) do not block edits.
#[derive(Debug)]
pub struct Db {
    writer: Mutex<Connection>,
    reader: Option<Mutex<Connection>>,
    path: Option<PathBuf>,
}

impl Db {
    /// Opens (creating if needed) the register at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Db> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                Error::Io(std::io::Error::new(
                    e.kind(),
                    format!("cannot create the register folder {}: {e}", dir.display()),
                ))
            })?;
        }
        let is_new = !path.exists();
        let mut writer = Connection::open(path).map_err(|e| open_error(path, e))?;
        if is_new {
            restrict_to_owner(path)?;
        }
        configure(&writer, true).map_err(|e| match e {
            Error::Sqlite(e) => open_error(path, e),
            e => e,
        })?;
        migrate_with_writes(&mut writer)?;
        let reader = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&reader, false)?;
        Ok(Db {
            writer: Mutex::new(writer),
            reader: Some(Mutex::new(reader)),
            path: Some(path.into()),
        })
    }

    /// A fully migrated register in memory, for tests.
    pub fn open_in_memory() -> Result<Db> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn, true)?;
        migrate_with_writes(&mut conn)?;
        Ok(Db {
            writer: Mutex::new(conn),
            reader: None,
            path: None,
        })
    }

    /// The file this register lives in (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Runs read-only work. The connection refuses writes (`query_only`).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        match &self.reader {
            Some(r) => f(&lock(r)),
            None => f(&lock(&self.writer)),
        }
    }

    /// Runs long read-only work (verify, reports) on a connection of its own, so the shared
    /// reader stays free for the list and search. In memory there is only the one connection.
    pub fn read_detached<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        match &self.path {
            Some(path) => {
                let conn = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                configure(&conn, false)?;
                f(&conn)
            }
            None => self.read(f),
        }
    }

    /// Runs `f` in one immediate transaction tagged with `source`. Commits only if `f` returns
    /// `Ok` and, when anything was written, at least one audit event was recorded in the same
    /// transaction; otherwise rolls back.
    pub fn write<T>(&self, source: Source, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let mut conn = lock(&self.writer);
        let conn = &mut *conn;
        conn.pragma_update(None, "query_only", "OFF")?;
        let result = (|| {
            let changes_before = conn.total_changes();
            let inner = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut tx = Tx {
                inner,
                source,
                audited: 0,
            };
            let value = f(&mut tx)?;
            let wrote = tx.inner.total_changes() > changes_before;
            if wrote && tx.audited == 0 {
                // Structural guarantee: a write path that forgot its audit event cannot commit.
                return Err(Error::Internal(
                    "a change without an audit event was refused".into(),
                ));
            }
            tx.inner.commit()?;
            Ok(value)
        })();
        conn.pragma_update(None, "query_only", "ON")?;
        result
    }
}

/// Migrates with `query_only` lifted for the duration (the only write outside [`Db::write`]).
fn migrate_with_writes(conn: &mut Connection) -> Result<()> {
    conn.pragma_update(None, "query_only", "OFF")?;
    let r = schema::migrate(conn);
    conn.pragma_update(None, "query_only", "ON")?;
    r
}

/// Makes a new register readable by its owner only (0600); SQLite gives the `-wal` and `-shm`
/// files it creates the same mode.
#[cfg(unix)]
fn restrict_to_owner(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    Ok(())
}

#[cfg(not(unix))]
fn restrict_to_owner(_path: &Path) -> Result<()> {
    Ok(())
}

fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic while holding the lock leaves SQLite consistent (the transaction rolls back on
    // drop), so a poisoned lock is safe to reuse.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    let what = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => "is not an Asset Register file (not SQLite)",
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => "is damaged",
        Some(rusqlite::ErrorCode::CannotOpen) => "cannot be opened",
        Some(rusqlite::ErrorCode::ReadOnly) | Some(rusqlite::ErrorCode::PermissionDenied) => {
            "cannot be written (read-only file or folder)"
        }
        _ => return Error::Sqlite(e),
    };
    Error::Io(std::io::Error::other(format!(
        "the register {} {what}",
        path.display()
    )))
}

/// A write transaction. Core functions take `&mut Tx`; only the core can reach the connection,
/// and [`crate::audit`] counts the events written, which [`Db::write`] checks before commit.
pub struct Tx<'c> {
    inner: Transaction<'c>,
    source: Source,
    audited: usize,
}

impl Tx<'_> {
    /// Who is making this change.
    pub fn source(&self) -> Source {
        self.source
    }

    /// Reads inside the transaction (sees its own uncommitted writes).
    pub fn conn(&self) -> &Connection {
        &self.inner
    }

    pub(crate) fn note_audited(&mut self) {
        self.audited += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cannot_write() {
        let db = Db::open_in_memory().unwrap();
        let err = db
            .read(|c| Ok(c.execute("DELETE FROM settings", [])?))
            .unwrap_err();
        assert!(
            err.to_string().contains("readonly") || err.to_string().contains("read"),
            "{err}"
        );
    }

    #[test]
    fn a_write_without_audit_event_is_rolled_back() {
        let db = Db::open_in_memory().unwrap();
        let err = db
            .write(Source::Cli, |tx| {
                tx.conn().execute(
                    "UPDATE settings SET value = 'USD' WHERE key = 'currency'",
                    [],
                )?;
                Ok(())
            })
            .unwrap_err();
        assert!(matches!(err, Error::Internal(_)), "{err}");
        let cur: String = db
            .read(|c| {
                Ok(
                    c.query_row("SELECT value FROM settings WHERE key='currency'", [], |r| {
                        r.get(0)
                    })?,
                )
            })
            .unwrap();
        assert_eq!(cur, "GBP");
    }

    #[test]
    fn opens_a_file_and_reopens_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/register.db");
        drop(Db::open(&path).unwrap());
        let db = Db::open(&path).unwrap();
        assert_eq!(db.path(), Some(path.as_path()));
    }

    #[cfg(unix)]
    #[test]
    fn a_new_register_is_private_to_its_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let db = Db::open(&path).unwrap();
        db.write(Source::Cli, |tx| {
            crate::locations::create(tx, crate::locations::Kind::Location, "Office")
        })
        .unwrap();
        for p in [path.clone(), dir.path().join("r.db-wal")] {
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", p.display());
        }
    }

    #[test]
    fn refuses_a_file_that_is_not_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        std::fs::write(&path, vec![b'x'; 4096]).unwrap();
        let err = Db::open(&path).unwrap_err();
        assert!(
            err.to_string().contains("not an Asset Register file"),
            "{err}"
        );
    }
}
