//! Document commands, for an asset's or a licence's documents alike: the owner travels as
//! `{"asset": id}` or `{"licence": id}`. Files arrive by OS drop or the native dialog; each
//! command calls one `register_core::documents` function, or on a team register one
//! `register_pg::documents` function (the bytes live in the server's database).

use std::path::PathBuf;

use register_core::documents::{self, DocKind, Document, Owner};
use register_core::Source;
use serde::Serialize;
use tauri::State;

use super::{file_name, AppState, CmdResult, St};
use crate::drops::Drops;
use crate::error::CmdError;
use crate::state::{blocking, on_team, team_read, team_write};
use crate::team::{pg_error, Team};

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
    if let Some(team) = state.team() {
        return on_team(team, move |t| Ok(attach_on_team(t, owner, &paths, kind))).await;
    }
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

/// Attaches each file to `owner` on a team register, each in a change of its own (as in a
/// file): each is checked before it is read, so an oversized file is refused unread.
fn attach_on_team(
    team: &Team,
    owner: Owner,
    paths: &[PathBuf],
    kind: Option<DocKind>,
) -> AttachOutcome {
    let mut out = AttachOutcome::default();
    for p in paths {
        let name = file_name(p);
        let attached = documents::check_attachable(p)
            .and_then(|()| Ok(std::fs::read(p)?))
            .map_err(CmdError::from)
            .and_then(|bytes| {
                team.write(|tx| {
                    register_pg::documents::attach_document(tx, owner, &name, &bytes, kind, None)
                })
            });
        match attached {
            Ok(d) => out.attached.push(d),
            Err(e) => out.refused.push(Refusal {
                name,
                message: e.message,
            }),
        }
    }
    out
}

async fn document(state: &AppState, owner: Owner, document_id: i64) -> CmdResult<Document> {
    state
        .read(move |c| documents::document_of(c, owner, document_id))
        .await
}

#[tauri::command]
pub async fn list_documents(state: St<'_>, owner: Owner) -> CmdResult<Vec<Document>> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| {
            register_pg::documents::documents_of(tx, owner)
        })
        .await;
    }
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
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            register_pg::documents::remove_document(tx, owner, document_id, note.as_deref())
        })
        .await;
    }
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
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            register_pg::documents::set_document_kind(tx, owner, document_id, kind)
        })
        .await;
    }
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
    if let Some(team) = state.team() {
        let (doc, bytes) = read_on_team(team, owner, document_id).await?;
        let Some(out) = state.dialogs.save("Save a copy", &doc.name, None).await else {
            return Ok(None);
        };
        return blocking(move || {
            std::fs::write(&out, &bytes)?;
            Ok(Some(out.display().to_string()))
        })
        .await;
    }
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
    if let Some(team) = state.team() {
        let (doc, bytes) = read_on_team(team, owner, document_id).await?;
        return crate::viewer::open_with_viewer(&mut bytes.as_slice(), &doc.name, &doc.sha256)
            .map_err(CmdError::refused);
    }
    let doc = document(&state, owner, document_id).await?;
    let path = state.store.verified_path(&doc)?;
    let mut file = std::fs::File::open(&path).map_err(register_core::Error::from)?;
    crate::viewer::open_with_viewer(&mut file, &doc.name, &doc.sha256).map_err(CmdError::refused)
}

/// A document of a team register and its bytes, checked against their hash.
async fn read_on_team(
    team: std::sync::Arc<Team>,
    owner: Owner,
    document_id: i64,
) -> CmdResult<(Document, Vec<u8>)> {
    on_team(team, move |t| {
        t.run(|client, _| {
            register_pg::documents::read_document(client, owner, document_id).map_err(pg_error)
        })
    })
    .await
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
