//! People commands: the list, one person, their history, and adding, editing or marking them
//! as left.

use register_core::people::{self, Person, PersonInput};
use register_core::{audit, Event};

use super::{CmdResult, St};

#[tauri::command]
pub async fn list_people(state: St<'_>) -> CmdResult<Vec<Person>> {
    state.read(people::list_people).await
}

#[tauri::command]
pub async fn get_person(state: St<'_>, id: i64) -> CmdResult<Person> {
    state.read(move |c| people::get_person(c, id)).await
}

#[tauri::command]
pub async fn list_person_history(state: St<'_>, id: i64) -> CmdResult<Vec<Event>> {
    state.read(move |c| audit::list_person_events(c, id)).await
}

#[tauri::command]
pub async fn create_person(state: St<'_>, input: PersonInput) -> CmdResult<Person> {
    state
        .write(move |tx| people::create_person(tx, &input))
        .await
}

#[tauri::command]
pub async fn update_person(state: St<'_>, id: i64, input: PersonInput) -> CmdResult<Person> {
    state
        .write(move |tx| people::update_person(tx, id, &input))
        .await
}

#[tauri::command]
pub async fn set_person_left(
    state: St<'_>,
    id: i64,
    left: bool,
    note: Option<String>,
) -> CmdResult<Person> {
    state
        .write(move |tx| people::set_person_left(tx, id, left, note.as_deref()))
        .await
}
