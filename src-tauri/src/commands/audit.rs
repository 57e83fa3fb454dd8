//! Audit commands: the latest events, the chain's head and the register's full check, on a
//! register file or a team register.

use register_core::documents::{verify_documents, DocumentProblem};
use register_core::{audit, Event, Verification};
use serde::Serialize;

use super::{CmdResult, St};
use crate::state::{on_team, team_read};
use crate::team::pg_error;

/// An event as the window shows it: on a team register, with who wrote it (the person and
/// their login), which a file does not keep.
#[derive(Serialize)]
pub struct ShownEvent {
    #[serde(flatten)]
    event: Event,
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<String>,
}

/// A register file's events as the window shows them.
pub fn shown(events: Vec<Event>) -> Vec<ShownEvent> {
    events
        .into_iter()
        .map(|event| ShownEvent { event, by: None })
        .collect()
}

/// A team register's events as the window shows them: each with who wrote it. A login that
/// may not read the trail reads no history at all, so this reads nothing new for one.
pub fn shown_on_team(
    tx: &mut register_pg::Transaction<'_>,
    events: Vec<Event>,
) -> register_pg::Result<Vec<ShownEvent>> {
    let mut by = register_pg::history::written_by(tx, &events)?;
    Ok(events
        .into_iter()
        .map(|event| ShownEvent {
            by: by.remove(&event.id),
            event,
        })
        .collect())
}

#[tauri::command]
pub async fn list_audit_events(state: St<'_>, limit: Option<u32>) -> CmdResult<Vec<ShownEvent>> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| {
            let events = register_pg::history::recent_events(tx, limit)?;
            shown_on_team(tx, events)
        })
        .await;
    }
    state
        .read(move |c| audit::list_audit_events(c, limit).map(shown))
        .await
}

/// The chain's head as it stands: what the window shows after each write, without the full
/// check (which follows in the background).
#[derive(Serialize)]
pub struct Head {
    event_count: i64,
    head_hash: String,
}

#[tauri::command]
pub async fn audit_head(state: St<'_>) -> CmdResult<Head> {
    if let Some(team) = state.team() {
        let (event_count, head_hash) = team_read(team, |tx| register_pg::audit::head(tx)).await?;
        return Ok(Head {
            event_count,
            head_hash,
        });
    }
    state
        .read(|c| {
            let (event_count, head_hash) = audit::head(c)?;
            Ok(Head {
                event_count,
                head_hash,
            })
        })
        .await
}

/// The register's full check: the database, the audit chain and every stored document.
#[derive(Serialize)]
pub struct RegisterCheck {
    #[serde(flatten)]
    chain: Verification,
    document_problems: Vec<DocumentProblem>,
}

#[tauri::command]
pub async fn verify_register(state: St<'_>) -> CmdResult<RegisterCheck> {
    if let Some(team) = state.team() {
        let checked = on_team(team, |t| {
            t.run(|client, _| register_pg::verify::verify(client).map_err(pg_error))
        })
        .await?;
        let ok = checked.ok();
        let mut chain = checked.verification;
        chain.ok = ok;
        return Ok(RegisterCheck {
            chain,
            document_problems: checked.document_problems,
        });
    }
    let store = state.store.clone();
    state
        .read_long(move |c| {
            let mut chain = audit::verify(c)?;
            let document_problems = verify_documents(c, &store)?;
            chain.ok &= document_problems.is_empty();
            Ok(RegisterCheck {
                chain,
                document_problems,
            })
        })
        .await
}
