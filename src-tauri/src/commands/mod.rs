//! The Tauri commands, one module per domain. Each forwards to one core function through
//! [`AppState`]'s blocking helpers and maps its error to `{kind, message, field}`. No SQL, CSV
//! or PDF here; dialogs live in `crate::dialogs`.

pub mod about;
pub mod assets;
pub mod audit;
pub mod backups;
pub mod categories;
pub mod documents;
pub mod evidence;
pub mod export;
pub mod forecast;
pub mod import;
pub mod labels;
pub mod licences;
pub mod locations;
pub mod offboarding;
pub mod people;
pub mod purchases;
pub mod record;
pub mod register;
pub mod reports;
pub mod scan;
pub mod settings;
pub mod stocktake;
pub mod transfer;
pub mod valuation;

pub use crate::error::CmdResult;
pub use crate::state::AppState;

/// The state argument every command takes.
pub type St<'a> = tauri::State<'a, AppState>;

/// A file's name for the window (`/a/b/register.db` → `register.db`).
pub fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
