//! Purchase commands: check a purchase, record it with its receipt, and choose the receipt.

use register_core::purchase::{self, Problem, PurchaseInput, Purchased};
use register_core::Source;
use serde::Serialize;
use tauri::State;

use super::{file_name, CmdResult, St};
use crate::drops::Drops;
use crate::error::CmdError;

#[tauri::command]
pub async fn check_purchase(state: St<'_>, input: PurchaseInput) -> CmdResult<Vec<Problem>> {
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
