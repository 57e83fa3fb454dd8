//! The content-addressed store of document bytes: one file per SHA-256 in the register's
//! documents folder, written, synced and renamed into place before any row points at it.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::records::Document;
use super::DEFAULT_MAX_BYTES;
use crate::audit::hex;
use crate::db::{Db, Tx};
use crate::error::{Error, Result};

/// Bytes safely in the store, ready for a row to point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    /// The original file name.
    pub name: String,
    /// SHA-256, lower-case hex.
    pub sha256: String,
    /// Bytes.
    pub size: u64,
}

/// The folder of stored documents of one register.
#[derive(Debug, Clone)]
pub struct DocumentStore {
    dir: PathBuf,
    max_bytes: u64,
}

pub(super) static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl DocumentStore {
    /// The store beside a register file: `register.db` → `register-documents/`.
    pub fn for_register(db_path: &Path) -> DocumentStore {
        let stem = db_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "register".into());
        let dir = db_path
            .parent()
            .unwrap_or(Path::new("."))
            .join(format!("{stem}-documents"));
        DocumentStore {
            dir,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }

    /// The store for an open register (a temporary folder for in-memory test registers).
    pub fn for_db(db: &Db) -> DocumentStore {
        match db.path() {
            Some(p) => Self::for_register(p),
            None => DocumentStore {
                dir: std::env::temp_dir()
                    .join(format!("asset-register-mem-{}", std::process::id())),
                max_bytes: DEFAULT_MAX_BYTES,
            },
        }
    }

    /// The same store with another size limit.
    pub fn with_limit(mut self, max_bytes: u64) -> DocumentStore {
        self.max_bytes = max_bytes;
        self
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the bytes with this hash live. The hash is checked to be 64 hex digits, so a
    /// stored value can never steer the path.
    pub(super) fn blob_path(&self, sha256: &str) -> Result<PathBuf> {
        if sha256.len() != 64
            || !sha256
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        {
            return Err(Error::Internal(format!("not a SHA-256: {sha256:?}")));
        }
        Ok(self.dir.join(&sha256[..2]).join(sha256))
    }

    pub(super) fn temp_path(&self) -> PathBuf {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        self.dir
            .join(format!(".incoming-{}-{nanos}-{n}", std::process::id()))
    }

    /// Copies the file at `src` into the store: refuses missing paths, folders, unreadable,
    /// empty and oversized files with a clear message; writes, syncs and renames into place.
    pub fn store_file(&self, src: &Path) -> Result<StoredBlob> {
        let name = src
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Error::invalid("file", format!("{} is not a file", src.display())))?;
        let meta = fs::metadata(src).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => {
                Error::invalid("file", format!("there is no file at {}", src.display()))
            }
            _ => Error::invalid("file", format!("cannot read {}: {e}", src.display())),
        })?;
        if meta.is_dir() {
            return Err(Error::invalid(
                "file",
                format!("{name} is a folder; attach the files inside it instead"),
            ));
        }
        if !meta.is_file() {
            return Err(Error::invalid(
                "file",
                format!("{name} is not a regular file"),
            ));
        }
        if meta.len() == 0 {
            return Err(Error::invalid("file", format!("{name} is empty")));
        }
        if meta.len() > self.max_bytes {
            return Err(self.too_big(&name, meta.len()));
        }
        let mut input = File::open(src)
            .map_err(|e| Error::invalid("file", format!("cannot read {name}: {e}")))?;
        crate::files::private_dir(&self.dir)?;
        let tmp = self.temp_path();
        let result = (|| {
            let mut out = crate::files::create_private(&tmp)?;
            let mut hasher = Sha256::new();
            let mut size = 0u64;
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = input
                    .read(&mut buf)
                    .map_err(|e| Error::invalid("file", format!("cannot read {name}: {e}")))?;
                if n == 0 {
                    break;
                }
                size += n as u64;
                if size > self.max_bytes {
                    return Err(self.too_big(&name, size));
                }
                hasher.update(&buf[..n]);
                out.write_all(&buf[..n])?;
            }
            if size == 0 {
                return Err(Error::invalid("file", format!("{name} is empty")));
            }
            out.sync_all()?;
            Ok(StoredBlob {
                name: name.clone(),
                sha256: hex(&hasher.finalize()),
                size,
            })
        })();
        let blob = match result {
            Ok(b) => b,
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
        };
        let dest = self.blob_path(&blob.sha256)?;
        if self.check(&blob.sha256, blob.size as i64).is_none() {
            // Identical content is already stored: keep one copy.
            let _ = fs::remove_file(&tmp);
        } else {
            let parent = dest.parent().expect("blob paths have a parent");
            crate::files::private_dir(parent)?;
            fs::rename(&tmp, &dest)?;
            sync_dir(parent);
        }
        Ok(blob)
    }

    pub(super) fn too_big(&self, name: &str, size: u64) -> Error {
        super::rules::too_big(name, size, self.max_bytes)
    }

    /// `None` when the stored bytes for `sha256` exist with this size and hash, else the problem.
    pub fn check(&self, sha256: &str, size: i64) -> Option<String> {
        let path = match self.blob_path(sha256) {
            Ok(p) => p,
            Err(e) => return Some(e.to_string()),
        };
        let mut f = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Some("the stored file is missing".into())
            }
            Err(e) => return Some(format!("the stored file cannot be read: {e}")),
        };
        super::rules::check_content(sha256, size, &mut f)
    }

    /// Opens a document's stored bytes for reading, unchecked: for a reader that hashes as it
    /// copies (the evidence pack) and compares with `doc.sha256` itself.
    pub fn open_stored(&self, doc: &Document) -> Result<File> {
        File::open(self.blob_path(&doc.sha256)?).map_err(|e| {
            Error::Refused(format!(
                "{}: the stored file cannot be read ({e}); run verify",
                doc.name
            ))
        })
    }

    /// The stored file of a document, after checking its bytes are unchanged.
    pub fn verified_path(&self, doc: &Document) -> Result<PathBuf> {
        if let Some(problem) = self.check(&doc.sha256, doc.size) {
            return Err(Error::Refused(format!(
                "{}: {problem}; run verify",
                doc.name
            )));
        }
        self.blob_path(&doc.sha256)
    }

    /// The bytes stored under `sha256`, after checking they still have this size and hash: for
    /// a reader that needs them whole (a register moved to a server sends them there).
    pub fn read_verified(&self, sha256: &str, size: i64) -> Result<Vec<u8>> {
        let bytes = fs::read(self.blob_path(sha256)?).map_err(|e| {
            Error::Refused(format!(
                "the stored file {sha256} cannot be read ({e}); run verify"
            ))
        })?;
        if let Some(problem) = super::rules::check_content(sha256, size, &mut bytes.as_slice()) {
            return Err(Error::Refused(format!("{sha256}: {problem}; run verify")));
        }
        Ok(bytes)
    }

    /// Puts `bytes` into the store (written, synced and renamed into place; kept once per
    /// hash) and returns their SHA-256: for content that arrives as bytes rather than as a file
    /// (a team register exported to a file).
    pub fn store_bytes(&self, bytes: &[u8]) -> Result<String> {
        let sha256 = super::rules::sha256_hex(bytes);
        if self.check(&sha256, bytes.len() as i64).is_none() {
            return Ok(sha256);
        }
        crate::files::private_dir(&self.dir)?;
        let tmp = self.temp_path();
        let written = (|| {
            let mut out = crate::files::create_private(&tmp)?;
            out.write_all(bytes)?;
            out.sync_all()?;
            Ok(())
        })();
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        let dest = self.blob_path(&sha256)?;
        let parent = dest.parent().expect("blob paths have a parent");
        crate::files::private_dir(parent)?;
        fs::rename(&tmp, &dest)?;
        sync_dir(parent);
        Ok(sha256)
    }

    /// Writes a copy of a document to `out` (via a temporary file in the same folder), after
    /// checking the stored bytes are unchanged.
    pub fn save_copy(&self, doc: &Document, out: &Path) -> Result<()> {
        if let Some(problem) = self.check(&doc.sha256, doc.size) {
            return Err(Error::Refused(format!(
                "{}: {problem}; run verify",
                doc.name
            )));
        }
        let folder = crate::files::target_folder(out)?;
        let tmp = folder.join(format!(".{}.partial", std::process::id()));
        let r = (|| {
            fs::copy(self.blob_path(&doc.sha256)?, &tmp)?;
            File::open(&tmp)?.sync_all()?;
            fs::rename(&tmp, out)?;
            Ok(())
        })();
        if r.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        r
    }

    /// Deletes the bytes for `sha256` when no document row points at them any more. Runs in
    /// a write transaction so no attach can slip in between the check and the delete.
    pub(super) fn remove_if_unreferenced(&self, tx: &Tx<'_>, sha256: &str) -> Result<bool> {
        let used: bool = tx.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM documents WHERE sha256 = ?1)",
            [sha256],
            |r| r.get(0),
        )?;
        if used {
            return Ok(false);
        }
        match fs::remove_file(self.blob_path(sha256)?) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(unix)]
pub(super) fn sync_dir(dir: &Path) {
    // The rename is durable once the folder's entry is; best effort on filesystems without it.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
pub(super) fn sync_dir(_dir: &Path) {}

/// Refuses a file the store would refuse (missing, a folder, empty, over the limit, unreadable),
/// before anything is read or copied: the file's attach and the team register's check with it.
pub fn check_attachable(f: &std::path::Path) -> crate::Result<()> {
    let meta = std::fs::metadata(f).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            crate::Error::invalid("file", format!("there is no file at {}", f.display()))
        }
        _ => crate::Error::invalid("file", format!("cannot read {}: {e}", f.display())),
    })?;
    if meta.is_dir() {
        return Err(crate::Error::invalid(
            "file",
            format!("{} is a folder", f.display()),
        ));
    }
    if meta.len() == 0 {
        return Err(crate::Error::invalid(
            "file",
            format!("{} is empty", f.display()),
        ));
    }
    if meta.len() > super::DEFAULT_MAX_BYTES {
        return Err(crate::Error::invalid(
            "file",
            format!(
                "{} is {}; the limit is {} per file",
                f.display(),
                super::human_size(meta.len()),
                super::human_size(super::DEFAULT_MAX_BYTES)
            ),
        ));
    }
    std::fs::File::open(f)
        .map_err(|e| crate::Error::invalid("file", format!("cannot read {}: {e}", f.display())))?;
    Ok(())
}
