//! Settings commands: read and change the register's settings (a register file's or a team
//! register's).

use register_core::settings::{self, Settings};

use super::{CmdResult, St};
use crate::state::{team_read, team_write};

#[tauri::command]
pub async fn get_settings(state: St<'_>) -> CmdResult<Settings> {
    if let Some(team) = state.team() {
        return team_read(team, |tx| register_pg::settings::get_settings(tx)).await;
    }
    state.read(settings::get_settings).await
}

#[tauri::command]
pub async fn update_settings(state: St<'_>, settings: Settings) -> CmdResult<Settings> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            register_pg::settings::update_settings(tx, &settings)
        })
        .await;
    }
    state
        .write(move |tx| settings::update_settings(tx, &settings))
        .await
}
