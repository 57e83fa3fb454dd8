//! Location commands: the list, adding one and renaming one.

use register_core::names::{self, Kind, Named};

use super::{CmdResult, St};

#[tauri::command]
pub async fn list_locations(state: St<'_>) -> CmdResult<Vec<Named>> {
    state.read(|c| names::list(c, Kind::Location)).await
}

#[tauri::command]
pub async fn create_location(state: St<'_>, name: String) -> CmdResult<Named> {
    state
        .write(move |tx| names::create(tx, Kind::Location, &name))
        .await
}

#[tauri::command]
pub async fn rename_location(state: St<'_>, id: i64, name: String) -> CmdResult<Named> {
    state
        .write(move |tx| names::rename(tx, Kind::Location, id, &name))
        .await
}
