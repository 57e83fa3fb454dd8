//! Offboarding commands: a leaver's checklist (start, resolve each item, finish or cancel) and
//! its printable PDF. On a team register each calls its `register_pg::offboarding`
//! counterpart (one open offboarding per person, the steps on a person one at a time), and the
//! PDF is rendered from the register's local copy.

use register_core::offboarding::{self, Checklist, ItemKind, Resolution};
use register_core::report::{self, Paper};
use register_core::{values, Error};

use register_pg::offboarding as pg;

use super::reports::{save_pdf, Exported};
use super::{CmdResult, St};
use crate::state::{team_read, team_write};

#[tauri::command]
pub async fn get_offboarding(state: St<'_>, id: i64) -> CmdResult<Checklist> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| pg::get_checklist(tx, id)).await;
    }
    state.read(move |c| offboarding::get_checklist(c, id)).await
}

#[tauri::command]
pub async fn start_offboarding(
    state: St<'_>,
    id: i64,
    leaving_on: String,
    note: Option<String>,
) -> CmdResult<Checklist> {
    let day = values::parse_date("leaving_on", &leaving_on)?
        .ok_or_else(|| Error::invalid("leaving_on", "choose the leaving date"))?;
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            pg::start_offboarding(tx, id, day, note.as_deref())
        })
        .await;
    }
    state
        .write(move |tx| offboarding::start_offboarding(tx, id, day, note.as_deref()))
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
) -> CmdResult<Checklist> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            pg::resolve_item(tx, id, kind, item_id, &resolution, note.as_deref())
        })
        .await;
    }
    state
        .write(move |tx| {
            offboarding::resolve_item(tx, id, kind, item_id, &resolution, note.as_deref())
        })
        .await
}

#[tauri::command]
pub async fn finish_offboarding(
    state: St<'_>,
    id: i64,
    note: Option<String>,
) -> CmdResult<Checklist> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            pg::finish_offboarding(tx, id, note.as_deref())
        })
        .await;
    }
    state
        .write(move |tx| offboarding::finish_offboarding(tx, id, note.as_deref()))
        .await
}

#[tauri::command]
pub async fn cancel_offboarding(
    state: St<'_>,
    id: i64,
    note: Option<String>,
) -> CmdResult<Checklist> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            pg::cancel_offboarding(tx, id, note.as_deref())
        })
        .await;
    }
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
) -> CmdResult<Option<Exported>> {
    let name = state
        .read_copy(move |c| register_core::people::get_person(c, id))
        .await?
        .name;
    let safe: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let file_name = format!("offboarding-{safe}.pdf");
    save_pdf(
        &state,
        "Export the offboarding checklist as PDF",
        &file_name,
        move |c| report::render_offboarding_checklist(c, id, paper.unwrap_or_default()),
    )
    .await
}
