//! The register across the window's life: claiming and opening it, naming it in
//! the window's title, and the automatic backups (at start when a day old, at exit when
//! anything changed).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use register_core::documents::DocumentStore;
use register_core::lock::RegisterLock;
use register_core::Db;
use tauri::Manager;

use crate::error::capitalise;
use crate::state::AppState;

/// How many automatic backups are kept.
const KEEP_BACKUPS: usize = 10;

/// Claims and opens the register at `path`: the register (or why it is unavailable) and this
/// window's claim on it.
///
/// One writable window per register, claimed before the register is opened, so a second window
/// neither opens nor migrates a register another window has. A read-only window takes no claim
/// (it cannot change anything), so it opens beside a writable one.
pub fn open_register(path: &Path) -> (Result<Arc<Db>, String>, Option<RegisterLock>) {
    let claim = register_core::db::read_only_reason(path)
        .is_none()
        .then(|| {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir); // a failure is reported by the open below
            }
            RegisterLock::acquire(path)
        });
    if let Some(Err(e @ register_core::Error::Refused(_))) = &claim {
        return (Err(capitalise(&e.to_string())), None);
    }
    let db = match Db::open(path) {
        Ok(db) => Arc::new(db),
        Err(e) => return (Err(e.to_string()), None),
    };
    if db.read_only().is_some() {
        return (Ok(db), None);
    }
    match claim {
        Some(Ok(claim)) => (Ok(db), Some(claim)),
        Some(Err(e)) => (Err(capitalise(&e.to_string())), None),
        None => (Ok(db), None),
    }
}

/// `<register folder>/<register name>-backups/`.
pub fn backup_dir(db_path: &Path) -> PathBuf {
    let stem = db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    db_path
        .parent()
        .unwrap_or(Path::new("."))
        .join(format!("{stem}-backups"))
}

/// "Asset Register — register.db": the window names the open register's file (About has the
/// full path).
pub fn show_in_title<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>, db_path: Option<&Path>) {
    let title = match db_path.and_then(Path::file_name) {
        Some(name) => format!("Asset Register — {}", name.to_string_lossy()),
        None => "Asset Register".to_string(),
    };
    set_title(window, &title);
}

fn set_title<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>, title: &str) {
    if let Err(e) = window.set_title(title) {
        log::warn!("cannot set the window title: {e}");
    }
}

/// Once the window exists: says in the log what was opened, names the register in the title,
/// and backs it up in the background when the newest automatic backup is a day old.
pub fn on_start(app: &tauri::AppHandle, db_path: Option<&Path>) {
    log::info!(
        "Asset Register {} started on {}",
        env!("CARGO_PKG_VERSION"),
        db_path.map_or("no register file".into(), |p| p.display().to_string())
    );
    let state = app.state::<AppState>();
    match state.db() {
        Ok(db) if db.read_only().is_some() => {
            log::info!("open read-only: {}", db.read_only().unwrap_or_default())
        }
        Ok(_) => {}
        Err(e) => log::error!("{}", e.message),
    }
    if let Some(window) = app.get_webview_window("main") {
        match state.team() {
            // "Asset Register — register on db.example.org": a team register by its database.
            Some(team) => {
                let info = team.info();
                log::info!("team register: {}", team.url());
                set_title(
                    &window,
                    &format!("Asset Register — {} on {}", info.database, info.server),
                );
            }
            None => show_in_title(&window, db_path),
        }
    }
    if let (Ok(db), Some(dir), true) = (state.db(), &state.backups, state.writable()) {
        // A daily safety net.
        let (store, dir) = (state.store.clone(), dir.clone());
        std::thread::spawn(move || {
            let stale = register_core::backup::newest_auto_backup_age(&dir)
                .is_none_or(|age| age > Duration::from_secs(24 * 3600));
            if stale {
                auto_backup(&db, &store, &dir);
            }
        });
    }
}

/// On exit: a backup if anything changed since the last one (`writable`: as the register was
/// at start; a register that was read-only then is not backed up).
pub fn on_exit(state: &AppState, writable: bool) {
    if let (Ok(db), Some(dir), true) = (state.db(), &state.backups, writable) {
        auto_backup(&db, &state.store, dir);
    }
}

fn auto_backup(db: &Db, store: &DocumentStore, dir: &Path) {
    match register_core::backup::auto_backup(db, store, dir, KEEP_BACKUPS) {
        Ok(Some(p)) => log::info!("backup written to {}", p.display()),
        Ok(None) => {}
        Err(e) => log::error!("automatic backup failed: {e}"),
    }
}
