//! Settings → About: the app's version and licence, the open register (its file, schema
//! version and audit-chain head) and where the log is written.

use register_core::{audit, schema};
use serde::Serialize;

use super::{CmdResult, St};

/// What Settings → About shows.
#[derive(Serialize)]
pub struct About {
    /// The app's version (`Cargo.toml`).
    version: &'static str,
    /// The open register's full path (null when none is open).
    register_path: Option<String>,
    /// The register schema this version reads and writes (`PRAGMA user_version`).
    schema_version: i64,
    /// How many events the audit chain holds (null when no register is open).
    events: Option<i64>,
    /// The last event's hash (null when no register is open).
    head: Option<String>,
    /// The app's licence.
    licence: &'static str,
    /// The log file (null when the OS has no log folder).
    log_path: Option<String>,
    /// Notices of the libraries shipped in the app (not listed yet).
    third_party: Vec<serde_json::Value>,
}

/// Answers even when the register is unavailable, since that is when the log matters most.
#[tauri::command]
pub async fn about(state: St<'_>, app: tauri::AppHandle) -> CmdResult<About> {
    let db = state.db().ok();
    let register_path = db
        .as_ref()
        .and_then(|db| db.path())
        .map(|p| p.display().to_string());
    let (events, head) = match db {
        Some(_) => state
            .read(audit::head)
            .await
            .map(|(n, h)| (Some(n), Some(h)))?,
        None => (None, None),
    };
    Ok(About {
        version: env!("CARGO_PKG_VERSION"),
        register_path,
        schema_version: schema::VERSION,
        events,
        head,
        licence: "MIT",
        log_path: crate::logging::log_path(&app).map(|p| p.display().to_string()),
        third_party: Vec::new(),
    })
}
