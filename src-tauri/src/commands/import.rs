//! Import from the window: the file the import wizard works on (chosen in a native dialog or
//! dropped on the window), its preview, the commit with progress events and Cancel, undo, and
//! the past imports. The core does the work (on a team register, `register_pg::imports`, whose
//! planning is the core's); this module keeps the parsed file between the wizard's steps, so the
//! web view never names a path. On a team register an import in progress is someone's to finish:
//! [`import_in_progress`] says whose.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use register_core::import::{
    self, ColumnMapping, ImportOptions, ImportSummary, Parsed, Plan, ReadOptions,
};
use register_core::Source;
use serde::Serialize;
use tauri::{Emitter, State};

use super::{file_name, AppState, CmdResult, St};
use crate::drops::Drops;
use crate::error::CmdError;
use crate::state::{blocking, on_team, team_read, team_write};
use crate::team::pg_error;

/// The most rows of a preview sent to the window (the counts always cover the whole file).
const REVIEW_ROWS: usize = 500;

/// The file the import wizard is working on (one at a time).
#[derive(Default)]
pub struct Imports {
    next: AtomicU64,
    open: Mutex<Option<Arc<OpenFile>>>,
}

struct OpenFile {
    id: u64,
    name: String,
    /// Where it was read from, to read another sheet of a workbook.
    path: PathBuf,
    parsed: Parsed,
    cancel: AtomicBool,
}

impl Imports {
    fn get(&self, file_id: u64) -> CmdResult<Arc<OpenFile>> {
        self.open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .filter(|f| f.id == file_id)
            .ok_or_else(|| {
                CmdError::not_found("That file is no longer open for import; choose it again.")
            })
    }
}

/// What the wizard's mapping step shows about a file it just opened.
#[derive(Serialize)]
pub struct ImportFile {
    file_id: u64,
    name: String,
    size: u64,
    rows: usize,
    encoding: import::TextEncoding,
    delimiter: char,
    headers: Vec<String>,
    /// A few values of each column.
    samples: Vec<Vec<String>>,
    /// The automatic (or remembered) mapping.
    mapping: Vec<ColumnMapping>,
    /// For a workbook: the sheet read, and all its sheets to choose from.
    sheet: Option<String>,
    sheets: Vec<String>,
}

/// Reads and parses `path` (as `read` says: a workbook's sheet, a CSV's encoding) off the UI
/// thread and makes it the wizard's file.
async fn open_file(
    state: &AppState,
    imports: &Imports,
    path: PathBuf,
    read: ReadOptions,
) -> CmdResult<ImportFile> {
    let file_id = imports.next.fetch_add(1, Ordering::Relaxed) + 1;
    let from = path.clone();
    let (parsed, size) = blocking(move || {
        let bytes = import::read_path(&from)?;
        Ok((import::read_with(&bytes, &read)?, bytes.len() as u64))
    })
    .await?;
    // The mapping reads the register (a file's, or the server's) on a blocking thread too.
    let parsed = Arc::new(parsed);
    let mapping = {
        let parsed = Arc::clone(&parsed);
        match state.team() {
            Some(team) => {
                on_team(team, move |t| {
                    t.run(|client, _| {
                        register_pg::imports::mapping_for(client, &parsed, &[]).map_err(pg_error)
                    })
                })
                .await?
            }
            None => {
                state
                    .read(move |c| import::mapping_for(c, &parsed, &[]))
                    .await?
            }
        }
    };
    let parsed = Arc::try_unwrap(parsed).unwrap_or_else(|p| (*p).clone());
    let info = ImportFile {
        file_id,
        name: file_name(&path),
        size,
        rows: parsed.rows.len(),
        encoding: parsed.encoding,
        delimiter: parsed.delimiter,
        headers: parsed.headers.clone(),
        samples: parsed.samples(3),
        mapping,
        sheet: parsed.sheet.clone(),
        sheets: parsed.sheets.clone(),
    };
    let file = OpenFile {
        id: file_id,
        name: info.name.clone(),
        path,
        parsed,
        cancel: AtomicBool::new(false),
    };
    *imports.open.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(file));
    Ok(info)
}

/// Files the importer reads by their extension (a dropped PDF is for attaching). The reader
/// then goes by the bytes, so a workbook named `.csv` is still read as a workbook.
fn importable(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .is_some_and(|e| {
            matches!(
                e.as_str(),
                "csv" | "tsv" | "txt" | "xlsx" | "xlsm" | "xls" | "ods"
            )
        })
}

/// Asks for a file to import (native dialog); `None` when the user cancelled.
#[tauri::command]
pub async fn pick_import_file(
    state: St<'_>,
    imports: State<'_, Imports>,
) -> CmdResult<Option<ImportFile>> {
    match state.dialogs.pick_import_file().await {
        Some(path) => open_file(&state, &imports, path, ReadOptions::default())
            .await
            .map(Some),
        None => Ok(None),
    }
}

/// Opens the CSV file or workbook of an OS drop (`register://drop`) in the wizard.
#[tauri::command]
pub async fn open_dropped_import(
    state: St<'_>,
    imports: State<'_, Imports>,
    drops: State<'_, Drops>,
    drop_id: u64,
) -> CmdResult<ImportFile> {
    let paths = drops.take(drop_id).unwrap_or_default();
    let path = paths.into_iter().find(|p| importable(p)).ok_or_else(|| {
        CmdError::refused("Drop a .csv file or a workbook (.xlsx, .xls, .ods) to import it.")
    })?;
    open_file(&state, &imports, path, ReadOptions::default()).await
}

/// Reads the open file again in its place, another sheet of a workbook or a CSV in another
/// encoding (a new file id; the mapping is the one automatic or remembered for its columns).
#[tauri::command]
pub async fn reopen_import_file(
    state: St<'_>,
    imports: State<'_, Imports>,
    file_id: u64,
    read: ReadOptions,
) -> CmdResult<ImportFile> {
    let path = imports.get(file_id)?.path.clone();
    open_file(&state, &imports, path, read).await
}

/// What every row of the open file would do with these options (rows worth reviewing only,
/// at most [`REVIEW_ROWS`]). Writes nothing.
#[tauri::command]
pub async fn preview_import(
    state: St<'_>,
    imports: State<'_, Imports>,
    file_id: u64,
    options: ImportOptions,
) -> CmdResult<Plan> {
    let file = imports.get(file_id)?;
    let opts = ImportOptions {
        file_name: file.name.clone(),
        ..options
    };
    if let Some(team) = state.team() {
        return on_team(team, move |t| {
            t.run(|client, _| {
                register_pg::imports::preview(client, &file.parsed, &opts)
                    .map(|p| p.trimmed(REVIEW_ROWS))
                    .map_err(pg_error)
            })
        })
        .await;
    }
    state
        .read(move |c| import::preview(c, &file.parsed, &opts).map(|p| p.trimmed(REVIEW_ROWS)))
        .await
}

/// How far a commit is, sent as `import://progress`.
#[derive(Clone, Serialize)]
struct Progress {
    file_id: u64,
    done: usize,
    total: usize,
}

/// Imports the open file in one transaction, telling the window how far it is
/// (`import://progress`, about ten times a second). [`cancel_import`] stops it and nothing is
/// written (error kind `cancelled`).
#[tauri::command]
pub async fn commit_import(
    state: St<'_>,
    imports: State<'_, Imports>,
    window: tauri::Window,
    file_id: u64,
    options: ImportOptions,
) -> CmdResult<ImportSummary> {
    let file = imports.get(file_id)?;
    file.cancel.store(false, Ordering::SeqCst);
    let opts = ImportOptions {
        file_name: file.name.clone(),
        ..options
    };
    let mut last = Instant::now();
    let mut report = move |done: usize, total: usize| {
        if done == total || last.elapsed() >= Duration::from_millis(100) {
            last = Instant::now();
            let _ = window.emit(
                "import://progress",
                Progress {
                    file_id,
                    done,
                    total,
                },
            );
        }
        !file.cancel.load(Ordering::SeqCst)
    };
    let parsed = imports.get(file_id)?;
    if let Some(team) = state.team() {
        // One import at a time on a team register: the server refuses a second, naming whose
        // is in progress; other people's changes wait until it ends.
        return on_team(team, move |t| {
            t.change(
                |client| {
                    register_pg::imports::commit_with_progress(
                        client,
                        Source::Import,
                        &parsed.parsed,
                        &opts,
                        &mut report,
                    )
                },
                |client, summary| {
                    client
                        .query_opt(
                            "SELECT event_id FROM public.imports WHERE id = $1",
                            &[&summary.import_id],
                        )
                        .ok()
                        .flatten()
                        .and_then(|r| r.get::<_, Option<i64>>(0))
                },
            )
        })
        .await;
    }
    state
        .blocking(move |db| {
            db.write(Source::Import, |tx| {
                import::commit_with_progress(tx, &parsed.parsed, &opts, &mut report)
            })
        })
        .await
}

/// Who is importing what on the team register, when someone is ("alice (Alice Smith) is
/// importing stock.csv (2,000 rows), since 2026-12-03 14:05 UTC"); `None` on a register file,
/// where the window's own import is the only one.
#[tauri::command]
pub async fn import_in_progress(state: St<'_>) -> CmdResult<Option<String>> {
    let Some(team) = state.team() else {
        return Ok(None);
    };
    team_read(team, |tx| {
        register_pg::imports::in_progress(tx).map(|r| r.map(|r| r.describe()))
    })
    .await
}

/// Asks a running [`commit_import`] of this file to stop.
#[tauri::command]
pub fn cancel_import(imports: State<'_, Imports>, file_id: u64) -> CmdResult<()> {
    imports.get(file_id)?.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// Lets go of the wizard's file (its rows are held in memory until then).
#[tauri::command]
pub fn close_import_file(imports: State<'_, Imports>, file_id: u64) {
    let mut open = imports.open.lock().unwrap_or_else(|e| e.into_inner());
    if open.as_ref().is_some_and(|f| f.id == file_id) {
        *open = None;
    }
}

/// Takes an import back as one audited step.
#[tauri::command]
pub async fn undo_import(state: St<'_>, import_id: i64) -> CmdResult<import::UndoSummary> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            register_pg::imports::undo_import(tx, import_id)
        })
        .await;
    }
    state
        .write(move |tx| import::undo_import(tx, import_id))
        .await
}

/// Past imports, newest first.
#[tauri::command]
pub async fn list_imports(state: St<'_>) -> CmdResult<Vec<import::ImportRecord>> {
    if let Some(team) = state.team() {
        return team_read(team, |tx| register_pg::imports::list_imports(tx)).await;
    }
    state.read(import::list_imports).await
}
