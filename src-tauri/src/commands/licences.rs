//! The licence, renewals and offboarding commands: each forwards to one core function, like
//! the rest of `commands` (whose `AppState` helpers they use).

use register_core::licences::{self, Licence, LicenceInput, Seat};
use register_core::offboarding::{self, Checklist, ItemKind, Resolution};
use register_core::renewals::{self, DueSoon, Forecast};
use register_core::report::{self, Paper};
use register_core::{audit, values, Error, Event};

use super::{Exported, Res, St};

#[tauri::command]
pub async fn list_licences(state: St<'_>, include_archived: Option<bool>) -> Res<Vec<Licence>> {
    let all = include_archived.unwrap_or(false);
    state.read(move |c| licences::list_licences(c, all)).await
}

#[tauri::command]
pub async fn get_licence(state: St<'_>, id: i64) -> Res<Licence> {
    state.read(move |c| licences::get_licence(c, id)).await
}

#[tauri::command]
pub async fn create_licence(
    state: St<'_>,
    input: LicenceInput,
    note: Option<String>,
) -> Res<Licence> {
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
) -> Res<Licence> {
    state
        .write(move |tx| licences::update_licence(tx, id, &patch, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn archive_licence(state: St<'_>, id: i64, note: Option<String>) -> Res<Licence> {
    state
        .write(move |tx| licences::archive_licence(tx, id, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn reveal_licence_key(state: St<'_>, id: i64) -> Res<Option<String>> {
    state
        .read(move |c| licences::reveal_licence_key(c, id))
        .await
}

#[tauri::command]
pub async fn list_licence_seats(state: St<'_>, id: i64) -> Res<Vec<Seat>> {
    state.read(move |c| licences::list_seats(c, id)).await
}

#[tauri::command]
pub async fn list_person_seats(state: St<'_>, id: i64) -> Res<Vec<Seat>> {
    state.read(move |c| licences::person_seats(c, id)).await
}

#[tauri::command]
pub async fn assign_seat(
    state: St<'_>,
    id: i64,
    person: String,
    note: Option<String>,
) -> Res<Licence> {
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
) -> Res<Licence> {
    state
        .write(move |tx| licences::release_seat(tx, id, person_id, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn list_licence_history(state: St<'_>, id: i64) -> Res<Vec<Event>> {
    state
        .read(move |c| audit::list_entity_events(c, "licence", id))
        .await
}

#[tauri::command]
pub async fn get_renewals(state: St<'_>) -> Res<Forecast> {
    state
        .read(|c| renewals::forecast(c, register_core::today()))
        .await
}

#[tauri::command]
pub async fn get_due_soon(state: St<'_>) -> Res<DueSoon> {
    state
        .read(|c| renewals::due_soon(c, register_core::today()))
        .await
}

#[tauri::command]
pub async fn get_offboarding(state: St<'_>, id: i64) -> Res<Checklist> {
    state.read(move |c| offboarding::get_checklist(c, id)).await
}

#[tauri::command]
pub async fn start_offboarding(
    state: St<'_>,
    id: i64,
    leaving_on: String,
    note: Option<String>,
) -> Res<Checklist> {
    state
        .write(move |tx| {
            let day = values::parse_date("leaving_on", &leaving_on)?
                .ok_or_else(|| Error::invalid("leaving_on", "choose the leaving date"))?;
            offboarding::start_offboarding(tx, id, day, note.as_deref())
        })
        .await
}

#[tauri::command]
pub async fn resolve_offboarding_item(
    state: St<'_>,
    id: i64,
    kind: ItemKind,
    item_id: i64,
    resolution: Resolution,
    note: Option<String>,
) -> Res<Checklist> {
    state
        .write(move |tx| {
            offboarding::resolve_item(tx, id, kind, item_id, &resolution, note.as_deref())
        })
        .await
}

#[tauri::command]
pub async fn finish_offboarding(state: St<'_>, id: i64, note: Option<String>) -> Res<Checklist> {
    state
        .write(move |tx| offboarding::finish_offboarding(tx, id, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn cancel_offboarding(state: St<'_>, id: i64, note: Option<String>) -> Res<Checklist> {
    state
        .write(move |tx| offboarding::cancel_offboarding(tx, id, note.as_deref()))
        .await
}

/// The printable offboarding checklist as PDF; `None` if cancelled.
#[tauri::command]
pub async fn export_offboarding_pdf(
    state: St<'_>,
    id: i64,
    paper: Option<Paper>,
) -> Res<Option<Exported>> {
    let name = state
        .read(move |c| register_core::people::get_person(c, id))
        .await?
        .name;
    let safe: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let Some(out) = state
        .ask_save_path(
            "Export the offboarding checklist as PDF",
            &format!("offboarding-{safe}.pdf"),
        )
        .await
    else {
        return Ok(None);
    };
    let pdf = state
        .read(move |c| report::render_offboarding_checklist(c, id, paper.unwrap_or_default()))
        .await?;
    state.save_pdf(out, pdf).await.map(Some)
}
