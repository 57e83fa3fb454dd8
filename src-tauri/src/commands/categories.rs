//! Category commands: the list (a category's depreciation method is in `valuation`).

use register_core::names::{self, Kind, Named};

use super::{CmdResult, St};

#[tauri::command]
pub async fn list_categories(state: St<'_>) -> CmdResult<Vec<Named>> {
    state.read(|c| names::list(c, Kind::Category)).await
}
