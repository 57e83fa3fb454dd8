//! Commands about the register as a whole: where it is and what it is called (the sidebar),
//! signing in to a team register, and the dashboard's summary.

use register_core::settings::{self, Settings};
use register_core::summary::{self, Summary};
use serde::Serialize;

use super::{file_name, CmdResult, St};
use crate::error::{capitalise, CmdError};
use crate::state::{on_team, team_read};
use crate::team::{Access, TeamInfo};
use register_core::opening::{Origin, Register};

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
    /// Whether `$ASSET_REGISTER_DB` names the register, so the window cannot open another.
    fixed_by_environment: bool,
    /// Where a register file marked as moved went (it is then read-only).
    moved: Option<register_core::moved::MovedTo>,
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
        let settings = match info.access {
            Some(_) => team_read(team, |tx| register_pg::settings::get_settings(tx)).await?,
            None => Settings::default(),
        };
        return Ok(RegisterInfo {
            path: info.url.clone(),
            file_name: info.database.clone(),
            settings,
            read_only,
            backups_dir: None,
            team: Some(info),
            sign_in,
            fixed_by_environment: state.origin == Origin::Environment,
            moved: None,
        });
    }
    let db = state.db()?;
    let path = db.path().map(|p| p.to_path_buf()).unwrap_or_default();
    let read_only = db.read_only().map(str::to_string);
    let (settings, moved) = state
        .read(|c| {
            Ok((
                settings::get_settings(c)?,
                register_core::moved::moved_to(c)?,
            ))
        })
        .await?;
    Ok(RegisterInfo {
        file_name: file_name(&path),
        path: path.display().to_string(),
        settings,
        read_only,
        backups_dir: state.backups.as_ref().map(|d| d.display().to_string()),
        team: None,
        sign_in: None,
        fixed_by_environment: state.origin == Origin::Environment,
        moved,
    })
}

/// The native dialog for Open another register…'s register file; `None` when cancelled.
#[tauri::command]
pub async fn pick_register_file(state: St<'_>) -> CmdResult<Option<String>> {
    let picked = state.dialogs.pick_register().await;
    Ok(picked.map(|p| p.display().to_string()))
}

/// Open another register…: checks `register` (a register file's path, or a team register's
/// URL without a password, over TLS with the server's certificate checked or through the Unix
/// socket), remembers it as the one the app opens, and starts the app again on it. Nothing is
/// remembered when it is refused.
#[tauri::command]
pub async fn open_register(
    state: St<'_>,
    app: tauri::AppHandle,
    register: String,
) -> CmdResult<()> {
    if state.origin == Origin::Environment {
        return Err(CmdError::refused(
            "This window was started with ASSET_REGISTER_DB naming its register, which would \
             override a choice made here; start it without that variable to choose.",
        ));
    }
    let register = Register::parse(register.trim());
    match &register {
        Register::Team(url) => check_team_url(url)?,
        Register::File(path) => {
            if !path.is_file() {
                return Err(CmdError::refused(format!(
                    "There is no register file at {}.",
                    path.display()
                ))
                .on_field("register"));
            }
            if state.register.as_deref() == Some(path.as_path()) && state.team.is_none() {
                return Err(
                    CmdError::refused("That register is the one open now.").on_field("register")
                );
            }
        }
    }
    crate::state::blocking(move || register_core::opening::remember(&register)).await?;
    log::info!("another register chosen: the app starts again on it");
    if state.dialogs.test_mode() {
        // Under WebDriver a restarted app would run outside the test's session: the test starts
        // it again itself, as a person would.
        app.exit(0);
    } else {
        app.request_restart();
    }
    Ok(())
}

/// Refuses a team register's URL the app would refuse to connect with, or that carries a
/// password (kept in the keychain, never in the app's settings), before anything is sent.
fn check_team_url(url: &str) -> CmdResult<()> {
    let refused =
        |e: register_pg::Error| CmdError::refused(capitalise(&e.to_string())).on_field("register");
    register_pg::secret::url_for_settings(url).map_err(refused)?;
    register_pg::connect::Target::parse(url)
        .and_then(|t| t.roots())
        .map_err(refused)?;
    Ok(())
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
        .ok_or_else(|| CmdError::refused("This window is for a register file."))?;
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
