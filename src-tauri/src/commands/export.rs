//! Export from the window: the assets (all, or those the list shows) as CSV or JSON, written
//! where the user chooses.

use register_core::assets::ListQuery;
use register_core::export;
use serde::{Deserialize, Serialize};

use super::{CmdResult, St};
use crate::state::blocking;

/// Export formats.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// CSV the importer reads back.
    Csv,
    /// A JSON array of assets.
    Json,
}

/// A file the export wrote.
#[derive(Serialize)]
pub struct ExportedFile {
    path: String,
    assets: usize,
}

/// Writes the assets `query` matches (the whole register when `None`) as CSV (with a BOM for
/// spreadsheets when `bom`) or JSON, where the user chooses; `None` if cancelled.
#[tauri::command]
pub async fn export_assets(
    state: St<'_>,
    format: ExportFormat,
    bom: bool,
    query: Option<ListQuery>,
) -> CmdResult<Option<ExportedFile>> {
    let ext = match format {
        ExportFormat::Csv => "csv",
        ExportFormat::Json => "json",
    };
    let name = format!("asset-register-{}.{ext}", register_core::today());
    let extensions = [ext];
    let filter = (if ext == "csv" { "CSV" } else { "JSON" }, &extensions[..]);
    let Some(out) = state
        .dialogs
        .save("Export assets", &name, Some(filter))
        .await
    else {
        return Ok(None);
    };
    let target = out.clone();
    let assets = state
        .read_copy(move |c| match &query {
            Some(q) => export::list_matching_assets(c, q),
            None => export::list_all_assets(c, false),
        })
        .await?;
    let count = assets.len();
    blocking(move || {
        let mut buf = Vec::new();
        match format {
            ExportFormat::Csv => export::write_csv(&mut buf, &assets, bom)?,
            ExportFormat::Json => export::write_json(&mut buf, &assets)?,
        }
        register_core::files::write_atomically(&target, &buf)
    })
    .await?;
    state.remember_export(out.clone());
    Ok(Some(ExportedFile {
        path: out.display().to_string(),
        assets: count,
    }))
}
