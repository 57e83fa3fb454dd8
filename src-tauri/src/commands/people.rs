//! People commands: the list, one person, their history, and adding, editing or marking them
//! as left, on a register file or a team register (where a save names the row version read).

use register_core::audit;
use register_core::people::{self, Person, PersonInput};
use register_pg::people as pg;

use super::audit::{shown, shown_on_team, ShownEvent};
use super::record::{read_version, Read};
use super::{CmdResult, St};
use crate::state::{team_read, team_write};

#[tauri::command]
pub async fn list_people(state: St<'_>) -> CmdResult<Vec<Person>> {
    if let Some(team) = state.team() {
        return team_read(team, |tx| pg::list_people(tx)).await;
    }
    state.read(people::list_people).await
}

#[tauri::command]
pub async fn get_person(state: St<'_>, id: i64) -> CmdResult<Read<Person>> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| pg::get_person(tx, id).map(Into::into)).await;
    }
    state
        .read(move |c| people::get_person(c, id).map(Read::file))
        .await
}

#[tauri::command]
pub async fn list_person_history(state: St<'_>, id: i64) -> CmdResult<Vec<ShownEvent>> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| {
            let events = register_pg::history::person_events(tx, id)?;
            shown_on_team(tx, events)
        })
        .await;
    }
    state
        .read(move |c| audit::list_person_events(c, id).map(shown))
        .await
}

#[tauri::command]
pub async fn create_person(state: St<'_>, input: PersonInput) -> CmdResult<Read<Person>> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            pg::create_person(tx, &input).map(Into::into)
        })
        .await;
    }
    state
        .write(move |tx| people::create_person(tx, &input).map(Read::file))
        .await
}

#[tauri::command]
pub async fn update_person(
    state: St<'_>,
    id: i64,
    input: PersonInput,
    version: Option<i64>,
) -> CmdResult<Read<Person>> {
    if let Some(team) = state.team() {
        let read = read_version(version)?;
        return team_write(team, move |tx| {
            pg::update_person(tx, id, read, &input).map(Into::into)
        })
        .await;
    }
    state
        .write(move |tx| people::update_person(tx, id, &input).map(Read::file))
        .await
}

#[tauri::command]
pub async fn set_person_left(
    state: St<'_>,
    id: i64,
    left: bool,
    note: Option<String>,
    version: Option<i64>,
) -> CmdResult<Read<Person>> {
    if let Some(team) = state.team() {
        let read = read_version(version)?;
        return team_write(team, move |tx| {
            pg::set_person_left(tx, id, read, left, note.as_deref()).map(Into::into)
        })
        .await;
    }
    state
        .write(move |tx| people::set_person_left(tx, id, left, note.as_deref()).map(Read::file))
        .await
}
