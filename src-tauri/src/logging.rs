//! The app's log: `log` records go to a file in the OS log folder (through tauri-plugin-log)
//! and to stderr. On Linux the file is `~/.local/share/org.assetregister.app/logs/asset-register.log`
//! (`$XDG_DATA_HOME` when set); macOS `~/Library/Logs/org.assetregister.app/`; Windows
//! `%LOCALAPPDATA%\org.assetregister.app\logs\`.

use std::path::PathBuf;

use tauri::{Manager, Runtime};
use tauri_plugin_log::{RotationStrategy, Target, TargetKind};

/// The log file's name, without its `.log` extension.
const LOG_NAME: &str = "asset-register";

/// Past this size the file is renamed with its date and a new one begun; two such older files are
/// kept beside it.
const MAX_LOG_BYTES: u128 = 1_000_000;

/// The plugin that installs the logger, with the file and stderr as its targets.
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .targets([
            Target::new(TargetKind::LogDir {
                file_name: Some(LOG_NAME.into()),
            }),
            Target::new(TargetKind::Stderr),
        ])
        .level(log::LevelFilter::Info)
        .max_file_size(MAX_LOG_BYTES)
        .rotation_strategy(RotationStrategy::KeepSome(2))
        .build()
}

/// Where the plugin writes the log; `None` when the OS has no log folder.
pub fn log_path<R: Runtime>(app: &tauri::AppHandle<R>) -> Option<PathBuf> {
    let dir = app.path().app_log_dir().ok()?;
    Some(dir.join(format!("{LOG_NAME}.log")))
}
