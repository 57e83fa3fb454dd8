//! Licence commands: the list, one licence, its seats and history, and the renewals forecast.
//! All but the forecast work on a team register too, where a save names the row version read.

use register_core::audit;
use register_core::licences::{self, Licence, LicenceInput, Seat};
use register_core::renewals::{self, DueSoon, Forecast};
use register_pg::licences as pg;

use super::audit::{shown, shown_on_team, ShownEvent};
use super::record::{read_version, Read};
use super::{CmdResult, St};
use crate::state::{team_read, team_write};

/// A licence as the window reads it (on a team register, with its row version).
type Shown = Read<Licence>;

#[tauri::command]
pub async fn list_licences(state: St<'_>, include_archived: Option<bool>) -> CmdResult<Vec<Shown>> {
    let all = include_archived.unwrap_or(false);
    if let Some(team) = state.team() {
        return team_read(team, move |tx| {
            Ok(pg::list_licences(tx, all)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await;
    }
    state
        .read(move |c| {
            Ok(licences::list_licences(c, all)?
                .into_iter()
                .map(Read::file)
                .collect())
        })
        .await
}

#[tauri::command]
pub async fn get_licence(state: St<'_>, id: i64) -> CmdResult<Shown> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| pg::get_licence(tx, id).map(Into::into)).await;
    }
    state
        .read(move |c| licences::get_licence(c, id).map(Read::file))
        .await
}

#[tauri::command]
pub async fn create_licence(
    state: St<'_>,
    input: LicenceInput,
    note: Option<String>,
) -> CmdResult<Shown> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            pg::create_licence(tx, &input, note.as_deref()).map(Into::into)
        })
        .await;
    }
    state
        .write(move |tx| licences::create_licence(tx, &input, note.as_deref()).map(Read::file))
        .await
}

#[tauri::command]
pub async fn update_licence(
    state: St<'_>,
    id: i64,
    patch: LicenceInput,
    note: Option<String>,
    version: Option<i64>,
) -> CmdResult<Shown> {
    if let Some(team) = state.team() {
        let read = read_version(version)?;
        return team_write(team, move |tx| {
            pg::update_licence(tx, id, read, &patch, note.as_deref()).map(Into::into)
        })
        .await;
    }
    state
        .write(move |tx| licences::update_licence(tx, id, &patch, note.as_deref()).map(Read::file))
        .await
}

#[tauri::command]
pub async fn archive_licence(
    state: St<'_>,
    id: i64,
    note: Option<String>,
    version: Option<i64>,
) -> CmdResult<Shown> {
    if let Some(team) = state.team() {
        let read = read_version(version)?;
        return team_write(team, move |tx| {
            pg::archive_licence(tx, id, read, note.as_deref()).map(Into::into)
        })
        .await;
    }
    state
        .write(move |tx| licences::archive_licence(tx, id, note.as_deref()).map(Read::file))
        .await
}

#[tauri::command]
pub async fn reveal_licence_key(state: St<'_>, id: i64) -> CmdResult<Option<String>> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| pg::reveal_licence_key(tx, id)).await;
    }
    state
        .read(move |c| licences::reveal_licence_key(c, id))
        .await
}

#[tauri::command]
pub async fn list_licence_seats(state: St<'_>, id: i64) -> CmdResult<Vec<Seat>> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| pg::list_seats(tx, id)).await;
    }
    state.read(move |c| licences::list_seats(c, id)).await
}

#[tauri::command]
pub async fn list_person_seats(state: St<'_>, id: i64) -> CmdResult<Vec<Seat>> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| pg::person_seats(tx, id)).await;
    }
    state.read(move |c| licences::person_seats(c, id)).await
}

#[tauri::command]
pub async fn assign_seat(
    state: St<'_>,
    id: i64,
    person: String,
    note: Option<String>,
) -> CmdResult<Shown> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            pg::assign_seat(tx, id, &person, note.as_deref()).map(Into::into)
        })
        .await;
    }
    state
        .write(move |tx| licences::assign_seat(tx, id, &person, note.as_deref()).map(Read::file))
        .await
}

#[tauri::command]
pub async fn release_seat(
    state: St<'_>,
    id: i64,
    person_id: i64,
    note: Option<String>,
) -> CmdResult<Shown> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            pg::release_seat(tx, id, person_id, note.as_deref()).map(Into::into)
        })
        .await;
    }
    state
        .write(move |tx| licences::release_seat(tx, id, person_id, note.as_deref()).map(Read::file))
        .await
}

#[tauri::command]
pub async fn list_licence_history(state: St<'_>, id: i64) -> CmdResult<Vec<ShownEvent>> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| {
            let events = register_pg::history::entity_events(tx, "licence", id)?;
            shown_on_team(tx, events)
        })
        .await;
    }
    state
        .read(move |c| audit::list_entity_events(c, "licence", id).map(shown))
        .await
}

#[tauri::command]
pub async fn get_renewals(state: St<'_>) -> CmdResult<Forecast> {
    // On a team register, from its local copy, as the budget forecast is.
    state
        .read_copy(|c| renewals::forecast(c, register_core::today()))
        .await
}

#[tauri::command]
pub async fn get_due_soon(state: St<'_>) -> CmdResult<DueSoon> {
    if let Some(team) = state.team() {
        return team_read(team, |tx| {
            register_pg::summary::due_soon(tx, register_core::today())
        })
        .await;
    }
    state
        .read(|c| renewals::due_soon(c, register_core::today()))
        .await
}
