//! Category commands: the list (a category's depreciation method is in `valuation`), on a
//! register file or a team register.

use register_core::names::{self, Kind, Named};

use super::{CmdResult, St};
use crate::state::team_read;

#[tauri::command]
pub async fn list_categories(state: St<'_>) -> CmdResult<Vec<Named>> {
    if let Some(team) = state.team() {
        return team_read(team, |tx| register_pg::names::list(tx, Kind::Category)).await;
    }
    state.read(|c| names::list(c, Kind::Category)).await
}
