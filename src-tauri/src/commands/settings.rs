//! Settings commands: read and change the register's settings.

use register_core::settings::{self, Settings};

use super::{CmdResult, St};

#[tauri::command]
pub async fn get_settings(state: St<'_>) -> CmdResult<Settings> {
    state.read(settings::get_settings).await
}

#[tauri::command]
pub async fn update_settings(state: St<'_>, settings: Settings) -> CmdResult<Settings> {
    state
        .write(move |tx| settings::update_settings(tx, &settings))
        .await
}
