//! Commands about the register as a whole: where it is and what it is called (the sidebar), and
//! the dashboard's summary.

use register_core::settings::{self, Settings};
use register_core::summary::{self, Summary};
use serde::Serialize;

use super::{file_name, CmdResult, St};

/// Where the register lives and what it is called, for the sidebar.
#[derive(Serialize)]
pub struct RegisterInfo {
    path: String,
    file_name: String,
    settings: Settings,
    /// Why the register is open read-only, when it is.
    read_only: Option<String>,
    /// The folder of automatic backups.
    backups_dir: Option<String>,
}

#[tauri::command]
pub async fn register_info(state: St<'_>) -> CmdResult<RegisterInfo> {
    let db = state.db()?;
    let path = db.path().map(|p| p.to_path_buf()).unwrap_or_default();
    let read_only = db.read_only().map(str::to_string);
    let settings = state.read(settings::get_settings).await?;
    Ok(RegisterInfo {
        file_name: file_name(&path),
        path: path.display().to_string(),
        settings,
        read_only,
        backups_dir: state.backups.as_ref().map(|d| d.display().to_string()),
    })
}

#[tauri::command]
pub async fn get_summary(state: St<'_>) -> CmdResult<Summary> {
    state
        .read(|c| summary::summary(c, register_core::today()))
        .await
}
