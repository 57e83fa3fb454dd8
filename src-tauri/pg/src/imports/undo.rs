//! Past imports on a team register, and taking one back as one audited step, as the file's
//! `register_core::import::undo_import` does: the same refusals, the same events.

use postgres::types::Type;
use postgres::GenericClient;
use register_core::assets::{archive_changes, asset_event};
use register_core::audit::Action;
use register_core::import::{
    already_undone, changed_since, undo_note, undo_patch, undone_event, ImportRecord, UndoSummary,
};

use crate::assets;
use crate::audit::{self, EventBatch};
use crate::conflict::Record;
use crate::db::Tx;
use crate::error::Result;

/// Every import, newest first.
pub fn list_imports(client: &mut impl GenericClient) -> Result<Vec<ImportRecord>> {
    let rows = client.query_typed(
        r#"SELECT id, file_name, sha256,
                  to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, rows,
                  created, updated, skipped,
                  to_char(undone_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                      AS undone_at
             FROM public.imports ORDER BY id DESC"#,
        &[],
    )?;
    rows.iter()
        .map(|r| {
            Ok(ImportRecord {
                id: r.try_get("id")?,
                file_name: r.try_get("file_name")?,
                sha256: r.try_get("sha256")?,
                at: r.try_get("at")?,
                rows: r.try_get("rows")?,
                created: r.try_get("created")?,
                updated: r.try_get("updated")?,
                skipped: r.try_get("skipped")?,
                undone_at: r.try_get("undone_at")?,
            })
        })
        .collect()
}

/// Takes an import back in the caller's transaction: archives the assets it created and puts
/// back the fields it updated, in the order of their ids, then records the undo. Refuses,
/// changing nothing, when any of those assets has changed since the import, or when it was
/// already undone. Holds the chain head from the start, so nothing can change them between
/// the check and the undo.
pub fn undo_import(tx: &mut Tx<'_>, import_id: i64) -> Result<UndoSummary> {
    audit::hold(tx)?;
    tx.client()
        .batch_execute("SET LOCAL register.batch_append = 'on'")?;
    let found = tx.client().query_typed_opt(
        r#"SELECT file_name, event_id,
                  to_char(undone_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                      AS undone_at
             FROM public.imports WHERE id = $1 FOR UPDATE"#,
        &[(&import_id, Type::INT8)],
    )?;
    let Some(found) = found else {
        return Err(register_core::Error::not_found("import", import_id).into());
    };
    let file_name: String = found.try_get("file_name")?;
    let event_id: Option<i64> = found.try_get("event_id")?;
    if let Some(at) = found.try_get::<_, Option<String>>("undone_at")? {
        return Err(already_undone(import_id, &file_name, &at).into());
    }
    let changed: Vec<String> = tx
        .client()
        .query_typed(
            r#"SELECT DISTINCT a.asset_tag, lower(a.asset_tag COLLATE "C") AS folded
                 FROM public.audit_log l
                 JOIN public.import_items i ON i.import_id = $1 AND i.asset_id = l.asset_id
                 JOIN public.assets a ON a.id = l.asset_id
                WHERE l.id > $2
                ORDER BY folded, a.asset_tag"#,
            &[
                (&import_id, Type::INT8),
                (&event_id.unwrap_or(0), Type::INT8),
            ],
        )?
        .iter()
        .map(|r| r.get("asset_tag"))
        .collect();
    if !changed.is_empty() {
        return Err(changed_since(import_id, &file_name, &changed).into());
    }
    let items: Vec<(i64, String, Option<String>)> = tx
        .client()
        .query_typed(
            "SELECT asset_id, action, before FROM public.import_items
              WHERE import_id = $1 ORDER BY asset_id",
            &[(&import_id, Type::INT8)],
        )?
        .iter()
        .map(|r| (r.get("asset_id"), r.get("action"), r.get("before")))
        .collect();
    let note = undo_note(import_id, &file_name);
    let mut summary = UndoSummary {
        import_id,
        archived: 0,
        reverted: 0,
    };
    // Runs of created assets are archived a statement at a time, their events in one more; an
    // updated one is put back alone, as an edit.
    let mut run: Vec<i64> = Vec::new();
    for (asset_id, action, before) in items {
        if action == "created" {
            run.push(asset_id);
            if run.len() >= 2_000 {
                summary.archived += archive_run(tx, &mut run, &note)?;
            }
            continue;
        }
        summary.archived += archive_run(tx, &mut run, &note)?;
        let patch = undo_patch(before.as_deref())?;
        let current = assets::get_asset(tx.client(), asset_id)?;
        assets::update_asset(tx, asset_id, current.version, &patch, Some(&note))?;
        summary.reverted += 1;
    }
    summary.archived += archive_run(tx, &mut run, &note)?;
    audit::record(tx, &undone_event(&summary, &file_name, &note))?;
    tx.client().query_typed(
        "UPDATE public.imports SET undone_at = statement_timestamp() WHERE id = $1",
        &[(&import_id, Type::INT8)],
    )?;
    Ok(summary)
}

/// Archives the assets `run` (live ones, in id order), each with the event `archive_asset`
/// records, and empties it. Returns how many.
fn archive_run(tx: &mut Tx<'_>, run: &mut Vec<i64>, note: &str) -> Result<usize> {
    if run.is_empty() {
        return Ok(0);
    }
    let rows = tx.client().query_typed(
        "UPDATE public.assets SET archived_at = statement_timestamp(),
                updated_at = statement_timestamp()
          WHERE id = ANY($1) AND archived_at IS NULL
         RETURNING id, asset_tag, version",
        &[(&*run, Type::INT8_ARRAY)],
    )?;
    let mut done: Vec<(i64, String, i64)> = rows
        .iter()
        .map(|r| (r.get("id"), r.get("asset_tag"), r.get("version")))
        .collect();
    if done.len() != run.len() {
        // As the file's `archive_asset` refuses an archived asset: one was archived by hand.
        let missing = run.iter().find(|id| !done.iter().any(|d| d.0 == **id));
        return Err(register_core::Error::Refused(format!(
            "asset {} is archived already",
            missing.copied().unwrap_or_default()
        ))
        .into());
    }
    done.sort_by_key(|d| d.0);
    let mut batch = EventBatch::start(tx)?;
    for (id, tag, version) in &done {
        let ev = asset_event(*id, tag, Action::Archived, archive_changes(), Some(note));
        batch.push(&ev, Some((Record::Asset, *version)))?;
    }
    batch.finish(tx)?;
    run.clear();
    Ok(done.len())
}
