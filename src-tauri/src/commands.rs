//! The Tauri commands: each one forwards to one core function on a blocking thread and maps
//! its error to `{kind, message}`. No SQL, CSV or PDF here.

use std::sync::Arc;

use register_core::assets::{self, Asset, AssetInput, AssetPatch, Holder, ListQuery, Page};
use register_core::depreciation::{
    self, AssetDepreciation, CategoryMethod, MethodInput, Valuation,
};
use register_core::documents::{verify_documents, DocumentProblem, DocumentStore};
use register_core::names::{self, Kind, Named};
use register_core::people::{self, Person, PersonInput};
use register_core::purchase::{self, Problem, PurchaseInput, Purchased};
use register_core::report::{self, Paper, ReportOptions};
use register_core::settings::{self, Settings};
use register_core::summary::{self, Summary};
use register_core::Connection;
use register_core::{audit, db::Tx, Db, Event, Source, Status, Verification};
use serde::Serialize;
use tauri::State;

use crate::documents::Drops;
use crate::error::CmdError;

pub mod documents;
pub mod licences;

/// Shared app state: the open register, or why it could not be opened.
pub struct AppState {
    /// The register, or the message explaining why it is unavailable. Behind a lock only so
    /// that Restore… can close it, swap the files and open the restored one.
    pub db: std::sync::RwLock<Result<Arc<Db>, String>>,
    /// This window's claim on the register file, held until the app exits (none when
    /// read-only or unavailable).
    pub _claim: Option<register_core::lock::RegisterLock>,
    /// Where the automatic backups go.
    pub backups: Option<std::path::PathBuf>,
    /// Where its documents are stored.
    pub store: DocumentStore,
    /// True when started for end-to-end tests (`ASSET_REGISTER_E2E=1`): enables the stand-in
    /// for an OS file drop, which WebDriver cannot perform.
    pub e2e: bool,
    /// In end-to-end tests only: save dialogs are answered with this folder
    /// (`ASSET_REGISTER_E2E_SAVE_DIR`), since WebDriver cannot drive native dialogs.
    pub e2e_save_dir: Option<std::path::PathBuf>,
    /// Files this session exported, the only paths `open_exported` will open.
    pub exported: std::sync::Mutex<Vec<std::path::PathBuf>>,
}

impl AppState {
    pub(crate) fn db(&self) -> Result<Arc<Db>, CmdError> {
        let db = self.db.read().unwrap_or_else(|e| e.into_inner());
        db.clone().map_err(|message| CmdError {
            kind: "unavailable",
            message,
            field: None,
        })
    }

    /// Runs a read on a blocking thread.
    pub(crate) async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> register_core::Result<T> + Send + 'static,
    ) -> Result<T, CmdError> {
        let db = self.db()?;
        tauri::async_runtime::spawn_blocking(move || db.read(f))
            .await
            .map_err(CmdError::internal)?
            .map_err(CmdError::from)
    }

    /// Runs a long read (verify, reports) on its own connection, on a blocking thread.
    async fn read_long<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> register_core::Result<T> + Send + 'static,
    ) -> Result<T, CmdError> {
        let db = self.db()?;
        tauri::async_runtime::spawn_blocking(move || db.read_detached(f))
            .await
            .map_err(CmdError::internal)?
            .map_err(CmdError::from)
    }

    /// Runs a write (tagged with source `app`) on a blocking thread.
    pub(crate) async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> register_core::Result<T> + Send + 'static,
    ) -> Result<T, CmdError> {
        let db = self.db()?;
        tauri::async_runtime::spawn_blocking(move || db.write(Source::App, f))
            .await
            .map_err(CmdError::internal)?
            .map_err(CmdError::from)
    }
}

pub(crate) type Res<T> = Result<T, CmdError>;

pub(crate) type St<'a> = State<'a, AppState>;

/// Where the register lives and what it is called, for the sidebar.
#[derive(Serialize)]
pub struct RegisterInfo {
    path: String,
    file_name: String,
    settings: Settings,
    /// Why the register is open read-only, when it is.
    read_only: Option<String>,
    /// The folder of automatic backups.
    backups_dir: Option<String>,
}

#[tauri::command]
pub async fn register_info(state: St<'_>) -> Res<RegisterInfo> {
    let db = state.db()?;
    let path = db.path().map(|p| p.to_path_buf()).unwrap_or_default();
    let read_only = db.read_only().map(str::to_string);
    let settings = state.read(settings::get_settings).await?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(RegisterInfo {
        path: path.display().to_string(),
        file_name,
        settings,
        read_only,
        backups_dir: state.backups.as_ref().map(|d| d.display().to_string()),
    })
}

#[tauri::command]
pub async fn list_assets(state: St<'_>, query: ListQuery) -> Res<Page> {
    state.read(move |c| assets::list_assets(c, &query)).await
}

#[tauri::command]
pub async fn get_asset(state: St<'_>, id: i64) -> Res<Asset> {
    state.read(move |c| assets::get_asset(c, id)).await
}

#[tauri::command]
pub async fn next_asset_tag(state: St<'_>) -> Res<String> {
    state.read(assets::next_asset_tag).await
}

#[tauri::command]
pub async fn create_asset(state: St<'_>, input: AssetInput, note: Option<String>) -> Res<Asset> {
    state
        .write(move |tx| assets::create_asset(tx, &input, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn update_asset(
    state: St<'_>,
    id: i64,
    patch: AssetPatch,
    note: Option<String>,
) -> Res<Asset> {
    state
        .write(move |tx| assets::update_asset(tx, id, &patch, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn assign_asset(
    state: St<'_>,
    id: i64,
    holder: Holder,
    note: Option<String>,
) -> Res<Asset> {
    state
        .write(move |tx| assets::assign_asset(tx, id, &holder, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn return_asset(
    state: St<'_>,
    id: i64,
    location: Option<String>,
    note: Option<String>,
) -> Res<Asset> {
    state
        .write(move |tx| assets::return_asset(tx, id, location.as_deref(), note.as_deref()))
        .await
}

#[tauri::command]
pub async fn change_status(
    state: St<'_>,
    id: i64,
    status: Status,
    note: Option<String>,
) -> Res<Asset> {
    state
        .write(move |tx| assets::change_status(tx, id, status, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn archive_asset(state: St<'_>, id: i64, note: Option<String>) -> Res<()> {
    state
        .write(move |tx| assets::archive_asset(tx, id, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn list_asset_history(state: St<'_>, id: i64) -> Res<Vec<Event>> {
    state.read(move |c| audit::list_asset_events(c, id)).await
}

#[tauri::command]
pub async fn list_audit_events(state: St<'_>, limit: Option<u32>) -> Res<Vec<Event>> {
    state
        .read(move |c| audit::list_audit_events(c, limit))
        .await
}

#[tauri::command]
pub async fn list_people(state: St<'_>) -> Res<Vec<Person>> {
    state.read(people::list_people).await
}

#[tauri::command]
pub async fn get_person(state: St<'_>, id: i64) -> Res<Person> {
    state.read(move |c| people::get_person(c, id)).await
}

#[tauri::command]
pub async fn list_person_history(state: St<'_>, id: i64) -> Res<Vec<Event>> {
    state
        .read(move |c| audit::list_entity_events(c, "person", id))
        .await
}

#[tauri::command]
pub async fn create_person(state: St<'_>, input: PersonInput) -> Res<Person> {
    state
        .write(move |tx| people::create_person(tx, &input))
        .await
}

#[tauri::command]
pub async fn update_person(state: St<'_>, id: i64, input: PersonInput) -> Res<Person> {
    state
        .write(move |tx| people::update_person(tx, id, &input))
        .await
}

#[tauri::command]
pub async fn set_person_left(
    state: St<'_>,
    id: i64,
    left: bool,
    note: Option<String>,
) -> Res<Person> {
    state
        .write(move |tx| people::set_person_left(tx, id, left, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn list_locations(state: St<'_>) -> Res<Vec<Named>> {
    state.read(|c| names::list(c, Kind::Location)).await
}

#[tauri::command]
pub async fn create_location(state: St<'_>, name: String) -> Res<Named> {
    state
        .write(move |tx| names::create(tx, Kind::Location, &name))
        .await
}

#[tauri::command]
pub async fn rename_location(state: St<'_>, id: i64, name: String) -> Res<Named> {
    state
        .write(move |tx| names::rename(tx, Kind::Location, id, &name))
        .await
}

#[tauri::command]
pub async fn list_categories(state: St<'_>) -> Res<Vec<Named>> {
    state.read(|c| names::list(c, Kind::Category)).await
}

#[tauri::command]
pub async fn get_settings(state: St<'_>) -> Res<Settings> {
    state.read(settings::get_settings).await
}

#[tauri::command]
pub async fn update_settings(state: St<'_>, settings: Settings) -> Res<Settings> {
    state
        .write(move |tx| settings::update_settings(tx, &settings))
        .await
}

#[tauri::command]
pub async fn get_summary(state: St<'_>) -> Res<Summary> {
    state
        .read(|c| summary::summary(c, register_core::today()))
        .await
}

/// The register's full check: the database, the audit chain and every stored document.
#[derive(Serialize)]
pub struct RegisterCheck {
    #[serde(flatten)]
    chain: Verification,
    document_problems: Vec<DocumentProblem>,
}

#[tauri::command]
pub async fn verify_register(state: St<'_>) -> Res<RegisterCheck> {
    let store = state.store.clone();
    state
        .read_long(move |c| {
            let mut chain = audit::verify(c)?;
            let document_problems = verify_documents(c, &store)?;
            chain.ok &= document_problems.is_empty();
            Ok(RegisterCheck {
                chain,
                document_problems,
            })
        })
        .await
}

/// Stand-in for an OS file drop, for the end-to-end tests only (WebDriver cannot drag files
/// from a file manager). It goes through the same handler as a real drop; without
/// `ASSET_REGISTER_E2E=1` at start-up it refuses.
#[tauri::command]
pub async fn e2e_drop_files(
    state: St<'_>,
    drops: State<'_, Drops>,
    window: tauri::Window,
    paths: Vec<String>,
    x: f64,
    y: f64,
) -> Res<()> {
    if !state.e2e {
        return Err(CmdError {
            kind: "refused",
            message: "not available".into(),
            field: None,
        });
    }
    drops.register(&window, paths.into_iter().map(Into::into).collect(), x, y);
    Ok(())
}

impl AppState {
    /// Asks where to save (native dialog); `None` when the user cancels.
    async fn ask_save_path(&self, title: &str, default_name: &str) -> Option<std::path::PathBuf> {
        if let (true, Some(dir)) = (self.e2e, &self.e2e_save_dir) {
            return Some(dir.join(default_name));
        }
        rfd::AsyncFileDialog::new()
            .set_title(title)
            .set_file_name(default_name)
            .add_filter("PDF document", &["pdf"])
            .save_file()
            .await
            .map(|f| f.path().to_path_buf())
    }

    /// Writes a rendered PDF where the user chose and remembers it for `open_exported`.
    async fn save_pdf(&self, out: std::path::PathBuf, pdf: report::RenderedPdf) -> Res<Exported> {
        let target = out.clone();
        tauri::async_runtime::spawn_blocking(move || {
            register_core::files::write_atomically(&target, &pdf.bytes).map(|_| pdf.page_count)
        })
        .await
        .map_err(CmdError::internal)?
        .map_err(CmdError::from)
        .map(|pages| {
            self.exported
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(out.clone());
            Exported {
                path: out.display().to_string(),
                pages,
            }
        })
    }
}

/// A file the app wrote.
#[derive(Serialize)]
pub struct Exported {
    path: String,
    pages: usize,
}

/// The register report (with the list's current filters) as PDF; `None` if cancelled.
#[tauri::command]
pub async fn export_register_pdf(state: St<'_>, options: ReportOptions) -> Res<Option<Exported>> {
    let name = format!(
        "asset-register-{}.pdf",
        options.as_of.unwrap_or_else(register_core::today)
    );
    let Some(out) = state
        .ask_save_path("Export the register as PDF", &name)
        .await
    else {
        return Ok(None);
    };
    let pdf = state
        .read(move |c| report::render_register_report(c, &options))
        .await?;
    state.save_pdf(out, pdf).await.map(Some)
}

/// One asset's dossier as PDF; `None` if cancelled.
#[tauri::command]
pub async fn export_dossier_pdf(
    state: St<'_>,
    id: i64,
    paper: Option<Paper>,
) -> Res<Option<Exported>> {
    let tag = state
        .read(move |c| assets::get_asset(c, id))
        .await?
        .asset_tag;
    let safe: String = tag
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let Some(out) = state
        .ask_save_path(
            "Export the asset dossier as PDF",
            &format!("dossier-{safe}.pdf"),
        )
        .await
    else {
        return Ok(None);
    };
    let pdf = state
        .read(move |c| report::render_asset_dossier(c, id, paper.unwrap_or_default()))
        .await?;
    state.save_pdf(out, pdf).await.map(Some)
}

/// Opens a PDF this session exported in the system viewer (for printing).
#[tauri::command]
pub async fn open_exported(state: St<'_>, path: String) -> Res<()> {
    let path = std::path::PathBuf::from(path);
    if !state
        .exported
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .contains(&path)
    {
        return Err(CmdError {
            kind: "refused",
            message: "Only files exported in this session can be opened.".into(),
            field: None,
        });
    }
    crate::documents::open_file(&path).map_err(|message| CmdError {
        kind: "refused",
        message,
        field: None,
    })
}

// ---------------------------------------------------------------------------------------------
// Value, depreciation and purchases

#[tauri::command]
pub async fn get_asset_depreciation(state: St<'_>, id: i64) -> Res<AssetDepreciation> {
    state
        .read(move |c| depreciation::asset_depreciation(c, id, register_core::today()))
        .await
}

/// Sets an asset's own method, or (`method: null`) makes it follow its category again.
#[tauri::command]
pub async fn set_asset_depreciation(
    state: St<'_>,
    id: i64,
    method: Option<MethodInput>,
    note: Option<String>,
) -> Res<AssetDepreciation> {
    state
        .write(move |tx| {
            let own = method.map(|m| m.parse()).transpose()?;
            depreciation::set_asset_method(tx, id, own, note.as_deref())
        })
        .await?;
    get_asset_depreciation(state, id).await
}

#[tauri::command]
pub async fn list_category_depreciation(state: St<'_>) -> Res<Vec<CategoryMethod>> {
    state.read(depreciation::list_category_methods).await
}

#[tauri::command]
pub async fn set_category_depreciation(
    state: St<'_>,
    name: String,
    method: MethodInput,
) -> Res<Vec<CategoryMethod>> {
    state
        .write(move |tx| depreciation::set_category_method(tx, &name, method.parse()?))
        .await?;
    list_category_depreciation(state).await
}

/// The register's totals (no per-asset list) as of a date, today by default.
#[tauri::command]
pub async fn get_valuation(state: St<'_>, as_of: Option<String>) -> Res<Valuation> {
    state
        .read(move |c| {
            let date = register_core::values::parse_date("as_of", as_of.as_deref().unwrap_or(""))?
                .unwrap_or_else(register_core::today);
            depreciation::value_totals(c, date)
        })
        .await
}

#[tauri::command]
pub async fn check_purchase(state: St<'_>, input: PurchaseInput) -> Res<Vec<Problem>> {
    state
        .read(move |c| purchase::check_purchase(c, &input))
        .await
}

/// Records a purchase; the receipt is a file the user dropped or picked, named by its id.
#[tauri::command]
pub async fn record_purchase(
    state: St<'_>,
    drops: State<'_, Drops>,
    input: PurchaseInput,
    receipt: Option<u64>,
) -> Res<Purchased> {
    let receipt = match receipt {
        Some(id) => {
            let paths = drops.take(id).ok_or_else(|| CmdError {
                kind: "notFound",
                message: "The receipt is no longer available; choose it again.".into(),
                field: Some("receipt".into()),
            })?;
            paths.into_iter().next()
        }
        None => None,
    };
    let (db, store) = (state.db()?, state.store.clone());
    tauri::async_runtime::spawn_blocking(move || {
        purchase::record_purchase_with_receipt(&db, &store, Source::App, &input, receipt.as_deref())
    })
    .await
    .map_err(CmdError::internal)?
    .map_err(CmdError::from)
}

/// A file the user chose in a native dialog, kept by id like a drop.
#[derive(Serialize)]
pub struct PickedFile {
    drop_id: u64,
    name: String,
}

/// Asks for the receipt (native dialog); `None` when the user cancelled.
#[tauri::command]
pub async fn pick_receipt(drops: State<'_, Drops>) -> Res<Option<PickedFile>> {
    let Some(file) = rfd::AsyncFileDialog::new()
        .set_title("Choose the receipt")
        .pick_file()
        .await
    else {
        return Ok(None);
    };
    let path = file.path().to_path_buf();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Some(PickedFile {
        drop_id: drops.keep(vec![path]),
        name,
    }))
}
