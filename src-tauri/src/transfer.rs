//! Import and export from the window: the file the import wizard works on (chosen in a native
//! dialog or dropped on the window), its preview, the commit with progress events and Cancel,
//! undo, and export to CSV or JSON through a save dialog. The core does the work; this module
//! keeps the parsed file between the wizard's steps, so the web view never names a path.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use register_core::assets::ListQuery;
use register_core::import::{self, ColumnMapping, ImportOptions, ImportSummary, Parsed, Plan};
use register_core::{export, Source};
use serde::{Deserialize, Serialize};
use tauri::{Emitter, State};

use crate::commands::AppState;
use crate::documents::Drops;
use crate::error::CmdError;

type Res<T> = Result<T, CmdError>;

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
    parsed: Parsed,
    cancel: AtomicBool,
}

impl Imports {
    fn get(&self, file_id: u64) -> Res<Arc<OpenFile>> {
        self.open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .filter(|f| f.id == file_id)
            .ok_or_else(|| CmdError {
                kind: "notFound",
                message: "That file is no longer open for import; choose it again.".into(),
                field: None,
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
}

/// Reads and parses `path` off the UI thread and makes it the wizard's file.
async fn open_file(state: &AppState, imports: &Imports, path: PathBuf) -> Res<ImportFile> {
    let db = state.db()?;
    let file_id = imports.next.fetch_add(1, Ordering::Relaxed) + 1;
    let (file, info) = tauri::async_runtime::spawn_blocking(move || {
        let bytes = std::fs::read(&path).map_err(|e| {
            register_core::Error::Io(std::io::Error::new(
                e.kind(),
                format!("{} cannot be read: {e}", display_name(&path)),
            ))
        })?;
        let parsed = import::read_file(&bytes)?;
        let mapping = db.read(|c| import::mapping_for(c, &parsed, &[]))?;
        let info = ImportFile {
            file_id,
            name: display_name(&path),
            size: bytes.len() as u64,
            rows: parsed.rows.len(),
            encoding: parsed.encoding,
            delimiter: parsed.delimiter,
            headers: parsed.headers.clone(),
            samples: parsed.samples(3),
            mapping,
        };
        let file = OpenFile {
            id: file_id,
            name: info.name.clone(),
            parsed,
            cancel: AtomicBool::new(false),
        };
        Ok::<_, register_core::Error>((file, info))
    })
    .await
    .map_err(CmdError::internal)??;
    *imports.open.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(file));
    Ok(info)
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Files the importer reads by their extension (a dropped PDF is for attaching).
fn importable(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .is_some_and(|e| matches!(e.as_str(), "csv" | "tsv" | "txt"))
}

/// Asks for a file to import (native dialog); `None` when the user cancelled.
#[tauri::command]
pub async fn pick_import_file(
    state: State<'_, AppState>,
    imports: State<'_, Imports>,
) -> Res<Option<ImportFile>> {
    let picked = match (state.e2e, std::env::var_os("ASSET_REGISTER_E2E_OPEN_FILE")) {
        // WebDriver cannot drive native dialogs: the harness names the file to "choose".
        (true, Some(path)) => Some(PathBuf::from(path)),
        _ => rfd::AsyncFileDialog::new()
            .set_title("Import a CSV file")
            .add_filter("CSV or text file", &["csv", "tsv", "txt"])
            .pick_file()
            .await
            .map(|f| f.path().to_path_buf()),
    };
    match picked {
        Some(path) => open_file(&state, &imports, path).await.map(Some),
        None => Ok(None),
    }
}

/// Opens the CSV file of an OS drop (`register://drop`) in the wizard.
#[tauri::command]
pub async fn open_dropped_import(
    state: State<'_, AppState>,
    imports: State<'_, Imports>,
    drops: State<'_, Drops>,
    drop_id: u64,
) -> Res<ImportFile> {
    let paths = drops.take(drop_id).unwrap_or_default();
    let path = paths
        .into_iter()
        .find(|p| importable(p))
        .ok_or_else(|| CmdError {
            kind: "refused",
            message: "Drop a .csv file to import it.".into(),
            field: None,
        })?;
    open_file(&state, &imports, path).await
}

/// What every row of the open file would do with these options (rows worth reviewing only,
/// at most [`REVIEW_ROWS`]). Writes nothing.
#[tauri::command]
pub async fn preview_import(
    state: State<'_, AppState>,
    imports: State<'_, Imports>,
    file_id: u64,
    options: ImportOptions,
) -> Res<Plan> {
    let (db, file) = (state.db()?, imports.get(file_id)?);
    tauri::async_runtime::spawn_blocking(move || {
        let opts = ImportOptions {
            file_name: file.name.clone(),
            ..options
        };
        db.read(|c| import::preview(c, &file.parsed, &opts))
            .map(|p| p.trimmed(REVIEW_ROWS))
    })
    .await
    .map_err(CmdError::internal)?
    .map_err(CmdError::from)
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
    state: State<'_, AppState>,
    imports: State<'_, Imports>,
    window: tauri::Window,
    file_id: u64,
    options: ImportOptions,
) -> Res<ImportSummary> {
    let (db, file) = (state.db()?, imports.get(file_id)?);
    file.cancel.store(false, Ordering::SeqCst);
    tauri::async_runtime::spawn_blocking(move || {
        let opts = ImportOptions {
            file_name: file.name.clone(),
            ..options
        };
        let mut last = Instant::now();
        let mut report = |done: usize, total: usize| {
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
        db.write(Source::Import, |tx| {
            import::commit_with_progress(tx, &file.parsed, &opts, &mut report)
        })
    })
    .await
    .map_err(CmdError::internal)?
    .map_err(CmdError::from)
}

/// Asks a running [`commit_import`] of this file to stop.
#[tauri::command]
pub fn cancel_import(imports: State<'_, Imports>, file_id: u64) -> Res<()> {
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
pub async fn undo_import(state: State<'_, AppState>, import_id: i64) -> Res<import::UndoSummary> {
    let db = state.db()?;
    tauri::async_runtime::spawn_blocking(move || {
        db.write(Source::App, |tx| import::undo_import(tx, import_id))
    })
    .await
    .map_err(CmdError::internal)?
    .map_err(CmdError::from)
}

/// Export formats.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// CSV the importer reads back.
    Csv,
    /// A JSON array of assets.
    Json,
}

/// A file the export wrote.
#[derive(Serialize)]
pub struct ExportedFile {
    path: String,
    assets: usize,
}

/// Writes the assets `query` matches (the whole register when `None`) as CSV (with a BOM for
/// spreadsheets when `bom`) or JSON, where the user chooses; `None` if cancelled.
#[tauri::command]
pub async fn export_assets(
    state: State<'_, AppState>,
    format: ExportFormat,
    bom: bool,
    query: Option<ListQuery>,
) -> Res<Option<ExportedFile>> {
    let ext = match format {
        ExportFormat::Csv => "csv",
        ExportFormat::Json => "json",
    };
    let name = format!("asset-register-{}.{ext}", register_core::today());
    let out = match (state.e2e, &state.e2e_save_dir) {
        (true, Some(dir)) => Some(dir.join(&name)),
        _ => rfd::AsyncFileDialog::new()
            .set_title("Export assets")
            .set_file_name(&name)
            .add_filter(if ext == "csv" { "CSV" } else { "JSON" }, &[ext])
            .save_file()
            .await
            .map(|f| f.path().to_path_buf()),
    };
    let Some(out) = out else {
        return Ok(None);
    };
    let db = state.db()?;
    let target = out.clone();
    let assets = tauri::async_runtime::spawn_blocking(move || {
        let assets = db.read(|c| match &query {
            Some(q) => export::list_matching_assets(c, q),
            None => export::list_all_assets(c, false),
        })?;
        let mut buf = Vec::new();
        match format {
            ExportFormat::Csv => export::write_csv(&mut buf, &assets, bom)?,
            ExportFormat::Json => export::write_json(&mut buf, &assets)?,
        }
        register_core::files::write_atomically(&target, &buf)?;
        Ok::<_, register_core::Error>(assets.len())
    })
    .await
    .map_err(CmdError::internal)??;
    state
        .exported
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(out.clone());
    Ok(Some(ExportedFile {
        path: out.display().to_string(),
        assets,
    }))
}

/// Past imports, newest first.
#[tauri::command]
pub async fn list_imports(state: State<'_, AppState>) -> Res<Vec<import::ImportRecord>> {
    let db = state.db()?;
    tauri::async_runtime::spawn_blocking(move || db.read(import::list_imports))
        .await
        .map_err(CmdError::internal)?
        .map_err(CmdError::from)
}
