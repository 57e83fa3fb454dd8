//! Stocktakes in the window: start one, scan or tick tags, move what was found elsewhere,
//! finish it, save its report, and Home's card. Each forwards to one core function, or on a
//! team register to its `register_pg::stocktake` counterpart (the report is rendered from the
//! register's local copy, as every report is there).

use register_core::report::{self, Paper};
use register_core::stocktake::{
    self, FinishInput, Item, Outcome, Scan, Stocktake, StocktakeInput, StocktakeSummary,
};

use register_pg::stocktake as pg;

use super::reports::{save_pdf, Exported};
use super::{CmdResult, St};
use crate::state::{team_read, team_write};

/// The open stocktake, if any.
#[tauri::command]
pub async fn get_open_stocktake(state: St<'_>) -> CmdResult<Option<Stocktake>> {
    if let Some(team) = state.team() {
        return team_read(team, |tx| pg::open_stocktake(tx)).await;
    }
    state.read(stocktake::open_stocktake).await
}

/// Every stocktake, newest first.
#[tauri::command]
pub async fn list_stocktakes(state: St<'_>) -> CmdResult<Vec<Stocktake>> {
    if let Some(team) = state.team() {
        return team_read(team, |tx| pg::list_stocktakes(tx)).await;
    }
    state.read(stocktake::list_stocktakes).await
}

/// Starts a stocktake.
#[tauri::command]
pub async fn start_stocktake(state: St<'_>, input: StocktakeInput) -> CmdResult<Stocktake> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| pg::start_stocktake(tx, &input)).await;
    }
    state
        .write(move |tx| stocktake::start_stocktake(tx, &input))
        .await
}

/// Records one scanned or ticked tag.
#[tauri::command]
pub async fn scan_stocktake_tag(
    state: St<'_>,
    id: i64,
    tag: String,
    room: Option<String>,
) -> CmdResult<Scan> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| pg::scan(tx, id, &tag, room.as_deref())).await;
    }
    state
        .write(move |tx| stocktake::scan(tx, id, &tag, room.as_deref()))
        .await
}

/// Moves an item found elsewhere to the room it was found in.
#[tauri::command]
pub async fn move_stocktake_item(state: St<'_>, id: i64, item_id: i64) -> CmdResult<Item> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| pg::move_here(tx, id, item_id)).await;
    }
    state
        .write(move |tx| stocktake::move_here(tx, id, item_id))
        .await
}

/// A stocktake's items with one outcome (all when none).
#[tauri::command]
pub async fn list_stocktake_items(
    state: St<'_>,
    id: i64,
    outcome: Option<Outcome>,
) -> CmdResult<Vec<Item>> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| pg::list_items(tx, id, outcome)).await;
    }
    state
        .read(move |c| stocktake::list_items(c, id, outcome))
        .await
}

/// Finishes a stocktake.
#[tauri::command]
pub async fn finish_stocktake(state: St<'_>, id: i64, input: FinishInput) -> CmdResult<Stocktake> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| pg::finish_stocktake(tx, id, &input)).await;
    }
    state
        .write(move |tx| stocktake::finish_stocktake(tx, id, &input))
        .await
}

/// Calls off a stocktake: nothing unseen becomes missing.
#[tauri::command]
pub async fn cancel_stocktake(
    state: St<'_>,
    id: i64,
    reason: Option<String>,
) -> CmdResult<Stocktake> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            pg::cancel_stocktake(tx, id, reason.as_deref())
        })
        .await;
    }
    state
        .write(move |tx| stocktake::cancel_stocktake(tx, id, reason.as_deref()))
        .await
}

/// Home's card: the open and last stocktakes and the assets not seen lately.
#[tauri::command]
pub async fn get_stocktake_summary(state: St<'_>) -> CmdResult<StocktakeSummary> {
    if let Some(team) = state.team() {
        return team_read(team, |tx| pg::stocktake_summary(tx, register_core::today())).await;
    }
    state
        .read(|c| stocktake::stocktake_summary(c, register_core::today()))
        .await
}

/// Sets how many months without a sighting make Home list an asset.
#[tauri::command]
pub async fn set_stale_months(state: St<'_>, months: u32) -> CmdResult<u32> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| pg::set_stale_months(tx, months)).await;
    }
    state
        .write(move |tx| stocktake::set_stale_months(tx, months))
        .await
}

/// The stocktake report as PDF; `None` if cancelled.
#[tauri::command]
pub async fn export_stocktake_pdf(
    state: St<'_>,
    id: i64,
    paper: Option<Paper>,
) -> CmdResult<Option<Exported>> {
    let st = state
        .read_copy(move |c| stocktake::get_stocktake(c, id))
        .await?;
    let name = format!("stocktake-{}-{}.pdf", st.on_date, st.id);
    save_pdf(
        &state,
        "Save the stocktake report as PDF",
        &name,
        move |c| report::render_stocktake_report(c, id, paper.unwrap_or_default()),
    )
    .await
}
