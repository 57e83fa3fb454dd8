//! Commands about the register as a whole: where it is and what it is called (the sidebar),
//! signing in to a team register, and the dashboard's summary.

use register_core::settings::{self, Settings};
use register_core::summary::{self, Summary};
use serde::Serialize;

use super::{file_name, CmdResult, St};
use crate::state::{on_team, team_read};
use crate::team::{Access, TeamInfo};

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
    /// The team register, when the window is for one rather than a file.
    team: Option<TeamInfo>,
    /// Why the window must ask for a password before it can show the team register.
    sign_in: Option<String>,
}

#[tauri::command]
pub async fn register_info(state: St<'_>, app: tauri::AppHandle) -> CmdResult<RegisterInfo> {
    if let Some(team) = state.team() {
        // The first ask signs in with what is at hand (the URL's password, the keychain's,
        // $PGPASSWORD); when the server wants more, the window asks (`needsPassword`).
        let mut sign_in = None;
        if team.access().is_none() {
            match on_team(team.clone(), |t| t.sign_in(None, false)).await {
                Ok(_) => {}
                Err(e) if e.kind == "needsPassword" => sign_in = Some(e.message),
                Err(e) => return Err(e),
            }
        }
        if team.access().is_some() {
            team.watch(app);
        }
        let info = team.info();
        let read_only = info.access.as_ref().filter(|a| !a.can_edit).map(|a| {
            format!(
                "{} may look at this team register but not change it (ask its owner for the \
                 editor role)",
                a.person.as_deref().unwrap_or(&a.login)
            )
        });
        return Ok(RegisterInfo {
            path: info.url.clone(),
            file_name: info.database.clone(),
            // Settings live in the file only so far: a team register shows the defaults.
            settings: Settings::default(),
            read_only,
            backups_dir: None,
            team: Some(info),
            sign_in,
        });
    }
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
        team: None,
        sign_in: None,
    })
}

/// Signs in to the team register with the password the window asked for; with `remember`, the
/// system keychain keeps it once the server has taken it.
#[tauri::command]
pub async fn team_sign_in(
    state: St<'_>,
    app: tauri::AppHandle,
    password: String,
    remember: bool,
) -> CmdResult<Access> {
    let team = state
        .team()
        .ok_or_else(|| crate::error::CmdError::refused("This window is for a register file."))?;
    let access = on_team(team.clone(), move |t| t.sign_in(Some(password), remember)).await?;
    team.watch(app);
    Ok(access)
}

#[tauri::command]
pub async fn get_summary(state: St<'_>) -> CmdResult<Summary> {
    if let Some(team) = state.team() {
        return team_read(team, |tx| {
            register_pg::summary::summary(tx, register_core::today())
        })
        .await;
    }
    state
        .read(|c| summary::summary(c, register_core::today()))
        .await
}
