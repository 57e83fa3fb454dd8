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
    let staging = tempfile_in(&folder, ".backup-staging")?;
    let result = (|| {
        // 1. A consistent snapshot of the database, as a standalone (non-WAL) file.
        let snap = staging.join(DB_MEMBER);
        db.read(|conn| {
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
        let file = create_private(&tmp_out)?;
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
/// database's integrity, its audit chain and its documents. Returns the manifest.
pub fn check_backup(archive: &Path) -> Result<Manifest> {
    let folder = std::env::temp_dir();
    let staging = tempfile_in(&folder, ".asset-register-check")?;
    let r = extract_and_check(archive, &staging);
    let _ = fs::remove_dir_all(&staging);
    r
}

/// Extracts `archive` into `staging` and checks it completely.
fn extract_and_check(archive: &Path, staging: &Path) -> Result<Manifest> {
    let file = File::open(archive).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => {
            Error::invalid("file", format!("there is no file at {}", archive.display()))
        }
        _ => Error::invalid("file", format!("cannot read {}: {e}", archive.display())),
    })?;
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
        let dest = staging.join(&name);
        fs::create_dir_all(dest.parent().expect("members have a parent"))?;
        let mut out = File::create(&dest)?;
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
        out.sync_all()?;
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
    let conn = Connection::open_with_flags(&db_path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| damaged(format!("the register cannot be opened: {e}")))?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(damaged)?;
    if version > crate::schema::VERSION {
        return Err(Error::IncompatibleVersion {
            found: version,
            supported: crate::schema::VERSION,
        });
    }
    let v = audit::verify(&conn).map_err(damaged)?;
    if !v.ok {
        return Err(damaged(v.describe().trim().replace('\n', "; ")));
    }
    if v.head_hash != manifest.head_hash || v.event_count != manifest.event_count {
        return Err(damaged("its audit trail does not match the manifest"));
    }
    // The staged documents are laid out flat; check each row's bytes against them.
    let problems = documents_in(&conn, staging)?;
    if let Some(p) = problems.first() {
        return Err(damaged(format!(
            "document {} of {}: {}",
            p.name, p.asset_tag, p.problem
        )));
    }
    Ok(manifest)
}

/// Checks the document rows of a staged register against the staged `documents/` members.
fn documents_in(conn: &Connection, staging: &Path) -> Result<Vec<documents::DocumentProblem>> {
    documents::check_documents_with(conn, |sha, size| {
        match hash_file(&staging.join("documents").join(sha)) {
            Err(_) => Some("missing from the backup".to_string()),
            Ok(e) if e.size as i64 != size || e.sha256 != sha => Some("changed".to_string()),
            Ok(_) => None,
        }
    })
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
        ["documents", sha] if sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Some(format!("documents/{sha}"))
        }
        _ => None,
    }
}

/// Restores `archive` over the register at `db_path`: checks everything first in a staging
/// folder beside it, then moves the current register (and its documents) aside as
/// `*.before-restore-<time>` and the restored files into place. The app must be closed.
pub fn restore_backup(archive: &Path, db_path: &Path) -> Result<RestoreSummary> {
    let folder = db_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    fs::create_dir_all(&folder)?;
    let staging = tempfile_in(&folder, ".restore-staging")?;
    let result = (|| {
        let manifest = extract_and_check(archive, &staging)?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let store = DocumentStore::for_register(db_path);
        let mut previous = None;
        if db_path.exists() {
            // Fold the WAL into the main file so the kept copy is one complete file.
            {
                let conn = Connection::open(db_path)?;
                conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            }
            let kept = folder.join(format!("{}.before-restore-{stamp}", file_name(db_path)));
            fs::rename(db_path, &kept)?;
            for ext in ["-wal", "-shm"] {
                let side = PathBuf::from(format!("{}{ext}", db_path.display()));
                if side.exists() {
                    let _ = fs::remove_file(side);
                }
            }
            if store.dir().exists() {
                fs::rename(
                    store.dir(),
                    folder.join(format!("{}.before-restore-{stamp}", file_name(store.dir()))),
                )?;
            }
            previous = Some(kept);
        }
        // Documents back into the content-addressed layout, then the database.
        let staged_docs = staging.join("documents");
        if staged_docs.exists() {
            for entry in fs::read_dir(&staged_docs)? {
                let entry = entry?;
                let sha = entry.file_name().to_string_lossy().into_owned();
                let dest = store.dir().join(&sha[..2]).join(&sha);
                fs::create_dir_all(dest.parent().expect("blob paths have a parent"))?;
                fs::rename(entry.path(), dest)?;
            }
        }
        fs::rename(staging.join(DB_MEMBER), db_path)?;
        restrict(db_path)?;
        Ok(RestoreSummary {
            manifest,
            previous_kept_at: previous,
        })
    })();
    let _ = fs::remove_dir_all(&staging);
    result
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
    fs::create_dir_all(dir)?;
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

/// A new empty folder `<prefix>-<pid>-<nanos>` inside `parent`.
fn tempfile_in(parent: &Path, prefix: &str) -> Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = parent.join(format!("{prefix}-{}-{nanos}", std::process::id()));
    fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn create_private(path: &Path) -> Result<File> {
    let f = File::create(path)?;
    restrict(path)?;
    Ok(f)
}

#[cfg(unix)]
fn restrict(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_path: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{create_asset, AssetInput};
    use crate::audit::Source;

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
            .filter(|n| n.to_string_lossy().starts_with(".restore"))
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
