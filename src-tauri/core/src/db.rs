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

/// How much of the register file a connection may map into memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mapping {
    /// None: the connections that live as long as the register is open (the writer and the
    /// shared reader). A page mapped once stays mapped, and counted in the app's memory, until
    /// its connection closes: the first Home query alone (`summary`, which reads every asset
    /// row) left 163 MB of a 100k register mapped for the app's life. Without mapping, its
    /// pages are copied through the 16 MB page cache and the operating system's file cache,
    /// which holds them anyway.
    None,
    /// Up to 1 GB: the connections of one long read (verify, reports, backups), which map what
    /// they read and give it all back when they close.
    Whole,
}

/// Sets the pragmas every connection needs. Kept out of migrations: they are per connection.
fn configure(conn: &Connection, writer: bool, mapping: Mapping) -> Result<()> {
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
    // 16 MB of page cache per connection; a long read also maps the file (see `Mapping`).
    conn.pragma_update(None, "cache_size", -16384)?;
    let map_bytes: i64 = match mapping {
        Mapping::None => 0,
        Mapping::Whole => 1 << 30,
    };
    conn.pragma_update(None, "mmap_size", map_bytes)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // Reads can never write: only `Db::write` lifts this, for the length of its transaction.
    conn.pragma_update(None, "query_only", "ON")?;
    Ok(())
}

/// An open register: one writer connection and, for files, a separate reader so long reads
/// (verify, reports) do not block edits.
#[derive(Debug)]
pub struct Db {
    // Field order is drop order: the reader closes first so the writer, closing last, can
    // checkpoint the WAL into the file and delete it (a read-only connection cannot).
    reader: Option<Mutex<Connection>>,
    writer: Mutex<Connection>,
    path: Option<PathBuf>,
    /// Why the register is open read-only, when it is (every write is then refused).
    read_only: Option<String>,
}

/// The environment variable that opens the register read-only on purpose (`1`), e.g. to look
/// at a colleague's copy without any chance of changing it.
pub const READ_ONLY_ENV: &str = "ASSET_REGISTER_READ_ONLY";

impl Db {
    /// Opens (creating if needed) the register at `path` and migrates it. A register whose file
    /// or folder cannot be written (or with `ASSET_REGISTER_READ_ONLY=1`) opens read-only:
    /// everything can be read, every write is refused with [`Error::ReadOnly`].
    pub fn open(path: &Path) -> Result<Db> {
        // A restore that was interrupted is undone first: never open (or create) a register
        // while its files are half swapped. Opening read-only must change nothing, so it
        // refuses instead.
        let read_only = read_only_reason(path);
        if read_only.is_some() && crate::backup::journal_path(path).exists() {
            return Err(Error::Open {
                path: path.into(),
                reason: "was being restored from a backup when the restore stopped; open it                          once for writing (the app, or any asset-register-cli command) and the                          unfinished restore is undone"
                    .into(),
            });
        }
        crate::backup::recover_interrupted_restore(path)?;
        match read_only {
            Some(reason) => Db::open_read_only(path, reason),
            None => Db::open_writable(path),
        }
    }

    /// Opens an existing register read-only; `reason` is shown with every refused write.
    pub fn open_read_only(path: &Path, reason: impl Into<String>) -> Result<Db> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let probe = |c: Connection| -> rusqlite::Result<Connection> {
            c.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
            Ok(c)
        };
        let conn = Connection::open_with_flags(path, flags)
            .and_then(probe)
            .or_else(|first| {
                // A WAL register in a read-only folder cannot create its shared-memory file:
                // read it as an immutable file instead (nothing can change it from here).
                if !matches!(
                    first.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
                ) {
                    return Err(first);
                }
                let uri = format!("file:{}?immutable=1", uri_path(path));
                Connection::open_with_flags(&uri, flags | OpenFlags::SQLITE_OPEN_URI)
                    .and_then(probe)
            })
            .map_err(|e| open_error(path, e))?;
        configure(&conn, false, Mapping::None).map_err(|e| match e {
            Error::Sqlite(e) => open_error(path, e),
            e => e,
        })?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > schema::VERSION {
            return Err(Error::IncompatibleVersion {
                found: version,
                supported: schema::VERSION,
            });
        }
        if version < schema::VERSION {
            return Err(Error::ReadOnly(format!(
                "{}, and it needs an update to open in this version of Asset Register",
                reason.into()
            )));
        }
        Ok(Db {
            writer: Mutex::new(conn),
            reader: None,
            path: Some(path.into()),
            read_only: Some(reason.into()),
        })
    }

    /// Opens (creating if needed) the register at `path` for writing and migrates it; a file
    /// marked as moved to a team register ([`crate::moved`]) opens read-only with that reason.
    fn open_writable(path: &Path) -> Result<Db> {
        let mut db = Db::open_ignoring_move(path)?;
        let moved = crate::moved::moved_to(&lock(&db.writer))?;
        if let Some(m) = moved {
            db.read_only = Some(m.reason());
        }
        Ok(db)
    }

    /// [`Db::open`] for writing even when the file is marked as moved: only for taking the mark
    /// off ([`crate::moved::use_again`]).
    pub(crate) fn open_ignoring_move(path: &Path) -> Result<Db> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::Open {
                path: path.into(),
                reason: format!(
                    "cannot be created: its folder {} cannot be made ({e})",
                    dir.display()
                ),
            })?;
        }
        let is_new = !path.exists();
        let mut writer = Connection::open(path).map_err(|e| open_error(path, e))?;
        if is_new {
            restrict_to_owner(path)?;
        }
        configure(&writer, true, Mapping::None).map_err(|e| match e {
            Error::Sqlite(e) => open_error(path, e),
            e => e,
        })?;
        migrate_with_writes(&mut writer).map_err(storage_error)?;
        let reader = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&reader, false, Mapping::None)?;
        Ok(Db {
            writer: Mutex::new(writer),
            reader: Some(Mutex::new(reader)),
            path: Some(path.into()),
            read_only: None,
        })
    }

    /// A fully migrated register in memory, for tests.
    pub fn open_in_memory() -> Result<Db> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn, true, Mapping::None)?;
        migrate_with_writes(&mut conn)?;
        Ok(Db {
            writer: Mutex::new(conn),
            reader: None,
            path: None,
            read_only: None,
        })
    }

    /// The file this register lives in (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Why the register is open read-only, or `None` when it can be changed.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// Runs read-only work. The connection refuses writes (`query_only`).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        match &self.reader {
            Some(r) => f(&lock(r)),
            None => f(&lock(&self.writer)),
        }
        .map_err(storage_error)
    }

    /// Runs long read-only work (verify, reports) on a connection of its own, so the shared
    /// reader stays free for the list and search. In memory there is only the one connection.
    pub fn read_detached<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        match &self.path {
            Some(path) if self.read_only.is_none() => {
                let conn = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                configure(&conn, false, Mapping::Whole)?;
                f(&conn)
            }
            _ => self.read(f),
        }
    }

    /// Runs `f` in one immediate transaction tagged with `source`. Commits only if `f` returns
    /// `Ok` and, when anything was written, at least one audit event was recorded in the same
    /// transaction; otherwise rolls back.
    pub fn write<T>(&self, source: Source, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        if let Some(reason) = &self.read_only {
            return Err(Error::ReadOnly(reason.clone()));
        }
        let mut conn = lock(&self.writer);
        let mut conn = Writable::lift(&mut conn)?;
        let result = (|| {
            let changes_before = conn.total_changes();
            let inner = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut tx = Tx {
                inner,
                source,
                audited: 0,
                now: crate::now(),
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
        drop(conn);
        result.map_err(storage_error)
    }
}

/// Why [`Db::open`] opens `path` read-only (asked for with `ASSET_REGISTER_READ_ONLY=1`, or the
/// file or its folder cannot be written), or `None` when it opens it for writing.
pub fn read_only_reason(path: &Path) -> Option<String> {
    if std::env::var(READ_ONLY_ENV).is_ok_and(|v| v == "1") && path.exists() {
        return Some("opened read-only on request".into());
    }
    why_not_writable(path)
}

/// Why `path` cannot be written (the file, or the folder SQLite keeps its journal in), or
/// `None` when it can. A register that does not exist yet is "writable": creating it reports
/// its own error.
fn why_not_writable(path: &Path) -> Option<String> {
    use std::io::ErrorKind::{PermissionDenied, ReadOnlyFilesystem};
    if !path.exists() {
        return None;
    }
    let denied = |e: &std::io::Error| matches!(e.kind(), PermissionDenied | ReadOnlyFilesystem);
    if let Err(e) = std::fs::OpenOptions::new().append(true).open(path) {
        if denied(&e) {
            return Some("the file is read-only".into());
        }
    }
    let folder = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let probe = folder.join(format!(".asset-register-write-test-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            None
        }
        Err(e) if denied(&e) => Some("its folder is read-only".into()),
        Err(_) => None,
    }
}

/// A path as a `file:` URI path (percent-encoding what URIs reserve).
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for b in path.to_string_lossy().bytes() {
        match b {
            b'?' | b'#' | b'%' | 0x80.. => out.push_str(&format!("%{b:02X}")),
            _ => out.push(b as char),
        }
    }
    out
}

/// SQLite's "full" and "read-only" failures in the user's terms; the transaction has already
/// rolled back when they arrive here.
fn storage_error(e: Error) -> Error {
    match &e {
        Error::Sqlite(inner) => match inner.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => Error::DiskFull,
            Some(rusqlite::ErrorCode::DatabaseCorrupt) => Error::Damaged,
            Some(rusqlite::ErrorCode::ReadOnly) => {
                Error::ReadOnly("the file or its folder stopped being writable".into())
            }
            _ => e,
        },
        Error::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => Error::DiskFull,
        _ => e,
    }
}

/// Migrates with `query_only` lifted for the duration (the only write outside [`Db::write`]).
fn migrate_with_writes(conn: &mut Connection) -> Result<()> {
    let mut conn = Writable::lift(conn)?;
    schema::migrate(&mut conn)
}

/// The writer connection with `query_only` lifted. Dropping it puts `query_only` back, also
/// when the work inside panics, so the writer can never be left writable outside a write.
struct Writable<'c>(&'c mut Connection);

impl<'c> Writable<'c> {
    fn lift(conn: &'c mut Connection) -> Result<Writable<'c>> {
        conn.pragma_update(None, "query_only", "OFF")?;
        Ok(Writable(conn))
    }
}

impl std::ops::Deref for Writable<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.0
    }
}

impl std::ops::DerefMut for Writable<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.0
    }
}

impl Drop for Writable<'_> {
    fn drop(&mut self) {
        // Fails only if the connection is unusable, and then nothing can write through it.
        let _ = self.0.pragma_update(None, "query_only", "ON");
    }
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
    Error::Open {
        path: path.into(),
        reason: what.into(),
    }
}

/// Runs a query and collects its rows, each read by `from_row`: the one home of the
/// `query_map` + `collect` boilerplate.
pub(crate) trait QueryAll {
    /// Every row of the query with `params`, read by `from_row`.
    fn query_all<T, P, F>(&mut self, params: P, from_row: F) -> Result<Vec<T>>
    where
        P: rusqlite::Params,
        F: FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>;
}

impl QueryAll for rusqlite::Statement<'_> {
    fn query_all<T, P, F>(&mut self, params: P, from_row: F) -> Result<Vec<T>>
    where
        P: rusqlite::Params,
        F: FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        Ok(self
            .query_map(params, from_row)?
            .collect::<rusqlite::Result<_>>()?)
    }
}

/// A write transaction. Core functions take `&mut Tx`; only the core can reach the connection,
/// and [`crate::audit`] counts the events written, which [`Db::write`] checks before commit.
pub struct Tx<'c> {
    inner: Transaction<'c>,
    source: Source,
    audited: usize,
    /// When the transaction began: the time of every event it records.
    now: String,
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

    /// The transaction's time (UTC, RFC 3339): its events happen together, at this time.
    pub fn now(&self) -> &str {
        &self.now
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
    fn a_panic_inside_a_write_leaves_the_writer_query_only() {
        let db = Db::open_in_memory().unwrap();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = db.write(Source::Cli, |_tx| -> Result<()> {
                panic!("inside a write")
            });
        }));
        assert!(panicked.is_err());
        // In memory, reads use the writer connection: it must refuse writes again.
        let query_only: i64 = db
            .read(|c| Ok(c.query_row("PRAGMA query_only", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(query_only, 1);
        assert!(db
            .read(|c| Ok(c.execute("DELETE FROM settings", [])?))
            .is_err());
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
            crate::names::create(tx, crate::names::Kind::Location, "Office")
        })
        .unwrap();
        for p in [path.clone(), dir.path().join("r.db-wal")] {
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", p.display());
        }
    }

    fn asset_count(db: &Db) -> i64 {
        db.read(|c| Ok(c.query_row("SELECT count(*) FROM assets", [], |r| r.get(0))?))
            .unwrap()
    }

    fn add_assets(tx: &mut Tx<'_>, from: usize, n: usize) -> Result<()> {
        for i in from..from + n {
            let input = crate::AssetInput {
                asset_tag: format!("IT-{i:05}"),
                name: format!("Laptop {i} with a longish name to take some room in the pages"),
                category: "Laptop".into(),
                serial_number: format!("SN-{i:08}"),
                notes: "x".repeat(200),
                ..Default::default()
            };
            crate::assets::create_asset(tx, &input, None)?;
        }
        Ok(())
    }

    #[test]
    fn a_full_disk_rolls_the_change_back_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let db = Db::open(&path).unwrap();
        db.write(Source::Cli, |tx| add_assets(tx, 0, 20)).unwrap();
        let (_, head_before) = db.read(crate::audit::head).unwrap();
        // The file may not grow past what it has now: SQLite then fails exactly as on a full
        // disk (SQLITE_FULL), in the middle of a large multi-row write.
        {
            let w = lock(&db.writer);
            let pages: i64 = w.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
            w.query_row(
                &format!("PRAGMA max_page_count = {}", pages + 2),
                [],
                |_| Ok(()),
            )
            .unwrap();
        }
        let err = db
            .write(Source::Import, |tx| add_assets(tx, 1000, 2000))
            .unwrap_err();
        assert!(matches!(err, Error::DiskFull), "{err:?}");
        assert_eq!(err.kind(), "diskFull");
        assert!(err.to_string().contains("nothing was changed"), "{err}");
        // Nothing of the failed write is there, the file is sound and the chain unchanged.
        assert_eq!(asset_count(&db), 20);
        let integrity: String = db
            .read(|c| Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(integrity, "ok");
        let v = db.read(crate::audit::verify).unwrap();
        assert!(v.ok, "{v:?}");
        assert_eq!(db.read(crate::audit::head).unwrap().1, head_before);
        // With room again, the same register takes writes.
        lock(&db.writer)
            .query_row("PRAGMA max_page_count = 1073741823", [], |_| Ok(()))
            .unwrap();
        db.write(Source::Import, |tx| add_assets(tx, 1000, 50))
            .unwrap();
        assert_eq!(asset_count(&db), 70);
    }

    #[test]
    fn a_read_only_register_reads_and_refuses_every_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        {
            let db = Db::open(&path).unwrap();
            db.write(Source::Cli, |tx| add_assets(tx, 0, 3)).unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let db = Db::open_read_only(&path, "the file is read-only").unwrap();
        assert_eq!(db.read_only(), Some("the file is read-only"));
        assert_eq!(asset_count(&db), 3);
        assert!(db.read_detached(crate::audit::verify).unwrap().ok);
        let err = db
            .write(Source::Cli, |tx| add_assets(tx, 10, 1))
            .unwrap_err();
        assert_eq!(err.kind(), "readOnly");
        assert_eq!(
            err.to_string(),
            "this register is open read-only (the file is read-only); nothing was changed"
        );
        drop(db);
        assert_eq!(std::fs::read(&path).unwrap(), before, "file untouched");
    }

    #[test]
    fn a_read_only_register_from_an_older_version_is_refused_not_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch("CREATE TABLE t(x); PRAGMA user_version = 1;")
                .unwrap();
        }
        let err = Db::open_read_only(&path, "its folder is read-only").unwrap_err();
        assert_eq!(err.kind(), "readOnly");
        assert!(err.to_string().contains("needs an update"), "{err}");
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
