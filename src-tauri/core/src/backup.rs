//! Backups and restore. A backup is **one tar file**: a consistent snapshot of the register
//! (SQLite's online backup API, so it works while the app is open), every stored document,
//! and `manifest.json` listing each member's size and SHA-256. Restore checks all of that, the
//! database's integrity and the audit chain in a staging folder *before* replacing anything,
//! and keeps the register it replaces beside it.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit::{self, hex};
use crate::db::{Db, QueryAll};
use crate::documents::{self, DocumentStore};
use crate::error::{Error, Result};
use crate::files;

const FORMAT: &str = "asset-register-backup";
const MANIFEST: &str = "manifest.json";
const DB_MEMBER: &str = "register.db";

/// What a backup holds, written last into the archive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always "asset-register-backup".
    pub format: String,
    /// Manifest layout version (1).
    pub version: u32,
    /// When the snapshot was taken (UTC).
    pub created_at: String,
    /// The register's schema version.
    pub schema_version: i64,
    /// Audit events in the snapshot.
    pub event_count: i64,
    /// The snapshot's audit head hash.
    pub head_hash: String,
    /// Every other member: path → size and SHA-256.
    pub files: BTreeMap<String, FileEntry>,
}

/// One member of the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Bytes.
    pub size: u64,
    /// SHA-256, lower-case hex.
    pub sha256: String,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestoreSummary {
    /// The restored snapshot's manifest.
    pub manifest: Manifest,
    /// Where the replaced register was kept (None when there was none).
    pub previous_kept_at: Option<PathBuf>,
}

fn damaged(why: impl std::fmt::Display) -> Error {
    Error::Refused(format!(
        "this backup is damaged or not an Asset Register backup: {why}. Nothing was changed."
    ))
}

/// Hashes a file.
fn hash_file(path: &Path) -> Result<FileEntry> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    let size = io::copy(&mut f, &mut h)?;
    Ok(FileEntry {
        size,
        sha256: hex(&h.finalize()),
    })
}

/// Writes a backup of `db` (and its documents) to `out`, atomically (a temporary file in the
/// same folder, renamed at the end), readable by the owner only.
pub fn write_backup(db: &Db, store: &DocumentStore, out: &Path) -> Result<Manifest> {
    let folder = crate::files::target_folder(out)?;
    let staging = files::private_dir_in(&folder, ".backup-staging")?;
    let result = (|| {
        // 1. A consistent snapshot of the database, as a standalone (non-WAL) file.
        let snap = staging.join(DB_MEMBER);
        // On a connection of its own, closed when the copy is done: the copy reads every page,
        // and on the shared reader they would stay mapped (its `mmap_size`) for the app's life,
        // the whole register's size in memory. It also leaves the shared reader free for the list.
        db.read_detached(|conn| {
            let mut dst = Connection::open(&snap)?;
            {
                let backup = rusqlite::backup::Backup::new(conn, &mut dst)?;
                // One step copies every page under one read transaction: a consistent snapshot.
                backup.step(-1)?;
            }
            dst.pragma_update(None, "journal_mode", "DELETE")?;
            Ok(())
        })?;
        let snap_conn = Connection::open_with_flags(&snap, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let v = audit::verify(&snap_conn)?;
        audit::ensure_ok(&v)?;
        let schema_version: i64 = snap_conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let shas: Vec<String> = snap_conn
            .prepare("SELECT DISTINCT sha256 FROM documents ORDER BY sha256")?
            .query_all([], |r| r.get(0))?;
        drop(snap_conn);

        // 2. The archive: database, documents, then the manifest.
        let tmp_out = folder.join(format!(
            ".{}.partial",
            out.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
        let file = files::create_private(&tmp_out)?;
        let mut tar = tar::Builder::new(io::BufWriter::new(file));
        let mut files = BTreeMap::new();
        files.insert(DB_MEMBER.to_string(), hash_file(&snap)?);
        tar.append_path_with_name(&snap, DB_MEMBER)?;
        for sha in shas {
            let member = format!("documents/{sha}");
            let path = store.dir().join(&sha[..2]).join(&sha);
            let entry = hash_file(&path).map_err(|e| {
                Error::Refused(format!(
                    "a stored document ({sha}) cannot be read: {e}; run verify"
                ))
            })?;
            if entry.sha256 != sha {
                return Err(Error::Refused(format!(
                    "the stored document {sha} was changed; run verify"
                )));
            }
            tar.append_path_with_name(&path, &member)?;
            files.insert(member, entry);
        }
        let manifest = Manifest {
            format: FORMAT.into(),
            version: 1,
            created_at: crate::now(),
            schema_version,
            event_count: v.event_count,
            head_hash: v.head_hash,
            files,
        };
        let json = serde_json::to_vec_pretty(&manifest)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o600);
        header.set_cksum();
        tar.append_data(&mut header, MANIFEST, json.as_slice())?;
        let mut w = tar.into_inner()?;
        w.flush()?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        fs::rename(&tmp_out, out)?;
        Ok(manifest)
    })();
    let _ = fs::remove_dir_all(&staging);
    result
}

/// Checks a backup without changing anything: every member against the manifest, the
/// database's integrity and schema, its audit chain and its documents. Returns the manifest.
/// Works in a new private folder (`0700`) of this user's cache, never the shared temporary
/// folder, and writes only the database there: the documents are hashed as they stream past.
pub fn check_backup(archive: &Path) -> Result<Manifest> {
    let staging = files::private_dir_in(&files::private_folder("check")?, "check")?;
    let r = extract_and_check(archive, &staging, false);
    let _ = fs::remove_dir_all(&staging);
    r
}

/// Reads `archive`, writes its database (and, with `keep_documents`, its documents, laid out as
/// a document store) into `staging`, and checks everything. A backup from an older version is
/// migrated in `staging` first, so it is checked as the register it will become.
fn extract_and_check(archive: &Path, staging: &Path, keep_documents: bool) -> Result<Manifest> {
    let file = File::open(archive).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => {
            Error::invalid("file", format!("there is no file at {}", archive.display()))
        }
        _ => Error::invalid("file", format!("cannot read {}: {e}", archive.display())),
    })?;
    if !file.metadata()?.is_file() {
        return Err(Error::invalid(
            "file",
            format!("{} is not a backup file", archive.display()),
        ));
    }
    let mut tar = tar::Archive::new(io::BufReader::new(file));
    let mut seen: BTreeMap<String, FileEntry> = BTreeMap::new();
    let mut manifest: Option<Manifest> = None;
    for entry in tar.entries().map_err(damaged)? {
        let mut entry = entry.map_err(damaged)?;
        let path = entry.path().map_err(damaged)?.into_owned();
        let name = member_name(&path)
            .ok_or_else(|| damaged(format!("unexpected member {}", path.display())))?;
        if !entry.header().entry_type().is_file() {
            return Err(damaged(format!("{name} is not a regular file")));
        }
        if name == MANIFEST {
            let mut buf = Vec::new();
            entry
                .by_ref()
                .take(1 << 20)
                .read_to_end(&mut buf)
                .map_err(damaged)?;
            manifest = Some(
                serde_json::from_slice(&buf)
                    .map_err(|e| damaged(format!("unreadable manifest: {e}")))?,
            );
            continue;
        }
        if seen.contains_key(&name) {
            return Err(damaged(format!("{name} appears twice")));
        }
        let dest = match name.strip_prefix("documents/") {
            None => Some(staging.join(&name)),
            Some(sha) if keep_documents => {
                let shard = staging.join("documents").join(&sha[..2]);
                files::private_dir(&staging.join("documents"))?;
                files::private_dir(&shard)?;
                Some(shard.join(sha))
            }
            Some(_) => None,
        };
        let mut out: Box<dyn Write> = match &dest {
            Some(d) => Box::new(files::create_private(d)?),
            None => Box::new(io::sink()),
        };
        let mut h = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut size = 0u64;
        loop {
            let n = entry.read(&mut buf).map_err(damaged)?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
            out.write_all(&buf[..n])?;
            size += n as u64;
        }
        drop(out);
        if let Some(d) = &dest {
            File::open(d)?.sync_all()?;
        }
        seen.insert(
            name,
            FileEntry {
                size,
                sha256: hex(&h.finalize()),
            },
        );
    }
    let manifest = manifest.ok_or_else(|| damaged("it has no manifest"))?;
    if manifest.format != FORMAT {
        return Err(damaged("the manifest is not an Asset Register manifest"));
    }
    if seen != manifest.files {
        let missing: Vec<_> = manifest
            .files
            .keys()
            .filter(|k| !seen.contains_key(*k))
            .collect();
        let changed: Vec<_> = seen
            .iter()
            .filter(|(k, v)| manifest.files.get(*k) != Some(v))
            .map(|(k, _)| k)
            .collect();
        return Err(damaged(format!(
            "members missing {missing:?}, changed or unlisted {changed:?}"
        )));
    }
    let db_path = staging.join(DB_MEMBER);
    let open_ro = || {
        Connection::open_with_flags(&db_path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| damaged(format!("the register cannot be opened: {e}")))
    };
    let mut conn = open_ro()?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(damaged)?;
    if version > crate::schema::VERSION {
        return Err(Error::IncompatibleVersion {
            found: version,
            supported: crate::schema::VERSION,
        });
    }
    if version < crate::schema::VERSION {
        // An older backup: bring the staged copy up to date, as opening it would.
        drop(std::mem::replace(&mut conn, Connection::open_in_memory()?));
        let mut rw = Connection::open(&db_path).map_err(damaged)?;
        crate::schema::migrate(&mut rw).map_err(|e| {
            damaged(format!(
                "it was written by an older version (schema {version}) and cannot be brought up to date: {e}"
            ))
        })?;
        drop(rw);
        conn = open_ro()?;
    }
    let v = audit::verify(&conn).map_err(damaged)?;
    if !v.ok {
        return Err(damaged(v.describe().trim().replace('\n', "; ")));
    }
    if v.head_hash != manifest.head_hash || v.event_count != manifest.event_count {
        return Err(damaged("its audit trail does not match the manifest"));
    }
    // Each document row's bytes must be in the archive, under their own hash.
    let problems = documents::check_documents_with(&conn, |sha, size| {
        match seen.get(&format!("documents/{sha}")) {
            None => Some("missing from the backup".to_string()),
            Some(e) if e.size as i64 != size || e.sha256 != sha => Some("changed".to_string()),
            Some(_) => None,
        }
    })?;
    if let Some(p) = problems.first() {
        return Err(damaged(format!(
            "document {} of {}: {}",
            p.name, p.asset_tag, p.problem
        )));
    }
    Ok(manifest)
}

/// Only `manifest.json`, `register.db` and `documents/<64 hex>` are accepted, so a hostile
/// archive cannot write outside the staging folder.
fn member_name(path: &Path) -> Option<String> {
    let parts: Vec<&str> = path
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [MANIFEST] => Some(MANIFEST.into()),
        [DB_MEMBER] => Some(DB_MEMBER.into()),
        ["documents", sha]
            if sha.len() == 64
                && sha
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) =>
        {
            Some(format!("documents/{sha}"))
        }
        _ => None,
    }
}

/// Restores `archive` over the register at `db_path`, entirely or not at all.
///
/// 1. The archive is checked completely in a private staging folder beside the register.
/// 2. The register's write-ahead log is folded into its file; while another program is reading
///    it (so the fold would be partial) the restore is refused and nothing changes.
/// 3. The renames (the register, its log and documents aside under a new name that never
///    collides, then the restored documents and database into place) are written to a journal
///    beside the register first, and then done. If one fails, the ones done are undone. If the
///    process dies part-way, the next open of the register ([`recover_interrupted_restore`],
///    called by [`Db::open`]) undoes them: the old register or the restored one, never a third
///    state, and never an empty register in its place.
///
/// The kept register is a complete register of its own: `<name>-before-restore-<time>.db` with
/// its `…-documents` folder. The app must not have the register open.
pub fn restore_backup(archive: &Path, db_path: &Path) -> Result<RestoreSummary> {
    let folder = folder_of(db_path);
    fs::create_dir_all(&folder)?;
    recover_interrupted_restore(db_path)?;
    let prefix = format!(".{}.restore-staging", file_name(db_path));
    remove_stale_staging(&folder, &prefix);
    let staging = files::private_dir_in(&folder, &prefix)?;
    let result = (|| {
        let manifest = extract_and_check(archive, &staging, true)?;
        let live = db_path.exists();
        if live {
            fold_wal(db_path)?;
        }
        let store = DocumentStore::for_register(db_path);
        let kept = kept_name(db_path);
        let mut moves = Vec::new();
        if live {
            moves.push((db_path.to_path_buf(), kept.clone()));
        }
        // The log goes with the file it belongs to; never left for the restored file to read
        // (also when the register itself is missing).
        for ext in ["-wal", "-shm"] {
            let side = with_suffix(db_path, ext);
            if side.exists() {
                moves.push((side, with_suffix(&kept, ext)));
            }
        }
        if store.dir().exists() {
            moves.push((
                store.dir().to_path_buf(),
                DocumentStore::for_register(&kept).dir().to_path_buf(),
            ));
        }
        let staged_docs = staging.join("documents");
        if staged_docs.exists() {
            moves.push((staged_docs, store.dir().to_path_buf()));
        }
        moves.push((staging.join(DB_MEMBER), db_path.to_path_buf()));
        let journal = Journal {
            staging: staging.clone(),
            moves,
        };
        journal.carry_out(db_path)?;
        Ok(RestoreSummary {
            manifest,
            previous_kept_at: live.then_some(kept),
        })
    })();
    // The staging folder holds files only a journal still names when a rollback failed.
    if !journal_path(db_path).exists() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Removes what restores killed before their swap began left behind (a staging folder no
/// journal names: the interrupted restore was already undone, or never got that far). Only one
/// restore runs on a register at a time: the CLI and the window both hold its lock.
fn remove_stale_staging(folder: &Path, prefix: &str) {
    for e in fs::read_dir(folder).into_iter().flatten().flatten() {
        if e.file_name()
            .to_string_lossy()
            .starts_with(&format!("{prefix}-"))
            && e.file_type().is_ok_and(|t| t.is_dir())
        {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// The folder a register file is in.
fn folder_of(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// `path` with `suffix` appended to its name (`register.db` + `-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// Where a restore's journal lives: `register.db` → `register.db.restore-journal`.
pub fn journal_path(db_path: &Path) -> PathBuf {
    with_suffix(db_path, ".restore-journal")
}

/// A new name for the register a restore replaces: `register-before-restore-<UTC time>.db`,
/// with `-2`, `-3`… when that name (or its log, or its documents folder) is already taken.
fn kept_name(db_path: &Path) -> PathBuf {
    let folder = folder_of(db_path);
    let stem = db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "register".into());
    let ext = db_path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    (1..)
        .map(|n| {
            let counter = if n == 1 {
                String::new()
            } else {
                format!("-{n}")
            };
            folder.join(format!("{stem}-before-restore-{stamp}{counter}{ext}"))
        })
        .find(|p| {
            let taken = |q: &Path| fs::symlink_metadata(q).is_ok();
            !taken(p)
                && !taken(&with_suffix(p, "-wal"))
                && !taken(&with_suffix(p, "-shm"))
                && !taken(DocumentStore::for_register(p).dir())
        })
        .expect("some counter is free")
}

/// Folds the register's write-ahead log into its file, so the file moved aside is complete.
/// Refuses (changing nothing) when another program's read blocks the fold: deleting or moving a
/// log that was not fully folded would lose committed changes. A file that is not a database at
/// all (damaged first pages) has nothing to fold; it is moved aside whole, log and all.
fn fold_wal(db_path: &Path) -> Result<()> {
    let busy = || {
        Error::Refused(format!(
            "another program is reading the register {} (a report, an export, verify or a second \
             window), so its latest changes cannot be folded into the file yet. Nothing was \
             changed: close that program and restore again.",
            db_path.display()
        ))
    };
    let conn = match Connection::open_with_flags(
        db_path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) {
        Ok(c) => c,
        Err(_) => return Ok(()),
    };
    conn.busy_timeout(std::time::Duration::from_secs(2))?;
    let folded = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    });
    match folded {
        Ok(0) => Ok(()),
        Ok(_) => Err(busy()),
        Err(e) => match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                Err(busy())
            }
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
                Ok(())
            }
            _ => Err(e.into()),
        },
    }
}

/// The renames of a restore, written down before the first is done.
#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    /// The staging folder the restored files come from.
    staging: PathBuf,
    /// Every rename, `(from, to)`, in the order they are done.
    moves: Vec<(PathBuf, PathBuf)>,
}

impl Journal {
    /// Writes the journal (held locked, so no other program rolls it back meanwhile), does
    /// every rename, then empties the journal: that is the moment the restore has happened.
    /// When a rename fails, the ones done are undone and the journal removed.
    fn carry_out(&self, db_path: &Path) -> Result<()> {
        let folder = folder_of(db_path);
        let jpath = journal_path(db_path);
        let mut options = fs::OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut jf = options.open(&jpath).map_err(|e| {
            Error::Refused(format!(
                "cannot start the restore: {} cannot be created ({e}). Nothing was changed.",
                jpath.display()
            ))
        })?;
        jf.lock()?;
        jf.write_all(&serde_json::to_vec_pretty(self)?)?;
        jf.sync_all()?;
        sync_dir(&folder);
        let pause = step_pause();
        for (i, (from, to)) in self.moves.iter().enumerate() {
            if let Some(p) = pause {
                std::thread::sleep(p);
            }
            #[cfg(test)]
            let renamed = match tests::INJECT.with(|c| c.get()) {
                Some((at, true)) if at == i => {
                    // The process "dies" here: the journal stays, the lock goes.
                    return Err(Error::Internal("simulated crash".into()));
                }
                Some((at, false)) if at == i => Err(io::Error::other("injected failure")),
                _ => fs::rename(from, to),
            };
            #[cfg(not(test))]
            let renamed = fs::rename(from, to);
            if let Err(e) = renamed {
                let why = format!(
                    "{} could not be moved to {}: {e}",
                    from.display(),
                    to.display()
                );
                return match undo(&self.moves[..i]) {
                    Ok(()) => {
                        sync_dir(&folder);
                        drop(jf);
                        let _ = fs::remove_file(&jpath);
                        sync_dir(&folder);
                        Err(Error::Refused(format!(
                            "the restore could not finish ({why}). Everything was put back as it \
                             was: nothing was changed."
                        )))
                    }
                    Err(undo_error) => Err(self.stuck(db_path, &why, &undo_error)),
                };
            }
        }
        sync_dir(&folder);
        // The commit point: an empty journal has nothing to undo.
        jf.set_len(0)?;
        jf.sync_all()?;
        drop(jf);
        let _ = fs::remove_file(&jpath);
        sync_dir(&folder);
        Ok(())
    }

    /// The error for a restore that stopped and could not be undone: where everything is.
    fn stuck(&self, db_path: &Path, why: &str, undo_error: &str) -> Error {
        let places: Vec<String> = self
            .moves
            .iter()
            .map(|(from, to)| format!("{} (was {})", to.display(), from.display()))
            .collect();
        Error::Open {
            path: db_path.to_path_buf(),
            reason: format!(
                "was being restored from a backup, and the restore stopped ({why}) and could not \
                 be undone ({undo_error}). Nothing was deleted; the files are at: {}. Move them \
                 back by hand, or restore a backup, then delete {}.",
                places.join("; "),
                journal_path(db_path).display()
            ),
        }
    }
}

/// Undoes `moves` (renames that were done, in order), last first. Safe to repeat: a rename whose
/// target is gone, or whose source is back, is skipped.
fn undo(moves: &[(PathBuf, PathBuf)]) -> std::result::Result<(), String> {
    for (from, to) in moves.iter().rev() {
        let exists = |p: &Path| fs::symlink_metadata(p).is_ok();
        if exists(to) && !exists(from) {
            fs::rename(to, from).map_err(|e| {
                format!(
                    "{} could not be moved back to {}: {e}",
                    to.display(),
                    from.display()
                )
            })?;
        }
    }
    Ok(())
}

/// Puts back a restore of `db_path` that was interrupted (the process was killed, the machine
/// lost power): every rename its journal lists is undone, so the register is exactly as it
/// was before that restore. Nothing to do when there is no journal, or an empty one (the
/// restore had finished, or had not yet begun). Refuses while another program's restore is
/// still under way. Called by [`Db::open`] before it opens anything, so an interrupted restore
/// never leaves the register's name free for a new, empty register.
pub fn recover_interrupted_restore(db_path: &Path) -> Result<()> {
    let jpath = journal_path(db_path);
    let mut jf = match fs::OpenOptions::new().read(true).write(true).open(&jpath) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(Error::Open {
                path: db_path.to_path_buf(),
                reason: format!(
                    "has an unfinished restore whose journal {} cannot be read ({e})",
                    jpath.display()
                ),
            })
        }
    };
    match jf.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            return Err(Error::Refused(format!(
                "the register {} is being restored from a backup by another program; try again \
                 when it has finished.",
                db_path.display()
            )))
        }
        Err(fs::TryLockError::Error(e)) => return Err(e.into()),
    }
    let mut text = Vec::new();
    jf.read_to_end(&mut text)?;
    if let Ok(journal) = serde_json::from_slice::<Journal>(&text) {
        if let Err(undo_error) = undo(&journal.moves) {
            return Err(journal.stuck(
                db_path,
                "the program restoring it stopped part-way",
                &undo_error,
            ));
        }
        sync_dir(&folder_of(db_path));
        let _ = fs::remove_dir_all(&journal.staging);
    }
    jf.set_len(0)?;
    drop(jf);
    fs::remove_file(&jpath)?;
    sync_dir(&folder_of(db_path));
    Ok(())
}

/// A pause before each rename of a restore, for the crash test that kills restores part-way
/// (`ASSET_REGISTER_RESTORE_STEP_PAUSE_MS`); none otherwise.
fn step_pause() -> Option<std::time::Duration> {
    std::env::var("ASSET_REGISTER_RESTORE_STEP_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(std::time::Duration::from_millis)
}

/// Makes renames in `dir` durable; best effort where the filesystem cannot.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The automatic backups in `dir`, newest first: files named `auto-<UTC time>-<head>.tar`.
pub fn list_auto_backups(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let n = file_name(p);
                    n.starts_with("auto-") && n.ends_with(".tar")
                })
                .collect()
        })
        .unwrap_or_default();
    // The UTC time in the name sorts lexically.
    found.sort();
    found.reverse();
    found
}

/// Keeps rotating automatic backups in `dir`: writes one unless the newest already holds the
/// same audit head (nothing changed since), then deletes all but the newest `keep`. Returns
/// the new backup's path, or `None` when nothing had changed.
pub fn auto_backup(
    db: &Db,
    store: &DocumentStore,
    dir: &Path,
    keep: usize,
) -> Result<Option<PathBuf>> {
    files::private_dir(dir)?;
    let (_, head) = db.read(audit::head)?;
    let short = &head[..16];
    let existing = list_auto_backups(dir);
    if existing
        .first()
        .is_some_and(|p| file_name(p).ends_with(&format!("-{short}.tar")))
    {
        return Ok(None);
    }
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let out = dir.join(format!("auto-{stamp}-{short}.tar"));
    write_backup(db, store, &out)?;
    for old in list_auto_backups(dir).into_iter().skip(keep.max(1)) {
        let _ = fs::remove_file(old);
    }
    Ok(Some(out))
}

/// How old the newest automatic backup is (`None` when there is none).
pub fn newest_auto_backup_age(dir: &Path) -> Option<std::time::Duration> {
    let newest = list_auto_backups(dir).into_iter().next()?;
    fs::metadata(newest).ok()?.modified().ok()?.elapsed().ok()
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::assets::{create_asset, AssetInput};
    use crate::audit::Source;

    thread_local! {
        /// Makes the restore's rename number `.0` fail (`false`) or "crash" before it (`true`).
        pub(crate) static INJECT: std::cell::Cell<Option<(usize, bool)>> =
            const { std::cell::Cell::new(None) };
    }

    fn add(db: &Db, tag: &str) {
        let input = AssetInput {
            asset_tag: tag.into(),
            name: format!("Laptop {tag}"),
            ..Default::default()
        };
        db.write(Source::Cli, |tx| create_asset(tx, &input, None))
            .unwrap();
    }

    /// A register with IT-1 and IT-2 and a receipt, backed up to `backup.tar`, then given IT-3;
    /// closed. Returns its folder, the backup and the register's path.
    fn backed_up_then_changed() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let (db, store, path) = register(dir.path());
        let out = dir.path().join("backup.tar");
        write_backup(&db, &store, &out).unwrap();
        add(&db, "IT-3");
        drop(db);
        (dir, out, path)
    }

    /// Every file and folder in `dir` (recursively) with its bytes, for "nothing changed".
    fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                if p.is_dir() {
                    out.insert(format!("{rel}/"), vec![]);
                    stack.push(p);
                } else {
                    out.insert(rel, fs::read(&p).unwrap());
                }
            }
        }
        out
    }

    /// A tar with `register.db` from `db_file`, no documents, and a manifest made for it.
    fn archive_of(db_file: &Path, out: &Path) {
        let conn = Connection::open_with_flags(db_file, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let (count, head) = audit::head(&conn).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        drop(conn);
        let mut files = BTreeMap::new();
        files.insert(DB_MEMBER.to_string(), hash_file(db_file).unwrap());
        let manifest = Manifest {
            format: FORMAT.into(),
            version: 1,
            created_at: crate::now(),
            schema_version: version,
            event_count: count,
            head_hash: head,
            files,
        };
        let mut tar = tar::Builder::new(File::create(out).unwrap());
        tar.append_path_with_name(db_file, DB_MEMBER).unwrap();
        let json = serde_json::to_vec(&manifest).unwrap();
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o600);
        header.set_cksum();
        tar.append_data(&mut header, MANIFEST, json.as_slice())
            .unwrap();
        tar.finish().unwrap();
    }

    #[test]
    fn a_restore_that_fails_part_way_puts_everything_back() {
        let (dir, out, path) = backed_up_then_changed();
        let before = tree(dir.path());
        // Renames: register, its documents, the staged documents, the staged database.
        for step in 0..4 {
            INJECT.with(|c| c.set(Some((step, false))));
            let e = restore_backup(&out, &path).unwrap_err();
            INJECT.with(|c| c.set(None));
            assert!(e.to_string().contains("put back as it was"), "{e}");
            assert_eq!(
                tree(dir.path()),
                before,
                "step {step}: everything as before"
            );
        }
        assert_eq!(tags(&path), ["IT-1", "IT-2", "IT-3"]);
    }

    #[test]
    fn a_restore_killed_part_way_is_undone_when_the_register_is_next_opened() {
        let (dir, out, path) = backed_up_then_changed();
        let before = tree(dir.path());
        for step in 0..4 {
            INJECT.with(|c| c.set(Some((step, true))));
            restore_backup(&out, &path).unwrap_err();
            INJECT.with(|c| c.set(None));
            assert!(
                journal_path(&path).exists(),
                "the journal outlives the crash"
            );
            // Opening the register (what the app and every CLI command do) undoes it: the
            // old register, never a new empty one.
            assert_eq!(tags(&path), ["IT-1", "IT-2", "IT-3"], "step {step}");
            assert!(!journal_path(&path).exists());
            let mut after = tree(dir.path());
            after.retain(|k, _| !k.contains("-wal") && !k.contains("-shm"));
            let mut want = before.clone();
            want.retain(|k, _| !k.contains("-wal") && !k.contains("-shm"));
            assert_eq!(
                after.keys().collect::<Vec<_>>(),
                want.keys().collect::<Vec<_>>(),
                "step {step}: no staging or kept files left"
            );
        }
    }

    #[test]
    fn two_restores_in_the_same_second_keep_both_replaced_registers() {
        let (_dir, out, path) = backed_up_then_changed();
        let first = restore_backup(&out, &path)
            .unwrap()
            .previous_kept_at
            .unwrap();
        let second = restore_backup(&out, &path)
            .unwrap()
            .previous_kept_at
            .unwrap();
        assert_ne!(first, second);
        assert_eq!(tags(&first), ["IT-1", "IT-2", "IT-3"]);
        assert_eq!(tags(&second), ["IT-1", "IT-2"]);
        assert_eq!(tags(&path), ["IT-1", "IT-2"]);
        // A kept register is whole: it opens with its own documents.
        let kept = Db::open(&first).unwrap();
        let kept_store = DocumentStore::for_db(&kept);
        assert!(kept_store.dir().is_dir());
        assert!(kept
            .read(|c| documents::verify_documents(c, &kept_store))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn restore_refuses_while_a_reader_blocks_the_log_and_loses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (db, store, path) = register(dir.path());
        let out = dir.path().join("backup.tar");
        write_backup(&db, &store, &out).unwrap();
        // Another program reads (holds a snapshot), then an asset is committed into the log.
        let reader = Connection::open(&path).unwrap();
        reader
            .execute_batch("BEGIN; SELECT count(*) FROM assets;")
            .unwrap();
        add(&db, "IT-3");
        drop(db);
        let e = restore_backup(&out, &path).unwrap_err();
        assert!(e.to_string().contains("another program is reading"), "{e}");
        assert_eq!(tags(&path), ["IT-1", "IT-2", "IT-3"], "nothing changed");
        reader.execute_batch("COMMIT").unwrap();
        drop(reader);
        let kept = restore_backup(&out, &path)
            .unwrap()
            .previous_kept_at
            .unwrap();
        assert_eq!(
            tags(&kept),
            ["IT-1", "IT-2", "IT-3"],
            "the kept copy has it"
        );
    }

    #[test]
    fn a_register_with_damaged_first_pages_can_still_be_restored() {
        let dir = tempfile::tempdir().unwrap();
        let (db, store, path) = register(dir.path());
        let out = dir.path().join("backup.tar");
        write_backup(&db, &store, &out).unwrap();
        drop(db);
        let mut bytes = fs::read(&path).unwrap();
        bytes[..4096].fill(0x5a);
        fs::write(&path, &bytes).unwrap();
        assert!(Db::open(&path).is_err());
        let kept = restore_backup(&out, &path)
            .unwrap()
            .previous_kept_at
            .unwrap();
        assert_eq!(tags(&path), ["IT-1", "IT-2"]);
        assert_eq!(
            fs::read(&kept).unwrap(),
            bytes,
            "the damaged file is kept as it was"
        );
        // And when the file is missing altogether.
        fs::remove_file(&path).unwrap();
        assert!(restore_backup(&out, &path)
            .unwrap()
            .previous_kept_at
            .is_none());
        assert_eq!(tags(&path), ["IT-1", "IT-2"]);
    }

    #[test]
    fn a_backup_carrying_a_schema_this_version_did_not_create_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (db, store, path) = register(dir.path());
        let out = dir.path().join("backup.tar");
        write_backup(&db, &store, &out).unwrap();
        drop(db);
        // A copy of the register with a hidden trigger and the history's guard dropped.
        let crafted = dir.path().join("crafted.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute("VACUUM INTO ?1", [crafted.to_str().unwrap()])
                .unwrap();
        }
        let conn = Connection::open(&crafted).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        let guard: String = conn
            .query_row(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log' \
                 AND sql LIKE '%DELETE%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        conn.execute_batch(&format!(
            "DROP TRIGGER {guard};
             CREATE TRIGGER sneaky AFTER UPDATE OF status ON assets
             BEGIN UPDATE assets SET notes = 'rewritten' WHERE id = NEW.id; END;"
        ))
        .unwrap();
        drop(conn);
        let bad = dir.path().join("crafted.tar");
        archive_of(&crafted, &bad);
        let live_before = fs::read(&path).unwrap();
        for e in [
            check_backup(&bad).unwrap_err(),
            restore_backup(&bad, &path).unwrap_err(),
        ] {
            let text = e.to_string();
            assert!(text.contains("extra trigger `sneaky`"), "{text}");
            assert!(
                text.contains(&format!("missing trigger `{guard}`")),
                "{text}"
            );
        }
        assert_eq!(fs::read(&path).unwrap(), live_before);
        // verify says so about a live register too.
        let v = audit::verify(&Connection::open(&crafted).unwrap()).unwrap();
        assert!(!v.ok);
        assert!(v.integrity.contains("sneaky"), "{}", v.integrity);
    }

    #[test]
    fn a_backup_from_an_older_version_is_migrated_checked_and_restored() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.db");
        {
            let mut conn = Connection::open(&old).unwrap();
            crate::schema::migrate_to(&mut conn, 4).unwrap();
            conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        }
        let out = dir.path().join("old.tar");
        archive_of(&old, &out);
        let m = check_backup(&out).unwrap();
        assert_eq!(m.schema_version, 4);
        let path = dir.path().join("register.db");
        restore_backup(&out, &path).unwrap();
        let db = Db::open(&path).unwrap();
        assert!(db.read(audit::verify).unwrap().ok);
    }

    #[cfg(unix)]
    #[test]
    fn documents_backups_and_restored_files_are_the_users_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (db, store, path) = register(dir.path());
        let backups = dir.path().join("register-backups");
        let auto = auto_backup(&db, &store, &backups, 3).unwrap().unwrap();
        drop(db);
        restore_backup(&auto, &path).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&backups), 0o700);
        assert_eq!(mode(&auto), 0o600);
        assert_eq!(mode(&path), 0o600);
        let docs = DocumentStore::for_register(&path).dir().to_path_buf();
        let mut seen = 0;
        for (rel, _) in tree(&docs) {
            let p = docs.join(rel.trim_end_matches('/'));
            let want = if rel.ends_with('/') { 0o700 } else { 0o600 };
            assert_eq!(mode(&p), want, "{rel}");
            seen += 1;
        }
        assert!(seen >= 2, "a shard folder and a document");
        assert_eq!(mode(&docs), 0o700);
    }

    fn register(dir: &Path) -> (Db, DocumentStore, PathBuf) {
        let path = dir.join("register.db");
        let db = Db::open(&path).unwrap();
        for tag in ["IT-1", "IT-2"] {
            let input = AssetInput {
                asset_tag: tag.into(),
                name: format!("Laptop {tag}"),
                ..Default::default()
            };
            db.write(Source::Cli, |tx| create_asset(tx, &input, None))
                .unwrap();
        }
        let store = DocumentStore::for_db(&db);
        let receipt = dir.join("receipt.pdf");
        fs::write(&receipt, b"%PDF receipt bytes").unwrap();
        documents::attach_file_to(
            &db,
            &store,
            Source::Cli,
            documents::Owner::Asset(1),
            &receipt,
            None,
            None,
        )
        .unwrap();
        (db, store, path)
    }

    fn tags(path: &Path) -> Vec<String> {
        let db = Db::open(path).unwrap();
        let page = db
            .read(|c| crate::assets::list_assets(c, &Default::default()))
            .unwrap();
        page.assets.into_iter().map(|a| a.asset_tag).collect()
    }

    #[test]
    fn backup_then_restore_round_trips_register_and_documents() {
        let dir = tempfile::tempdir().unwrap();
        let (db, store, path) = register(dir.path());
        let out = dir.path().join("backup.tar");
        let m = write_backup(&db, &store, &out).unwrap();
        assert_eq!(m.files.len(), 2, "database + one document");
        assert_eq!(check_backup(&out).unwrap(), m);
        // Change the live register after the backup, then restore.
        let input = AssetInput {
            asset_tag: "IT-3".into(),
            name: "Later".into(),
            ..Default::default()
        };
        db.write(Source::Cli, |tx| create_asset(tx, &input, None))
            .unwrap();
        drop(db);
        let r = restore_backup(&out, &path).unwrap();
        assert_eq!(tags(&path), ["IT-1", "IT-2"]);
        let kept = r.previous_kept_at.unwrap();
        assert_eq!(
            tags(&kept),
            ["IT-1", "IT-2", "IT-3"],
            "the replaced register is kept"
        );
        let db = Db::open(&path).unwrap();
        let store = DocumentStore::for_db(&db);
        assert!(db
            .read(|c| documents::verify_documents(c, &store))
            .unwrap()
            .is_empty());
        assert!(db.read(audit::verify).unwrap().ok);
    }

    #[test]
    fn a_tampered_or_truncated_archive_is_refused_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (db, store, path) = register(dir.path());
        let out = dir.path().join("backup.tar");
        write_backup(&db, &store, &out).unwrap();
        drop(db);
        let good = fs::read(&out).unwrap();
        let live_before = fs::read(&path).unwrap();
        // Flip one byte inside the document's content.
        let pos = good.windows(7).position(|w| w == b"receipt").unwrap();
        let mut bad = good.clone();
        bad[pos] ^= 0x20;
        let cases = [
            (bad, "damaged"),
            (good[..good.len() / 2].to_vec(), "damaged"),
            (b"not a tar".repeat(100), "damaged"),
        ];
        for (bytes, needle) in cases {
            fs::write(&out, &bytes).unwrap();
            let e = restore_backup(&out, &path).unwrap_err();
            assert!(e.to_string().contains(needle), "{e}");
            assert_eq!(
                fs::read(&path).unwrap(),
                live_before,
                "the register is untouched"
            );
        }
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .filter(|n| n.to_string_lossy().contains("restore-staging"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn automatic_backups_skip_when_unchanged_and_rotate() {
        let dir = tempfile::tempdir().unwrap();
        let (db, store, _) = register(dir.path());
        let backups = dir.path().join("backups");
        assert!(auto_backup(&db, &store, &backups, 3).unwrap().is_some());
        assert!(
            auto_backup(&db, &store, &backups, 3).unwrap().is_none(),
            "nothing changed"
        );
        for i in 0..4 {
            let input = AssetInput {
                asset_tag: format!("N-{i}"),
                name: "x".into(),
                ..Default::default()
            };
            db.write(Source::Cli, |tx| create_asset(tx, &input, None))
                .unwrap();
            auto_backup(&db, &store, &backups, 3).unwrap().unwrap();
        }
        let kept = list_auto_backups(&backups);
        assert_eq!(kept.len(), 3);
        assert!(
            check_backup(&kept[0]).unwrap().event_count
                > check_backup(&kept[2]).unwrap().event_count
        );
        assert!(newest_auto_backup_age(&backups).unwrap() < std::time::Duration::from_secs(60));
    }

    #[test]
    fn hostile_member_names_are_refused() {
        for p in [
            "../x",
            "/etc/passwd",
            "documents/../../x",
            "documents/abc",
            "other.txt",
        ] {
            assert_eq!(member_name(Path::new(p)), None, "{p}");
        }
        assert_eq!(
            member_name(Path::new("register.db")).as_deref(),
            Some("register.db")
        );
    }
}
