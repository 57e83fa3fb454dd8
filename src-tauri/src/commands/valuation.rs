//! Value commands: an asset's depreciation, the categories' methods and the register's totals,
//! on a register file or a team register (where an asset's own method is an asset change, saved
//! from the row version the window read).

use register_core::depreciation::{
    self, AssetDepreciation, CategoryMethod, MethodInput, Valuation,
};
use register_pg::depreciation as pg;

use super::record::{read_version, Read};
use super::{CmdResult, St};
use crate::state::{team_read, team_write};

#[tauri::command]
pub async fn get_asset_depreciation(state: St<'_>, id: i64) -> CmdResult<AssetDepreciation> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| {
            pg::asset_depreciation(tx, id, register_core::today())
        })
        .await;
    }
    state
        .read(move |c| depreciation::asset_depreciation(c, id, register_core::today()))
        .await
}

/// Sets an asset's own method, or (`method: null`) makes it follow its category again. On a
/// team register the answer carries the asset's new row version.
#[tauri::command]
pub async fn set_asset_depreciation(
    state: St<'_>,
    id: i64,
    method: Option<MethodInput>,
    note: Option<String>,
    version: Option<i64>,
) -> CmdResult<Read<AssetDepreciation>> {
    let own = method.map(|m| m.parse()).transpose()?;
    if let Some(team) = state.team() {
        let read = read_version(version)?;
        let saved = team_write(team.clone(), move |tx| {
            pg::set_asset_method(tx, id, read, own, note.as_deref())
        })
        .await?;
        let now = get_asset_depreciation(state, id).await?;
        return Ok(Read::team(now, saved.version));
    }
    state
        .write(move |tx| depreciation::set_asset_method(tx, id, own, note.as_deref()))
        .await?;
    get_asset_depreciation(state, id).await.map(Read::file)
}

#[tauri::command]
pub async fn list_category_depreciation(state: St<'_>) -> CmdResult<Vec<CategoryMethod>> {
    if let Some(team) = state.team() {
        return team_read(team, |tx| pg::list_category_methods(tx)).await;
    }
    state.read(depreciation::list_category_methods).await
}

#[tauri::command]
pub async fn set_category_depreciation(
    state: St<'_>,
    name: String,
    method: MethodInput,
) -> CmdResult<Vec<CategoryMethod>> {
    let method = method.parse()?;
    if let Some(team) = state.team() {
        team_write(team, move |tx| {
            register_pg::categories::set_category_method(tx, &name, method)
        })
        .await?;
    } else {
        state
            .write(move |tx| depreciation::set_category_method(tx, &name, method))
            .await?;
    }
    list_category_depreciation(state).await
}

/// Several categories' defaults at once, all or none (Value's "Set up depreciation…").
#[tauri::command]
pub async fn set_category_depreciations(
    state: St<'_>,
    methods: Vec<(String, MethodInput)>,
) -> CmdResult<Vec<CategoryMethod>> {
    let parsed = methods
        .iter()
        .map(|(name, m)| Ok((name.clone(), m.parse()?)))
        .collect::<register_core::Result<Vec<_>>>()?;
    if let Some(team) = state.team() {
        team_write(team, move |tx| pg::set_category_methods(tx, &parsed)).await?;
    } else {
        state
            .write(move |tx| depreciation::set_category_methods(tx, &parsed))
            .await?;
    }
    list_category_depreciation(state).await
}

/// The register's totals (no per-asset list) as of a date, today by default.
#[tauri::command]
pub async fn get_valuation(state: St<'_>, as_of: Option<String>) -> CmdResult<Valuation> {
    let date = register_core::values::parse_date("as_of", as_of.as_deref().unwrap_or(""))?
        .unwrap_or_else(register_core::today);
    if let Some(team) = state.team() {
        return team_read(team, move |tx| pg::value_totals(tx, date)).await;
    }
    state
        .read(move |c| depreciation::value_totals(c, date))
        .await
}
