//! The Tauri commands: each one forwards to one core function on a blocking thread and maps
//! its error to `{kind, message}`. No SQL, CSV or PDF here.

use std::sync::Arc;

use register_core::assets::{self, Asset, AssetInput, AssetPatch, Holder, ListQuery, Page};
use register_core::locations::{self, Kind, Named};
use register_core::people::{self, Person, PersonInput};
use register_core::settings::{self, Settings};
use register_core::summary::{self, Summary};
use register_core::Connection;
use register_core::{audit, db::Tx, Db, Event, Source, Status, Verification};
use serde::Serialize;
use tauri::State;

use crate::error::CmdError;

/// Shared app state: the open register, or why it could not be opened.
pub struct AppState {
    /// The register, or the message explaining why it is unavailable.
    pub db: Result<Arc<Db>, String>,
}

impl AppState {
    fn db(&self) -> Result<Arc<Db>, CmdError> {
        self.db.clone().map_err(|message| CmdError {
            kind: "unavailable",
            message,
            field: None,
        })
    }

    /// Runs a read on a blocking thread.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> register_core::Result<T> + Send + 'static,
    ) -> Result<T, CmdError> {
        let db = self.db()?;
        tauri::async_runtime::spawn_blocking(move || db.read(f))
            .await
            .map_err(CmdError::internal)?
            .map_err(CmdError::from)
    }

    /// Runs a write (tagged with source `app`) on a blocking thread.
    async fn write<T: Send + 'static>(
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

type Res<T> = Result<T, CmdError>;
type St<'a> = State<'a, AppState>;

/// Where the register lives and what it is called, for the sidebar.
#[derive(Serialize)]
pub struct RegisterInfo {
    path: String,
    file_name: String,
    settings: Settings,
}

#[tauri::command]
pub async fn register_info(state: St<'_>) -> Res<RegisterInfo> {
    let path = state
        .db()?
        .path()
        .map(|p| p.to_path_buf())
        .unwrap_or_default();
    let settings = state.read(settings::get_settings).await?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(RegisterInfo {
        path: path.display().to_string(),
        file_name,
        settings,
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
    state.read(|c| locations::list(c, Kind::Location)).await
}

#[tauri::command]
pub async fn create_location(state: St<'_>, name: String) -> Res<Named> {
    state
        .write(move |tx| locations::create(tx, Kind::Location, &name))
        .await
}

#[tauri::command]
pub async fn rename_location(state: St<'_>, id: i64, name: String) -> Res<Named> {
    state
        .write(move |tx| locations::rename(tx, Kind::Location, id, &name))
        .await
}

#[tauri::command]
pub async fn list_categories(state: St<'_>) -> Res<Vec<Named>> {
    state.read(|c| locations::list(c, Kind::Category)).await
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

#[tauri::command]
pub async fn verify_register(state: St<'_>) -> Res<Verification> {
    state.read(audit::verify).await
}
