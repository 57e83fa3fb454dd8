//! Documents attached to assets and licences: receipts, warranty certificates, invoices. Owns the on-disk
//! store (content-addressed by SHA-256 in the register's documents folder), the `documents`
//! rows, their audit events, and checking that stored bytes are unchanged.
//!
//! Ordering is what keeps it safe: the bytes are written, synced and renamed into place
//! *before* the transaction that inserts the row pointing at them; on removal the row goes
//! first, and the bytes are deleted only after that commit and only when no other row uses
//! them. A crash at any point can leave an orphaned file (harmless), never a row pointing at
//! missing bytes. File names are stored as data and never used to build a path.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit::{self, hex, Change, NewEvent, Source};
use crate::db::{Db, Tx};
use crate::error::{Error, Result};

/// The default largest file that can be attached: 50 MB.
pub const DEFAULT_MAX_BYTES: u64 = 50 * 1024 * 1024;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// Proof of purchase.
    Receipt,
    /// A warranty certificate or extension.
    Warranty,
    /// A supplier's invoice.
    Invoice,
    /// Anything else (manuals, photos…).
    Other,
}

impl DocKind {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Receipt => "receipt",
            DocKind::Warranty => "warranty",
            DocKind::Invoice => "invoice",
            DocKind::Other => "other",
        }
    }

    /// Parses `receipt | warranty | invoice | other`, ignoring case.
    pub fn parse(s: &str) -> Result<DocKind> {
        Ok(match s.trim().to_lowercase().as_str() {
            "receipt" => DocKind::Receipt,
            "warranty" => DocKind::Warranty,
            "invoice" => DocKind::Invoice,
            "other" => DocKind::Other,
            _ => {
                return Err(Error::invalid(
                    "kind",
                    format!(
                        "\"{}\" is not a document kind; use receipt, warranty, invoice or other",
                        s.trim()
                    ),
                ))
            }
        })
    }

    /// A guess from the file name: "Dell-warranty.pdf" → Warranty.
    pub fn guess(name: &str) -> DocKind {
        let n = name.to_lowercase();
        if n.contains("warrant") || n.contains("guarantee") || n.contains("carepack") {
            DocKind::Warranty
        } else if n.contains("invoice")
            || n.contains("inv-")
            || n.contains("inv_")
            || n.contains("bill")
        {
            DocKind::Invoice
        } else if n.contains("receipt") || n.contains("order") || n.contains("purchase") {
            DocKind::Receipt
        } else {
            DocKind::Other
        }
    }
}

/// A document as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Row id.
    pub id: i64,
    /// The asset it is attached to (`None` for a licence's document).
    pub asset_id: Option<i64>,
    /// The licence it is attached to (`None` for an asset's document).
    #[serde(default)]
    pub licence_id: Option<i64>,
    /// The original file name (data only).
    pub name: String,
    /// receipt, warranty, invoice or other.
    pub kind: DocKind,
    /// Bytes.
    pub size: i64,
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
    /// When it was attached (UTC, RFC 3339).
    pub added_at: String,
}

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

/// A stored document that is not as it was attached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentProblem {
    /// The asset's tag, or "licence" and the licence's product.
    pub asset_tag: String,
    /// The document's id.
    pub document_id: i64,
    /// The document's name.
    pub name: String,
    /// What is wrong, in words.
    pub problem: String,
}

/// The folder of stored documents of one register.
#[derive(Debug, Clone)]
pub struct DocumentStore {
    dir: PathBuf,
    max_bytes: u64,
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

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
    fn blob_path(&self, sha256: &str) -> Result<PathBuf> {
        if sha256.len() != 64
            || !sha256
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        {
            return Err(Error::Internal(format!("not a SHA-256: {sha256:?}")));
        }
        Ok(self.dir.join(&sha256[..2]).join(sha256))
    }

    fn temp_path(&self) -> PathBuf {
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
        fs::create_dir_all(&self.dir)?;
        let tmp = self.temp_path();
        let result = (|| {
            let mut out = File::create(&tmp)?;
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
            fs::create_dir_all(parent)?;
            fs::rename(&tmp, &dest)?;
            sync_dir(parent);
        }
        Ok(blob)
    }

    fn too_big(&self, name: &str, size: u64) -> Error {
        Error::invalid(
            "file",
            format!(
                "{name} is {}; the limit is {} per file",
                human_size(size),
                human_size(self.max_bytes)
            ),
        )
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
        let mut hasher = Sha256::new();
        let n = match io::copy(&mut f, &mut hasher) {
            Ok(n) => n,
            Err(e) => return Some(format!("the stored file cannot be read: {e}")),
        };
        if n as i64 != size {
            return Some(format!(
                "the stored file has {n} bytes, not {size} (it was changed)"
            ));
        }
        if hex(&hasher.finalize()) != sha256 {
            return Some("the stored file's content was changed (SHA-256 differs)".into());
        }
        None
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
    fn remove_if_unreferenced(&self, tx: &Tx<'_>, sha256: &str) -> Result<bool> {
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
fn sync_dir(dir: &Path) {
    // The rename is durable once the folder's entry is; best effort on filesystems without it.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}

/// "12.3 MB", "512 bytes".
pub fn human_size(n: u64) -> String {
    if n < 1024 {
        format!("{n} bytes")
    } else if n < 1024 * 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    }
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Document> {
    let kind: String = r.get(3)?;
    Ok(Document {
        id: r.get(0)?,
        asset_id: r.get(1)?,
        name: r.get(2)?,
        kind: DocKind::parse(&kind).unwrap_or(DocKind::Other),
        size: r.get(4)?,
        sha256: r.get(5)?,
        added_at: r.get(6)?,
        licence_id: r.get(7)?,
    })
}

const SELECT: &str =
    "SELECT id, asset_id, name, kind, size, sha256, added_at, licence_id FROM documents";

/// What a document is attached to: `{"asset": id}` or `{"licence": id}` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// An asset, by id.
    Asset(i64),
    /// A licence or subscription, by id.
    Licence(i64),
}

impl Owner {
    /// The `documents` column that points at it.
    fn column(self) -> &'static str {
        match self {
            Owner::Asset(_) => "asset_id",
            Owner::Licence(_) => "licence_id",
        }
    }

    fn id(self) -> i64 {
        match self {
            Owner::Asset(id) | Owner::Licence(id) => id,
        }
    }

    /// Its tag or product name, for events and messages, and whether it is archived.
    fn label(self, conn: &Connection) -> Result<(String, bool)> {
        Ok(match self {
            Owner::Asset(id) => {
                let a = crate::assets::get_asset(conn, id)?;
                (a.asset_tag, a.archived)
            }
            Owner::Licence(id) => {
                let l = crate::licences::get_licence(conn, id)?;
                (l.product, l.archived)
            }
        })
    }

    /// Its label, refusing an archived owner: nothing is added to what is archived.
    fn live_label(self, conn: &Connection) -> Result<String> {
        match self.label(conn)? {
            (label, true) => Err(Error::Refused(format!(
                "{label} is archived; documents cannot be added"
            ))),
            (label, false) => Ok(label),
        }
    }

    /// An event about one of its documents, in its own history.
    fn event<'a>(
        self,
        label: &'a str,
        action: &'a str,
        changes: Vec<Change>,
        note: Option<&'a str>,
    ) -> NewEvent<'a> {
        match self {
            Owner::Asset(id) => NewEvent::for_asset(id, label, action, changes, note),
            Owner::Licence(id) => NewEvent {
                action,
                entity: "licence",
                entity_id: Some(id),
                asset_id: None,
                label,
                changes,
                note,
            },
        }
    }
}

/// An owner's documents, oldest first.
pub fn documents_of(conn: &Connection, owner: Owner) -> Result<Vec<Document>> {
    let sql = format!("{SELECT} WHERE {} = ?1 ORDER BY id", owner.column());
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([owner.id()], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One of an owner's documents.
pub fn document_of(conn: &Connection, owner: Owner, id: i64) -> Result<Document> {
    conn.query_row(
        &format!("{SELECT} WHERE id = ?1 AND {} = ?2", owner.column()),
        [id, owner.id()],
        from_row,
    )
    .optional()?
    .ok_or_else(|| Error::not_found("document", id))
}

/// An asset's documents, oldest first.
pub fn list_documents(conn: &Connection, asset_id: i64) -> Result<Vec<Document>> {
    documents_of(conn, Owner::Asset(asset_id))
}

/// One document of an asset.
pub fn get_document(conn: &Connection, asset_id: i64, id: i64) -> Result<Document> {
    document_of(conn, Owner::Asset(asset_id), id)
}

/// How many documents each asset on a page has (for the paperclip in lists).
pub fn count_documents(conn: &Connection, asset_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM documents WHERE asset_id = ?1")?
        .query_row([asset_id], |r| r.get(0))?)
}

fn doc_changes(
    name: &str,
    blob_sha: &str,
    size: i64,
    kind: DocKind,
    removing: bool,
) -> Vec<Change> {
    let pairs = [
        ("document", name.to_string()),
        ("document_kind", kind.as_str().to_string()),
        ("document_size", size.to_string()),
        ("document_sha256", blob_sha.to_string()),
    ];
    pairs
        .into_iter()
        .map(|(f, v)| {
            if removing {
                Change::new(f, Some(v), None)
            } else {
                Change::new(f, None, Some(v))
            }
        })
        .collect()
}

/// Attaches stored bytes to an owner: inserts the row and its audit event (name, kind, size,
/// SHA-256) in the caller's transaction. Refuses an archived owner.
pub fn attach_to(
    tx: &mut Tx<'_>,
    owner: Owner,
    blob: &StoredBlob,
    kind: Option<DocKind>,
    note: Option<&str>,
) -> Result<Document> {
    let label = owner.live_label(tx.conn())?;
    let kind = kind.unwrap_or_else(|| DocKind::guess(&blob.name));
    if blob.name.chars().count() > 1000 {
        return Err(Error::invalid(
            "file",
            "that file name is longer than 1000 characters",
        ));
    }
    let size = i64::try_from(blob.size).map_err(|_| Error::invalid("file", "file too large"))?;
    tx.conn().execute(
        &format!(
            "INSERT INTO documents ({}, name, kind, size, sha256, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            owner.column()
        ),
        params![
            owner.id(),
            blob.name,
            kind.as_str(),
            size,
            blob.sha256,
            crate::now()
        ],
    )?;
    let id = tx.conn().last_insert_rowid();
    let changes = doc_changes(&blob.name, &blob.sha256, size, kind, false);
    audit::record(tx, owner.event(&label, "document_attached", changes, note))?;
    document_of(tx.conn(), owner, id)
}

/// [`attach_to`] an asset.
pub fn attach_document(
    tx: &mut Tx<'_>,
    asset_id: i64,
    blob: &StoredBlob,
    kind: Option<DocKind>,
    note: Option<&str>,
) -> Result<Document> {
    attach_to(tx, Owner::Asset(asset_id), blob, kind, note)
}

/// Removes a document row and records the removal (name, size, SHA-256). The bytes are
/// deleted by [`remove_from`] after the commit.
pub fn detach_from(tx: &mut Tx<'_>, owner: Owner, id: i64, note: Option<&str>) -> Result<Document> {
    let doc = document_of(tx.conn(), owner, id)?;
    let (label, _) = owner.label(tx.conn())?;
    tx.conn()
        .execute("DELETE FROM documents WHERE id = ?1", [id])?;
    let changes = doc_changes(&doc.name, &doc.sha256, doc.size, doc.kind, true);
    audit::record(tx, owner.event(&label, "document_removed", changes, note))?;
    Ok(doc)
}

/// [`detach_from`] an asset.
pub fn detach_document(
    tx: &mut Tx<'_>,
    asset_id: i64,
    id: i64,
    note: Option<&str>,
) -> Result<Document> {
    detach_from(tx, Owner::Asset(asset_id), id, note)
}

/// Changes the kind of one of an owner's documents (audited; the same kind writes nothing).
pub fn set_kind_of(tx: &mut Tx<'_>, owner: Owner, id: i64, kind: DocKind) -> Result<Document> {
    let doc = document_of(tx.conn(), owner, id)?;
    if doc.kind == kind {
        return Ok(doc);
    }
    let (label, _) = owner.label(tx.conn())?;
    tx.conn().execute(
        "UPDATE documents SET kind = ?1 WHERE id = ?2",
        params![kind.as_str(), id],
    )?;
    let changes = vec![
        Change::new("document", Some(doc.name.clone()), Some(doc.name.clone())),
        Change::new(
            "document_kind",
            Some(doc.kind.as_str().into()),
            Some(kind.as_str().into()),
        ),
    ];
    audit::record(tx, owner.event(&label, "document_edited", changes, None))?;
    document_of(tx.conn(), owner, id)
}

/// [`set_kind_of`] an asset's document.
pub fn set_document_kind(
    tx: &mut Tx<'_>,
    asset_id: i64,
    id: i64,
    kind: DocKind,
) -> Result<Document> {
    set_kind_of(tx, Owner::Asset(asset_id), id, kind)
}

/// Attaches the file at `path` to an owner: bytes first (durable), then the row and its event.
/// An archived owner is refused before anything is copied.
pub fn attach_file_to(
    db: &Db,
    store: &DocumentStore,
    source: Source,
    owner: Owner,
    path: &Path,
    kind: Option<DocKind>,
    note: Option<&str>,
) -> Result<Document> {
    db.read(|c| owner.live_label(c))?;
    let blob = store.store_file(path)?;
    db.write(source, |tx| {
        // A removal that ran between the copy and this transaction may have deleted identical
        // bytes: put them back before the row points at them.
        if store.check(&blob.sha256, blob.size as i64).is_some() {
            let again = store.store_file(path)?;
            if again.sha256 != blob.sha256 {
                return Err(Error::Refused(format!(
                    "{} changed while it was being attached; try again",
                    blob.name
                )));
            }
        }
        attach_to(tx, owner, &blob, kind, note)
    })
}

/// [`attach_file_to`] an asset.
pub fn attach_file(
    db: &Db,
    store: &DocumentStore,
    source: Source,
    asset_id: i64,
    path: &Path,
    kind: Option<DocKind>,
    note: Option<&str>,
) -> Result<Document> {
    attach_file_to(db, store, source, Owner::Asset(asset_id), path, kind, note)
}

/// Removes one of an owner's documents: the row and its event commit first; the bytes go
/// afterwards, and only when no other document has the same content. Deleting a file changes
/// no row, so that second write needs (and records) no audit event.
pub fn remove_from(
    db: &Db,
    store: &DocumentStore,
    source: Source,
    owner: Owner,
    id: i64,
    note: Option<&str>,
) -> Result<Document> {
    let doc = db.write(source, |tx| detach_from(tx, owner, id, note))?;
    db.write(source, |tx| store.remove_if_unreferenced(tx, &doc.sha256))?;
    Ok(doc)
}

/// [`remove_from`] an asset.
pub fn remove_document(
    db: &Db,
    store: &DocumentStore,
    source: Source,
    asset_id: i64,
    id: i64,
    note: Option<&str>,
) -> Result<Document> {
    remove_from(db, store, source, Owner::Asset(asset_id), id, note)
}

/// Re-hashes every stored document; returns each one that is missing or changed.
pub fn verify_documents(conn: &Connection, store: &DocumentStore) -> Result<Vec<DocumentProblem>> {
    check_documents_with(conn, |sha, size| store.check(sha, size))
}

/// Runs `check(sha256, size)` (None = fine, else the problem) for every document row: the
/// store checks its own folder, a restore checks the files it staged.
pub(crate) fn check_documents_with(
    conn: &Connection,
    check: impl Fn(&str, i64) -> Option<String>,
) -> Result<Vec<DocumentProblem>> {
    let mut stmt = conn.prepare(
        "SELECT d.id, d.name, d.size, d.sha256, coalesce(a.asset_tag, 'licence ' || l.product, '?')
         FROM documents d LEFT JOIN assets a ON a.id = d.asset_id
         LEFT JOIN licences l ON l.id = d.licence_id ORDER BY d.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut problems = Vec::new();
    while let Some(r) = rows.next()? {
        let (sha, size): (String, i64) = (r.get(3)?, r.get(2)?);
        if let Some(problem) = check(&sha, size) {
            problems.push(DocumentProblem {
                asset_tag: r.get(4)?,
                document_id: r.get(0)?,
                name: r.get(1)?,
                problem,
            });
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{create_asset, AssetInput};

    struct Fixture {
        db: Db,
        store: DocumentStore,
        dir: tempfile::TempDir,
    }

    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("register.db")).unwrap();
        for tag in ["IT-1", "IT-2"] {
            let input = AssetInput {
                asset_tag: tag.into(),
                name: "Laptop".into(),
                ..Default::default()
            };
            db.write(Source::Cli, |tx| create_asset(tx, &input, None))
                .unwrap();
        }
        let store = DocumentStore::for_db(&db);
        Fixture { db, store, dir }
    }

    impl Fixture {
        fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
            let p = self.dir.path().join(name);
            fs::write(&p, bytes).unwrap();
            p
        }
        fn events(&self) -> i64 {
            self.db.read(|c| Ok(crate::audit::head(c)?.0)).unwrap()
        }
    }

    #[test]
    fn licences_take_documents_in_the_same_store_and_chain() {
        let f = fixture();
        let lic =
            f.db.write(Source::Cli, |tx| {
                crate::licences::create_licence(
                    tx,
                    &crate::licences::LicenceInput {
                        product: Some("Figma".into()),
                        seats: Some("2".into()),
                        ..Default::default()
                    },
                    None,
                )
            })
            .unwrap();
        let p = f.file("figma invoice.pdf", b"%PDF-1.4 invoice");
        let on_asset = attach_file(&f.db, &f.store, Source::Cli, 1, &p, None, None).unwrap();
        let d = attach_file_to(
            &f.db,
            &f.store,
            Source::Cli,
            Owner::Licence(lic.id),
            &p,
            None,
            Some("2026"),
        )
        .unwrap();
        assert_eq!((d.asset_id, d.licence_id), (None, Some(lic.id)));
        assert_eq!(d.kind, DocKind::Invoice);
        let listed =
            f.db.read(|c| documents_of(c, Owner::Licence(lic.id)))
                .unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0], d);
        assert_eq!(
            f.db.read(|c| list_documents(c, 1)).unwrap()[0].id,
            on_asset.id
        );
        f.db.write(Source::Cli, |tx| {
            set_kind_of(tx, Owner::Licence(lic.id), d.id, DocKind::Receipt)
        })
        .unwrap();
        // The wrong owner cannot reach it.
        assert!(f.db.read(|c| get_document(c, 1, d.id)).is_err());
        assert!(f
            .db
            .read(|c| document_of(c, Owner::Licence(lic.id), on_asset.id))
            .is_err());
        // verify covers licence documents too.
        let blob = f.store.blob_path(&d.sha256).unwrap();
        remove_document(&f.db, &f.store, Source::Cli, 1, on_asset.id, None).unwrap();
        assert!(blob.exists(), "still used by the licence");
        fs::write(&blob, b"tampered").unwrap();
        let problems = f.db.read(|c| verify_documents(c, &f.store)).unwrap();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].asset_tag, "licence Figma");
        fs::write(&blob, b"%PDF-1.4 invoice").unwrap();
        remove_from(
            &f.db,
            &f.store,
            Source::Cli,
            Owner::Licence(lic.id),
            d.id,
            None,
        )
        .unwrap();
        assert!(!blob.exists(), "no longer used");
        let kinds: Vec<String> =
            f.db.read(|c| crate::audit::list_entity_events(c, "licence", lic.id))
                .unwrap()
                .into_iter()
                .map(|e| e.kind)
                .collect();
        assert_eq!(
            kinds,
            [
                "created",
                "document_attached",
                "document_edited",
                "document_removed"
            ]
        );
        assert!(f.db.read(crate::audit::verify).unwrap().ok);
    }

    #[test]
    fn attach_dedups_and_remove_keeps_shared_bytes() {
        let f = fixture();
        let p = f.file("Dell receipt.pdf", b"%PDF-1.4 receipt");
        let a = attach_file(
            &f.db,
            &f.store,
            Source::Cli,
            1,
            &p,
            None,
            Some("from finance"),
        )
        .unwrap();
        let b = attach_file(
            &f.db,
            &f.store,
            Source::Cli,
            2,
            &p,
            Some(DocKind::Invoice),
            None,
        )
        .unwrap();
        assert_eq!(a.kind, DocKind::Receipt);
        assert_eq!(a.sha256, b.sha256);
        let blob = f.store.blob_path(&a.sha256).unwrap();
        let stored: Vec<_> = fs::read_dir(blob.parent().unwrap()).unwrap().collect();
        assert_eq!(stored.len(), 1, "identical content is stored once");
        remove_document(&f.db, &f.store, Source::Cli, 1, a.id, None).unwrap();
        assert!(blob.exists(), "still used by IT-2");
        remove_document(&f.db, &f.store, Source::Cli, 2, b.id, None).unwrap();
        assert!(!blob.exists(), "removed once nothing uses it");
        let events =
            f.db.read(|c| crate::audit::list_asset_events(c, 1))
                .unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["created", "document_attached", "document_removed"]);
        assert!(events[1]
            .changes
            .iter()
            .any(|c| c.field == "document_sha256" && c.new.as_deref() == Some(a.sha256.as_str())));
        assert!(f.db.read(crate::audit::verify).unwrap().ok);
    }

    #[test]
    fn refusals_change_nothing() {
        let f = fixture().with_small_limit();
        let before = f.events();
        let empty = f.file("empty.pdf", b"");
        let big = f.file("big.pdf", &[7u8; 2000]);
        let folder = f.dir.path().join("a-folder");
        fs::create_dir(&folder).unwrap();
        let cases: [(PathBuf, &str); 4] = [
            (empty, "is empty"),
            (big, "the limit is"),
            (folder, "is a folder"),
            (f.dir.path().join("missing.pdf"), "there is no file"),
        ];
        for (p, needle) in cases {
            let e = attach_file(&f.db, &f.store, Source::Cli, 1, &p, None, None).unwrap_err();
            assert!(e.to_string().contains(needle), "{}: {e}", p.display());
        }
        assert_eq!(f.events(), before);
        assert!(f.db.read(|c| list_documents(c, 1)).unwrap().is_empty());
    }

    impl Fixture {
        fn with_small_limit(mut self) -> Fixture {
            self.store = self.store.with_limit(1000);
            self
        }
    }

    #[test]
    fn hostile_names_are_data() {
        let f = fixture();
        let p = f.file("ok.pdf", b"bytes");
        let mut blob = f.store.store_file(&p).unwrap();
        for name in [
            "../../etc/passwd",
            "a/b\\c",
            "bell\u{7}\nname",
            &"x".repeat(300),
        ] {
            blob.name = name.to_string();
            let d =
                f.db.write(Source::Cli, |tx| attach_document(tx, 1, &blob, None, None))
                    .unwrap();
            assert_eq!(d.name, name);
        }
        assert!(f
            .db
            .read(|c| verify_documents(c, &f.store))
            .unwrap()
            .is_empty());
        assert!(!f.dir.path().join("etc").exists());
    }

    #[test]
    fn verify_names_a_changed_or_missing_document() {
        let f = fixture();
        let a = attach_file(
            &f.db,
            &f.store,
            Source::Cli,
            1,
            &f.file("warranty.pdf", b"original"),
            None,
            None,
        )
        .unwrap();
        let b = attach_file(
            &f.db,
            &f.store,
            Source::Cli,
            2,
            &f.file("invoice.pdf", b"other"),
            None,
            None,
        )
        .unwrap();
        fs::write(f.store.blob_path(&a.sha256).unwrap(), b"tampered").unwrap();
        fs::remove_file(f.store.blob_path(&b.sha256).unwrap()).unwrap();
        let problems = f.db.read(|c| verify_documents(c, &f.store)).unwrap();
        assert_eq!(problems.len(), 2);
        assert_eq!(
            (problems[0].asset_tag.as_str(), problems[0].name.as_str()),
            ("IT-1", "warranty.pdf")
        );
        assert!(
            problems[0].problem.contains("changed"),
            "{}",
            problems[0].problem
        );
        assert!(
            problems[1].problem.contains("missing"),
            "{}",
            problems[1].problem
        );
        let e = f
            .store
            .save_copy(&a, &f.dir.path().join("out.pdf"))
            .unwrap_err();
        assert!(e.to_string().contains("run verify"), "{e}");
    }

    #[test]
    fn save_copy_round_trips_bytes() {
        let f = fixture();
        let a = attach_file(
            &f.db,
            &f.store,
            Source::Cli,
            1,
            &f.file("r.pdf", b"%PDF exact bytes"),
            None,
            None,
        )
        .unwrap();
        let out = f.dir.path().join("copy.pdf");
        f.store.save_copy(&a, &out).unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"%PDF exact bytes");
        let e = f
            .store
            .save_copy(&a, &f.dir.path().join("nope/copy.pdf"))
            .unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
    }

    #[test]
    fn guesses_kinds() {
        assert_eq!(DocKind::guess("Dell_Warranty_2024.PDF"), DocKind::Warranty);
        assert_eq!(DocKind::guess("INV-2024-001.pdf"), DocKind::Invoice);
        assert_eq!(DocKind::guess("amazon receipt.jpg"), DocKind::Receipt);
        assert_eq!(DocKind::guess("manual.pdf"), DocKind::Other);
    }
}
