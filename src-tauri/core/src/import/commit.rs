//! Writing an import: every row planned just before it is written, in the caller's
//! transaction, with the indexes and triggers that would slow a big file paused and rebuilt.

use rusqlite::{params, Connection};

use super::rules::{
    at_line, cancelled, describe_errors, file_problems, import_file_name, import_note,
    imported_event, imported_note, updated_before,
};
use super::{columns, mapping, plan, types::*, Field, Parsed};
use crate::assets::{self, Holder};
use crate::audit;
use crate::db::{QueryAll, Tx};
use crate::error::{Error, Result};

/// Writes the file in the caller's transaction, planning each row just before writing it (so
/// what is written matches the register at this moment, and a 100k-row file is never held as a
/// plan): creates and updates go through the asset functions, then the import row, its summary
/// event and the mapping choices are recorded. Refuses, writing nothing, when the file has
/// problems ([`Plan::problems`]), or any row has errors and `skip_invalid` is off.
pub fn commit(tx: &mut Tx<'_>, parsed: &Parsed, opts: &ImportOptions) -> Result<ImportSummary> {
    commit_with_progress(tx, parsed, opts, &mut |_, _| true)
}

/// [`commit`], calling `progress(rows done, rows)` after each row; when it returns false the
/// import stops with [`Error::Cancelled`] and the caller's transaction rolls back, so a
/// cancelled import leaves nothing behind.
pub fn commit_with_progress(
    tx: &mut Tx<'_>,
    parsed: &Parsed,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<ImportSummary> {
    let cols = columns::analyse(&mut tx.conn(), parsed, opts)?;
    if !cols.problems.is_empty() {
        return Err(file_problems(&cols.problems));
    }
    let file_name = import_file_name(opts);
    tx.conn().execute(
        "INSERT INTO imports (file_name, sha256, at, rows, created, updated, skipped)
         VALUES (?1, ?2, ?3, ?4, 0, 0, 0)",
        params![file_name, parsed.sha256, tx.now(), parsed.rows.len() as i64],
    )?;
    let import_id = tx.conn().last_insert_rowid();
    let deferred = Deferred::pause(tx.conn(), parsed.rows.len())?;
    // A big import dirties more pages than the 16 MB page cache holds, which makes SQLite spill
    // them to the log mid-transaction and read them back; give it room for the length of the
    // import (the default comes back at the end, and a new connection starts with it anyway).
    let cache: i64 = tx
        .conn()
        .pragma_query_value(None, "cache_size", |r| r.get(0))?;
    tx.conn()
        .pragma_update(None, "cache_size", IMPORT_CACHE_KB)?;
    let result = commit_rows(tx, parsed, opts, &cols, (import_id, deferred), progress);
    tx.conn().pragma_update(None, "cache_size", cache)?;
    result
}

/// The page cache during an import, in KiB (negative: SQLite's "size in KiB" form).
pub(super) const IMPORT_CACHE_KB: i64 = -65536;

pub(super) fn commit_rows(
    tx: &mut Tx<'_>,
    parsed: &Parsed,
    opts: &ImportOptions,
    cols: &columns::Columns,
    (import_id, deferred): (i64, Deferred),
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<ImportSummary> {
    let file_name = import_file_name(opts);
    let note = import_note(file_name, import_id, &parsed.sha256);
    let mut summary = ImportSummary {
        import_id,
        file_name: file_name.to_string(),
        sha256: parsed.sha256.clone(),
        rows: parsed.rows.len(),
        created: 0,
        updated: 0,
        duplicates: 0,
        skipped: 0,
        invalid: Vec::new(),
    };
    let mut planner = plan::Planner::new(opts, parsed.rows.len());
    let mut lookups = assets::Lookups::default();
    let mut error_rows = 0;
    let total = parsed.rows.len();
    let mut done = 0;
    // New asset rows (not restored ones): the live-asset counter moves by this at the end.
    let mut inserted = 0;
    columns::cleaned_batches(cols, &parsed.rows, |batch| {
        for row in batch {
            if !progress(done, total) {
                return Err(cancelled());
            }
            done += 1;
            let row = planner.decide(&mut tx.conn(), cols, row)?;
            match row.action {
                Action::Duplicate => summary.duplicates += 1,
                Action::Skip => summary.skipped += 1,
                Action::Error => {
                    error_rows += 1;
                    summary.invalid.extend(row.errors);
                }
                // Once a row has failed without skip_invalid, the rest are only checked: the
                // transaction will be rolled back and every error returned.
                Action::New | Action::Update if error_rows > 0 && !opts.skip_invalid => {}
                Action::New | Action::Update => {
                    // With skip_invalid, a row the core refuses after all is rolled back alone.
                    if opts.skip_invalid {
                        tx.conn().execute_batch("SAVEPOINT import_row")?;
                    }
                    match apply_row(tx, &row, (import_id, &note), &mut lookups) {
                        Ok(created) => {
                            if opts.skip_invalid {
                                tx.conn().execute_batch("RELEASE import_row")?;
                            }
                            *if created {
                                &mut summary.created
                            } else {
                                &mut summary.updated
                            } += 1;
                            inserted += usize::from(created && row.restores.is_none());
                        }
                        Err(e)
                            if opts.skip_invalid
                                && !matches!(e, Error::Sqlite(_) | Error::Internal(_)) =>
                        {
                            tx.conn()
                                .execute_batch("ROLLBACK TO import_row; RELEASE import_row")?;
                            // A person or place the row created went with it.
                            lookups = assets::Lookups::default();
                            error_rows += 1;
                            summary.invalid.push(RowIssue {
                                line: row.line,
                                column: None,
                                field: e.field().and_then(|f| Field::parse(f).ok()),
                                message: e.to_string(),
                            });
                        }
                        Err(e) => return Err(at_line(row.line, e)),
                    }
                }
            }
        }
        Ok(())
    })?;
    if !progress(total, total) {
        return Err(cancelled());
    }
    if error_rows > 0 && !opts.skip_invalid {
        let issues: Vec<&RowIssue> = summary.invalid.iter().collect();
        return Err(Error::invalid("file", describe_errors(error_rows, &issues)));
    }
    deferred.resume(tx.conn(), import_id, inserted)?;
    mapping::remember(tx, &parsed.headers, &cols.mapping)?;
    let left_out = summary.duplicates + summary.skipped + error_rows;
    let full_note = imported_note(&parsed.sha256);
    let event_id = audit::record(tx, imported_event(&summary, left_out, &full_note))?;
    tx.conn().execute(
        "UPDATE imports SET created = ?1, updated = ?2, skipped = ?3, event_id = ?4 WHERE id = ?5",
        params![
            summary.created as i64,
            summary.updated as i64,
            left_out as i64,
            event_id,
            import_id
        ],
    )?;
    Ok(summary)
}

/// Schema objects dropped for the length of an import and recreated from their own stored SQL
/// at its end. The drop happens inside the import's transaction, so a rollback, a cancel or a
/// crash brings them back with everything else.
pub(super) struct Paused {
    sql: Vec<String>,
}

impl Paused {
    /// Drops the objects `select` names (`SELECT type, name, sql FROM sqlite_master …`).
    pub(super) fn drop_all(conn: &Connection, select: &str) -> Result<Paused> {
        let found: Vec<(String, String, String)> = conn
            .prepare(select)?
            .query_all([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        for (kind, name, _) in &found {
            let kind = if kind == "index" { "INDEX" } else { "TRIGGER" };
            conn.execute_batch(&format!("DROP {kind} \"{}\"", name.replace('"', "\"\"")))?;
        }
        Ok(Paused {
            sql: found.into_iter().map(|(_, _, sql)| sql).collect(),
        })
    }

    pub(super) fn recreate(self, conn: &Connection) -> Result<()> {
        for sql in &self.sql {
            conn.execute_batch(sql)?;
        }
        Ok(())
    }
}

/// What an import switches off while it writes, and puts back.
pub(super) struct Deferred {
    /// The search index's triggers: each asset change would otherwise update the full-text
    /// index row by row, and every FTS5 delete (an assignment after a create) flushes its
    /// pending data.
    search: Paused,
    /// The live-asset counter's insert trigger: a trigger on every insert makes SQLite keep a
    /// statement journal per row. The counter is moved once, by the number created.
    count: Paused,
    /// For an import that is big next to the register: the secondary (sort and filter) indexes
    /// of the assets and the audit log, which one sort each rebuilds faster than thousands of
    /// scattered inserts. The unique indexes the import's own checks use stay.
    indexes: Option<Paused>,
}

/// Rows from which an import rebuilds the secondary indexes instead of updating them.
pub(super) const BULK_ROWS: usize = 2_000;

impl Deferred {
    pub(super) fn pause(conn: &Connection, rows: usize) -> Result<Deferred> {
        let search = Paused::drop_all(
            conn,
            "SELECT type, name, sql FROM sqlite_master
             WHERE type = 'trigger' AND tbl_name = 'assets' AND sql LIKE '%assets_fts%'
             ORDER BY name",
        )?;
        let count = Paused::drop_all(
            conn,
            "SELECT type, name, sql FROM sqlite_master
             WHERE type = 'trigger' AND name = 'asset_count_insert'",
        )?;
        let existing: i64 = conn.query_row("SELECT count(*) FROM assets", [], |r| r.get(0))?;
        let indexes = if rows >= BULK_ROWS && rows as i64 * 4 >= existing {
            Some(Paused::drop_all(
                conn,
                "SELECT type, name, sql FROM sqlite_master
                 WHERE type = 'index' AND tbl_name IN ('assets', 'audit_log') AND sql IS NOT NULL
                   AND sql NOT LIKE 'CREATE UNIQUE%'
                 ORDER BY name",
            )?)
        } else {
            None
        };
        Ok(Deferred {
            search,
            count,
            indexes,
        })
    }

    /// Indexes the assets this import created or updated for search in one statement (as the
    /// triggers would have: live assets, holder = person and location), then recreates what
    /// was dropped.
    pub(super) fn resume(self, conn: &Connection, import_id: i64, inserted: usize) -> Result<()> {
        if let Some(indexes) = self.indexes {
            indexes.recreate(conn)?;
        }
        conn.execute(
            "DELETE FROM assets_fts
             WHERE rowid IN (SELECT asset_id FROM import_items WHERE import_id = ?1)",
            [import_id],
        )?;
        conn.execute(
            "INSERT INTO assets_fts (rowid, asset_tag, name, serial_number, make, model, holder, notes)
             SELECT id, asset_tag, name, serial_number, make, model,
                    concat_ws(' ', person_name, location_name), notes
             FROM assets
             WHERE id IN (SELECT asset_id FROM import_items WHERE import_id = ?1)
               AND archived_at IS NULL",
            [import_id],
        )?;
        // Restored assets were counted by the archive trigger, which stays.
        conn.execute("UPDATE asset_count SET live = live + ?1", [inserted as i64])?;
        self.count.recreate(conn)?;
        self.search.recreate(conn)
    }
}

/// Writes one planned row; true when it created an asset.
pub(super) fn apply_row(
    tx: &mut Tx<'_>,
    row: &PlannedRow,
    (import_id, note): (i64, &str),
    lookups: &mut assets::Lookups,
) -> Result<bool> {
    let v = &row.values;
    let note = Some(note);
    if row.action == Action::Update {
        let before = assets::find_asset(tx.conn(), &v.input.asset_tag)?;
        let patch = row.patch.as_deref().cloned().unwrap_or_default();
        let after = assets::update_asset(tx, before.id, &patch, note)?;
        let changed = updated_before(&before.to_input(), &after.to_input())?;
        record_item(tx, import_id, before.id, "updated", Some(changed))?;
        return Ok(false);
    }
    let holder = match (&v.assigned_to, &v.location) {
        (Some(p), Some(l)) => Some(Holder::PersonAt {
            person: p.clone(),
            location: l.clone(),
        }),
        (Some(p), None) => Some(Holder::Person(p.clone())),
        (None, Some(l)) => Some(Holder::Location(l.clone())),
        (None, None) => None,
    };
    let id = match row.restores {
        Some(id) => {
            let placed = (holder.as_ref(), v.status);
            assets::restore_placed(tx, id, &v.input, placed, note, lookups)?;
            id
        }
        None => assets::create_placed(tx, &v.input, holder.as_ref(), v.status, note, lookups)?,
    };
    record_item(tx, import_id, id, "created", None)?;
    Ok(true)
}

pub(super) fn record_item(
    tx: &Tx<'_>,
    import_id: i64,
    asset_id: i64,
    action: &str,
    before: Option<String>,
) -> Result<()> {
    // The first record of an asset wins: created-then-updated is undone by archiving, and
    // updated-twice is reverted to the values before the first update.
    tx.conn()
        .prepare_cached(
            "INSERT OR IGNORE INTO import_items (import_id, asset_id, action, before)
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![import_id, asset_id, action, before])?;
    Ok(())
}
