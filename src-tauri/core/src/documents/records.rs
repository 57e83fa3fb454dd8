//! The `documents` rows: what is attached to an asset or a licence, attaching, removing and
//! changing the kind of one (each audited), and checking the stored bytes are unchanged.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::rules::{check_owner_live, document_attached, document_kind_changed, document_removed};
use super::store::*;
use crate::audit::{self, Change, NewEvent, Source};
use crate::audit::{Action, Entity};
use crate::db::{Db, QueryAll, Tx};
use crate::error::{Error, Result};

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

pub(super) fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Document> {
    let kind: String = r.get("kind")?;
    Ok(Document {
        id: r.get("id")?,
        asset_id: r.get("asset_id")?,
        name: r.get("name")?,
        kind: DocKind::parse(&kind).unwrap_or(DocKind::Other),
        size: r.get("size")?,
        sha256: r.get("sha256")?,
        added_at: r.get("added_at")?,
        licence_id: r.get("licence_id")?,
    })
}

pub(super) const SELECT: &str =
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
        let (label, archived) = self.label(conn)?;
        check_owner_live(&label, archived)?;
        Ok(label)
    }

    /// An event about one of its documents, in its own history.
    pub fn event<'a>(
        self,
        label: &'a str,
        action: Action,
        changes: Vec<Change>,
        note: Option<&'a str>,
    ) -> NewEvent<'a> {
        match self {
            Owner::Asset(id) => NewEvent::for_asset(id, label, action, changes, note),
            Owner::Licence(id) => {
                NewEvent::about(Entity::Licence, id, label, action, changes, note)
            }
        }
    }
}

/// An owner's documents, oldest first.
pub fn documents_of(conn: &Connection, owner: Owner) -> Result<Vec<Document>> {
    let sql = format!("{SELECT} WHERE {} = ?1 ORDER BY id", owner.column());
    let mut stmt = conn.prepare_cached(&sql)?;
    stmt.query_all([owner.id()], from_row)
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

pub(super) fn doc_changes(
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
    super::rules::check_name(&blob.name)?;
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
            tx.now()
        ],
    )?;
    let id = tx.conn().last_insert_rowid();
    let doc = document_of(tx.conn(), owner, id)?;
    audit::record(tx, document_attached(owner, &label, &doc, note))?;
    Ok(doc)
}

/// Removes a document row and records the removal (name, size, SHA-256). The bytes are
/// deleted by [`remove_from`] after the commit.
pub fn detach_from(tx: &mut Tx<'_>, owner: Owner, id: i64, note: Option<&str>) -> Result<Document> {
    let doc = document_of(tx.conn(), owner, id)?;
    let (label, _) = owner.label(tx.conn())?;
    tx.conn()
        .execute("DELETE FROM documents WHERE id = ?1", [id])?;
    audit::record(tx, document_removed(owner, &label, &doc, note))?;
    Ok(doc)
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
    audit::record(tx, document_kind_changed(owner, &label, &doc, kind))?;
    document_of(tx.conn(), owner, id)
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
