//! The licence, renewals and offboarding commands: each forwards to one core function, like
//! the rest of `commands` (whose `AppState` helpers they use).

use register_core::documents::{self, DocKind, Document};
use register_core::licences::{self, Licence, LicenceInput, Seat};
use register_core::offboarding::{self, Checklist, ItemKind, Resolution};
use register_core::renewals::{self, DueSoon, Forecast};
use register_core::report::{self, Paper};
use register_core::{audit, values, Error, Event, Source};
use tauri::State;

use super::{AppState, AttachOutcome, Exported, Res, St};
use crate::documents::Drops;
use crate::error::CmdError;

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

// ---------------------------------------------------------------------------------------------
// A licence's documents: the same store, dialogs and drops as an asset's.

impl AppState {
    async fn attach_to_licence(
        &self,
        id: i64,
        paths: Vec<std::path::PathBuf>,
        kind: Option<DocKind>,
    ) -> Res<AttachOutcome> {
        self.attach_with(documents::attach_licence_file, id, paths, kind)
            .await
    }

    async fn licence_document(&self, id: i64, document_id: i64) -> Res<Document> {
        self.read(move |c| documents::get_licence_document(c, id, document_id))
            .await
    }
}

#[tauri::command]
pub async fn list_licence_documents(state: St<'_>, id: i64) -> Res<Vec<Document>> {
    state
        .read(move |c| documents::list_licence_documents(c, id))
        .await
}

#[tauri::command]
pub async fn attach_dropped_licence(
    state: St<'_>,
    drops: State<'_, Drops>,
    id: i64,
    drop_id: u64,
    kind: Option<DocKind>,
) -> Res<AttachOutcome> {
    let paths = drops.take(drop_id).ok_or_else(|| CmdError {
        kind: "notFound",
        message: "That drop is no longer available; drop the files again.".into(),
        field: None,
    })?;
    state.attach_to_licence(id, paths, kind).await
}

#[tauri::command]
pub async fn pick_and_attach_licence(
    state: St<'_>,
    id: i64,
    kind: Option<DocKind>,
) -> Res<AttachOutcome> {
    let picked = rfd::AsyncFileDialog::new()
        .set_title("Attach documents")
        .pick_files()
        .await;
    let paths = picked
        .unwrap_or_default()
        .into_iter()
        .map(|f| f.path().to_path_buf())
        .collect();
    state.attach_to_licence(id, paths, kind).await
}

#[tauri::command]
pub async fn remove_licence_document(
    state: St<'_>,
    id: i64,
    document_id: i64,
    note: Option<String>,
) -> Res<Document> {
    let (db, store) = (state.db()?, state.store.clone());
    tauri::async_runtime::spawn_blocking(move || {
        documents::remove_licence_document(
            &db,
            &store,
            Source::App,
            id,
            document_id,
            note.as_deref(),
        )
    })
    .await
    .map_err(CmdError::internal)?
    .map_err(CmdError::from)
}

#[tauri::command]
pub async fn set_licence_document_kind(
    state: St<'_>,
    id: i64,
    document_id: i64,
    kind: DocKind,
) -> Res<Document> {
    state
        .write(move |tx| documents::set_licence_document_kind(tx, id, document_id, kind))
        .await
}

/// Asks where to save a copy (native dialog); `None` when the user cancelled.
#[tauri::command]
pub async fn save_licence_document_copy(
    state: St<'_>,
    id: i64,
    document_id: i64,
) -> Res<Option<String>> {
    let doc = state.licence_document(id, document_id).await?;
    let Some(target) = rfd::AsyncFileDialog::new()
        .set_title("Save a copy")
        .set_file_name(&doc.name)
        .save_file()
        .await
    else {
        return Ok(None);
    };
    let out = target.path().to_path_buf();
    let store = state.store.clone();
    tauri::async_runtime::spawn_blocking(move || {
        store
            .save_copy(&doc, &out)
            .map(|_| Some(out.display().to_string()))
    })
    .await
    .map_err(CmdError::internal)?
    .map_err(CmdError::from)
}

#[tauri::command]
pub async fn open_licence_document(state: St<'_>, id: i64, document_id: i64) -> Res<()> {
    let doc = state.licence_document(id, document_id).await?;
    let path = state.store.verified_path(&doc).map_err(CmdError::from)?;
    crate::documents::open_with_viewer(&path, &doc.name, &doc.sha256).map_err(|message| CmdError {
        kind: "refused",
        message,
        field: None,
    })
}
