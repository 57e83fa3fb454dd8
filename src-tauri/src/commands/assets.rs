//! Asset commands: the list, one asset, its lifecycle (assign, return, status, archive and
//! unarchive), its history, and the statuses the window offers. Each works on a register file
//! and on a team register, where a save names the row version the window read.

use register_core::assets::{self, Asset, AssetInput, AssetPatch, Holder, ListQuery, Page};
use register_core::{audit, Status};
use register_pg::assets as pg;
use serde::Serialize;

use super::audit::{shown, shown_on_team, ShownEvent};
use super::record::{read_version, Read};
use super::{CmdResult, St};
use crate::state::{team_read, team_write};

/// An asset as the window reads it (on a team register, with its row version).
type Shown = Read<Asset>;

#[tauri::command]
pub async fn list_assets(state: St<'_>, query: ListQuery) -> CmdResult<Page> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| pg::list_assets(tx, &query)).await;
    }
    state.read(move |c| assets::list_assets(c, &query)).await
}

#[tauri::command]
pub async fn get_asset(state: St<'_>, id: i64) -> CmdResult<Shown> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| pg::get_asset(tx, id).map(Into::into)).await;
    }
    state
        .read(move |c| assets::get_asset(c, id).map(Read::file))
        .await
}

#[tauri::command]
pub async fn next_asset_tag(state: St<'_>) -> CmdResult<String> {
    if let Some(team) = state.team() {
        return team_read(team, |tx| pg::next_asset_tag(tx)).await;
    }
    state.read(assets::next_asset_tag).await
}

#[tauri::command]
pub async fn create_asset(
    state: St<'_>,
    input: AssetInput,
    note: Option<String>,
) -> CmdResult<Shown> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            pg::create_asset(tx, &input, note.as_deref()).map(Into::into)
        })
        .await;
    }
    state
        .write(move |tx| assets::create_asset(tx, &input, note.as_deref()).map(Read::file))
        .await
}

#[tauri::command]
pub async fn update_asset(
    state: St<'_>,
    id: i64,
    patch: AssetPatch,
    note: Option<String>,
    version: Option<i64>,
) -> CmdResult<Shown> {
    if let Some(team) = state.team() {
        let read = read_version(version)?;
        return team_write(team, move |tx| {
            pg::update_asset(tx, id, read, &patch, note.as_deref()).map(Into::into)
        })
        .await;
    }
    state
        .write(move |tx| assets::update_asset(tx, id, &patch, note.as_deref()).map(Read::file))
        .await
}

#[tauri::command]
pub async fn assign_asset(
    state: St<'_>,
    id: i64,
    holder: Holder,
    note: Option<String>,
    version: Option<i64>,
) -> CmdResult<Shown> {
    if let Some(team) = state.team() {
        let read = read_version(version)?;
        return team_write(team, move |tx| {
            pg::assign_asset(tx, id, read, &holder, note.as_deref()).map(Into::into)
        })
        .await;
    }
    state
        .write(move |tx| assets::assign_asset(tx, id, &holder, note.as_deref()).map(Read::file))
        .await
}

#[tauri::command]
pub async fn return_asset(
    state: St<'_>,
    id: i64,
    location: Option<String>,
    note: Option<String>,
    version: Option<i64>,
) -> CmdResult<Shown> {
    if let Some(team) = state.team() {
        let read = read_version(version)?;
        return team_write(team, move |tx| {
            pg::return_asset(tx, id, read, location.as_deref(), note.as_deref()).map(Into::into)
        })
        .await;
    }
    state
        .write(move |tx| {
            assets::return_asset(tx, id, location.as_deref(), note.as_deref()).map(Read::file)
        })
        .await
}

#[tauri::command]
pub async fn change_status(
    state: St<'_>,
    id: i64,
    status: Status,
    note: Option<String>,
    version: Option<i64>,
) -> CmdResult<Shown> {
    if let Some(team) = state.team() {
        let read = read_version(version)?;
        return team_write(team, move |tx| {
            pg::change_status(tx, id, read, status, note.as_deref()).map(Into::into)
        })
        .await;
    }
    state
        .write(move |tx| assets::change_status(tx, id, status, note.as_deref()).map(Read::file))
        .await
}

#[tauri::command]
pub async fn archive_asset(
    state: St<'_>,
    id: i64,
    note: Option<String>,
    version: Option<i64>,
) -> CmdResult<()> {
    if let Some(team) = state.team() {
        let read = read_version(version)?;
        return team_write(team, move |tx| {
            pg::archive_asset(tx, id, read, note.as_deref()).map(|_| ())
        })
        .await;
    }
    state
        .write(move |tx| assets::archive_asset(tx, id, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn unarchive_asset(
    state: St<'_>,
    id: i64,
    note: Option<String>,
    version: Option<i64>,
) -> CmdResult<Shown> {
    if let Some(team) = state.team() {
        let read = read_version(version)?;
        return team_write(team, move |tx| {
            pg::unarchive_asset(tx, id, read, note.as_deref()).map(Into::into)
        })
        .await;
    }
    state
        .write(move |tx| assets::unarchive_asset(tx, id, note.as_deref()).map(Read::file))
        .await
}

#[tauri::command]
pub async fn list_asset_history(state: St<'_>, id: i64) -> CmdResult<Vec<ShownEvent>> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| {
            let events = register_pg::history::asset_events(tx, id)?;
            shown_on_team(tx, events)
        })
        .await;
    }
    state
        .read(move |c| audit::list_asset_events(c, id).map(shown))
        .await
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
