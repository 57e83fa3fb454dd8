//! Budget planning in the window: the forecast of renewals and replacements (Renewals view),
//! the replacement plan (Settings), an asset's own replacement life, and the budget table
//! saved as CSV or PDF where the user chooses. The plan and an asset's life are read and changed
//! on a team register itself; the forecast and the budget are read from its local copy
//! ([`crate::team_copy`]).

use register_core::forecast::{self, BudgetForecast, ForecastOptions, Grouping};
use register_core::replacements::{self, Plan};
use register_core::values::Money;
use serde::Serialize;

use super::record::read_version;
use super::reports::{save_pdf, Exported};
use super::{CmdResult, St};
use crate::state::{blocking, team_read, team_write};

/// About this many items are listed in the window over the whole horizon (all are counted):
/// enough to read, few enough to draw at once (5 years by month at 100k assets would otherwise
/// be thousands of rows).
const ITEMS_SHOWN: usize = 600;

/// Items listed per period and kind: 50 for a year by month, 10 for five years by month.
fn items_per_period(years: u32, grouping: Grouping) -> usize {
    let periods = match grouping {
        Grouping::Month => 12 * years,
        Grouping::Quarter => 4 * years,
        Grouping::Year => years,
    } as usize;
    (ITEMS_SHOWN / periods.max(1)).clamp(10, 50)
}

/// Renewals and replacements from today over `years`, cut by `grouping`.
#[tauri::command]
pub async fn get_forecast(
    state: St<'_>,
    years: u32,
    grouping: Grouping,
) -> CmdResult<BudgetForecast> {
    let opts = ForecastOptions {
        from: register_core::today(),
        years,
        grouping,
        items_per_period: Some(items_per_period(years, grouping)),
    };
    state.read_copy(move |c| forecast::forecast(c, &opts)).await
}

/// The replacement plan: inflation and every category's life and price.
#[tauri::command]
pub async fn get_replacement_plan(state: St<'_>) -> CmdResult<Plan> {
    if let Some(team) = state.team() {
        return team_read(team, |tx| register_pg::replacements::plan(tx)).await;
    }
    state.read(replacements::plan).await
}

/// Sets a category's replacement life (months) and replace-with price ("" or none clears).
#[tauri::command]
pub async fn set_category_replacement(
    state: St<'_>,
    name: String,
    life_months: Option<u32>,
    replace_with: Option<String>,
) -> CmdResult<Plan> {
    let price = Money::parse("replace_with", replace_with.as_deref().unwrap_or(""))?;
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            register_pg::categories::set_category_plan(tx, &name, life_months, price)?;
            register_pg::replacements::plan(tx.client())
        })
        .await;
    }
    state
        .write(move |tx| {
            replacements::set_category_plan(tx, &name, life_months, price)?;
            replacements::plan(tx.conn())
        })
        .await
}

/// Sets the yearly inflation of replacement costs, in percent.
#[tauri::command]
pub async fn set_replacement_inflation(state: St<'_>, percent: String) -> CmdResult<Plan> {
    if let Some(team) = state.team() {
        return team_write(team, move |tx| {
            register_pg::replacements::set_inflation(tx, &percent)?;
            register_pg::replacements::plan(tx.client())
        })
        .await;
    }
    state
        .write(move |tx| {
            replacements::set_inflation(tx, &percent)?;
            replacements::plan(tx.conn())
        })
        .await
}

/// An asset's replacement: its own life, when it is due and at what cost, or why it cannot be
/// planned.
#[tauri::command]
pub async fn get_asset_replacement(
    state: St<'_>,
    id: i64,
) -> CmdResult<replacements::AssetReplacement> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| {
            register_pg::replacements::asset_replacement(tx, id, register_core::today())
        })
        .await;
    }
    state
        .read(move |c| replacements::asset_replacement(c, id, register_core::today()))
        .await
}

/// What a save of an asset's own setting made: on a team register, its new row version.
#[derive(Serialize)]
pub struct Saved {
    #[serde(skip_serializing_if = "Option::is_none")]
    row_version: Option<i64>,
}

/// Gives an asset its own replacement life, or (none) makes it follow its category again.
#[tauri::command]
pub async fn set_asset_replacement_life(
    state: St<'_>,
    id: i64,
    life_months: Option<u32>,
    note: Option<String>,
    version: Option<i64>,
) -> CmdResult<Saved> {
    if let Some(team) = state.team() {
        let read = read_version(version)?;
        let saved = team_write(team, move |tx| {
            register_pg::replacements::set_asset_life(tx, id, read, life_months, note.as_deref())
        })
        .await?;
        return Ok(Saved {
            row_version: Some(saved.version),
        });
    }
    state
        .write(move |tx| replacements::set_asset_life(tx, id, life_months, note.as_deref()))
        .await?;
    Ok(Saved { row_version: None })
}

/// A budget file the window wrote.
#[derive(Serialize)]
pub struct BudgetFile {
    path: String,
}

/// Saves the budget table for `years` from today as CSV where the user chooses; `None` if
/// cancelled.
#[tauri::command]
pub async fn export_budget_csv(state: St<'_>, years: u32) -> CmdResult<Option<BudgetFile>> {
    let name = format!("budget-forecast-{}.csv", register_core::today());
    let Some(out) = state
        .dialogs
        .save("Export the budget as CSV", &name, Some(("CSV", &["csv"])))
        .await
    else {
        return Ok(None);
    };
    let budget = state
        .read_copy(move |c| forecast::budget(c, register_core::today(), years))
        .await?;
    let target = out.clone();
    blocking(move || {
        let mut buf = Vec::new();
        forecast::write_budget_csv(&mut buf, &budget)?;
        register_core::files::write_atomically(&target, &buf)
    })
    .await?;
    state.remember_export(out.clone());
    Ok(Some(BudgetFile {
        path: out.display().to_string(),
    }))
}

/// Saves the budget page for `years` from today as PDF; `None` if cancelled.
#[tauri::command]
pub async fn export_budget_pdf(
    state: St<'_>,
    years: u32,
    paper: Option<register_core::report::Paper>,
) -> CmdResult<Option<Exported>> {
    let name = format!("budget-forecast-{}.pdf", register_core::today());
    save_pdf(&state, "Export the budget as PDF", &name, move |c| {
        register_core::report::render_budget(
            c,
            register_core::today(),
            years,
            paper.unwrap_or_default(),
        )
    })
    .await
}
