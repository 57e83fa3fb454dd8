//! Asset commands: the list, one asset, its lifecycle (assign, return, status, archive and
//! unarchive), its history, and the statuses the window offers.

use register_core::assets::{self, Asset, AssetInput, AssetPatch, Holder, ListQuery, Page};
use register_core::{audit, Event, Status};
use serde::Serialize;

use super::{CmdResult, St};

#[tauri::command]
pub async fn list_assets(state: St<'_>, query: ListQuery) -> CmdResult<Page> {
    state.read(move |c| assets::list_assets(c, &query)).await
}

#[tauri::command]
pub async fn get_asset(state: St<'_>, id: i64) -> CmdResult<Asset> {
    state.read(move |c| assets::get_asset(c, id)).await
}

#[tauri::command]
pub async fn next_asset_tag(state: St<'_>) -> CmdResult<String> {
    state.read(assets::next_asset_tag).await
}

#[tauri::command]
pub async fn create_asset(
    state: St<'_>,
    input: AssetInput,
    note: Option<String>,
) -> CmdResult<Asset> {
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
) -> CmdResult<Asset> {
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
) -> CmdResult<Asset> {
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
) -> CmdResult<Asset> {
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
) -> CmdResult<Asset> {
    state
        .write(move |tx| assets::change_status(tx, id, status, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn archive_asset(state: St<'_>, id: i64, note: Option<String>) -> CmdResult<()> {
    state
        .write(move |tx| assets::archive_asset(tx, id, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn unarchive_asset(state: St<'_>, id: i64, note: Option<String>) -> CmdResult<Asset> {
    state
        .write(move |tx| assets::unarchive_asset(tx, id, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn list_asset_history(state: St<'_>, id: i64) -> CmdResult<Vec<Event>> {
    state.read(move |c| audit::list_asset_events(c, id)).await
}

/// A status as the window offers it: the stored spelling and the label people read.
#[derive(Serialize)]
pub struct StatusOption {
    value: Status,
    label: &'static str,
}

/// Every status, in lifecycle order, with its label (the one list the window uses).
#[tauri::command]
pub fn list_statuses() -> Vec<StatusOption> {
    Status::ALL
        .into_iter()
        .map(|value| StatusOption {
            value,
            label: value.label(),
        })
        .collect()
}
