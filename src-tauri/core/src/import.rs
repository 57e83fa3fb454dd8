//! CSV import: read a file ([`read_file`]), map its columns and clean its values, list what each
//! row would do ([`preview`], which writes nothing), then write it all in the caller's
//! transaction ([`commit`]) or nothing, and take it back later as one step ([`undo_import`]).
//!
//! Owns the `imports`, `import_items` and `import_mappings` tables. Assets are written only
//! through [`crate::assets`], so every change is validated by the core and audited with the
//! transaction's source (`import`) and a note naming the file and its SHA-256. Picking or
//! opening the file is the caller's business: this module takes bytes.

mod clean;
mod mapping;
mod plan;
mod read;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::assets::{self, AssetInput, AssetPatch, Holder};
use crate::audit::{self, Change, NewEvent};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::status::Status;

pub use clean::DateOrder;
pub use mapping::{parse_override, ColumnMapping, Field, MatchedBy};
pub use read::{read_file, Parsed, SourceRow, TextEncoding};

/// What to do with a row whose asset tag or serial number is already taken (in the register or
/// earlier in the file) by an asset with different values. Identical rows are always reported
/// as duplicates and left out, whatever this says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnDuplicate {
    /// Leave the row out.
    #[default]
    Skip,
    /// Update the existing asset's fields from the row's non-empty cells (same tag only).
    Update,
    /// Count the row as an error.
    Fail,
}

/// How to import a file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    /// The file's name, recorded with the import and in every event's note.
    pub file_name: String,
    /// `(column header, field)` choices that beat the automatic mapping; remembered for the
    /// next file with the same headers.
    pub mapping_overrides: Vec<(String, Field)>,
    /// `(status word, status)` for words the importer does not know (see
    /// [`Plan::unknown_statuses`]).
    pub status_overrides: Vec<(String, Status)>,
    /// Tag or serial conflicts.
    pub on_duplicate: OnDuplicate,
    /// `(line, choice)` for single conflicting rows, over `on_duplicate`.
    pub row_decisions: Vec<(u64, OnDuplicate)>,
    /// Import the valid rows and leave out the invalid ones, instead of importing nothing.
    pub skip_invalid: bool,
    /// How to read dates like 03/04/2024 in columns whose values do not prove an order.
    pub date_order: Option<DateOrder>,
}

/// What a row will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Create a new asset.
    New,
    /// Update an existing asset (or one created by an earlier row).
    Update,
    /// Same as an asset already in the register or earlier in the file: nothing to do.
    Duplicate,
    /// A conflicting duplicate left out (`on_duplicate: skip`).
    Skip,
    /// The row cannot be imported (see its errors).
    Error,
}

/// A problem or remark about one row, located by line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowIssue {
    /// The line the row starts on.
    pub line: u64,
    /// The column's header, when the issue concerns one cell.
    pub column: Option<String>,
    /// The field that column feeds.
    pub field: Option<Field>,
    /// A sentence for the user.
    pub message: String,
}

/// A row's values after cleaning, in the register's forms.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CleanRow {
    /// The asset fields (ISO dates, `1234.56` amounts).
    pub input: AssetInput,
    /// The status, when the row gives one.
    pub status: Option<Status>,
    /// The person to assign the asset to.
    pub assigned_to: Option<String>,
    /// The location to place it at.
    pub location: Option<String>,
}

/// One row of the preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedRow {
    /// The line the row starts on.
    pub line: u64,
    /// What it will do.
    pub action: Action,
    /// The asset tag (as cleaned; may be empty on an error row).
    pub asset_tag: String,
    /// Why a row is a duplicate, skipped or an update, in words.
    pub reason: Option<String>,
    /// The row's tag or serial is already taken (in the register or earlier in the file) by
    /// an asset with other values: `on_duplicate` (or the row's decision) says what it does.
    #[serde(default)]
    pub conflict: bool,
    /// For updates: the fields that will change.
    pub patch: Option<AssetPatch>,
    /// For a new row whose tag is an asset an undone import took away (archived, its tag
    /// reserved): that asset's id, brought back with the row's values instead of a new one.
    #[serde(default)]
    pub restores: Option<i64>,
    /// Why the row cannot be imported (non-empty exactly when `action` is `error`).
    pub errors: Vec<RowIssue>,
    /// Remarks that do not stop the row (a value left out, a name made up).
    pub warnings: Vec<RowIssue>,
    /// The cleaned values.
    pub values: CleanRow,
}

/// How many rows will do what.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Data rows in the file.
    pub rows: usize,
    /// New assets.
    pub new: usize,
    /// Updates.
    pub update: usize,
    /// Identical duplicates.
    pub duplicate: usize,
    /// Conflicts skipped.
    pub skip: usize,
    /// Rows with errors.
    pub error: usize,
}

/// A date column whose day/month order is not known: the caller must choose `date_order`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmbiguousDates {
    /// The column's header.
    pub column: String,
    /// A few of its values that read either way.
    pub examples: Vec<String>,
    /// A sentence for the user.
    pub message: String,
}

/// A status word the importer does not know, for the user to map (`status_overrides`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownStatus {
    /// The word as written.
    pub word: String,
    /// How many rows use it.
    pub rows: usize,
    /// The first line it is on.
    pub first_line: u64,
}

/// The preview of an import: the mapping used and what every row will do. Nothing is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The file's name.
    pub file_name: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// How it was decoded.
    pub encoding: TextEncoding,
    /// Its delimiter.
    pub delimiter: char,
    /// Which column feeds which field.
    pub mapping: Vec<ColumnMapping>,
    /// Every data row, in file order.
    pub rows: Vec<PlannedRow>,
    /// Totals by action.
    pub counts: Counts,
    /// Date columns that need `date_order`.
    pub ambiguous_date_columns: Vec<AmbiguousDates>,
    /// Status words that need `status_overrides`.
    pub unknown_statuses: Vec<UnknownStatus>,
    /// Problems with the whole file that block the import until resolved (in words).
    pub problems: Vec<String>,
    /// Rows planned but not listed in `rows` (see [`Plan::trimmed`]).
    #[serde(default)]
    pub omitted_rows: usize,
}

impl Plan {
    /// The plan with only the rows worth reviewing (errors, duplicates, conflicts, updates,
    /// rows with warnings), at most `max` of them; the counts stay those of the whole file.
    /// A 100k-row preview is then small enough to show.
    pub fn trimmed(mut self, max: usize) -> Plan {
        let total = self.rows.len();
        let mut kept: Vec<PlannedRow> = self
            .rows
            .into_iter()
            .filter(|r| r.action != Action::New || r.conflict || !r.warnings.is_empty())
            .collect();
        kept.truncate(max);
        self.omitted_rows = total - kept.len();
        self.rows = kept;
        self
    }
}

/// What a committed import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// The import's id (for [`undo_import`]).
    pub import_id: i64,
    /// The file's name.
    pub file_name: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Data rows read.
    pub rows: usize,
    /// Assets created.
    pub created: usize,
    /// Assets updated.
    pub updated: usize,
    /// Identical duplicates left out.
    pub duplicates: usize,
    /// Conflicts skipped.
    pub skipped: usize,
    /// Rows left out because they are invalid (only with `skip_invalid`).
    pub invalid: Vec<RowIssue>,
}

/// A past import, as listed for undo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRecord {
    /// Its id.
    pub id: i64,
    /// The file's name.
    pub file_name: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// When it was committed (UTC, RFC 3339).
    pub at: String,
    /// Data rows read.
    pub rows: i64,
    /// Assets created.
    pub created: i64,
    /// Assets updated.
    pub updated: i64,
    /// Rows left out (duplicates, skipped, invalid).
    pub skipped: i64,
    /// When it was undone, if it was.
    pub undone_at: Option<String>,
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndoSummary {
    /// The import undone.
    pub import_id: i64,
    /// Assets it had created, now archived.
    pub archived: usize,
    /// Assets it had updated, now back to their earlier values.
    pub reverted: usize,
}

/// Maps the columns and reads every row, reporting each way it would fail or change, without
/// writing. Uses the mapping remembered for this header set, under the caller's overrides.
pub fn preview(conn: &Connection, parsed: &Parsed, opts: &ImportOptions) -> Result<Plan> {
    let cols = plan::analyse(conn, parsed, opts)?;
    let mut planner = plan::Planner::new(opts, parsed.rows.len());
    let mut rows = Vec::with_capacity(parsed.rows.len());
    let mut counts = Counts {
        rows: parsed.rows.len(),
        ..Counts::default()
    };
    plan::cleaned_batches(&cols, &parsed.rows, |batch| {
        for row in batch {
            let row = planner.decide(conn, &cols, row)?;
            counts.add(row.action);
            rows.push(row);
        }
        Ok(())
    })?;
    Ok(Plan {
        file_name: opts.file_name.clone(),
        sha256: parsed.sha256.clone(),
        encoding: parsed.encoding,
        delimiter: parsed.delimiter,
        mapping: cols.mapping,
        rows,
        counts,
        ambiguous_date_columns: cols.ambiguous,
        unknown_statuses: cols.unknown,
        problems: cols.problems,
        omitted_rows: 0,
    })
}

/// The column mapping alone (remembered choices under `overrides`), for a mapping step that
/// should not wait for every row to be planned.
pub fn mapping_for(
    conn: &Connection,
    parsed: &Parsed,
    overrides: &[(String, Field)],
) -> Result<Vec<ColumnMapping>> {
    let remembered = mapping::remembered(conn, &parsed.headers)?;
    mapping::resolve(&parsed.headers, &remembered, overrides)
}

impl Counts {
    fn add(&mut self, a: Action) {
        *match a {
            Action::New => &mut self.new,
            Action::Update => &mut self.update,
            Action::Duplicate => &mut self.duplicate,
            Action::Skip => &mut self.skip,
            Action::Error => &mut self.error,
        } += 1;
    }
}

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
    let cols = plan::analyse(tx.conn(), parsed, opts)?;
    if !cols.problems.is_empty() {
        return Err(Error::invalid(
            "file",
            format!("Nothing was imported. {}", cols.problems.join(" ")),
        ));
    }
    let file_name = match opts.file_name.trim() {
        "" => "import.csv",
        n => n,
    };
    tx.conn().execute(
        "INSERT INTO imports (file_name, sha256, at, rows, created, updated, skipped)
         VALUES (?1, ?2, ?3, ?4, 0, 0, 0)",
        params![
            file_name,
            parsed.sha256,
            crate::now(),
            parsed.rows.len() as i64
        ],
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
const IMPORT_CACHE_KB: i64 = -65536;

fn commit_rows(
    tx: &mut Tx<'_>,
    parsed: &Parsed,
    opts: &ImportOptions,
    cols: &plan::Columns,
    (import_id, deferred): (i64, Deferred),
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<ImportSummary> {
    let file_name = match opts.file_name.trim() {
        "" => "import.csv",
        n => n,
    };
    let note = format!(
        "Imported from {file_name} (import #{import_id}, sha256 {}…)",
        &parsed.sha256[..12]
    );
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
    plan::cleaned_batches(cols, &parsed.rows, |batch| {
        for row in batch {
            if !progress(done, total) {
                return Err(cancelled());
            }
            done += 1;
            let row = planner.decide(tx.conn(), cols, row)?;
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
    let count = |f: &str, n: usize| Change::new(f, None, Some(n.to_string()));
    let full_note = format!("sha256 {}", parsed.sha256);
    let event_id = audit::record(
        tx,
        NewEvent {
            action: "imported",
            entity: "import",
            entity_id: Some(import_id),
            asset_id: None,
            label: file_name,
            changes: vec![
                count("rows", summary.rows),
                count("created", summary.created),
                count("updated", summary.updated),
                count("left_out", left_out),
            ],
            note: Some(&full_note),
        },
    )?;
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
struct Paused {
    sql: Vec<String>,
}

impl Paused {
    /// Drops the objects `select` names (`SELECT type, name, sql FROM sqlite_master …`).
    fn drop_all(conn: &Connection, select: &str) -> Result<Paused> {
        let found: Vec<(String, String, String)> = conn
            .prepare(select)?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (kind, name, _) in &found {
            let kind = if kind == "index" { "INDEX" } else { "TRIGGER" };
            conn.execute_batch(&format!("DROP {kind} \"{}\"", name.replace('"', "\"\"")))?;
        }
        Ok(Paused {
            sql: found.into_iter().map(|(_, _, sql)| sql).collect(),
        })
    }

    fn recreate(self, conn: &Connection) -> Result<()> {
        for sql in &self.sql {
            conn.execute_batch(sql)?;
        }
        Ok(())
    }
}

/// What an import switches off while it writes, and puts back.
struct Deferred {
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
const BULK_ROWS: usize = 2_000;

impl Deferred {
    fn pause(conn: &Connection, rows: usize) -> Result<Deferred> {
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
    fn resume(self, conn: &Connection, import_id: i64, inserted: usize) -> Result<()> {
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

fn cancelled() -> Error {
    Error::Cancelled("The import was cancelled; nothing was imported.".into())
}

/// "Nothing was imported: 3 rows have problems. Line 4, Purchase Date: …"
fn describe_errors(rows: usize, issues: &[&RowIssue]) -> String {
    const SHOWN: usize = 20;
    let mut s = format!(
        "Nothing was imported: {rows} row{} {} problems.",
        if rows == 1 { "" } else { "s" },
        if rows == 1 { "has" } else { "have" }
    );
    for i in issues.iter().take(SHOWN) {
        match &i.column {
            Some(c) => s.push_str(&format!(" Line {}, {c}: {}.", i.line, i.message)),
            None => s.push_str(&format!(" Line {}: {}.", i.line, i.message)),
        }
    }
    if issues.len() > SHOWN {
        s.push_str(&format!(" …and {} more.", issues.len() - SHOWN));
    }
    s.push_str(" Fix the file, or import with skip_invalid to leave those rows out.");
    s
}

/// Prefixes the row's line to an error the core raised while writing it.
fn at_line(line: u64, e: Error) -> Error {
    match e {
        Error::Validation { field, message } => Error::Validation {
            field,
            message: format!("line {line}: {message}"),
        },
        Error::DuplicateTag(_) | Error::DuplicateSerial { .. } | Error::NotFound { .. } => {
            Error::invalid(e.field().unwrap_or("file"), format!("line {line}: {e}"))
        }
        Error::Refused(m) => Error::Refused(format!("line {line}: {m}")),
        other => other,
    }
}

/// Writes one planned row; true when it created an asset.
fn apply_row(
    tx: &mut Tx<'_>,
    row: &PlannedRow,
    (import_id, note): (i64, &str),
    lookups: &mut assets::Lookups,
) -> Result<bool> {
    let v = &row.values;
    let note = Some(note);
    if row.action == Action::Update {
        let before = assets::find_asset(tx.conn(), &v.input.asset_tag)?;
        let patch = row.patch.clone().unwrap_or_default();
        let after = assets::update_asset(tx, before.id, &patch, note)?;
        let (old, new) = (before.to_input(), after.to_input());
        let fields = [
            ("name", &old.name, &new.name),
            ("category", &old.category, &new.category),
            ("make", &old.make, &new.make),
            ("model", &old.model, &new.model),
            ("serial_number", &old.serial_number, &new.serial_number),
            ("purchase_date", &old.purchase_date, &new.purchase_date),
            ("purchase_cost", &old.purchase_cost, &new.purchase_cost),
            ("supplier", &old.supplier, &new.supplier),
            (
                "warranty_expires",
                &old.warranty_expires,
                &new.warranty_expires,
            ),
            ("notes", &old.notes, &new.notes),
        ];
        let changed: serde_json::Map<String, serde_json::Value> = fields
            .into_iter()
            .filter(|(_, o, n)| o != n)
            .map(|(f, o, _)| (f.to_string(), serde_json::Value::from(o.as_str())))
            .collect();
        record_item(
            tx,
            import_id,
            before.id,
            "updated",
            Some(serde_json::to_string(&changed)?),
        )?;
        return Ok(false);
    }
    let holder = match (&v.assigned_to, &v.location) {
        (Some(p), _) => Some(Holder::Person(p.clone())),
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

fn record_item(
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

/// Every import, newest first.
pub fn list_imports(conn: &Connection) -> Result<Vec<ImportRecord>> {
    let mut stmt = conn.prepare(
        "SELECT id, file_name, sha256, at, rows, created, updated, skipped, undone_at
         FROM imports ORDER BY id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
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
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
        return Err(Error::Refused(format!(
            "import #{import_id} ({file_name}) was already undone on {}",
            &at[..10.min(at.len())]
        )));
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
        .query_map(params![import_id, event_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if !changed.is_empty() {
        let shown: Vec<&str> = changed.iter().take(10).map(String::as_str).collect();
        return Err(Error::Refused(format!(
            "import #{import_id} ({file_name}) cannot be undone: {} of its assets {} changed since ({}{}). Undo needs them exactly as the import left them; change them back or edit them by hand.",
            changed.len(),
            if changed.len() == 1 { "has" } else { "have" },
            shown.join(", "),
            if changed.len() > shown.len() { ", …" } else { "" }
        )));
    }
    let items: Vec<(i64, String, Option<String>)> = tx
        .conn()
        .prepare("SELECT asset_id, action, before FROM import_items WHERE import_id = ?1 ORDER BY asset_id")?
        .query_map([import_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let note = format!("Undo of import #{import_id} ({file_name})");
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
            let patch: AssetPatch = serde_json::from_str(before.as_deref().unwrap_or("{}"))?;
            assets::update_asset(tx, asset_id, &patch, Some(&note))?;
            summary.reverted += 1;
        }
    }
    deferred.resume(tx.conn(), import_id, 0)?;
    let count = |f: &str, n: usize| Change::new(f, None, Some(n.to_string()));
    audit::record(
        tx,
        NewEvent {
            action: "undone",
            entity: "import",
            entity_id: Some(import_id),
            asset_id: None,
            label: &file_name,
            changes: vec![
                count("archived", summary.archived),
                count("reverted", summary.reverted),
            ],
            note: Some(&note),
        },
    )?;
    tx.conn().execute(
        "UPDATE imports SET undone_at = ?1 WHERE id = ?2",
        params![crate::now(), import_id],
    )?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Source;
    use crate::db::Db;

    fn opts() -> ImportOptions {
        ImportOptions {
            file_name: "t.csv".into(),
            ..Default::default()
        }
    }

    fn plan(db: &Db, csv: &str, o: &ImportOptions) -> Plan {
        let p = read_file(csv.as_bytes()).unwrap();
        db.read(|c| preview(c, &p, o)).unwrap()
    }

    fn actions(p: &Plan) -> Vec<Action> {
        p.rows.iter().map(|r| r.action).collect()
    }

    fn import(db: &Db, csv: &str, o: &ImportOptions) -> Result<ImportSummary> {
        let p = read_file(csv.as_bytes()).unwrap();
        db.write(Source::Import, |tx| commit(tx, &p, o))
    }

    #[test]
    fn cleans_values_into_register_forms() {
        let db = Db::open_in_memory().unwrap();
        let p = plan(
            &db,
            "Tag;Item;Price;Purchased;Status\nA1;\"Desk\nphone\";1.234,56 €;25/12/2023;In stock\nA2;Chair;12,50;45292;Issued\n",
            &opts(),
        );
        let v = &p.rows[0].values;
        assert_eq!(
            v.input.name, "Desk phone",
            "line breaks leave single-line fields"
        );
        assert_eq!(v.input.purchase_cost, "1234.56");
        assert_eq!(v.input.purchase_date, "2023-12-25");
        assert_eq!(v.status, Some(Status::Available));
        assert_eq!(p.rows[1].values.input.purchase_date, "2024-01-01");
        assert_eq!(p.rows[1].action, Action::Error, "Deployed needs a holder");
    }

    #[test]
    fn ambiguous_dates_block_until_an_order_is_chosen() {
        let db = Db::open_in_memory().unwrap();
        let csv = "Tag,Name,Purchase Date\nA1,x,03/04/2024\nA2,y,05/06/2024\n";
        let p = plan(&db, csv, &opts());
        assert_eq!(p.ambiguous_date_columns.len(), 1);
        assert!(import(&db, csv, &opts()).is_err());
        let o = ImportOptions {
            date_order: Some(DateOrder::Mdy),
            ..opts()
        };
        let p = plan(&db, csv, &o);
        assert!(p.problems.is_empty());
        assert_eq!(p.rows[0].values.input.purchase_date, "2024-03-04");
    }

    #[test]
    fn duplicates_in_file_and_register() {
        let db = Db::open_in_memory().unwrap();
        import(&db, "Tag,Name,Serial\nA1,Laptop,S1\n", &opts()).unwrap();
        let csv =
            "Tag,Name,Serial\na1,Laptop,S1\nA1,Laptop 2,S1\nB1,Phone,s1\nC1,Cam,C\nC1,Cam,C\n";
        assert_eq!(
            actions(&plan(&db, csv, &opts())),
            vec![
                Action::Duplicate,
                Action::Skip,
                Action::Skip,
                Action::New,
                Action::Duplicate
            ]
        );
        let upd = ImportOptions {
            on_duplicate: OnDuplicate::Update,
            ..opts()
        };
        assert_eq!(
            actions(&plan(&db, csv, &upd)),
            vec![
                Action::Duplicate,
                Action::Update,
                Action::Error,
                Action::New,
                Action::Duplicate
            ]
        );
        let fail = ImportOptions {
            on_duplicate: OnDuplicate::Fail,
            ..opts()
        };
        assert_eq!(plan(&db, csv, &fail).counts.error, 2);
    }

    #[test]
    fn commit_update_and_undo() {
        let db = Db::open_in_memory().unwrap();
        let first = import(
            &db,
            "Tag,Name,Location,Status\nA1,Laptop,Store,\nA2,Phone,,Retired\n",
            &opts(),
        )
        .unwrap();
        assert_eq!(first.created, 2);
        let a1 = db.read(|c| assets::find_asset(c, "A1")).unwrap();
        assert_eq!(
            (a1.status, a1.location.as_deref()),
            (Status::Available, Some("Store"))
        );
        let upd = ImportOptions {
            on_duplicate: OnDuplicate::Update,
            ..opts()
        };
        let second = import(&db, "Tag,Name,Supplier\nA1,Laptop Pro,CDW\nA3,New,\n", &upd).unwrap();
        assert_eq!((second.created, second.updated), (1, 1));
        // The first import's A1 changed since: its undo is refused.
        let e = db
            .write(Source::App, |tx| undo_import(tx, first.import_id))
            .unwrap_err();
        assert!(e.to_string().contains("changed since (A1)"), "{e}");
        let u = db
            .write(Source::App, |tx| undo_import(tx, second.import_id))
            .unwrap();
        assert_eq!((u.archived, u.reverted), (1, 1));
        let a1 = db.read(|c| assets::find_asset(c, "A1")).unwrap();
        assert_eq!((a1.name.as_str(), a1.supplier), ("Laptop", None));
        assert!(db.read(|c| assets::find_asset(c, "A3")).unwrap().archived);
        assert!(db
            .write(Source::App, |tx| undo_import(tx, second.import_id))
            .is_err());
        assert!(db.read(crate::audit::verify).unwrap().ok);
    }

    #[test]
    fn a_row_decision_beats_the_choice_for_all() {
        let db = Db::open_in_memory().unwrap();
        import(&db, "Tag,Name\nA1,Laptop\nA2,Phone\n", &opts()).unwrap();
        let csv = "Tag,Name\nA1,Laptop Pro\nA2,Phone 2\nA3,Cam\n";
        let o = ImportOptions {
            row_decisions: vec![(3, OnDuplicate::Update)],
            ..opts()
        };
        let p = plan(&db, csv, &o);
        assert_eq!(actions(&p), vec![Action::Skip, Action::Update, Action::New]);
        assert!(p.rows[0].conflict && p.rows[1].conflict && !p.rows[2].conflict);
        let trimmed = p.trimmed(1);
        assert_eq!((trimmed.rows.len(), trimmed.omitted_rows), (1, 2));
        assert_eq!(trimmed.counts.rows, 3);
        let s = import(&db, csv, &o).unwrap();
        assert_eq!((s.created, s.updated, s.skipped), (1, 1, 1));
    }

    #[test]
    fn imported_assets_are_searchable_and_edits_still_index() {
        let db = Db::open_in_memory().unwrap();
        let search = |q: &str| {
            db.read(|c| {
                assets::list_assets(
                    c,
                    &assets::ListQuery {
                        search: Some(q.into()),
                        ..Default::default()
                    },
                )
            })
            .unwrap()
            .total
        };
        let triggers = || {
            db.read(|c| {
                Ok(c.query_row(
                    "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master
                     WHERE type = 'trigger' AND name LIKE 'assets_fts%' ORDER BY name)",
                    [],
                    |r| r.get::<_, String>(0),
                )?)
            })
            .unwrap()
        };
        let before = triggers();
        import(&db, "Tag,Name\nA1,Laptop\n", &opts()).unwrap();
        let upd = ImportOptions {
            on_duplicate: OnDuplicate::Update,
            ..opts()
        };
        import(
            &db,
            "Tag,Name,Assigned To,Location\nA1,Zebra laptop,,\nA2,Phone,Priya Patel,\nA3,Printer,,Leeds\n",
            &upd,
        )
        .unwrap();
        assert_eq!(triggers(), before, "the search triggers are back");
        assert_eq!(search("zebra"), 1, "an updated asset is indexed anew");
        assert_eq!(search("laptop"), 1, "with its old row gone");
        assert_eq!(search("priya"), 1, "holders are searchable");
        assert_eq!(search("leeds"), 1, "locations are searchable");
        let a3 = db.read(|c| assets::find_asset(c, "A3")).unwrap();
        let patch = AssetPatch {
            name: Some("Colour printer".into()),
            ..Default::default()
        };
        db.write(Source::App, |tx| {
            assets::update_asset(tx, a3.id, &patch, None)
        })
        .unwrap();
        assert_eq!(
            search("colour"),
            1,
            "later edits are indexed by the triggers"
        );
        // A failed import leaves the triggers in place.
        assert!(import(&db, "Tag,Name\nB1,\n", &opts()).is_err());
        assert_eq!(triggers(), before);
    }

    #[test]
    fn a_big_import_rebuilds_the_indexes_it_paused() {
        let db = Db::open_in_memory().unwrap();
        let schema = || {
            db.read(|c| {
                Ok(c.query_row(
                    "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master
                     WHERE sql IS NOT NULL ORDER BY type, name)",
                    [],
                    |r| r.get::<_, String>(0),
                )?)
            })
            .unwrap()
        };
        let before = schema();
        let mut csv = String::from("Tag,Name,Assigned To\n");
        for i in 0..BULK_ROWS + 10 {
            csv.push_str(&format!("B{i:05},Thing {i},Person {}\n", i % 7));
        }
        let s = import(&db, &csv, &opts()).unwrap();
        assert_eq!(s.created, BULK_ROWS + 10);
        assert_eq!(
            schema(),
            before,
            "every index and trigger is back, as it was"
        );
        let check: String = db
            .read(|c| Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(check, "ok");
        let page = db
            .read(|c| {
                assets::list_assets(
                    c,
                    &assets::ListQuery {
                        search: Some("person".into()),
                        sort: Some("assigned_to".into()),
                        ..Default::default()
                    },
                )
            })
            .unwrap();
        assert_eq!(
            page.total as usize,
            BULK_ROWS + 10,
            "every holder is indexed"
        );
        assert!(db.read(crate::audit::verify).unwrap().ok);
    }

    /// A file of several cleaning batches (cleaned on a second thread): rows keep their order
    /// and lines, duplicates and conflicts are found across batches, and a cancel in the middle
    /// leaves nothing.
    #[test]
    fn a_file_of_many_batches_plans_and_commits_in_order() {
        let n = 3 * plan::BATCH + 100;
        let mut csv = String::from("Tag,Name,Serial,Status,Assigned To\n");
        for i in 0..n {
            let line = i + 2;
            match line {
                // the same as line 2: an identical duplicate, two batches later
                9_000 => csv.push_str("T-0,Laptop 0,SN-0,,\n"),
                // line 3's serial on another tag: a conflict, skipped
                10_000 => csv.push_str("X-1,Other,SN-1,,\n"),
                // a status nobody knows, mapped by the caller below
                11_000 => csv.push_str("U-1,Cam,SN-U1,Borrowed,\n"),
                // a deployed asset with nobody to hold it: an error
                12_000 => csv.push_str("U-2,Cam,SN-U2,Deployed,\n"),
                _ => csv.push_str(&format!(
                    "T-{i},Laptop {i},SN-{i},,{}\n",
                    if i % 3 == 0 { "Ann Lee" } else { "" }
                )),
            }
        }
        let o = ImportOptions {
            status_overrides: vec![("Borrowed".into(), Status::InMaintenance)],
            ..opts()
        };
        let db = Db::open_in_memory().unwrap();
        let p = plan(&db, &csv, &o);
        assert_eq!(p.rows.len(), n);
        assert!(p
            .rows
            .iter()
            .enumerate()
            .all(|(i, r)| r.line == i as u64 + 2));
        let at = |line: u64| &p.rows[line as usize - 2];
        assert_eq!(at(9_000).action, Action::Duplicate);
        assert_eq!(at(10_000).action, Action::Skip);
        assert_eq!(at(11_000).values.status, Some(Status::InMaintenance));
        assert_eq!(at(12_000).action, Action::Error);
        assert_eq!(
            (
                p.counts.new,
                p.counts.duplicate,
                p.counts.skip,
                p.counts.error
            ),
            (n - 3, 1, 1, 1)
        );

        let parsed = read_file(csv.as_bytes()).unwrap();
        let e = db
            .write(Source::Import, |tx| {
                commit_with_progress(tx, &parsed, &o, &mut |done, _| done < plan::BATCH + 7)
            })
            .unwrap_err();
        assert_eq!(e.kind(), "cancelled");
        assert!(db.read(list_imports).unwrap().is_empty());
        assert!(db.read(|c| assets::find_asset(c, "T-1")).is_err());

        let e = import(&db, &csv, &o).unwrap_err();
        assert!(e.to_string().contains("Line 12000"), "{e}");
        let summary = import(
            &db,
            &csv,
            &ImportOptions {
                skip_invalid: true,
                ..o.clone()
            },
        )
        .unwrap();
        assert_eq!(
            (
                summary.created,
                summary.duplicates,
                summary.skipped,
                summary.invalid.len()
            ),
            (n - 3, 1, 1, 1)
        );
        db.read(|c| {
            let held = assets::find_asset(c, "T-3")?;
            assert_eq!(held.assigned_to.as_deref(), Some("Ann Lee"));
            assert_eq!(held.status, Status::Deployed);
            assert_eq!(assets::find_asset(c, "U-1")?.status, Status::InMaintenance);
            let v = crate::audit::verify(c)?;
            assert!(v.ok, "{v:?}");
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn a_cancelled_commit_leaves_nothing() {
        let db = Db::open_in_memory().unwrap();
        let p = read_file(b"Tag,Name\nA1,Laptop\nA2,Phone\nA3,Cam\n").unwrap();
        let mut seen = Vec::new();
        let e = db
            .write(Source::Import, |tx| {
                commit_with_progress(tx, &p, &opts(), &mut |done, total| {
                    seen.push((done, total));
                    done < 2
                })
            })
            .unwrap_err();
        assert_eq!(e.kind(), "cancelled");
        assert_eq!(seen, vec![(0, 3), (1, 3), (2, 3)]);
        assert!(db.read(list_imports).unwrap().is_empty());
        let left = db.read(|c| assets::find_asset(c, "A1"));
        assert!(left.is_err(), "the first rows were rolled back");
    }

    #[test]
    fn remembers_a_mapping_per_header_set() {
        let db = Db::open_in_memory().unwrap();
        let csv = "Code,Label\nA1,Laptop\n";
        let o = ImportOptions {
            mapping_overrides: vec![
                ("Code".into(), Field::AssetTag),
                ("Label".into(), Field::Name),
            ],
            ..opts()
        };
        import(&db, csv, &o).unwrap();
        let p = plan(&db, "Code,Label\nA2,Phone\n", &opts());
        assert_eq!(p.mapping[0].matched_by, MatchedBy::Remembered);
        assert_eq!(p.counts.new, 1);
    }
}
