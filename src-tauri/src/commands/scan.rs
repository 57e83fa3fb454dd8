//! Scan to find: the asset whose tag a barcode scanner typed, if there is one.

use register_core::{assets, Asset, Error};

use super::{CmdResult, St};

/// The asset with exactly this tag (ignoring case, archived ones included); `None` when no
/// asset has it, so the window can say so.
#[tauri::command]
pub async fn find_asset_by_tag(state: St<'_>, tag: String) -> CmdResult<Option<Asset>> {
    if let Some(team) = state.team() {
        return crate::state::team_read(team, move |tx| {
            match register_pg::assets::find_asset(tx, &tag) {
                Ok(v) => Ok(Some(v.asset)),
                Err(register_pg::Error::Core(Error::NotFound { .. })) => Ok(None),
                Err(e) => Err(e),
            }
        })
        .await;
    }
    state
        .read(move |c| match assets::find_asset(c, &tag) {
            Ok(a) => Ok(Some(a)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        })
        .await
}
