//! Document commands, for an asset's or a licence's documents alike: the owner travels as
//! `{"asset": id}` or `{"licence": id}`. Each calls one `register_core::documents` function.

use register_core::documents::{self, DocKind, Document, Owner};
use register_core::Source;
use serde::Serialize;
use tauri::State;

use super::{AppState, Res, St};
use crate::documents::Drops;
use crate::error::CmdError;

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

impl AppState {
    /// Attaches each file to `owner`, collecting what was attached and, by name, what was
    /// refused and why.
    async fn attach(
        &self,
        owner: Owner,
        paths: Vec<std::path::PathBuf>,
        kind: Option<DocKind>,
    ) -> Res<AttachOutcome> {
        let db = self.db()?;
        let store = self.store.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut out = AttachOutcome::default();
            for p in paths {
                match documents::attach_file_to(&db, &store, Source::App, owner, &p, kind, None) {
                    Ok(d) => out.attached.push(d),
                    Err(e) => out.refused.push(Refusal {
                        name: p
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        message: CmdError::from(e).message,
                    }),
                }
            }
            out
        })
        .await
        .map_err(CmdError::internal)
    }

    async fn document(&self, owner: Owner, document_id: i64) -> Res<Document> {
        self.read(move |c| documents::document_of(c, owner, document_id))
            .await
    }
}

#[tauri::command]
pub async fn list_documents(state: St<'_>, owner: Owner) -> Res<Vec<Document>> {
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
) -> Res<AttachOutcome> {
    let paths = drops.take(drop_id).ok_or_else(|| CmdError {
        kind: "notFound",
        message: "That drop is no longer available; drop the files again.".into(),
        field: None,
    })?;
    state.attach(owner, paths, kind).await
}

/// The native "Attach documents" dialog; nothing attached when the user cancels.
#[tauri::command]
pub async fn pick_and_attach(
    state: St<'_>,
    owner: Owner,
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
    state.attach(owner, paths, kind).await
}

#[tauri::command]
pub async fn remove_document(
    state: St<'_>,
    owner: Owner,
    document_id: i64,
    note: Option<String>,
) -> Res<Document> {
    let (db, store) = (state.db()?, state.store.clone());
    tauri::async_runtime::spawn_blocking(move || {
        documents::remove_from(
            &db,
            &store,
            Source::App,
            owner,
            document_id,
            note.as_deref(),
        )
    })
    .await
    .map_err(CmdError::internal)?
    .map_err(CmdError::from)
}

#[tauri::command]
pub async fn set_document_kind(
    state: St<'_>,
    owner: Owner,
    document_id: i64,
    kind: DocKind,
) -> Res<Document> {
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
) -> Res<Option<String>> {
    let doc = state.document(owner, document_id).await?;
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
pub async fn open_document(state: St<'_>, owner: Owner, document_id: i64) -> Res<()> {
    let doc = state.document(owner, document_id).await?;
    let path = state.store.verified_path(&doc).map_err(CmdError::from)?;
    crate::documents::open_with_viewer(&path, &doc.name, &doc.sha256).map_err(|message| CmdError {
        kind: "refused",
        message,
        field: None,
    })
}
