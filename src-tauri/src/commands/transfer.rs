//! Getting a register onto a server and back, in the window: Move this register to a server…
//! (a register file copied into an empty team register with its history, by the database's
//! owner, whose password is used once and never kept), and on a team register, Back up now… (the
//! same one-file backup as a file's) and Save as a register file…. Each calls one
//! `register_pg::transfer` function. A moved file is marked as moved (`register_core::moved`)
//! and reopened read-only; Use this file again takes the mark off.

use std::sync::Arc;

use register_core::lock::RegisterLock;
use register_core::{moved, Db, Source};
use register_pg::connect::Target;
use register_pg::secret;
use serde::Serialize;

use super::backups::BackupInfo;
use super::{CmdResult, St};
use crate::dialogs::BACKUP_FILTER;
use crate::error::{capitalise, CmdError};
use crate::state::{blocking, on_team, AppState};
use crate::team::pg_error;

/// What a move or a copy did.
#[derive(Serialize)]
pub struct Transferred {
    /// "3 people, 2 locations, … 41 events", what was copied.
    copied: String,
    /// The chain's event count and head hash where it ended.
    event_count: i64,
    head_hash: String,
    /// Where the copy was written (a copy to a file).
    path: Option<String>,
}

/// Copies this register file into the empty team register at `url`, connecting as the
/// database's owner with `password` (used for this move only, never kept): the file's chain and
/// documents are checked first, everything is copied with its history, and a "moved to server"
/// event continues the chain. The file is then marked as moved and reopened read-only (its
/// banner says where it went); a file marked already is refused.
#[tauri::command]
pub async fn move_to_server(
    state: St<'_>,
    url: String,
    password: String,
    note: Option<String>,
) -> CmdResult<Transferred> {
    if state.team.is_some() {
        return Err(CmdError::refused(
            "This window has a team register open; open the register file to move first.",
        ));
    }
    let mut target = Target::parse(url.trim())
        .map_err(|e| CmdError::refused(capitalise(&e.to_string())).on_field("url"))?;
    if !password.is_empty() {
        target.config_mut().password(password.as_bytes());
    }
    let (to, _) = secret::strip_password(url.trim())
        .map_err(|e| CmdError::refused(capitalise(&e.to_string())).on_field("url"))?;
    let store = state.store.clone();
    let note = note.filter(|n| !n.trim().is_empty());
    let moved = state
        .blocking(move |db| {
            db.read(moved::check_not_moved)?;
            let result = (|| {
                let mut owner = target.connect()?;
                register_pg::transfer::move_in(db, &store, &mut owner, note.as_deref())
            })();
            // The core's errors as they are; the server's as their words, below.
            let moved = result.map_err(|e| register_core::Error::Refused(pg_error(e).message))?;
            // The file is marked, so no change goes into it by mistake from now on.
            let (file, server) = (&moved.file_head, &moved.server_head);
            moved::mark_moved(
                db,
                Source::App,
                &to,
                (file.0, &file.1),
                (server.0, &server.1),
            )?;
            Ok(moved)
        })
        .await?;
    reopen(&state).await?;
    Ok(Transferred {
        copied: moved.counts.describe(),
        event_count: moved.server_head.0,
        head_hash: moved.server_head.1,
        path: None,
    })
}

/// Takes the moved mark off this register file, so it can be changed again (an audited change
/// with `note`); the team register it went to is not touched, and from here on the two are
/// separate registers.
#[tauri::command]
pub async fn use_file_again(state: St<'_>, note: Option<String>) -> CmdResult<()> {
    if state.team.is_some() {
        return Err(CmdError::refused("This window has a team register open."));
    }
    let path = state
        .register
        .clone()
        .ok_or_else(|| CmdError::internal("the register's file is unknown"))?;
    {
        // A moved file was opened without claiming it; it is about to be changed.
        let mut held = state.claim.lock().unwrap_or_else(|e| e.into_inner());
        if held.is_none() {
            *held = Some(RegisterLock::acquire(&path)?);
        }
    }
    let note = note.filter(|n| !n.trim().is_empty());
    blocking(move || moved::use_again(&path, Source::App, note.as_deref())).await?;
    reopen(&state).await
}

/// Opens the register file again, so the window sees whether it is marked as moved.
async fn reopen(state: &AppState) -> CmdResult<()> {
    let Some(path) = state.register.clone() else {
        return Ok(());
    };
    let db = blocking(move || Db::open(&path)).await?;
    *state.db.write().unwrap_or_else(|e| e.into_inner()) = Ok(Arc::new(db));
    Ok(())
}

/// Back up now… on a team register: the register read in one snapshot from the server,
/// written as the same one-file backup a register file's is (native save dialog; `None` when
/// cancelled).
#[tauri::command]
pub async fn backup_team_register(state: St<'_>) -> CmdResult<Option<BackupInfo>> {
    let team = state
        .team()
        .ok_or_else(|| CmdError::refused("This window has a register file open."))?;
    let name = format!(
        "asset-register-backup-{}.tar",
        chrono::Local::now().format("%Y-%m-%d-%H%M")
    );
    let Some(out) = state
        .dialogs
        .save("Back up the team register", &name, Some(BACKUP_FILTER))
        .await
    else {
        return Ok(None);
    };
    on_team(team, move |t| {
        t.run(|client, _| {
            let m = register_pg::transfer::backup_to(client, &out).map_err(pg_error)?;
            Ok(Some(BackupInfo::new(&out, &m)))
        })
    })
    .await
}

/// Save as a register file… on a team register: a new register file with every record, document
/// and event, verifying to the server's head (native save dialog; `None` when cancelled).
#[tauri::command]
pub async fn export_team_register(state: St<'_>) -> CmdResult<Option<Transferred>> {
    let team = state
        .team()
        .ok_or_else(|| CmdError::refused("This window has a register file open."))?;
    let name = format!("{}.db", team.info().database);
    let Some(out) = state
        .dialogs
        .save(
            "Save the team register as a register file",
            &name,
            Some(("Asset Register file", &["db"])),
        )
        .await
    else {
        return Ok(None);
    };
    on_team(team, move |t| {
        t.run(|client, _| {
            let done = register_pg::transfer::export_to_file(client, &out).map_err(pg_error)?;
            Ok(Some(Transferred {
                copied: done.counts.describe(),
                event_count: done.head.0,
                head_hash: done.head.1,
                path: Some(out.display().to_string()),
            }))
        })
    })
    .await
}
