//! Purchase commands: check a purchase, record it with its receipt, and choose the receipt. On
//! a team register, `register_pg::purchase` (the receipt's bytes read here, then sent with the
//! purchase's one transaction).

use register_core::purchase::{self, Problem, PurchaseInput, Purchased};
use register_core::Source;
use serde::Serialize;
use tauri::State;

use super::{file_name, CmdResult, St};
use crate::drops::Drops;
use crate::error::CmdError;
use crate::state::{blocking, team_read, team_write};

#[tauri::command]
pub async fn check_purchase(state: St<'_>, input: PurchaseInput) -> CmdResult<Vec<Problem>> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| {
            register_pg::purchase::check_purchase(tx, &input)
        })
        .await;
    }
    state
        .read(move |c| purchase::check_purchase(c, &input))
        .await
}

/// Records a purchase; the receipt is a file the user dropped or picked, named by its id.
#[tauri::command]
pub async fn record_purchase(
    state: St<'_>,
    drops: State<'_, Drops>,
    input: PurchaseInput,
    receipt: Option<u64>,
) -> CmdResult<Purchased> {
    let receipt = match receipt {
        Some(id) => {
            let paths = drops.take(id).ok_or_else(|| {
                CmdError::not_found("The receipt is no longer available; choose it again.")
                    .on_field("receipt")
            })?;
            paths.into_iter().next()
        }
        None => None,
    };
    if let Some(team) = state.team() {
        let file = match receipt {
            Some(path) => Some(
                blocking(move || {
                    register_core::documents::check_attachable(&path)?;
                    let bytes = std::fs::read(&path).map_err(|e| {
                        register_core::Error::invalid(
                            "receipt",
                            format!("{} cannot be read: {e}", path.display()),
                        )
                    })?;
                    Ok((file_name(&path), bytes))
                })
                .await?,
            ),
            None => None,
        };
        return team_write(team, move |tx| {
            let receipt = file
                .as_ref()
                .map(|(name, bytes)| register_pg::purchase::Receipt { name, bytes });
            register_pg::purchase::record_purchase(tx, &input, receipt)
        })
        .await;
    }
    let store = state.store.clone();
    state
        .blocking(move |db| {
            purchase::record_purchase_with_receipt(
                db,
                &store,
                Source::App,
                &input,
                receipt.as_deref(),
            )
        })
        .await
}

/// A file the user chose in a native dialog, kept by id like a drop.
#[derive(Serialize)]
pub struct PickedFile {
    drop_id: u64,
    name: String,
}

/// Asks for the receipt (native dialog); `None` when the user cancelled.
#[tauri::command]
pub async fn pick_receipt(state: St<'_>, drops: State<'_, Drops>) -> CmdResult<Option<PickedFile>> {
    let Some(path) = state.dialogs.pick_file("Choose the receipt").await else {
        return Ok(None);
    };
    Ok(Some(PickedFile {
        name: file_name(&path),
        drop_id: drops.keep(vec![path]),
    }))
}
