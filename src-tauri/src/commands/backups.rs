//! Backup… and Restore… in the window: one-file backups written where the user chooses, the
//! list of automatic backups, and a restore that checks the archive, closes the register, swaps
//! the files (core `backup::restore_backup`) and opens the restored register.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use register_core::backup::{self, Manifest};
use register_core::lock::RegisterLock;
use register_core::Db;
use serde::Serialize;

use super::{file_name, CmdResult, St};
use crate::dialogs::BACKUP_FILTER;
use crate::error::CmdError;
use crate::state::blocking;

/// A backup file and what it holds.
#[derive(Serialize)]
pub struct BackupInfo {
    path: String,
    file_name: String,
    created_at: String,
    event_count: i64,
    documents: usize,
    size: u64,
}

impl BackupInfo {
    /// What the window shows of the backup at `path`, from its manifest.
    pub fn new(path: &Path, m: &Manifest) -> BackupInfo {
        BackupInfo {
            path: path.display().to_string(),
            file_name: file_name(path),
            created_at: m.created_at.clone(),
            event_count: m.event_count,
            documents: m
                .files
                .keys()
                .filter(|k| k.starts_with("documents/"))
                .count(),
            size: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        }
    }
}

/// One of the automatic backups.
#[derive(Serialize)]
pub struct AutoBackup {
    path: String,
    file_name: String,
    size: u64,
    /// When it was written (RFC 3339, UTC).
    written_at: Option<String>,
}

/// What a restore did.
#[derive(Serialize)]
pub struct Restored {
    backup: BackupInfo,
    /// Where the register it replaced was kept.
    previous_kept_at: Option<String>,
}

/// Writes a backup where the user chooses (native dialog); `None` if cancelled.
#[tauri::command]
pub async fn backup_register(state: St<'_>) -> CmdResult<Option<BackupInfo>> {
    state.db()?;
    let name = format!(
        "asset-register-backup-{}.tar",
        chrono::Local::now().format("%Y-%m-%d-%H%M")
    );
    let dialog = state
        .dialogs
        .save("Back up the register", &name, Some(BACKUP_FILTER));
    let Some(out) = dialog.await else {
        return Ok(None);
    };
    let store = state.store.clone();
    state
        .blocking(move |db| {
            let m = backup::write_backup(db, &store, &out)?;
            Ok(Some(BackupInfo::new(&out, &m)))
        })
        .await
}

/// The automatic backups, newest first. Refused when the register could not be opened because
/// another window has it: that window is where to restore it.
#[tauri::command]
pub async fn list_backups(state: St<'_>) -> CmdResult<Vec<AutoBackup>> {
    let Some(dir) = state.backups.clone() else {
        return Ok(vec![]);
    };
    let unavailable = state.db().is_err();
    let claimed = state.claim.lock().is_ok_and(|c| c.is_some());
    if let (true, false, Some(path)) = (unavailable, claimed, state.register.as_deref()) {
        if RegisterLock::is_held(path) {
            return Err(CmdError::refused(
                "Another Asset Register window has this register open; restore it from there.",
            ));
        }
    }
    blocking(move || {
        Ok(backup::list_auto_backups(&dir)
            .into_iter()
            .map(|p| {
                let meta = std::fs::metadata(&p).ok();
                AutoBackup {
                    file_name: file_name(&p),
                    size: meta.as_ref().map(|m| m.len()).unwrap_or(0),
                    written_at: meta.and_then(|m| m.modified().ok()).map(|t| {
                        chrono::DateTime::<chrono::Utc>::from(t)
                            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    }),
                    path: p.display().to_string(),
                }
            })
            .collect())
    })
    .await
}

/// Asks which backup to restore (native dialog, opening in the automatic backups' folder).
#[tauri::command]
pub async fn pick_backup(state: St<'_>) -> CmdResult<Option<String>> {
    let picked = state.dialogs.pick_backup(state.backups.as_deref()).await;
    Ok(picked.map(|p| p.display().to_string()))
}

/// Checks a backup completely (hashes, database integrity, audit chain) without restoring it.
#[tauri::command]
pub async fn check_backup_file(path: String) -> CmdResult<BackupInfo> {
    let path = PathBuf::from(path);
    blocking(move || {
        let m = backup::check_backup(&path)?;
        Ok(BackupInfo::new(&path, &m))
    })
    .await
}

/// Replaces the register with a backup: checks it, closes the register, restores (keeping the
/// replaced register beside it) and opens the result. Nothing changes if any step before the
/// swap fails. The window's title names the register that is open afterwards.
///
/// Also works when the register could not be opened at all (its file is damaged or missing):
/// the window's error screen offers this, and then the restore replaces whatever is there.
#[tauri::command]
pub async fn restore_register(
    state: St<'_>,
    window: tauri::WebviewWindow,
    path: String,
) -> CmdResult<Restored> {
    let db_path = state
        .register
        .clone()
        .ok_or_else(|| CmdError::internal("the register's file is unknown"))?;
    // Whether a register is open (no handle is kept: the swap waits for every handle to go).
    let is_open = match &*state.db.read().unwrap_or_else(|e| e.into_inner()) {
        Ok(db) => match db.read_only() {
            Some(reason) => return Err(register_core::Error::ReadOnly(reason.to_string()).into()),
            None => true,
        },
        Err(_) => false,
    };
    let archive = PathBuf::from(path);
    // Check first, while the register stays open and usable.
    let checked = archive.clone();
    blocking(move || backup::check_backup(&checked)).await?;

    let (db, result) = match is_open {
        true => {
            let old = {
                let mut slot = state.db.write().unwrap_or_else(|e| e.into_inner());
                std::mem::replace(
                    &mut *slot,
                    Err(
                        "The register is being restored from a backup; this takes a moment.".into(),
                    ),
                )
            }
            .map_err(CmdError::internal)?;
            blocking(move || Ok(swap(old, &archive, &db_path))).await?
        }
        false => {
            // Nothing is open: claim the file (another window may have it), then restore over
            // whatever is there and open the result.
            {
                let mut held = state.claim.lock().unwrap_or_else(|e| e.into_inner());
                if held.is_none() {
                    *held = Some(RegisterLock::acquire(&db_path)?);
                }
            }
            blocking(move || {
                let restored = backup::restore_backup(&archive, &db_path);
                let reopened = Db::open(&db_path).map(Arc::new).map_err(|e| e.to_string());
                Ok((reopened, answer(&archive, restored)))
            })
            .await?
        }
    };
    if let Ok(db) = &db {
        crate::lifecycle::show_in_title(&window, db.path());
    }
    *state.db.write().unwrap_or_else(|e| e.into_inner()) = db;
    result
}

/// The command's answer for a restore's outcome.
fn answer(
    archive: &Path,
    restored: register_core::Result<backup::RestoreSummary>,
) -> CmdResult<Restored> {
    match restored {
        Ok(summary) => Ok(Restored {
            backup: BackupInfo::new(archive, &summary.manifest),
            previous_kept_at: summary.previous_kept_at.map(|p| p.display().to_string()),
        }),
        Err(e) => Err(CmdError::from(e)),
    }
}

/// Closes `old` once nothing else uses it, restores `archive` over `db_path` and reopens.
/// Returns what to put back in the app state and the command's answer.
fn swap(
    old: Arc<Db>,
    archive: &Path,
    db_path: &Path,
) -> (Result<Arc<Db>, String>, CmdResult<Restored>) {
    // Commands already running hold their own handle: wait for them (a PDF export may take a
    // few seconds on a big register), then close so the WAL is folded into the file.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut old = old;
    loop {
        match Arc::try_unwrap(old) {
            Ok(db) => {
                drop(db);
                break;
            }
            Err(still_shared) if Instant::now() < deadline => {
                old = still_shared;
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(still_shared) => {
                let busy = CmdError::refused(
                    "The register is busy (an export or check is running). Nothing was \
                     changed; try again in a moment.",
                );
                return (Ok(still_shared), Err(busy));
            }
        }
    }
    let restored = backup::restore_backup(archive, db_path);
    // Open whatever is now in place: the restored register, or (if the swap failed) the
    // untouched original.
    let reopened = Db::open(db_path).map(Arc::new).map_err(|e| e.to_string());
    (reopened, answer(archive, restored))
}
