//! Past imports, and taking one back as one audited step.

use rusqlite::{params, Connection, OptionalExtension};

use super::commit::Deferred;
use super::rules::{already_undone, changed_since, undo_note, undo_patch, undone_event};
use super::types::*;
use crate::assets;
use crate::audit;
use crate::db::{QueryAll, Tx};
use crate::error::{Error, Result};

/// Every import, newest first.
pub fn list_imports(conn: &Connection) -> Result<Vec<ImportRecord>> {
    let mut stmt = conn.prepare(
        "SELECT id, file_name, sha256, at, rows, created, updated, skipped, undone_at
         FROM imports ORDER BY id DESC",
    )?;
    stmt.query_all([], |r| {
        Ok(ImportRecord {
            id: r.get(0)?,
            file_name: r.get(1)?,
            sha256: r.get(2)?,
            at: r.get(3)?,
            rows: r.get(4)?,
            created: r.get(5)?,
            updated: r.get(6)?,
            skipped: r.get(7)?,
            undone_at: r.get(8)?,
        })
    })
}

/// Takes an import back as one audited step: archives the assets it created and puts back the
/// fields it updated. Refuses, changing nothing, when any of those assets has changed since the
/// import (an edit, assignment, status change or a later import), or when it was already undone.
pub fn undo_import(tx: &mut Tx<'_>, import_id: i64) -> Result<UndoSummary> {
    let found: Option<(String, Option<i64>, Option<String>)> = tx
        .conn()
        .query_row(
            "SELECT file_name, event_id, undone_at FROM imports WHERE id = ?1",
            [import_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (file_name, event_id, undone_at) =
        found.ok_or_else(|| Error::not_found("import", import_id))?;
    if let Some(at) = undone_at {
        return Err(already_undone(import_id, &file_name, &at));
    }
    let event_id = event_id.unwrap_or(0);
    let changed: Vec<String> = tx
        .conn()
        .prepare(
            "SELECT DISTINCT a.asset_tag FROM audit_log l
               JOIN import_items i ON i.import_id = ?1 AND i.asset_id = l.asset_id
               JOIN assets a ON a.id = l.asset_id
             WHERE l.id > ?2 ORDER BY a.asset_tag COLLATE NOCASE",
        )?
        .query_all(params![import_id, event_id], |r| r.get(0))?;
    if !changed.is_empty() {
        return Err(changed_since(import_id, &file_name, &changed));
    }
    let items: Vec<(i64, String, Option<String>)> = tx
        .conn()
        .prepare("SELECT asset_id, action, before FROM import_items WHERE import_id = ?1 ORDER BY asset_id")?
        .query_all([import_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let note = undo_note(import_id, &file_name);
    let mut summary = UndoSummary {
        import_id,
        archived: 0,
        reverted: 0,
    };
    // As in the import: the search index and (for a big import) the sort indexes are brought
    // up to date once at the end, not row by row.
    let deferred = Deferred::pause(tx.conn(), items.len())?;
    for (asset_id, action, before) in items {
        if action == "created" {
            assets::archive_asset(tx, asset_id, Some(&note))?;
            summary.archived += 1;
        } else {
            let patch = undo_patch(before.as_deref())?;
            assets::update_asset(tx, asset_id, &patch, Some(&note))?;
            summary.reverted += 1;
        }
    }
    deferred.resume(tx.conn(), import_id, 0)?;
    audit::record(tx, undone_event(&summary, &file_name, &note))?;
    tx.conn().execute(
        "UPDATE imports SET undone_at = ?1 WHERE id = ?2",
        params![tx.now(), import_id],
    )?;
    Ok(summary)
}
