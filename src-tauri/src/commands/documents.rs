//! Document commands, for an asset's or a licence's documents alike: the owner travels as
//! `{"asset": id}` or `{"licence": id}`. Files arrive by OS drop or the native dialog; each
//! command calls one `register_core::documents` function.

use std::path::PathBuf;

use register_core::documents::{self, DocKind, Document, Owner};
use register_core::Source;
use serde::Serialize;
use tauri::State;

use super::{file_name, AppState, CmdResult, St};
use crate::drops::Drops;
use crate::error::CmdError;
use crate::state::blocking;

/// The result of attaching several files: each is attached or refused on its own.
#[derive(Serialize, Default)]
pub struct AttachOutcome {
    attached: Vec<Document>,
    refused: Vec<Refusal>,
}

/// A file that was not attached, and why.
#[derive(Serialize)]
pub struct Refusal {
    name: String,
    message: String,
}

/// Attaches each file to `owner`, collecting what was attached and, by name, what was refused
/// and why.
async fn attach(
    state: &AppState,
    owner: Owner,
    paths: Vec<PathBuf>,
    kind: Option<DocKind>,
) -> CmdResult<AttachOutcome> {
    let store = state.store.clone();
    state
        .blocking(move |db| {
            let mut out = AttachOutcome::default();
            for p in paths {
                match documents::attach_file_to(db, &store, Source::App, owner, &p, kind, None) {
                    Ok(d) => out.attached.push(d),
                    Err(e) => out.refused.push(Refusal {
                        name: file_name(&p),
                        message: CmdError::from(e).message,
                    }),
                }
            }
            Ok(out)
        })
        .await
}

async fn document(state: &AppState, owner: Owner, document_id: i64) -> CmdResult<Document> {
    state
        .read(move |c| documents::document_of(c, owner, document_id))
        .await
}

#[tauri::command]
pub async fn list_documents(state: St<'_>, owner: Owner) -> CmdResult<Vec<Document>> {
    state.read(move |c| documents::documents_of(c, owner)).await
}

/// Claims the files of an OS drop (`register://drop`) for `owner`.
#[tauri::command]
pub async fn attach_dropped(
    state: St<'_>,
    drops: State<'_, Drops>,
    owner: Owner,
    drop_id: u64,
    kind: Option<DocKind>,
) -> CmdResult<AttachOutcome> {
    let paths = drops.take(drop_id).ok_or_else(|| {
        CmdError::not_found("That drop is no longer available; drop the files again.")
    })?;
    attach(&state, owner, paths, kind).await
}

/// The native "Attach documents" dialog; nothing attached when the user cancels.
#[tauri::command]
pub async fn pick_and_attach(
    state: St<'_>,
    owner: Owner,
    kind: Option<DocKind>,
) -> CmdResult<AttachOutcome> {
    let paths = state.dialogs.pick_files("Attach documents").await;
    attach(&state, owner, paths, kind).await
}

#[tauri::command]
pub async fn remove_document(
    state: St<'_>,
    owner: Owner,
    document_id: i64,
    note: Option<String>,
) -> CmdResult<Document> {
    let store = state.store.clone();
    state
        .blocking(move |db| {
            documents::remove_from(db, &store, Source::App, owner, document_id, note.as_deref())
        })
        .await
}

#[tauri::command]
pub async fn set_document_kind(
    state: St<'_>,
    owner: Owner,
    document_id: i64,
    kind: DocKind,
) -> CmdResult<Document> {
    state
        .write(move |tx| documents::set_kind_of(tx, owner, document_id, kind))
        .await
}

/// Asks where to save a copy (native dialog); `None` when the user cancelled.
#[tauri::command]
pub async fn save_document_copy(
    state: St<'_>,
    owner: Owner,
    document_id: i64,
) -> CmdResult<Option<String>> {
    let doc = document(&state, owner, document_id).await?;
    let Some(out) = state.dialogs.save("Save a copy", &doc.name, None).await else {
        return Ok(None);
    };
    let store = state.store.clone();
    blocking(move || {
        store
            .save_copy(&doc, &out)
            .map(|_| Some(out.display().to_string()))
    })
    .await
}

#[tauri::command]
pub async fn open_document(state: St<'_>, owner: Owner, document_id: i64) -> CmdResult<()> {
    let doc = document(&state, owner, document_id).await?;
    let path = state.store.verified_path(&doc)?;
    crate::viewer::open_with_viewer(&path, &doc.name, &doc.sha256).map_err(CmdError::refused)
}

/// Stand-in for an OS file drop, for the end-to-end tests only (WebDriver cannot drag files
/// from a file manager). It goes through the same handler as a real drop; without
/// `ASSET_REGISTER_E2E=1` at start-up it refuses.
#[tauri::command]
pub async fn e2e_drop_files(
    state: St<'_>,
    drops: State<'_, Drops>,
    window: tauri::Window,
    paths: Vec<String>,
    x: f64,
    y: f64,
) -> CmdResult<()> {
    if !state.dialogs.test_mode() {
        return Err(CmdError::refused("not available"));
    }
    drops.register(&window, paths.into_iter().map(Into::into).collect(), x, y);
    Ok(())
}
