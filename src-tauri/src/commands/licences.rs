//! Licence commands: the list, one licence, its seats and history, and the renewals forecast.

use register_core::licences::{self, Licence, LicenceInput, Seat};
use register_core::renewals::{self, DueSoon, Forecast};
use register_core::{audit, Event};

use super::{CmdResult, St};

#[tauri::command]
pub async fn list_licences(
    state: St<'_>,
    include_archived: Option<bool>,
) -> CmdResult<Vec<Licence>> {
    let all = include_archived.unwrap_or(false);
    state.read(move |c| licences::list_licences(c, all)).await
}

#[tauri::command]
pub async fn get_licence(state: St<'_>, id: i64) -> CmdResult<Licence> {
    state.read(move |c| licences::get_licence(c, id)).await
}

#[tauri::command]
pub async fn create_licence(
    state: St<'_>,
    input: LicenceInput,
    note: Option<String>,
) -> CmdResult<Licence> {
    state
        .write(move |tx| licences::create_licence(tx, &input, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn update_licence(
    state: St<'_>,
    id: i64,
    patch: LicenceInput,
    note: Option<String>,
) -> CmdResult<Licence> {
    state
        .write(move |tx| licences::update_licence(tx, id, &patch, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn archive_licence(state: St<'_>, id: i64, note: Option<String>) -> CmdResult<Licence> {
    state
        .write(move |tx| licences::archive_licence(tx, id, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn reveal_licence_key(state: St<'_>, id: i64) -> CmdResult<Option<String>> {
    state
        .read(move |c| licences::reveal_licence_key(c, id))
        .await
}

#[tauri::command]
pub async fn list_licence_seats(state: St<'_>, id: i64) -> CmdResult<Vec<Seat>> {
    state.read(move |c| licences::list_seats(c, id)).await
}

#[tauri::command]
pub async fn list_person_seats(state: St<'_>, id: i64) -> CmdResult<Vec<Seat>> {
    state.read(move |c| licences::person_seats(c, id)).await
}

#[tauri::command]
pub async fn assign_seat(
    state: St<'_>,
    id: i64,
    person: String,
    note: Option<String>,
) -> CmdResult<Licence> {
    state
        .write(move |tx| licences::assign_seat(tx, id, &person, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn release_seat(
    state: St<'_>,
    id: i64,
    person_id: i64,
    note: Option<String>,
) -> CmdResult<Licence> {
    state
        .write(move |tx| licences::release_seat(tx, id, person_id, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn list_licence_history(state: St<'_>, id: i64) -> CmdResult<Vec<Event>> {
    state
        .read(move |c| audit::list_entity_events(c, "licence", id))
        .await
}

#[tauri::command]
pub async fn get_renewals(state: St<'_>) -> CmdResult<Forecast> {
    state
        .read(|c| renewals::forecast(c, register_core::today()))
        .await
}

#[tauri::command]
pub async fn get_due_soon(state: St<'_>) -> CmdResult<DueSoon> {
    state
        .read(|c| renewals::due_soon(c, register_core::today()))
        .await
}
