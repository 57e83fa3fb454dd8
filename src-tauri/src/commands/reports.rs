//! PDF report commands: the register report and an asset's dossier, saved where the user
//! chooses, and opening a file this session exported (for printing). The offboarding checklist
//! uses the same [`save_pdf`]. On a team register they are rendered from its local copy as it
//! is now ([`crate::team_copy`]), so the report's chain check is the server's trail.

use std::path::PathBuf;

use register_core::assets;
use register_core::report::{self, Paper, RenderedPdf, ReportOptions};
use serde::Serialize;

use super::{AppState, CmdResult, St};
use crate::error::CmdError;
use crate::state::blocking;

/// A file the app wrote.
#[derive(Serialize)]
pub struct Exported {
    path: String,
    pages: usize,
}

/// Asks where to save a PDF suggested as `file_name`, renders it with `render` and writes it
/// there; `None` when the user cancels (nothing is rendered then).
pub async fn save_pdf(
    state: &AppState,
    title: &str,
    file_name: &str,
    render: impl FnOnce(&register_core::Connection) -> register_core::Result<RenderedPdf>
        + Send
        + 'static,
) -> CmdResult<Option<Exported>> {
    let Some(out) = state
        .dialogs
        .save(title, file_name, Some(("PDF document", &["pdf"])))
        .await
    else {
        return Ok(None);
    };
    let pdf = state.read_copy(render).await?;
    let target = out.clone();
    let pages = blocking(move || {
        register_core::files::write_atomically(&target, &pdf.bytes).map(|_| pdf.page_count)
    })
    .await?;
    state.remember_export(out.clone());
    Ok(Some(Exported {
        path: out.display().to_string(),
        pages,
    }))
}

/// The register report (with the list's current filters) as PDF; `None` if cancelled.
#[tauri::command]
pub async fn export_register_pdf(
    state: St<'_>,
    options: ReportOptions,
) -> CmdResult<Option<Exported>> {
    let name = format!(
        "asset-register-{}.pdf",
        options.as_of.unwrap_or_else(register_core::today)
    );
    save_pdf(&state, "Export the register as PDF", &name, move |c| {
        report::render_register_report(c, &options)
    })
    .await
}

/// One asset's dossier as PDF; `None` if cancelled.
#[tauri::command]
pub async fn export_dossier_pdf(
    state: St<'_>,
    id: i64,
    paper: Option<Paper>,
) -> CmdResult<Option<Exported>> {
    let tag = state
        .read_copy(move |c| assets::get_asset(c, id))
        .await?
        .asset_tag;
    let safe: String = tag
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = format!("dossier-{safe}.pdf");
    save_pdf(&state, "Export the asset dossier as PDF", &name, move |c| {
        report::render_asset_dossier(c, id, paper.unwrap_or_default())
    })
    .await
}

/// Opens a file this session exported in the system viewer (for printing).
#[tauri::command]
pub async fn open_exported(state: St<'_>, path: String) -> CmdResult<()> {
    let path = PathBuf::from(path);
    if !state
        .exported
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .contains(&path)
    {
        return Err(CmdError::refused(
            "Only files exported in this session can be opened.",
        ));
    }
    crate::viewer::open_file(&path).map_err(CmdError::refused)
}
