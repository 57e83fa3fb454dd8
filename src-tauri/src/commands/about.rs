//! Settings → About: the app's version and licence, the open register (its file, schema
//! version and audit-chain head), where the log is written, and the licences of what the app
//! ships (`src-tauri/third-party.json`, written from Cargo.lock by `.ci/third-party`).

use register_core::{audit, schema};
use serde::{Deserialize, Serialize};

use super::{CmdResult, St};

/// What Settings → About shows.
#[derive(Serialize)]
pub struct About {
    /// The app's version (`Cargo.toml`).
    version: &'static str,
    /// The open register's full path (null when none is open).
    register_path: Option<String>,
    /// The register schema this version reads and writes (`PRAGMA user_version`; a team
    /// register's `schema_version`).
    schema_version: i64,
    /// How many events the audit chain holds (null when no register is open).
    events: Option<i64>,
    /// The last event's hash (null when no register is open).
    head: Option<String>,
    /// The app's licence.
    licence: &'static str,
    /// The log file (null when the OS has no log folder).
    log_path: Option<String>,
    /// The libraries and the font shipped in the app, with their licences.
    third_party: Vec<ThirdParty>,
}

/// A library or font the app ships.
#[derive(Debug, Serialize, Deserialize)]
pub struct ThirdParty {
    name: String,
    version: String,
    licence: String,
}

/// The list `.ci/third-party` writes (CI checks it matches Cargo.lock).
fn third_party() -> Vec<ThirdParty> {
    serde_json::from_str(include_str!("../../third-party.json")).unwrap_or_default()
}

/// Answers even when the register is unavailable, since that is when the log matters most.
#[tauri::command]
pub async fn about(state: St<'_>, app: tauri::AppHandle) -> CmdResult<About> {
    let db = state.db().ok();
    let schema_version = match state.team() {
        Some(_) => register_pg::schema::VERSION,
        None => schema::VERSION,
    };
    let (register_path, (events, head)) = match (state.team(), db) {
        // A team register: its URL (never with a password) and its chain's head, which a
        // viewer's login may not read.
        (Some(team), _) => {
            let url = team.url().to_string();
            let head = crate::state::team_read(team, |tx| register_pg::audit::head(tx))
                .await
                .map_or((None, None), |(n, h)| (Some(n), Some(h)));
            (Some(url), head)
        }
        (None, Some(db)) => (
            db.path().map(|p| p.display().to_string()),
            state
                .read(audit::head)
                .await
                .map(|(n, h)| (Some(n), Some(h)))?,
        ),
        (None, None) => (None, (None, None)),
    };
    Ok(About {
        version: env!("CARGO_PKG_VERSION"),
        register_path,
        schema_version,
        events,
        head,
        licence: "MIT",
        log_path: crate::logging::log_path(&app).map(|p| p.display().to_string()),
        third_party: third_party(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_third_party_list_names_what_the_app_ships() {
        let list = third_party();
        for name in ["tauri", "rusqlite", "pdf-writer", "serde", "csv"] {
            assert!(list.iter().any(|t| t.name == name), "{name} is listed");
        }
        assert!(list.iter().any(|t| t.name.starts_with("DejaVu")));
        assert!(list.iter().all(|t| !t.licence.is_empty()));
    }
}
