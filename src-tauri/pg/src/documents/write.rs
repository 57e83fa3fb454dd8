//! Attaching, removing and changing the kind of a document on the team register, each inside
//! the caller's transaction ([`crate::write`]) with the event the file records
//! (`register_core::documents::document_attached`, `document_removed`, `document_kind_changed`),
//! refused in the file's words (`check_new_document`, `check_owner_live`).
//!
//! Order, as for assets: every row the change takes (the owner's, shared; the content's; the
//! document's) is taken before it holds the chain head and appends its event. A removal and an
//! attach of the same bytes meet on the content row's lock: the removal deletes the content only
//! when, holding that lock, it sees no other document with the same bytes.

use postgres::types::Type;
use register_core::documents::{
    check_new_document, check_owner_live, document_attached, document_kind_changed,
    document_removed, sha256_hex, DocKind, Document, Owner, DEFAULT_MAX_BYTES,
};

use super::read::{document_of, from_row, owner_column, owner_label, COLUMNS};
use crate::audit;
use crate::db::Tx;
use crate::error::Result;

/// Attaches `bytes`, the file called `name`, to `owner`, as the file's `attach_file_to` does:
/// an archived owner, empty bytes, more than 50 MB or a name over 1000 characters are refused
/// before anything is written; `kind` is guessed from the name when `None`. Bytes already stored
/// (attached before, to this owner or another) are stored once.
pub fn attach_document(
    tx: &mut Tx<'_>,
    owner: Owner,
    name: &str,
    bytes: &[u8],
    kind: Option<DocKind>,
    note: Option<&str>,
) -> Result<Document> {
    let (label, archived) = owner_label(tx.client(), owner, true)?;
    check_owner_live(&label, archived)?;
    check_new_document(name, bytes.len() as u64, DEFAULT_MAX_BYTES)?;
    let kind = kind.unwrap_or_else(|| DocKind::guess(name));
    let (sha256, size) = hold_content(tx, bytes)?;
    let (column, id) = owner_column(owner);
    let row = tx.client().query_typed_one(
        &format!(
            "WITH d AS (
                 INSERT INTO public.documents ({column}, name, kind, size, sha256, added_at)
                 VALUES ($1, $2, $3, $4, $5, statement_timestamp())
                 RETURNING *)
             SELECT {COLUMNS} FROM d"
        ),
        &[
            (&id, Type::INT8),
            (&name, Type::TEXT),
            (&kind.as_str(), Type::TEXT),
            (&size, Type::INT8),
            (&sha256, Type::TEXT),
        ],
    )?;
    let doc = from_row(&row)?;
    audit::record(tx, &document_attached(owner, &label, &doc, note))?;
    Ok(doc)
}

/// Stores `bytes` once (by SHA-256) and holds their content row locked to the end of the
/// change; returns their SHA-256 and size. A change that appends an event before it attaches
/// (a disposal record retires the asset first) calls this before, so that it takes the row
/// before the chain head, as every change does; the attach then finds the row already held.
pub(crate) fn hold_content(tx: &mut Tx<'_>, bytes: &[u8]) -> Result<(String, i64)> {
    let sha256 = sha256_hex(bytes);
    let size = bytes.len() as i64;
    // Bytes already stored are locked, not sent again; new bytes are inserted, and the insert
    // locks the row another attach of the same bytes may have put there first.
    let stored = !tx
        .client()
        .query_typed(
            "SELECT 1 FROM public.document_content WHERE sha256 = $1 FOR UPDATE",
            &[(&sha256, Type::TEXT)],
        )?
        .is_empty();
    if !stored {
        tx.client().query_typed(
            "INSERT INTO public.document_content (sha256, size, bytes) VALUES ($1, $2, $3)
             ON CONFLICT (sha256) DO UPDATE SET sha256 = EXCLUDED.sha256",
            &[
                (&sha256, Type::TEXT),
                (&size, Type::INT8),
                (&bytes, Type::BYTEA),
            ],
        )?;
    }
    Ok((sha256, size))
}

/// Removes one of an owner's documents and records the removal, as the file's `remove_from`
/// does; its content goes in the same transaction when no other document has the same bytes.
pub fn remove_document(
    tx: &mut Tx<'_>,
    owner: Owner,
    id: i64,
    note: Option<&str>,
) -> Result<Document> {
    let (label, _) = owner_label(tx.client(), owner, true)?;
    let (column, owner_id) = owner_column(owner);
    let row = tx
        .client()
        .query_typed(
            &format!(
                "WITH d AS (
                     DELETE FROM public.documents WHERE id = $1 AND {column} = $2 RETURNING *)
                 SELECT {COLUMNS} FROM d"
            ),
            &[(&id, Type::INT8), (&owner_id, Type::INT8)],
        )?
        .into_iter()
        .next()
        .ok_or_else(|| register_core::Error::not_found("document", id))?;
    let doc = from_row(&row)?;
    // Held first, then looked at in a statement of its own: an attach of the same bytes that
    // committed while this waited is seen, and keeps them.
    tx.client().query_typed(
        "SELECT 1 FROM public.document_content WHERE sha256 = $1 FOR UPDATE",
        &[(&doc.sha256, Type::TEXT)],
    )?;
    tx.client().query_typed(
        "DELETE FROM public.document_content c WHERE c.sha256 = $1
            AND NOT EXISTS (SELECT 1 FROM public.documents d WHERE d.sha256 = $1)",
        &[(&doc.sha256, Type::TEXT)],
    )?;
    audit::record(tx, &document_removed(owner, &label, &doc, note))?;
    Ok(doc)
}

/// Changes the kind of one of an owner's documents, as the file's `set_kind_of` does: recorded,
/// and the same kind writes nothing.
pub fn set_document_kind(
    tx: &mut Tx<'_>,
    owner: Owner,
    id: i64,
    kind: DocKind,
) -> Result<Document> {
    let (label, _) = owner_label(tx.client(), owner, true)?;
    let doc = document_of(tx.client(), owner, id)?;
    if doc.kind == kind {
        return Ok(doc);
    }
    let row = tx.client().query_typed_one(
        &format!(
            "WITH d AS (UPDATE public.documents SET kind = $1 WHERE id = $2 RETURNING *)
             SELECT {COLUMNS} FROM d"
        ),
        &[(&kind.as_str(), Type::TEXT), (&id, Type::INT8)],
    )?;
    let after = from_row(&row)?;
    audit::record(tx, &document_kind_changed(owner, &label, &doc, kind))?;
    Ok(after)
}
