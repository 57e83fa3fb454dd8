//! Location commands: the list, adding one and renaming one, on a register file or a team
//! register.

use register_core::names::{self, Kind, Named};
use register_pg::names as pg;

use super::{CmdResult, St};
use crate::state::{team_read, team_write};

#[tauri::command]
pub async fn list_locations(state: St<'_>) -> CmdResult<Vec<Named>> {
    if let Some(team) = state.team() {
        return team_read(team, |tx| pg::list(tx, Kind::Location)).await;
    }
    state.read(|c| names::list(c, Kind::Location)).await
}

#[tauri::command]
pub async fn create_location(state: St<'_>, name: String) -> CmdResult<Named> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| pg::create(tx, Kind::Location, &name)).await;
    }
    state
        .write(move |tx| names::create(tx, Kind::Location, &name))
        .await
}

#[tauri::command]
pub async fn rename_location(state: St<'_>, id: i64, name: String) -> CmdResult<Named> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| pg::rename(tx, Kind::Location, id, &name)).await;
    }
    state
        .write(move |tx| names::rename(tx, Kind::Location, id, &name))
        .await
}
